import {openProject, UsageError} from '../project/project.js'
import {lookup, type LookupOptions, type Suggestion} from './match-memory.js'
import {openMemory} from './open-memory.js'
import {pendingSegments} from './read-memory.js'

/** Options of `suggestionsFor`. */
export interface SuggestionsForOptions extends Omit<LookupOptions, 'self'> {
  /** Use and update the memory cache (default true). */
  cache?: boolean
  env?: Readonly<Record<string, string | undefined>>
}

/**
 * The translation memory's suggestions for one post's segments that have no up-to-date,
 * reviewed translation (missing, stale, suggested), by key: for the translator's page.
 *
 * @param root Project root.
 * @param post The post's path under content/<source>, with or without `.md`.
 * @param options Lowest score (default 75), limit (default 5), cache.
 */
export async function suggestionsFor(root: string, post: string, options: SuggestionsForOptions = {}): Promise<Map<string, Suggestion[]>> {
  const project = await openProject(root)
  const wanted = post.replace(/^content\/[^/]+\//, '').replace(/\.md$/, '')
  const paths = project.posts.find((item) => item.ns === wanted)
  if (!paths) throw new UsageError(`no post "${post}" under content/${project.config.sourceLanguage}/`)
  // Only this post's pending segments are kept: the page asks for one post at a time.
  const {memory, index, save} = await openMemory(project, {...options, pendingOf: (other) => other === paths.post})
  const found = new Map<string, Suggestion[]>()
  for (const segment of pendingSegments(memory, paths.post)) {
    const suggestions = lookup(index, segment.value, {...options, self: {from: paths.post, key: segment.key}})
    if (suggestions.length > 0) found.set(segment.key, suggestions)
  }
  await save()
  return found
}
