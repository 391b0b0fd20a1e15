import {withRunLock} from '../io/run-lock.js'
import {writeInside} from '../io/write-inside.js'
import {applyValues, type RefusedValue} from '../memory/apply-values.js'
import {lookup} from '../memory/match-memory.js'
import {openMemory} from '../memory/open-memory.js'
import {pendingSegments} from '../memory/read-memory.js'
import {openProject, UsageError} from '../project/project.js'
import {resolvePath} from '../project/paths.js'
import {message, sortMessages, type Message} from '../report/message.js'
import {choosePosts, pendingOf} from './suggest.js'

/** Options of `fill`. */
export interface FillOptions {
  root?: string
  /** Only exact matches (the one mode there is; required, so the command says what it does). */
  exact?: boolean
  /** Posts (paths under content/it); all when empty. */
  posts?: string[]
  cache?: boolean
  env?: Readonly<Record<string, string | undefined>>
  onWait?: (pid: number) => void
}

/** What `fill` did. */
export interface FillResult {
  filled: Array<{path: string; keys: string[]}>
  /** Missing segments with exact matches of more than one English: left for a translator. */
  ambiguous: number
  written: string[]
  messages: Message[]
}

/**
 * Fill missing translations from exact matches of the translation memory (same Italian,
 * tags included, one English), marked **suggested**: counted and reported like a stale
 * translation until a translator reviews them (`ponte accept`, or an edit). Never
 * touches a segment that has English.
 *
 * @param options Root, `exact` (required), posts.
 */
export async function fill(options: FillOptions = {}): Promise<FillResult> {
  if (!options.exact) throw new UsageError('only exact matches can be filled: run `ponte fill --exact` (fuzzy matches are shown by `ponte suggest`)')
  const project = await openProject(options.root ?? '.')
  const chosen = choosePosts(project, options.posts ?? [], 'fill')
  return withRunLock(
    project.root,
    async () => {
      const {memory, index, save} = await openMemory(project, {...options, ...pendingOf(project, chosen)})
      const result: FillResult = {filled: [], ambiguous: 0, written: [], messages: [...project.messages]}
      for (const paths of chosen) {
        const values = new Map<string, {value: string; suggested: boolean}>()
        for (const segment of pendingSegments(memory, paths.post)) {
          if (segment.state !== 'missing') continue
          const exact = lookup(index, segment.value, {self: {from: paths.post, key: segment.key}}).filter((item) => item.kind === 'exact' && item.tagsAgree)
          if (exact.length > 1) result.ambiguous++
          const only = exact.length === 1 ? exact[0] : undefined
          if (only) values.set(segment.key, {value: only.target, suggested: true})
        }
        if (values.size === 0) continue
        const applied = await applyValues(project, paths, values)
        result.messages.push(...applied.messages, ...applied.refused.map((item: RefusedValue) => message(paths.targetCatalog, undefined, 'warning', 'fill-refused', `"${item.key}": the memory's match was not applied: ${item.reason}`, 'translate this segment by hand')))
        if (applied.applied.length === 0) continue
        for (const [path, content] of applied.files) if (await writeInside(project.root, resolvePath(project.root, path), content)) result.written.push(path)
        result.filled.push({path: paths.post, keys: applied.applied})
      }
      await save()
      result.messages = sortMessages(result.messages)
      return result
    },
    options.onWait ? {onWait: options.onWait} : {}
  )
}
