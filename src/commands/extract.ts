import type {KeyCounts} from '../project/extract-post.js'
import {planExtract} from '../project/extract-post.js'
import {openProject, readPostFiles, readSource} from '../project/project.js'
import {resolvePath} from '../project/paths.js'
import {withRunLock} from '../io/run-lock.js'
import {writeInside, PathOutsideRoot} from '../io/write-inside.js'
import {message, sortMessages, type Message} from '../report/message.js'

/** Options of `extract`. */
export interface ExtractOptions {
  /** Called once when another run holds the project's lock and this one waits. */
  onWait?: (pid: number) => void
  /** Project root (default: the working directory). */
  root?: string
  /** Called after each post, for progress. */
  onProgress?: (done: number, total: number) => void
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
 * @param options Root and progress callback.
 */
export async function extract(options: ExtractOptions = {}): Promise<ExtractResult> {
  const project = await openProject(options.root ?? '.')
  return withRunLock(project.root, async () => {
    const result: ExtractResult = {posts: [], written: [], totals: {segments: 0, same: 0, edited: 0, restored: 0, added: 0, archived: 0}, messages: [...project.messages]}
    let done = 0
    for (const paths of project.posts) {
      const source = await readSource(project.root, paths)
      if (!source.ok) {
        result.messages.push(source.message)
        options.onProgress?.(++done, project.posts.length)
        continue
      }
      const files = await readPostFiles(project.root, paths)
      const plan = planExtract(paths, source.text, files, project.config, project.patterns)
      result.messages.push(...plan.messages)
      const written: string[] = []
      if (!plan.refused) {
        for (const [path, content] of plan.files) {
          try {
            if (await writeInside(project.root, resolvePath(project.root, path), content)) written.push(path)
          } catch (error) {
            if (!(error instanceof PathOutsideRoot)) throw error
            result.messages.push(message(path, undefined, 'error', 'path-outside-root', error.message, 'make locales/ a real folder inside the project'))
          }
        }
      }
      result.posts.push({path: paths.post, counts: plan.counts, written, refused: plan.refused})
      result.written.push(...written)
      for (const key of Object.keys(result.totals) as Array<keyof KeyCounts>) result.totals[key] += plan.counts[key]
      options.onProgress?.(++done, project.posts.length)
    }
    result.messages = sortMessages(result.messages)
    return result
  }, options.onWait ? {onWait: options.onWait} : {})
}
