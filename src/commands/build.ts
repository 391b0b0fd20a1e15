import {withRunLock} from '../io/run-lock.js'
import type {PostCounts} from '../project/build-post.js'
import {openProject} from '../project/project.js'
import {runSession, type RunOptions} from '../project/session.js'
import type {Message} from '../report/message.js'

/** Options of `build`. */
export interface BuildOptions extends RunOptions {
  /** Called once when another run holds the project's lock and this one waits. */
  onWait?: (pid: number) => void
}

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
  const project = await openProject(options.root ?? '.')
  return withRunLock(
    project.root,
    async () => {
      const session = await runSession('build', options, project)
      const totals = zero()
      const posts = session.outcomes.map((outcome) => {
        const counts = outcome.counts ?? zero()
        add(totals, counts)
        return {path: outcome.path, counts, written: outcome.written.length > 0, skipped: outcome.hasEdition === false}
      })
      return {posts, written: session.outcomes.flatMap((outcome) => outcome.written), totals, messages: session.messages}
    },
    options.onWait ? {onWait: options.onWait} : {}
  )
}

/** Counts of zero. */
export function zero(): PostCounts {
  return {segments: 0, translated: 0, stale: 0, missing: 0, invalid: 0}
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
  totals.missing += counts.missing
  totals.invalid += counts.invalid
}
