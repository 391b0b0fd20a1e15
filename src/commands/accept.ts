import {acceptLock, writeLock} from '../catalog/lock.js'
import {planExtract} from '../project/extract-post.js'
import {openProject, readPostFiles, readSource, unreadableMessage, UsageError} from '../project/project.js'
import {UnreadablePath} from '../io/read-text.js'
import {resolvePath} from '../project/paths.js'
import {withRunLock} from '../io/run-lock.js'
import {writeInside} from '../io/write-inside.js'
import {sortMessages, type Message} from '../report/message.js'

/** Options of `accept`. */
export interface AcceptOptions {
  /** Called once when another run holds the project's lock and this one waits. */
  onWait?: (pid: number) => void
  root?: string
  /** Posts (paths under content/it, with or without `.md`); all when empty. */
  posts?: string[]
  /** Keys to confirm; all stale keys of the chosen posts when empty. */
  keys?: string[]
}

/** What `accept` did. */
export interface AcceptResult {
  accepted: Array<{path: string; keys: string[]}>
  written: string[]
  messages: Message[]
}

/**
 * Confirm stale translations as up to date with the current Italian, for translations
 * that needed no change. Extracts the chosen posts first, so catalogs are current.
 *
 * @param options Root, posts and keys.
 */
export async function accept(options: AcceptOptions = {}): Promise<AcceptResult> {
  const project = await openProject(options.root ?? '.')
  return withRunLock(project.root, async () => {
    const wanted = new Set((options.posts ?? []).map((post) => post.replace(/^content\/[^/]+\//, '').replace(/\.md$/, '')))
    const known = new Set(project.posts.map((paths) => paths.ns))
    for (const post of wanted) if (!known.has(post)) throw new UsageError(`accept: no post "${post}" under content/${project.config.sourceLanguage}/`)
    const keys = options.keys && options.keys.length > 0 ? new Set(options.keys) : undefined
    const result: AcceptResult = {accepted: [], written: [], messages: []}
    for (const paths of project.posts) {
      if (wanted.size > 0 && !wanted.has(paths.ns)) continue
      const source = await readSource(project.root, paths)
      if (!source.ok) {
        result.messages.push(source.message)
        continue
      }
      let files
      try {
        files = await readPostFiles(project.root, paths)
      } catch (error) {
        // catch: UnreadablePath only: the post is reported and none of its files written.
        if (!(error instanceof UnreadablePath)) throw error
        result.messages.push(unreadableMessage(project.root, error))
        continue
      }
      const plan = planExtract(paths, source.text, files, project.config, project.patterns)
      result.messages.push(...plan.messages)
      if (plan.refused) continue
      const {lock, accepted} = acceptLock(plan.lock, keys)
      plan.files.set(paths.lock, writeLock(lock, paths.source))
      for (const [path, content] of plan.files) if (await writeInside(project.root, resolvePath(project.root, path), content)) result.written.push(path)
      if (accepted.length > 0) result.accepted.push({path: paths.post, keys: accepted})
    }
    result.messages = sortMessages(result.messages)
    return result
  }, options.onWait ? {onWait: options.onWait} : {})
}
