import {planBuild, type PostCounts} from '../project/build-post.js'
import {openProject, readPostFiles, readSource} from '../project/project.js'
import {resolvePath} from '../project/paths.js'
import {withRunLock} from '../io/run-lock.js'
import {writeInside, PathOutsideRoot} from '../io/write-inside.js'
import {message, sortMessages, type Message} from '../report/message.js'

/** Options of `build`. */
export interface BuildOptions {
  /** Called once when another run holds the project's lock and this one waits. */
  onWait?: (pid: number) => void
  root?: string
  onProgress?: (done: number, total: number) => void
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
 * @param options Root and progress callback.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const project = await openProject(options.root ?? '.')
  return withRunLock(project.root, async () => {
    const result: BuildResult = {posts: [], written: [], totals: zero(), messages: [...project.messages]}
    let done = 0
    for (const paths of project.posts) {
      const source = await readSource(project.root, paths)
      if (!source.ok) {
        result.messages.push(source.message)
        options.onProgress?.(++done, project.posts.length)
        continue
      }
      const files = await readPostFiles(project.root, paths)
      const plan = planBuild(paths, source.text, files, project.config, project.patterns)
      result.messages.push(...plan.messages)
      let written = false
      if (plan.edition !== undefined) {
        try {
          written = await writeInside(project.root, resolvePath(project.root, paths.edition), plan.edition)
        } catch (error) {
          if (!(error instanceof PathOutsideRoot)) throw error
          result.messages.push(message(paths.edition, undefined, 'error', 'path-outside-root', error.message, `make content/${project.config.targetLanguage}/ a real folder inside the project`))
        }
      }
      if (written) result.written.push(paths.edition)
      result.posts.push({path: paths.post, counts: plan.counts, written, skipped: plan.edition === undefined})
      add(result.totals, plan.counts)
      options.onProgress?.(++done, project.posts.length)
    }
    result.messages = sortMessages(result.messages)
    return result
  }, options.onWait ? {onWait: options.onWait} : {})
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
