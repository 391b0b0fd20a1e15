import type {PostCounts} from '../project/build-post.js'
import {runLockedSession, type WriteOptions} from '../project/session.js'
import type {Message} from '../report/message.js'

/** Options of `build`. */
export type BuildOptions = WriteOptions

/** What `build` did. */
export interface BuildResult {
  posts: Array<{path: string; counts: PostCounts; written: boolean; skipped: boolean}>
  written: string[]
  totals: PostCounts
  messages: Message[]
}

/**
 * Build the English edition of every post into `content/<en>/`, at the same path.
 *
 * @param options Root, cache, progress and lock-wait callbacks.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const session = await runLockedSession('build', options)
  const totals = zero()
  const posts = session.outcomes.map((outcome) => {
    const counts = outcome.counts ?? zero()
    add(totals, counts)
    return {path: outcome.path, counts, written: outcome.written.length > 0, skipped: outcome.hasEdition === false}
  })
  return {posts, written: session.outcomes.flatMap((outcome) => outcome.written), totals, messages: session.messages}
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
