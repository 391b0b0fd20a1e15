import {parseLock, segmentState, updateLock, type SegmentState} from '../catalog/lock.js'
import {readCatalog} from '../catalog/read-catalog.js'
import {readIfExists} from '../io/read-text.js'
import {resolvePath, type PostPaths} from '../project/paths.js'

/** A segment of a post as its catalogs show it. */
export interface CatalogSegment {
  key: string
  /** The Italian value. */
  value: string
  /** The English value (`''`: none). */
  english: string
  state: SegmentState
  /** For a stale one: the Italian its English was written against, when known. */
  was?: string
}

/** A segment without an up-to-date, reviewed translation, as the memory keeps it (its English is not needed to look it up). */
export type PendingSegment = Pick<CatalogSegment, 'key' | 'value' | 'state'>

/**
 * A post's segments as its catalogs (written by `extract`) show them, each with its state;
 * validity is not checked here (`build` and `check` do), so no state is `invalid`.
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 */
export function catalogSegments(root: string, paths: PostPaths): CatalogSegment[] {
  return segmentsOf(readValues(root, paths.sourceCatalog), readValues(root, paths.targetCatalog), readIfExists(resolvePath(root, paths.lock)))
}

/**
 * A post's segments with their states, from its catalogs' values and its lock.
 *
 * @param italian The Italian catalog's values by key, in order.
 * @param english The English catalog's values by key.
 * @param lockText The lock file, if any.
 */
export function segmentsOf(italian: ReadonlyMap<string, string>, english: ReadonlyMap<string, string>, lockText: string | undefined): CatalogSegment[] {
  const previous = parseLock(lockText)
  const states = [...italian].map(([key, value]) => ({key, value, translation: english.get(key) ?? ''}))
  // The lock lags behind a translator's edits until the next extract: bring it up to date.
  const lock = updateLock(previous, states, italian)
  return states.map(({key, value, translation}) => {
    const entry = lock.entries.get(key)
    const state = segmentState(entry, translation, true)
    return state === 'stale' && entry?.was !== undefined ? {key, value, english: translation, state, was: entry.was} : {key, value, english: translation, state}
  })
}

/** Whether a segment has no up-to-date, reviewed translation (the memory has something to offer it). */
export function needsTranslation(segment: Pick<CatalogSegment, 'state'>): boolean {
  return segment.state !== 'translated'
}

/**
 * A catalog's values by key, in order (an absent or unreadable catalog has none).
 *
 * @param root Absolute project root.
 * @param path The catalog's path.
 */
export function readValues(root: string, path: string): Map<string, string> {
  const values = new Map<string, string>()
  const text = readIfExists(resolvePath(root, path))
  if (text === undefined) return values
  const read = readCatalog(text, path)
  if (read.ok) for (const [key, entry] of read.entries) values.set(key, entry.value)
  return values
}
