import {glossaryMessages} from '../glossary/glossary-messages.js'
import type {PostCounts} from '../project/build-post.js'
import {runSession, type RunOptions} from '../project/session.js'
import {sortMessages, type Message} from '../report/message.js'
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
 * Stale and missing translations are warnings, errors with `strict`; with a glossary
 * (`locales/glossary.json`), a translation that does not follow it is a warning.
 *
 * @param options Root, strictness, cache and progress callback.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const session = await runSession('check', options)
  const totals = zero()
  for (const outcome of session.outcomes) if (outcome.counts) add(totals, outcome.counts)
  const messages = session.messages.concat(glossaryMessages(session.project))
  return {ok: !messages.some((item) => item.severity === 'error'), totals, messages: messages.length > session.messages.length ? sortMessages(messages) : messages}
}
