import type {PostCounts} from '../project/build-post.js'
import {reportOf, runCommand, type Command, type WriteOptions} from '../run/run-command.js'
import type {StageResult} from '../run/stage.js'
import type {Message} from '../report/message.js'
import {buildStage, type BuildFacts} from '../stages/build-stage.js'

/** Options of `build`. */
export type BuildOptions = WriteOptions

/** What `build` did. */
export interface BuildResult {
  posts: Array<{path: string; counts: PostCounts; written: boolean; skipped: boolean}>
  written: string[]
  totals: PostCounts
  messages: Message[]
}

/** Build: its one stage, written. */
export const buildCommand: Command = {stages: [buildStage], write: true}

/**
 * Build the English edition of every post into `content/<en>/`, at the same path.
 *
 * @param options Root, cache, progress and lock-wait callbacks.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const run = await runCommand(buildCommand, options)
  const totals = zero()
  const messages: Message[] = []
  const posts = run.posts.map((post) => {
    const found = post.results[0] as StageResult<BuildFacts> | undefined
    const counts = found?.facts.counts ?? zero()
    if (found) messages.push(...found.messages)
    add(totals, counts)
    return {path: post.path, counts, written: post.written.length > 0, skipped: found?.facts.hasEdition === false}
  })
  return {posts, written: run.posts.flatMap((post) => post.written), totals, messages: reportOf(run, messages)}
}

/** Counts of zero. */
export function zero(): PostCounts {
  return {segments: 0, translated: 0, stale: 0, suggested: 0, missing: 0, invalid: 0}
}

/**
 * Add a post's counts into totals.
 *
 * @param totals Running totals (changed in place).
 * @param counts A post's counts.
 */
export function add(totals: PostCounts, counts: PostCounts): void {
  totals.segments += counts.segments
  totals.translated += counts.translated
  totals.stale += counts.stale
  totals.suggested += counts.suggested
  totals.missing += counts.missing
  totals.invalid += counts.invalid
}
