import type {SegmentState} from '../catalog/lock.js'
import {lookup, type Suggestion} from '../memory/match-memory.js'
import {openMemory} from '../memory/open-memory.js'
import {pendingSegments} from '../memory/read-memory.js'
import {openProject, UsageError, type Project} from '../project/project.js'
import type {PostPaths} from '../project/paths.js'
import type {Message} from '../report/message.js'

/** Options of `suggest`. */
export interface SuggestOptions {
  root?: string
  /** Posts (paths under content/it, with or without `.md`); all when empty. */
  posts?: string[]
  /** Lowest fuzzy score, 0–100 (default 75). */
  minScore?: number
  /** Most suggestions per segment (default 5). */
  limit?: number
  /** Use and update the memory cache (default true). */
  cache?: boolean
  /** Called with each post's suggestions as they are found; they are then not kept in the result (a report of 10,000 posts need not be held at once). */
  onPost?: (post: SuggestResult['posts'][number]) => void
  env?: Readonly<Record<string, string | undefined>>
}

/** One segment with its suggestions. */
export interface SuggestedSegment {
  key: string
  state: SegmentState
  /** The Italian value. */
  value: string
  suggestions: Suggestion[]
}

/** What `suggest` found. */
export interface SuggestResult {
  posts: Array<{path: string; segments: SuggestedSegment[]}>
  /** Segments without an up-to-date translation, and how many of them have a suggestion. */
  totals: {pending: number; suggested: number; exact: number}
  messages: Message[]
}

/**
 * Show the translation memory's suggestions for every segment that has no up-to-date,
 * reviewed translation. Reads only (the memory cache aside); applies nothing.
 *
 * @param options Root, posts, lowest score, limit.
 */
export async function suggest(options: SuggestOptions = {}): Promise<SuggestResult> {
  const project = await openProject(options.root ?? '.')
  const chosen = choosePosts(project, options.posts ?? [], 'suggest')
  const {memory, index, save} = await openMemory(project, {...options, ...pendingOf(project, chosen)})
  const result: SuggestResult = {posts: [], totals: {pending: 0, suggested: 0, exact: 0}, messages: project.messages}
  for (const paths of chosen) {
    const segments: SuggestedSegment[] = []
    for (const segment of pendingSegments(memory, paths.post)) {
      result.totals.pending++
      const suggestions = lookup(index, segment.value, {...limits(options), self: {from: paths.post, key: segment.key}})
      if (suggestions.length === 0) continue
      result.totals.suggested++
      if (suggestions[0]?.kind === 'exact') result.totals.exact++
      segments.push({key: segment.key, state: segment.state, value: segment.value, suggestions})
    }
    if (segments.length === 0) continue
    if (options.onPost) options.onPost({path: paths.post, segments})
    else result.posts.push({path: paths.post, segments})
  }
  await save()
  return result
}

function limits(options: SuggestOptions): {minScore?: number; limit?: number} {
  return {...(options.minScore !== undefined ? {minScore: options.minScore} : {}), ...(options.limit !== undefined ? {limit: options.limit} : {})}
}

/**
 * Which posts' pending segments a command needs: all of them (no filter) or the chosen ones.
 *
 * @param project The opened project.
 * @param chosen The chosen posts (`choosePosts`).
 */
export function pendingOf(project: Project, chosen: readonly PostPaths[]): {pendingOf?: (post: string) => boolean} {
  if (chosen.length === project.posts.length) return {}
  const wanted = new Set(chosen.map((paths) => paths.post))
  return {pendingOf: (post) => wanted.has(post)}
}

/**
 * The posts a command was given (all when none), or a usage error naming one that does not exist.
 *
 * @param project The opened project.
 * @param posts Paths under content/<source>, with or without `.md` (or with `content/<source>/`).
 * @param command The command, for the message.
 */
export function choosePosts(project: Project, posts: readonly string[], command: string): PostPaths[] {
  if (posts.length === 0) return project.posts
  const wanted = new Set(posts.map((post) => post.replace(/^content\/[^/]+\//, '').replace(/\.md$/, '')))
  const known = new Set(project.posts.map((paths) => paths.ns))
  for (const post of wanted) if (!known.has(post)) throw new UsageError(`${command}: no post "${post}" under content/${project.config.sourceLanguage}/`)
  return project.posts.filter((paths) => wanted.has(paths.ns))
}
