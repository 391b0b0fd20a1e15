import type {KeyCounts} from '../project/extract-post.js'
import {runLockedSession, type WriteOptions} from '../project/session.js'
import type {Message} from '../report/message.js'

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

/**
 * Extract every post's translatable text into `locales/<it>/<ns>.json`, merge
 * `locales/<en>/<ns>.json` without losing a translation, and update the locks.
 *
 * @param options Root, cache, progress and lock-wait callbacks.
 */
export async function extract(options: ExtractOptions = {}): Promise<ExtractResult> {
  const session = await runLockedSession('extract', options)
  const totals = zeroKeyCounts()
  const posts = session.outcomes.map((outcome) => {
    const counts = outcome.keyCounts ?? zeroKeyCounts()
    for (const key of Object.keys(totals) as Array<keyof KeyCounts>) totals[key] += counts[key]
    return {path: outcome.path, counts, written: outcome.written, refused: Boolean(outcome.refused)}
  })
  return {posts, written: posts.flatMap((post) => post.written), totals, messages: session.messages}
}

function zeroKeyCounts(): KeyCounts {
  return {segments: 0, same: 0, edited: 0, restored: 0, added: 0, archived: 0}
}
