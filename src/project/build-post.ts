import i18next, {type i18n} from 'i18next'
import {alignKeys} from '../catalog/align.js'
import {parseLock, segmentState, updateLock} from '../catalog/lock.js'
import {keyPlace, readCatalog, valuePlace, type CatalogEntry} from '../catalog/read-catalog.js'
import type {Config} from '../config.js'
import {assemblePost, type Assembled} from '../assemble/assemble.js'
import type {VerifiedEditions} from '../cache/verified.js'
import {validateTranslation} from '../assemble/render.js'
import {message, type Message} from '../report/message.js'
import type {CompiledPattern} from '../segment/protect.js'
import {analyzePost, type AnalyzedPost} from './analyze.js'
import {previousEntries, type PostFiles} from './extract-post.js'
import type {PostPaths} from './paths.js'

/** Per-post figures, as `status --json` reports them. */
export interface PostCounts {
  segments: number
  translated: number
  stale: number
  /** A tool's value (`ponte fill`) no translator has confirmed: reported like stale. */
  suggested: number
  missing: number
  invalid: number
}

/** A key whose English needs a look: stale (with the Italian it was written against when known) or a suggestion. */
export interface StaleKey {
  key: string
  was?: string
  /** The English is a tool's suggestion, not stale. */
  suggested?: boolean
}

/** The planned English edition of one post. */
export interface BuildPlan {
  analysis: AnalyzedPost
  keys: string[]
  counts: PostCounts
  /** The edition's bytes; `undefined` when the post is below the publishing threshold. */
  edition: string | undefined
  assembled: Assembled | undefined
  messages: Message[]
  /** Keys whose translation is stale, with the Italian it was written against when known, and suggested keys. */
  stale: StaleKey[]
  /** Keys with no translation. */
  missing: string[]
  /** Where the stale keys and the first missing key stand in the English catalog (keys it has). */
  places: Record<string, {line: number; column: number}>
}

/**
 * Plan the English edition of one post: resolve each segment through i18next (English,
 * falling back to Italian), apply the stale policy, splice, verify, and count. Pure.
 *
 * @param paths The post's paths.
 * @param text The Italian post.
 * @param files The post's catalogs and lock.
 * @param config Configuration (threshold, stale policy).
 * @param patterns Compiled protected patterns.
 * @param assemble Whether to assemble the edition (false: only count, for `status`).
 * @param analyzed The post already analyzed, to parse it only once.
 * @param verified Editions already verified (`VerifiedEditions`): one of them is not parsed again.
 */
export function planBuild(paths: PostPaths, text: string, files: PostFiles, config: Config, patterns: readonly CompiledPattern[], assemble = true, analyzed?: AnalyzedPost, verified?: VerifiedEditions): BuildPlan {
  const analysis = analyzed ?? analyzePost(text, config, patterns)
  const messages: Message[] = []
  if (analysis.fatal) {
    messages.push(message(paths.source, analysis.fatal, 'error', analysis.fatal.ruleId, analysis.fatal.reason, analysis.fatal.fix))
    return {analysis, keys: [], counts: {segments: 0, translated: 0, stale: 0, suggested: 0, missing: 0, invalid: 0}, edition: undefined, assembled: undefined, messages, stale: [], missing: [], places: {}}
  }
  const previous = previousEntries(files.sourceCatalog, paths.sourceCatalog)
  const lock = parseLock(files.lock)
  const {keys} = alignKeys(analysis.segments, previous, lock.archived)

  let entries = new Map<string, CatalogEntry>()
  let catalogText = ''
  let unreadable = false
  if (files.targetCatalog !== undefined) {
    const read = readCatalog(files.targetCatalog, paths.targetCatalog)
    messages.push(...read.messages)
    if (read.ok) {
      entries = read.entries
      catalogText = read.text
    } else unreadable = true
  }
  const known = new Set(keys)
  for (const entry of entries.values()) {
    if (known.has(entry.key)) continue
    messages.push(message(paths.targetCatalog, keyPlace(catalogText, entry), 'warning', 'catalog-key-unknown', `the key "${entry.key}" is not a segment of ${paths.source}; it is ignored`, `run \`npm run extract\`: it moves the value to ${paths.archive}, where it comes back if the text returns`))
  }

  const english = new Map<string, string>()
  for (const key of keys) {
    const value = entries.get(key)?.value
    // An empty value is no translation (i18next falls back on it too: `returnEmptyString: false`).
    if (value !== undefined && value !== '') english.set(key, value)
  }
  const values = resolveValues(config, paths.ns, keys, analysis.segments.map((segment) => segment.value), english)
  const states = analysis.segments.map((segment, index) => ({key: keys[index] ?? '', value: segment.value, translation: english.get(keys[index] ?? '') ?? ''}))
  const currentLock = updateLock(lock, states, new Map(previous.map((entry) => [entry.key, entry.value])))

  const counts: PostCounts = {segments: analysis.segments.length, translated: 0, stale: 0, suggested: 0, missing: 0, invalid: 0}
  const stale: BuildPlan['stale'] = []
  const missing: string[] = []
  const resolved = new Map<number, string>()
  analysis.segments.forEach((segment, index) => {
    const key = keys[index] ?? ''
    const value = values[index]
    if (value === undefined || !value.trim()) {
      counts.missing++
      // An unreadable catalog is reported once as such, not as every key missing.
      if (!unreadable) missing.push(key)
      return
    }
    const valid = validateTranslation(segment, value)
    if (!valid.ok) {
      counts.invalid++
      const entry = entries.get(key)
      messages.push(message(paths.targetCatalog, entry ? valuePlace(catalogText, entry, valid.problem.offset) : undefined, 'error', valid.problem.ruleId, `"${key}": ${valid.problem.reason}`, `${valid.problem.fix}; the Italian is used until then`))
      return
    }
    const lockEntry = currentLock.entries.get(key)
    const state = segmentState(lockEntry, english.get(key), true)
    if (state === 'suggested') {
      // A suggestion nobody reviewed ships only as a stale translation would.
      counts.suggested++
      stale.push({key, suggested: true})
      if (config.stalePolicy === 'fallback') return
    } else if (state === 'stale') {
      counts.stale++
      stale.push({key, ...(lockEntry?.was !== undefined ? {was: lockEntry.was} : {})})
      if (config.stalePolicy === 'fallback') return
    } else counts.translated++
    resolved.set(segment.id, value)
  })

  // Where the soft findings stand, recorded so that a replayed check need not read the catalog.
  const places: BuildPlan['places'] = {}
  for (const key of [...stale.map((item) => item.key), ...missing.slice(0, 1)]) {
    const entry = entries.get(key)
    if (entry) places[key] = keyPlace(catalogText, entry)
  }
  const plan: BuildPlan = {analysis, keys, counts, edition: undefined, assembled: undefined, messages, stale, missing, places}
  if (!assemble) return plan
  const completeness = counts.segments === 0 ? 100 : (100 * counts.translated) / counts.segments
  if (completeness < config.threshold) {
    messages.push(message(paths.source, undefined, 'warning', 'below-threshold', `${completeness.toFixed(0)}% translated, below the publishing threshold of ${config.threshold}%: no edition written`, 'translate the missing segments, or lower "threshold" in ponte.config.json'))
    return plan
  }
  const assembled = assemblePost(analysis.body, analysis.tree, analysis.segments, (segment) => resolved.get(segment.id), analysis.structure, verified, analysis.syntax)
  const staleKeys = new Set(stale.filter((item) => !item.suggested).map((item) => item.key))
  const suggestedKeys = new Set(stale.filter((item) => item.suggested).map((item) => item.key))
  for (const refusal of assembled.refused) {
    if (!['value-structure', 'value-yaml', 'value-autolink'].includes(refusal.problem.ruleId)) continue
    const key = keys[refusal.segment.id] ?? ''
    const entry = entries.get(key)
    counts.invalid++
    if (staleKeys.has(key)) counts.stale--
    else if (suggestedKeys.has(key)) counts.suggested--
    else counts.translated--
    messages.push(message(paths.targetCatalog, entry ? valuePlace(catalogText, entry, refusal.problem.offset) : undefined, 'error', refusal.problem.ruleId, `"${key}": ${refusal.problem.reason}`, `${refusal.problem.fix}; the Italian is used until then`))
  }
  plan.assembled = assembled
  plan.edition = analysis.bom + assembled.output
  return plan
}

/**
 * Resolve every key through i18next, English first and falling back to Italian: the
 * English value of each key, or `undefined` where i18next fell back.
 *
 * @param config The language pair.
 * @param ns The post's namespace.
 * @param keys The keys, in segment order.
 * @param italian The Italian values, in the same order.
 * @param english The English values by key.
 */
function resolveValues(config: Pick<Config, 'sourceLanguage' | 'targetLanguage'>, ns: string, keys: readonly string[], italian: readonly string[], english: ReadonlyMap<string, string>): Array<string | undefined> {
  // A key the English catalog does not have falls back to Italian whatever i18next is
  // asked; a post not yet translated needs no lookup at all.
  if (english.size === 0) return keys.map(() => undefined)
  const i18n = translator(config)
  const bundle = (entries: Iterable<readonly [string, string]>): Record<string, string> => Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(entries))
  i18n.addResourceBundle(config.sourceLanguage, ns, bundle(keys.map((key, index) => [key, italian[index] ?? ''] as const)))
  i18n.addResourceBundle(config.targetLanguage, ns, bundle(english))
  try {
    return keys.map((key) => {
      if (!english.has(key)) return undefined
      const details = i18n.t(key, {ns, skipInterpolation: true, returnDetails: true}) as unknown as {res?: unknown; usedLng?: string}
      return details.usedLng === config.targetLanguage && typeof details.res === 'string' ? details.res : undefined
    })
  } finally {
    // The instance is shared by the posts of this thread: it holds one post's catalogs at a time.
    i18n.removeResourceBundle(config.sourceLanguage, ns)
    i18n.removeResourceBundle(config.targetLanguage, ns)
  }
}

const translators = new Map<string, i18n>()

/**
 * One i18next instance per language pair and thread (creating one per post cost a tenth
 * of a cold build): English first, falling back to Italian, keys used as they are.
 */
function translator(config: Pick<Config, 'sourceLanguage' | 'targetLanguage'>): i18n {
  const pair = `${config.sourceLanguage}\u0000${config.targetLanguage}`
  let instance = translators.get(pair)
  if (!instance) {
    instance = i18next.createInstance()
    void instance.init({
      initAsync: false,
      lng: config.targetLanguage,
      fallbackLng: config.sourceLanguage,
      ns: [],
      keySeparator: false,
      nsSeparator: false,
      returnEmptyString: false,
      returnNull: false,
      resources: {}
    })
    translators.set(pair, instance)
  }
  return instance
}
