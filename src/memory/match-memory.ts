import {createHash} from 'node:crypto'
import {pairArchived, pairAt, pairFrom, pairsOf, type MemoryPair, type MemoryPairs} from './memory-pairs.js'
import {mapTags, stripTags} from './tags.js'
import {buildTextIndex, candidates, queryBigrams, shared, type TextIndex} from './text-index.js'

/** One suggestion for a segment, from the translation memory. */
export interface Suggestion {
  /** `exact`: the same Italian, tags included; `fuzzy`: similar text (tags stripped). */
  kind: 'exact' | 'fuzzy'
  /** Similarity 0–100 of the texts with tags stripped (100 for an exact match). */
  score: number
  /** The match's Italian. */
  source: string
  /** Its English, with its tags renamed to the segment's own where the tags agree. */
  target: string
  /** Whether the match's tags map onto the segment's (only then can it be applied as it is). */
  tagsAgree: boolean
  /** Where it comes from: post (or imported file), key, and whether archived. */
  from: string
  key?: string
  archived?: boolean
}

/** Options of a memory lookup. */
export interface LookupOptions {
  /** Lowest fuzzy score shown, 0–100 (default 75). */
  minScore?: number
  /** Most suggestions per segment (default 5). */
  limit?: number
  /** The segment's own place, never suggested to itself. */
  self?: {from: string; key: string}
}

/** Lookups kept from an earlier run, by `lookupId` (read from the cache as they are asked for). */
export interface KeptLookups {
  get: (id: string) => Match[] | undefined
}

/** A translation memory indexed for lookups: exact by Italian value, fuzzy by words then bigrams. */
export interface MemoryIndex {
  pairs: MemoryPairs
  /**
   * Lookups made in this run, by lowest score, then value (posts repeat themselves; the
   * value is the segment's own string, not a copy), as JSON: a string costs a fifth of
   * the arrays, and a run over 10,000 posts makes tens of thousands of lookups.
   */
  made: Map<number, Map<string, string>>
  /** Lookups of the last run over this same memory (the cache keeps them between runs). */
  kept?: KeptLookups
  /** The index itself, built on the first lookup that is not already made. */
  built?: TextIndex
  /**
   * Lookups of an earlier memory that lost none of their pairs, and the pairs new since
   * (ascending indexes into `pairs`): such a lookup is completed by searching the new pairs only.
   */
  earlier?: {made: KeptLookups; added: number[]; built?: TextIndex}
}

/**
 * A lookup's short name in the cache: a hash of its lowest score and value.
 *
 * @param minScore The lowest score.
 * @param value The Italian value.
 */
export function lookupId(minScore: number, value: string): string {
  return createHash('sha1').update(`${minScore}\u0000${value}`).digest('base64').slice(0, 16)
}

/** Default lowest fuzzy score. */
export const defaultMinScore = 75

/** Most matches kept per lookup (a larger limit searches again). */
export const kept = 10

/**
 * A match as lookups keep it: the pair's index, the score (100: exact), the English with
 * the segment's tags when it differs from the pair's (`0`: the pair's), and whether the
 * tags agree (1) or not (0). Small, so a run's lookups can be kept in the cache.
 */
export type Match = [number, number, string | 0, 0 | 1]

/**
 * A memory ready for lookups (indexed on the first one that needs it).
 *
 * @param pairs Every pair (`readMemory`), or a few as objects.
 */
export function indexMemory(pairs: MemoryPairs | readonly MemoryPair[]): MemoryIndex {
  return {pairs: isPairList(pairs) ? pairsOf(pairs) : pairs, made: new Map()}
}

function isPairList(pairs: MemoryPairs | readonly MemoryPair[]): pairs is readonly MemoryPair[] {
  return Array.isArray(pairs)
}

/**
 * The suggestions for one Italian value, best first: its exact matches or, when it has
 * none, fuzzy ones at or above the lowest score; one per distinct English. Lookups are
 * remembered in the index, so a text repeated across posts is searched once.
 *
 * @param index The indexed memory.
 * @param value The segment's Italian value.
 * @param options Lowest score, limit, the segment's own place.
 */
export function lookup(index: MemoryIndex, value: string, options: LookupOptions = {}): Suggestion[] {
  const minScore = options.minScore ?? defaultMinScore
  const limit = options.limit ?? 5
  const {pairs} = index
  let made = index.made.get(minScore)
  if (!made) index.made.set(minScore, (made = new Map()))
  const known = limit < kept ? made.get(value) : undefined
  let found = known === undefined ? undefined : (JSON.parse(known) as Match[])
  const id = limit < kept && !found && (index.kept || index.earlier) ? lookupId(minScore, value) : undefined
  // A kept lookup is read again when its value comes back rather than held twice: at
  // 10,000 posts the lookups of a run are tens of MB as arrays.
  if (id !== undefined && index.kept) found = index.kept.get(id)
  const earlier = id !== undefined && !found ? index.earlier?.made.get(id) : undefined
  if (!found && earlier && index.earlier) {
    // Only the pairs added since can add matches: search them, and merge.
    index.earlier.built ??= buildTextIndex(pairs, index.earlier.added)
    found = order(pairs, [...earlier, ...search(pairs, index.earlier.built, value, minScore)])
    // An exact match makes the fuzzy ones moot, as in a whole search.
    if (found[0]?.[1] === 100) found = found.filter((match) => match[1] === 100)
    found = found.slice(0, kept)
    made.set(value, JSON.stringify(found))
  }
  if (!found) {
    index.built ??= buildTextIndex(pairs)
    found = search(pairs, index.built, value, minScore)
    if (limit < kept) made.set(value, JSON.stringify((found = found.slice(0, kept))))
  }
  const {self} = options
  const best: Suggestion[] = []
  const seen = new Set<string>()
  for (const [at, score, mapped, agree] of found) {
    if (at >= pairs.length || (self && pairs.keys[at] === self.key && pairFrom(pairs, at) === self.from && !pairArchived(pairs, at))) continue
    const target = mapped === 0 ? (pairs.targets[at] as string) : mapped
    if (seen.has(target)) continue
    seen.add(target)
    best.push(suggestion(pairAt(pairs, at), score === 100 ? 'exact' : 'fuzzy', score, target, agree === 1))
    if (best.length === limit) break
  }
  return best
}

/** Every match of a value among the pairs an index holds, best first (the segment's own pair among them). */
function search(pairs: MemoryPairs, index: TextIndex, value: string, minScore: number): Match[] {
  const found: Match[] = []
  for (let at = index.exact.get(value) ?? -1; at !== -1; at = index.nextSame[at] as number) found.push([at, 100, 0, 1])
  // An exact match is the answer: a translator does not weigh it against similar text.
  // (A segment looked up has no reviewed translation of its current Italian, so its own
  // pair is never among them.)
  if (found.length === 0) {
    const text = stripTags(value)
    const grams = queryBigrams(index, text)
    for (const candidate of candidates(index, text, minScore)) {
      const start = index.gramStart[candidate] as number
      const end = index.gramStart[candidate + 1] as number
      // Dice can reach at most 2·min/sum: skip what cannot reach the lowest score.
      const total = grams.count + end - start
      if ((200 * Math.min(grams.count, end - start)) / (total || 1) < minScore) continue
      const score = Math.floor((200 * shared(grams.ids, index.grams, start, end)) / (total || 1))
      if (score < minScore) continue
      for (let at = index.firstPair[candidate] as number; at !== -1; at = index.nextInText[at] as number) {
        const source = pairs.sources[at] as string
        const target = pairs.targets[at] as string
        if (source === value) continue
        const mapped = mapTags(target, source, value)
        // Same text, other tags: as close as can be, yet not exact.
        found.push([at, Math.min(score, 99), mapped === undefined || mapped === target ? 0 : mapped, mapped === undefined ? 0 : 1])
      }
    }
  }
  return order(pairs, found)
}

/** Matches best first: score, agreeing tags, then origin and English (so the order is the same on every run). */
function order(pairs: MemoryPairs, found: Match[]): Match[] {
  const text = (match: Match): string => (match[2] === 0 ? (pairs.targets[match[0]] ?? '') : match[2])
  return found.sort((a, b) => b[1] - a[1] || b[3] - a[3] || compare(pairFrom(pairs, a[0]), pairFrom(pairs, b[0])) || compare(pairs.keys[a[0]] ?? '', pairs.keys[b[0]] ?? '') || compare(text(a), text(b)))
}

function suggestion(pair: MemoryPair, kind: Suggestion['kind'], score: number, target: string, tagsAgree: boolean): Suggestion {
  const made: Suggestion = {kind, score, source: pair.source, target, tagsAgree, from: pair.from}
  if (pair.key !== undefined) made.key = pair.key
  if (pair.archived) made.archived = true
  return made
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
