import {fingerprint} from './keys.js'

/** What Ponte remembers about one key, so it can tell fresh from stale translations. */
export interface LockEntry {
  /** Fingerprint of the key's current Italian value. */
  source: string
  /** Fingerprint of the Italian value the English was written (or confirmed) against. */
  translatedFrom?: string
  /** Fingerprint of the English value when Ponte last recorded it. */
  translation?: string
  /** The Italian value the English was written against (shown to the translator when stale).
   * Kept in the lock itself, so it survives whatever state the catalogs are in. */
  was?: string
  /** Fingerprint of an English value a tool put there (`ponte fill`, a memory match) and no
   * translator has confirmed yet: while the English still has this fingerprint, the
   * segment is **suggested**. */
  suggested?: string
}

/** The one state of a segment, the same everywhere (status, check, the page, XLIFF). */
export type SegmentState = 'translated' | 'stale' | 'suggested' | 'missing' | 'invalid'

/**
 * The state of one segment from its lock entry and its English value.
 *
 * @param entry The key's lock entry (as `updateLock` leaves it for the current catalogs).
 * @param english The English value (`''` or `undefined`: none).
 * @param valid Whether the English passes validation (`validateTranslation`).
 */
export function segmentState(entry: LockEntry | undefined, english: string | undefined, valid: boolean): SegmentState {
  if (english === undefined || !english.trim()) return 'missing'
  if (!valid) return 'invalid'
  if (entry?.suggested !== undefined && entry.suggested === fingerprint(english)) return 'suggested'
  return isStale(entry) ? 'stale' : 'translated'
}

/** A post's lock file (`locales/.ponte/<ns>.lock.json`): written by Ponte, never by hand. */
export interface Lock {
  entries: Map<string, LockEntry>
  /** Archived keys (their Italian was deleted) by fingerprint of that Italian value. */
  archived: Map<string, string>
  /** The Italian of archived keys, by key: the translation memory pairs it with the archived English. */
  archivedText: Map<string, string>
}

/** An empty lock. */
export function emptyLock(): Lock {
  return {entries: new Map(), archived: new Map(), archivedText: new Map()}
}

/**
 * Parse a lock file; a lock that cannot be read counts as empty (it holds no translator
 * work: every translation is kept in the catalogs).
 *
 * @param text The file's contents, or `undefined` when there is none.
 */
export function parseLock(text: string | undefined): Lock {
  const lock = emptyLock()
  if (!text) return lock
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    // catch: JSON.parse's SyntaxError only: a torn lock holds no translator work (the catalogs do).
    return lock
  }
  if (!isRecord(data)) return lock
  if (isRecord(data['segments'])) {
    for (const [key, value] of Object.entries(data['segments'])) {
      if (!isRecord(value) || typeof value['source'] !== 'string') continue
      const entry: LockEntry = {source: value['source']}
      if (typeof value['translatedFrom'] === 'string') entry.translatedFrom = value['translatedFrom']
      if (typeof value['translation'] === 'string') entry.translation = value['translation']
      if (typeof value['was'] === 'string') entry.was = value['was']
      if (typeof value['suggested'] === 'string') entry.suggested = value['suggested']
      lock.entries.set(key, entry)
    }
  }
  if (isRecord(data['archived'])) {
    for (const [key, value] of Object.entries(data['archived'])) if (typeof value === 'string') lock.archived.set(value, key)
  }
  if (isRecord(data['archivedText'])) {
    for (const [key, value] of Object.entries(data['archivedText'])) if (typeof value === 'string') lock.archivedText.set(key, value)
  }
  return lock
}

/**
 * Serialize a lock deterministically: segments in document order, archived keys sorted.
 *
 * @param lock The lock.
 * @param post The source path it belongs to (for people reading it).
 */
export function writeLock(lock: Lock, post: string): string {
  const segments: Record<string, LockEntry> = {}
  for (const [key, entry] of lock.entries) segments[key] = entry
  const archived: Record<string, string> = {}
  for (const [source, key] of [...lock.archived].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) archived[key] = source
  const data: Record<string, unknown> = {
    $comment: 'Written by Ponte (`npm run extract`); do not edit. Fingerprints of the Italian and English values, to detect stale translations.',
    post,
    segments,
    archived
  }
  // Only when there is some, so locks without archived text keep their bytes.
  if (lock.archivedText.size > 0) data['archivedText'] = Object.fromEntries([...lock.archivedText].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
  return JSON.stringify(data, null, 2) + '\n'
}

/** A key's Italian value now, and its English value (empty string when missing). */
export interface KeyState {
  key: string
  value: string
  translation: string
}

/**
 * Record the current state of every key: a translation the translator changed since
 * the last run is fresh (written against the current Italian); an unchanged translation
 * whose Italian changed is stale and keeps the Italian it was written against in `was`.
 *
 * @param previous The previous lock.
 * @param states Every key of the post, in document order.
 * @param previousValues The previous Italian value of each key (from the previous catalog).
 */
export function updateLock(previous: Lock, states: readonly KeyState[], previousValues: ReadonlyMap<string, string>): Lock {
  const next: Lock = {entries: new Map(), archived: new Map(previous.archived), archivedText: new Map(previous.archivedText)}
  for (const {key, value, translation} of states) {
    const source = fingerprint(value)
    const old = previous.entries.get(key)
    if (!translation.trim()) {
      next.entries.set(key, {source})
      continue
    }
    const english = fingerprint(translation)
    // A translation written (or changed) since the last run was written against the Italian
    // the catalog showed then: the previous source.
    const translatedFrom = !old ? source : old.translation !== english || old.translatedFrom === undefined ? old.source : old.translatedFrom
    const entry: LockEntry = {source, translatedFrom, translation: english}
    const was = italianOf(translatedFrom, {source, value}, old, previousValues.get(key))
    if (was !== undefined) entry.was = was
    // A tool's value stays a suggestion until a translator changes it or confirms it.
    if (old?.suggested !== undefined && old.suggested === english) entry.suggested = english
    next.entries.set(key, entry)
  }
  return next
}

/**
 * The Italian text with a given fingerprint, from what is known of the key: its current
 * value, the text the lock recorded, or the previous catalog (trusted only if its
 * fingerprint matches: a catalog written by an interrupted run may be newer than the lock).
 */
function italianOf(wanted: string, current: {source: string; value: string}, old: LockEntry | undefined, catalog: string | undefined): string | undefined {
  if (wanted === current.source) return current.value
  if (old?.was !== undefined && old.translatedFrom === wanted) return old.was
  if (catalog !== undefined && fingerprint(catalog) === wanted) return catalog
  return undefined
}

/**
 * Whether a key's translation is stale: it was written against Italian that has changed.
 *
 * @param entry The key's lock entry.
 */
export function isStale(entry: LockEntry | undefined): boolean {
  return Boolean(entry?.translatedFrom && entry.translatedFrom !== entry.source)
}

/**
 * Whether a key's English is a tool's suggestion no translator has confirmed.
 *
 * @param entry The key's lock entry.
 */
export function isSuggested(entry: LockEntry | undefined): boolean {
  return entry?.suggested !== undefined && entry.suggested === entry.translation
}

/**
 * Confirm translations as up to date with their current Italian, and suggestions as
 * reviewed (`ponte accept`).
 *
 * @param lock The lock.
 * @param keys Keys to confirm; all when omitted.
 */
export function acceptLock(lock: Lock, keys?: ReadonlySet<string>): {lock: Lock; accepted: string[]} {
  const next: Lock = {entries: new Map(), archived: new Map(lock.archived), archivedText: new Map(lock.archivedText)}
  const accepted: string[] = []
  for (const [key, entry] of lock.entries) {
    if ((isStale(entry) || isSuggested(entry)) && (!keys || keys.has(key))) {
      // The Italian it now stands for is the current one; the next extract records its text.
      next.entries.set(key, {source: entry.source, translatedFrom: entry.source, ...(entry.translation ? {translation: entry.translation} : {})})
      accepted.push(key)
    } else next.entries.set(key, entry)
  }
  return {lock: next, accepted}
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
