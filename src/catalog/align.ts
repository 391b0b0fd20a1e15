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
 * takes the key of the most similar unclaimed entry between its unchanged neighbours;
 * a text that comes back takes its archived key; anything else gets a content key.
 *
 * @param segments The post's segments in document order.
 * @param previous The previous Italian catalog, in order (empty on first extraction).
 * @param archived Archived keys by fingerprint of their Italian value.
 */
export function alignKeys(segments: readonly Segment[], previous: readonly PreviousEntry[], archived: ReadonlyMap<string, string> = new Map()): Alignment {
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

  // 2. Unchanged text keeps its key, wherever it moved; repeats pair up in order.
  const byValue = new Map<string, number[]>()
  previous.forEach((entry, index) => {
    if (claimed.has(index) || entry.key.startsWith('fm-')) return
    const list = byValue.get(entry.value)
    if (list) list.push(index)
    else byValue.set(entry.value, [index])
  })
  segments.forEach((segment, index) => {
    if (keys[index] !== undefined) return
    const list = byValue.get(segment.value)
    const old = list?.find((candidate) => kindOf(previous[candidate]?.key) === prefixOf(segment) && !claimed.has(candidate))
    if (old === undefined) return
    claimed.add(old)
    keys[index] = previous[old]?.key
    origins[index] = 'same'
    oldIndexOf[index] = old
  })

  // 3. Edited text takes the most similar unclaimed entry between its unchanged neighbours.
  const unclaimed = previous.length - claimed.size
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
    const best = mostSimilar(segment, previous, claimed, low, high, 0.5) ?? mostSimilar(segment, previous, claimed, -1, previous.length, 0.8)
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
    const restored = archived.get(fingerprint(segment.value))
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

function mostSimilar(segment: Segment, previous: readonly PreviousEntry[], claimed: ReadonlySet<number>, low: number, high: number, threshold: number): number | undefined {
  let best: number | undefined
  let bestScore = threshold
  const kind = prefixOf(segment)
  let grams: Map<string, number> | undefined
  for (let index = low + 1; index < high; index++) {
    const entry = previous[index]
    if (!entry || claimed.has(index) || kindOf(entry.key) !== kind) continue
    grams ??= bigrams(segment.value)
    const score = dice(grams, bigrams(entry.value))
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

function bigrams(value: string): Map<string, number> {
  const text = value.replace(/<[^>]*>|\{\{[^}]*\}\}/g, ' ').toLowerCase().replace(/\s+/g, ' ').trim()
  const grams = new Map<string, number>()
  for (let index = 0; index < text.length - 1; index++) {
    const gram = text.slice(index, index + 2)
    grams.set(gram, (grams.get(gram) ?? 0) + 1)
  }
  return grams
}

function dice(a: Map<string, number>, b: Map<string, number>): number {
  let total = 0
  let shared = 0
  for (const count of a.values()) total += count
  for (const count of b.values()) total += count
  if (total === 0) return 0
  for (const [gram, count] of a) shared += Math.min(count, b.get(gram) ?? 0)
  return (2 * shared) / total
}

const segmentPrefixes: Readonly<Record<Segment['kind'], string>> = {heading: 'h', paragraph: 'p', 'header-cell': 'th', cell: 'td', title: 't', field: 'fm'}

function prefixOf(segment: Segment): string {
  return segmentPrefixes[segment.kind]
}

function kindOf(key: string | undefined): string {
  return key?.split('-')[0] ?? ''
}
