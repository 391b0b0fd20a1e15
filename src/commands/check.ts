import {glossaryMessages} from '../glossary/glossary-messages.js'
import type {PostCounts, StaleKey} from '../project/build-post.js'
import type {KeyCounts} from '../project/extract-post.js'
import type {PostPaths} from '../project/paths.js'
import {message, type Message} from '../report/message.js'
import {reportOf, runCommand, type Command, type RunOptions} from '../run/run-command.js'
import type {StageResult} from '../run/stage.js'
import {buildStage, type BuildFacts} from '../stages/build-stage.js'
import {extractStage} from '../stages/extract-stage.js'
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
 * Check: extract's stage and build's, planned without writing. Each answers from what
 * either command last recorded for the same files (check right after build plans nothing).
 */
export const checkCommand: Command = {stages: [extractStage, buildStage], write: false}

/**
 * Check, without writing anything, that catalogs are up to date with the posts, that
 * editions are up to date with the catalogs, and that every translation is valid.
 * Stale and missing translations are warnings, errors with `strict`; with a glossary
 * (`glossary` in the configuration, `locales/glossary.json` by default), a translation that
 * does not follow it is a warning.
 *
 * @param options Root, strictness, cache and progress callback.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const run = await runCommand(checkCommand, options)
  const totals = zero()
  const strict = Boolean(options.strict)
  const messages: Message[] = []
  run.posts.forEach((post, index) => {
    const paths = run.project.posts[index] as PostPaths
    const extracted = post.results[0] as StageResult<KeyCounts> | undefined
    const built = post.results[1] as StageResult<BuildFacts> | undefined
    if (!extracted || !built) return
    messages.push(...compare(paths, extracted, built))
    add(totals, built.facts.counts)
    messages.push(...softMessages(paths, built.facts, strict))
  })
  const report = reportOf(run, [...messages, ...glossaryMessages(run.project)])
  return {ok: !report.some((item) => item.severity === 'error'), totals, messages: report}
}

/**
 * What the plans say of the disk: build's findings and extract's (whose unknown keys build
 * already reported, in the words of a run that writes nothing), and every planned file that
 * differs from the one on disk, except the lock: it lags behind a translator's edits until
 * the next extract, which is harmless (stale detection reads the catalogs), so CI does not
 * fail on it.
 */
function compare(paths: PostPaths, extracted: StageResult<KeyCounts>, built: StageResult<BuildFacts>): Message[] {
  const found = [...extracted.messages.filter((item) => item.ruleId !== 'catalog-key-unknown'), ...built.messages]
  for (const {path, absent} of built.pending) {
    found.push(message(path, undefined, 'error', 'edition-outdated', absent ? 'missing' : `out of date with ${paths.targetCatalog}`, 'run `npm run build` and commit the result'))
  }
  for (const {path, absent} of extracted.pending) {
    if (path === paths.lock) continue
    found.push(message(path, undefined, 'error', 'catalog-outdated', absent ? `missing: ${paths.source} has not been extracted` : `out of date with ${paths.source}`, 'run `npm run extract` and commit the result'))
  }
  return found
}

/**
 * The stale and missing findings of one post: warnings, or errors with `strict` (so they are
 * the run's, not part of what the stages record).
 *
 * @param paths The post's paths.
 * @param facts What build found: counts, stale keys, the first missing key, their places in the English catalog.
 * @param strict Whether they fail the check.
 */
export function softMessages(paths: PostPaths, facts: Pick<BuildFacts, 'places' | 'stale' | 'missing' | 'counts'>, strict: boolean): Message[] {
  const {places, stale, missing, counts} = facts
  const severity = strict ? 'error' : 'warning'
  const place = (key: string): {line: number; column: number} | undefined => (Object.hasOwn(places, key) ? places[key] : undefined)
  const messages: Message[] = stale.map((item: StaleKey) =>
    item.suggested
      ? message(paths.targetCatalog, place(item.key), severity, 'translation-suggested', `"${item.key}" is a suggestion from the translation memory that no translator has reviewed`, `review it, then confirm it with \`ponte accept ${paths.post}\` (or edit it)`)
      : message(paths.targetCatalog, place(item.key), severity, 'translation-stale', `"${item.key}" is stale: its Italian changed${item.was !== undefined ? ` (it was: ${JSON.stringify(item.was)})` : ''}`, `update the translation, or confirm it with \`ponte accept ${paths.post}\``)
  )
  if (missing.length > 0) {
    messages.push(message(paths.targetCatalog, place(missing[0] ?? ''), severity, 'translation-missing', `${counts.missing} of ${counts.segments} segments have no translation${missing.length ? ` (first: "${missing[0]}")` : ''}`, 'translate them; the Italian is used until then'))
  }
  return messages
}
