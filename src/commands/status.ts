import type {PostCounts} from '../project/build-post.js'
import {reportOf, runCommand, type Command, type RunOptions} from '../run/run-command.js'
import type {StageResult} from '../run/stage.js'
import type {Message} from '../report/message.js'
import {buildStage, type BuildFacts} from '../stages/build-stage.js'
import {add, zero} from './build.js'

/** One post in the status report (the contract's shape, plus extra fields). */
export interface PostStatus extends PostCounts {
  path: string
  /** Share of segments translated and up to date, 0–100, one decimal. */
  percent: number
  /** Stale keys, with the Italian their translation was written against when known. */
  staleKeys: Array<{key: string; was?: string}>
  /** Keys whose English a tool put there (`ponte fill`) and no translator reviewed. */
  suggestedKeys: string[]
}

/** What `status` reports. */
export interface StatusResult {
  posts: PostStatus[]
  totals: PostCounts & {percent: number; posts: number}
  messages: Message[]
}

/** Status: build's stage, planned without writing (what build last recorded, when nothing changed since). */
export const statusCommand: Command = {stages: [buildStage], write: false}

/**
 * Count, per post and in total, segments, translated, stale, suggested, missing and invalid
 * translations. Reads only; writes nothing.
 *
 * @param options Root, cache and progress callback.
 */
export async function status(options: RunOptions = {}): Promise<StatusResult> {
  const run = await runCommand(statusCommand, options)
  const totals = zero()
  const posts: PostStatus[] = []
  const messages: Message[] = []
  for (const post of run.posts) {
    const found = post.results[0] as StageResult<BuildFacts> | undefined
    if (!found) continue
    messages.push(...found.messages)
    const {counts, stale} = found.facts
    const staleKeys = stale.filter((item) => !item.suggested).map((item) => (item.was !== undefined ? {key: item.key, was: item.was} : {key: item.key}))
    posts.push({path: post.path, ...counts, percent: percent(counts), staleKeys, suggestedKeys: stale.filter((item) => item.suggested).map((item) => item.key)})
    add(totals, counts)
  }
  return {posts, totals: {...totals, percent: percent(totals), posts: posts.length}, messages: reportOf(run, messages)}
}

/**
 * Share of segments translated and up to date, 0–100 with one decimal (100 when empty).
 *
 * @param counts Counts of a post or of all posts.
 */
export function percent(counts: PostCounts): number {
  return counts.segments === 0 ? 100 : Math.floor((1000 * counts.translated) / counts.segments) / 10
}
