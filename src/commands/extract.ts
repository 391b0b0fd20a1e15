import {withRunLock} from '../io/run-lock.js'
import type {KeyCounts} from '../project/extract-post.js'
import {openProject} from '../project/project.js'
import {runSession, type RunOptions} from '../project/session.js'
import type {Message} from '../report/message.js'

/** Options of `extract`. */
export interface ExtractOptions extends RunOptions {
  /** Called once when another run holds the project's lock and this one waits. */
  onWait?: (pid: number) => void
}

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
  const project = await openProject(options.root ?? '.')
  return withRunLock(
    project.root,
    async () => {
      const session = await runSession('extract', options, project)
      const totals: KeyCounts = {segments: 0, same: 0, edited: 0, restored: 0, added: 0, archived: 0}
      const posts = session.outcomes.map((outcome) => {
        const counts = outcome.keyCounts ?? {segments: 0, same: 0, edited: 0, restored: 0, added: 0, archived: 0}
        for (const key of Object.keys(totals) as Array<keyof KeyCounts>) totals[key] += counts[key]
        return {path: outcome.path, counts, written: outcome.written, refused: Boolean(outcome.refused)}
      })
      return {posts, written: posts.flatMap((post) => post.written), totals, messages: session.messages}
    },
    options.onWait ? {onWait: options.onWait} : {}
  )
}
