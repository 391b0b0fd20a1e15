import type {Segment} from '../segment/segment.js'
import {contentKeys, fingerprint, uniqueKey} from './keys.js'

/** How a segment got its key. */
export type KeyOrigin = 'same' | 'edited' | 'restored' | 'new'

/** A previous catalog entry: its key and Italian value, in document order. */
export interface PreviousEntry {
  key: string
  value: string
}

/** The keys assigned to a post's segments. */
export interface Alignment {
  keys: string[]
  origins: KeyOrigin[]
  /** For edited segments: the previous Italian value, by segment index. */
  previous: Map<number, string>
  /** Previous keys no segment took (their text was deleted). */
  removed: PreviousEntry[]
}

/**
 * Give each segment a key that survives edits elsewhere: a segment whose Italian is
 * unchanged keeps its key wherever it moved (repeats pair up in order); an edited one
 * takes the key of the most similar unclaimed entry between its unchanged neighbours, and
 * only there (text matched across the document is a suggestion, not a key); a text that
 * comes back takes its archived key; anything else gets a content key.
 *
 * @param segments The post's segments in document order.
 * @param previous The previous Italian catalog, in order (empty on first extraction).
 * @param archived Archived keys by fingerprint of their Italian value.
 */
export function alignKeys(segments: readonly Segment[], previous: readonly PreviousEntry[], archived: ReadonlyMap<string, string> = new Map()): Alignment {
  // Nothing changed since the catalog was written (every build after an extract): each
  // segment keeps the key at its place, which is what the steps below would find.
  if (unchanged(segments, previous)) return {keys: previous.map((entry) => entry.key), origins: segments.map(() => 'same'), previous: new Map(), removed: []}
  const keys: (string | undefined)[] = segments.map(() => undefined)
  const origins: KeyOrigin[] = segments.map(() => 'new')
  const previousValue = new Map<number, string>()
  const claimed = new Set<number>()
  const oldIndexOf: (number | undefined)[] = segments.map(() => undefined)

  // 1. Front matter fields are keyed by name.
  segments.forEach((segment, index) => {
    if (segment.kind !== 'field') return
    const key = `fm-${segment.field ?? ''}`
    keys[index] = key
    const old = previous.findIndex((entry) => entry.key === key)
    if (old !== -1) {
      claimed.add(old)
      oldIndexOf[index] = old
      if (previous[old]?.value !== segment.value) {
        origins[index] = 'edited'
        previousValue.set(index, previous[old]?.value ?? '')
      } else origins[index] = 'same'
    }
  })

  // 2. Unchanged text keeps its key, wherever it moved; repeats pair up in order (each
  // list of same-kind, same-text entries is taken from the front: linear however many repeats).
  const byValue = new Map<string, {entries: number[]; next: number}>()
  const sameText = (kind: string, value: string): string => `${kind}\u0000${value}`
  previous.forEach((entry, index) => {
    if (claimed.has(index) || entry.key.startsWith('fm-')) return
    const at = sameText(kindOf(entry.key), entry.value)
    const list = byValue.get(at)
    if (list) list.entries.push(index)
    else byValue.set(at, {entries: [index], next: 0})
  })
  segments.forEach((segment, index) => {
    if (keys[index] !== undefined) return
    const list = byValue.get(sameText(prefixOf(segment), segment.value))
    const old = list?.entries[list.next]
    if (list === undefined || old === undefined) return
    list.next++
    claimed.add(old)
    keys[index] = previous[old]?.key
    origins[index] = 'same'
    oldIndexOf[index] = old
  })

  // 3. Edited text takes the most similar unclaimed entry between its unchanged neighbours.
  const unclaimed = previous.length - claimed.size
  const gramsOf = bigramCache(previous)
  segments.forEach((segment, index) => {
    if (keys[index] !== undefined || unclaimed === 0) return
    let low = -1
    for (let before = index - 1; before >= 0; before--) {
      const old = oldIndexOf[before]
      if (old !== undefined) {
        low = old
        break
      }
    }
    let high = previous.length
    for (let after = index + 1; after < segments.length; after++) {
      const old = oldIndexOf[after]
      if (old !== undefined) {
        high = old
        break
      }
    }
    // Only between its unchanged neighbours: a block matched across the document is another
    // block's text, so its English is offered as a suggestion (the translation memory reads
    // the archive), never taken as this block's key and shipped as its translation.
    const best = mostSimilar(segment, previous, gramsOf, claimed, low, high, 0.5)
    if (best === undefined) return
    claimed.add(best)
    keys[index] = previous[best]?.key
    origins[index] = 'edited'
    oldIndexOf[index] = best
    previousValue.set(index, previous[best]?.value ?? '')
  })

  // 4. Text that comes back takes its archived key; 5. anything else gets a content key.
  const used = new Set<string>([...keys.filter((key): key is string => key !== undefined), ...previous.map((entry) => entry.key), ...archived.values()])
  const fresh = contentKeys(segments)
  const next = new Map<string, number>()
  const assigned = new Set(keys)
  segments.forEach((segment, index) => {
    if (keys[index] !== undefined) return
    const restored = archived.size > 0 ? archived.get(fingerprint(segment.value)) : undefined
    if (restored !== undefined && !assigned.has(restored)) {
      keys[index] = restored
      assigned.add(restored)
      origins[index] = 'restored'
      return
    }
    keys[index] = uniqueKey(fresh[index] ?? `x-${index}`, used, next)
  })

  const removed = previous.filter((_, index) => !claimed.has(index))
  return {keys: keys.map((key, index) => key ?? `x-${index}`), origins, previous: previousValue, removed}
}

/** Bigrams of previous entries, computed once each and only when compared. */
function bigramCache(previous: readonly PreviousEntry[]): (index: number) => Bigrams {
  const cache: (Bigrams | undefined)[] = new Array(previous.length)
  return (index) => (cache[index] ??= bigrams(previous[index]?.value ?? ''))
}

function unchanged(segments: readonly Segment[], previous: readonly PreviousEntry[]): boolean {
  if (segments.length !== previous.length || segments.length === 0) return false
  const keys = new Set<string>()
  return segments.every((segment, index) => {
    const entry = previous[index] as PreviousEntry
    if (entry.value !== segment.value || keys.has(entry.key)) return false
    keys.add(entry.key)
    return segment.kind === 'field' ? entry.key === `fm-${segment.field ?? ''}` : kindOf(entry.key) === prefixOf(segment) && !entry.key.startsWith('fm-')
  })
}

function mostSimilar(segment: Segment, previous: readonly PreviousEntry[], gramsOf: (index: number) => Bigrams, claimed: ReadonlySet<number>, low: number, high: number, threshold: number): number | undefined {
  let best: number | undefined
  let bestScore = threshold
  const kind = prefixOf(segment)
  let grams: Bigrams | undefined
  for (let index = low + 1; index < high; index++) {
    const entry = previous[index]
    if (!entry || claimed.has(index) || kindOf(entry.key) !== kind) continue
    grams ??= bigrams(segment.value)
    const other = gramsOf(index)
    // Dice can reach at most 2·min/(sum) of the two totals: skip what cannot win.
    if ((2 * Math.min(grams.total, other.total)) / (grams.total + other.total || 1) < bestScore) continue
    const score = dice(grams, other)
    if (score >= bestScore) {
      bestScore = score
      best = index
    }
  }
  return best
}

/**
 * Similarity of two texts from 0 to 1 (Sørensen–Dice on character bigrams, tags ignored).
 *
 * @param a A catalog value.
 * @param b Another one.
 */
export function similarity(a: string, b: string): number {
  return dice(bigrams(a), bigrams(b))
}

/** A text's character bigrams with their counts, and how many there are in all. */
interface Bigrams {
  counts: Map<string, number>
  total: number
}

function bigrams(value: string): Bigrams {
  const text = value.replace(/<[^>]*>|\{\{[^}]*\}\}/g, ' ').toLowerCase().replace(/\s+/g, ' ').trim()
  const counts = new Map<string, number>()
  for (let index = 0; index < text.length - 1; index++) {
    const gram = text.slice(index, index + 2)
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return {counts, total: Math.max(0, text.length - 1)}
}

function dice(a: Bigrams, b: Bigrams): number {
  const total = a.total + b.total
  if (total === 0) return 0
  let shared = 0
  for (const [gram, count] of a.counts) shared += Math.min(count, b.counts.get(gram) ?? 0)
  return (2 * shared) / total
}

const segmentPrefixes: Readonly<Record<Segment['kind'], string>> = {heading: 'h', paragraph: 'p', 'header-cell': 'th', cell: 'td', title: 't', field: 'fm'}

function prefixOf(segment: Segment): string {
  return segmentPrefixes[segment.kind]
}

function kindOf(key: string | undefined): string {
  return key?.split('-')[0] ?? ''
}
