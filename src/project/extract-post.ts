import {alignKeys, type KeyOrigin, type PreviousEntry} from '../catalog/align.js'
import {fingerprint} from '../catalog/keys.js'
import {parseLock, updateLock, writeLock, type Lock} from '../catalog/lock.js'
import {keyPlace, readCatalog, type CatalogEntry} from '../catalog/read-catalog.js'
import {writeCatalog} from '../catalog/write-catalog.js'
import type {Config} from '../config.js'
import {message, type Message} from '../report/message.js'
import type {CompiledPattern} from '../segment/protect.js'
import type {Segment} from '../segment/segment.js'
import {analyzePost, type AnalyzedPost} from './analyze.js'
import type {PostPaths} from './paths.js'

/** The files of a post as they are on disk (`undefined` when absent). */
export interface PostFiles {
  sourceCatalog?: string | undefined
  targetCatalog?: string | undefined
  archive?: string | undefined
  lock?: string | undefined
}

/** Counts of what happened to a post's keys. */
export interface KeyCounts {
  segments: number
  same: number
  edited: number
  restored: number
  added: number
  archived: number
}

/** The planned result of extracting one post: the files to write, or why nothing is written. */
export interface ExtractPlan {
  analysis: AnalyzedPost
  keys: string[]
  origins: KeyOrigin[]
  /** Path (relative to root) → new contents; only files Ponte owns or may update. */
  files: Map<string, string>
  messages: Message[]
  counts: KeyCounts
  lock: Lock
  /** English values by key after the merge. */
  translations: Map<string, string>
  /** Whether the post was left alone because a file could not be read safely. */
  refused: boolean
}

/**
 * Plan the extraction of one post: align keys with the previous catalog, merge the
 * English catalog without losing a value (removed keys move to `<ns>_old.json` and come
 * back when their text does), and update the lock. Pure: reads nothing, writes nothing.
 *
 * @param paths The post's paths.
 * @param text The Italian post.
 * @param files The post's catalog files as they are now.
 * @param config Configuration.
 * @param patterns Compiled protected patterns.
 * @param analyzed The post already analyzed, to parse it only once.
 */
export function planExtract(paths: PostPaths, text: string, files: PostFiles, config: Config, patterns: readonly CompiledPattern[], analyzed?: AnalyzedPost): ExtractPlan {
  const analysis = analyzed ?? analyzePost(text, config, patterns)
  const messages: Message[] = analysis.problems.map((problem) => message(paths.source, problem, 'warning', problem.ruleId, problem.reason, problem.fix))
  if (analysis.fatal) messages.push(message(paths.source, analysis.fatal, 'error', analysis.fatal.ruleId, analysis.fatal.reason, analysis.fatal.fix))
  const previous = previousEntries(files.sourceCatalog, paths.sourceCatalog)
  const lock = parseLock(files.lock)
  const alignment = alignKeys(analysis.segments, previous, lock.archived)
  const plan: ExtractPlan = {
    analysis,
    keys: alignment.keys,
    origins: alignment.origins,
    files: new Map(),
    messages,
    counts: count(alignment.origins, 0),
    lock,
    translations: new Map(),
    refused: false
  }

  if (analysis.fatal) {
    plan.refused = true
    return plan
  }
  const target = readOptional(files.targetCatalog, paths.targetCatalog)
  const archive = readOptional(files.archive, paths.archive)
  if (!target.ok || !archive.ok) {
    plan.refused = true
    if (!target.ok) plan.messages.push(...target.messages)
    if (!archive.ok) plan.messages.push(...archive.messages)
    return plan
  }

  const archived = new Map(archive.entries)
  const archivedSources = new Map(lock.archived)
  const archivedText = new Map(lock.archivedText)
  const translations = new Map<string, string>()
  alignment.keys.forEach((key, index) => {
    let value = target.entries.get(key)?.value
    if (alignment.origins[index] === 'restored' || (value === undefined && archived.has(key))) {
      value = value || (archived.get(key)?.value ?? '')
      archived.delete(key)
      for (const [source, archivedKey] of archivedSources) if (archivedKey === key) archivedSources.delete(source)
      archivedText.delete(key)
    }
    translations.set(key, value ?? '')
  })
  const previousValues = new Map(previous.map((entry) => [entry.key, entry.value]))
  // Park every English value whose key is gone, so nothing a translator wrote is lost.
  let parked = 0
  for (const [key, entry] of target.entries) {
    if (translations.has(key) || !entry.value.trim()) continue
    archived.set(key, entry)
    parked++
    const italian = previousValues.get(key)
    if (italian !== undefined) {
      archivedSources.set(fingerprint(italian), key)
      // Kept for the translation memory: the archived English is offered for similar text.
      archivedText.set(key, italian)
    } else plan.messages.push(message(paths.targetCatalog, keyPlace(files.targetCatalog ?? '', entry), 'warning', 'catalog-key-unknown', `the key "${key}" is not in the Italian catalog; its value was moved to ${paths.archive}`, 'nothing to do unless the key was typed by hand'))
  }

  const states = analysis.segments.map((segment: Segment, index) => ({key: alignment.keys[index] ?? '', value: segment.value, translation: translations.get(alignment.keys[index] ?? '') ?? ''}))
  const nextLock = updateLock({entries: lock.entries, archived: archivedSources, archivedText}, states, previousValues)
  plan.lock = nextLock
  plan.translations = translations
  plan.counts = count(alignment.origins, parked)

  plan.files.set(paths.sourceCatalog, writeCatalog(analysis.segments.map((segment, index) => [alignment.keys[index] ?? '', segment.value] as const)))
  plan.files.set(paths.targetCatalog, writeCatalog(translations))
  if (archived.size > 0 || files.archive !== undefined) {
    plan.files.set(paths.archive, writeCatalog([...archived].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, entry]) => [key, entry.value] as const)))
  }
  plan.files.set(paths.lock, writeLock(nextLock, paths.source))
  return plan
}

/**
 * The previous Italian catalog as ordered entries; an unreadable one counts as empty
 * (it is generated, so nothing is lost).
 *
 * @param text The catalog file, if any.
 * @param file Its path.
 */
export function previousEntries(text: string | undefined, file: string): PreviousEntry[] {
  if (text === undefined) return []
  const read = readCatalog(text, file)
  return read.ok ? [...read.entries.values()].map((entry) => ({key: entry.key, value: entry.value})) : []
}

function readOptional(text: string | undefined, file: string): {ok: true; entries: Map<string, CatalogEntry>} | {ok: false; messages: Message[]} {
  if (text === undefined) return {ok: true, entries: new Map()}
  const read = readCatalog(text, file)
  if (!read.ok) return read
  if (read.messages.length > 0) {
    return {ok: false, messages: [...read.messages, message(file, undefined, 'error', 'catalog-refused', 'this catalog has problems, so Ponte did not rewrite it (or anything of this post)', 'fix the problems above and run extract again')]}
  }
  return {ok: true, entries: read.entries}
}

function count(origins: readonly KeyOrigin[], archived: number): KeyCounts {
  const counts: KeyCounts = {segments: origins.length, same: 0, edited: 0, restored: 0, added: 0, archived}
  for (const origin of origins) {
    if (origin === 'same') counts.same++
    else if (origin === 'edited') counts.edited++
    else if (origin === 'restored') counts.restored++
    else counts.added++
  }
  return counts
}
