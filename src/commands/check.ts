import type {PostCounts} from '../project/build-post.js'
import {runSession, type RunOptions} from '../project/session.js'
import type {Message} from '../report/message.js'
import {add, zero} from './build.js'

/** Options of `check`. */
export type CheckOptions = RunOptions

/** What `check` found. */
export interface CheckResult {
  ok: boolean
  totals: PostCounts
  messages: Message[]
}

/**
 * Check, without writing anything, that catalogs are up to date with the posts, that
 * editions are up to date with the catalogs, and that every translation is valid.
 * Stale and missing translations are warnings, errors with `strict`.
 *
 * @param options Root, strictness, cache and progress callback.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const session = await runSession('check', options)
  const totals = zero()
  for (const outcome of session.outcomes) if (outcome.counts) add(totals, outcome.counts)
  return {ok: !session.messages.some((item) => item.severity === 'error'), totals, messages: session.messages}
}
