import {cacheDirOf} from '../cache/cache-dir.js'
import {openProject, UsageError} from '../project/project.js'
import {indexMemory, lookup, type LookupOptions, type Suggestion} from './match-memory.js'
import {catalogSegments, needsTranslation} from './pending-segments.js'
import {readMemory} from './read-memory.js'

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
  const index = indexMemory(await readMemory(project, options.cache === false ? undefined : cacheDirOf(project.root, options.env ?? process.env)))
  const found = new Map<string, Suggestion[]>()
  for (const segment of catalogSegments(project.root, paths)) {
    if (!needsTranslation(segment)) continue
    const suggestions = lookup(index, segment.value, {...options, self: {from: paths.post, key: segment.key}})
    if (suggestions.length > 0) found.set(segment.key, suggestions)
  }
  return found
}
