import type {KeyCounts} from '../project/extract-post.js'
import {reportOf, runCommand, type Command, type WriteOptions} from '../run/run-command.js'
import type {StageResult} from '../run/stage.js'
import type {Message} from '../report/message.js'
import {extractStage} from '../stages/extract-stage.js'

/** Options of `extract`. */
export type ExtractOptions = WriteOptions

/** What `extract` did. */
export interface ExtractResult {
  posts: Array<{path: string; counts: KeyCounts; written: string[]; refused: boolean}>
  /** Files written (changed), relative to the root. */
  written: string[]
  totals: KeyCounts
  messages: Message[]
}

/** Extract: its one stage, written. */
export const extractCommand: Command = {stages: [extractStage], write: true}

/**
 * Extract every post's translatable text into `locales/<it>/<ns>.json`, merge
 * `locales/<en>/<ns>.json` without losing a translation, and update the locks.
 *
 * @param options Root, cache, progress and lock-wait callbacks.
 */
export async function extract(options: ExtractOptions = {}): Promise<ExtractResult> {
  const run = await runCommand(extractCommand, options)
  const totals = zeroKeyCounts()
  const messages: Message[] = []
  const posts = run.posts.map((post, index) => {
    const found = post.results[0] as StageResult<KeyCounts> | undefined
    // A replayed post had nothing to do: every key unchanged, and only the findings in the
    // post itself (a merge's findings, such as archived keys, happened once).
    const replayed = post.replayed[0] === true
    const counts = !found ? zeroKeyCounts() : replayed ? {...zeroKeyCounts(), segments: found.facts.segments, same: found.facts.segments} : found.facts
    if (found) messages.push(...(replayed ? found.messages.filter((item) => item.file === run.project.posts[index]?.source) : found.messages))
    for (const key of Object.keys(totals) as Array<keyof KeyCounts>) totals[key] += counts[key]
    return {path: post.path, counts, written: post.written, refused: Boolean(found?.refused)}
  })
  return {posts, written: posts.flatMap((post) => post.written), totals, messages: reportOf(run, messages)}
}

function zeroKeyCounts(): KeyCounts {
  return {segments: 0, same: 0, edited: 0, restored: 0, added: 0, archived: 0}
}
