import {planBuild, type PostCounts} from '../project/build-post.js'
import {openProject, readPostFiles, readSource} from '../project/project.js'
import {sortMessages, type Message} from '../report/message.js'
import {add, zero} from './build.js'

/** One post in the status report (the contract's shape, plus extra fields). */
export interface PostStatus extends PostCounts {
  path: string
  /** Share of segments translated and up to date, 0–100, one decimal. */
  percent: number
  /** Stale keys, with the Italian their translation was written against when known. */
  staleKeys: Array<{key: string; was?: string}>
}

/** What `status` reports. */
export interface StatusResult {
  posts: PostStatus[]
  totals: PostCounts & {percent: number; posts: number}
  messages: Message[]
}

/**
 * Count, per post and in total, segments, translated, stale, missing and invalid
 * translations. Reads only; writes nothing.
 *
 * @param options Root and progress callback.
 */
export async function status(options: {root?: string; onProgress?: (done: number, total: number) => void} = {}): Promise<StatusResult> {
  const project = await openProject(options.root ?? '.')
  const totals = zero()
  const posts: PostStatus[] = []
  const messages: Message[] = [...project.messages]
  let done = 0
  for (const paths of project.posts) {
    const source = await readSource(project.root, paths)
    if (source.ok) {
      const plan = planBuild(paths, source.text, await readPostFiles(project.root, paths), project.config, project.patterns, false)
      messages.push(...plan.messages)
      posts.push({path: paths.post, ...plan.counts, percent: percent(plan.counts), staleKeys: plan.stale})
      add(totals, plan.counts)
    } else messages.push(source.message)
    options.onProgress?.(++done, project.posts.length)
  }
  return {posts, totals: {...totals, percent: percent(totals), posts: posts.length}, messages: sortMessages(messages)}
}

/**
 * Share of segments translated and up to date, 0–100 with one decimal (100 when empty).
 *
 * @param counts Counts of a post or of all posts.
 */
export function percent(counts: PostCounts): number {
  return counts.segments === 0 ? 100 : Math.floor((1000 * counts.translated) / counts.segments) / 10
}
