import {glossaryMessages} from '../glossary/glossary-messages.js'
import type {PostCounts} from '../project/build-post.js'
import {runSession, type RunOptions} from '../project/session.js'
import {softMessages} from '../project/post-task.js'
import {postPaths} from '../project/paths.js'
import {sortMessages, uniqueMessages, type Message} from '../report/message.js'
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
  const strict = Boolean(options.strict)
  // The stale and missing findings, at this run's severity (not part of what a post's check records).
  const soft: Message[] = []
  for (const outcome of session.outcomes) {
    if (!outcome.counts) continue
    add(totals, outcome.counts)
    soft.push(...softMessages(postPaths(outcome.path, session.project.config), outcome.places ?? {}, outcome.stale ?? [], outcome.missing ?? [], outcome.counts, strict))
  }
  const messages = session.messages.concat(soft, glossaryMessages(session.project))
  return {ok: !messages.some((item) => item.severity === 'error'), totals, messages: messages.length > session.messages.length ? sortMessages(uniqueMessages(messages)) : messages}
}

