import {createHash} from 'node:crypto'
import type {MemoryPair} from './read-memory.js'
import {mapTags, stripTags} from './tags.js'

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

/** A distinct Italian text of the memory (tags stripped), with what fuzzy matching needs. */
interface MemoryText {
  /** Indexes of the pairs with this text. */
  pairs: number[]
  /** Its distinct words, as sorted ids. */
  words: Int32Array
  /** Its character bigrams, as sorted codes (repeats kept). */
  grams: Uint32Array
}

/** A translation memory indexed for lookups: exact by Italian value, fuzzy by words then bigrams. */
export interface MemoryIndex {
  pairs: readonly MemoryPair[]
  /** Lookups made in this run, by lowest score, then value (posts repeat themselves; the value is the segment's own string, not a copy). */
  made: Map<number, Map<string, Match[]>>
  /** Lookups of the last run over this same memory, by `lookupId` (the cache keeps them between runs). */
  kept?: Map<string, Match[]>
  /** The index itself, built on the first lookup that is not already made. */
  built?: BuiltIndex
  /**
   * Lookups of an earlier memory that lost none of their pairs, and the pairs new since
   * (indexes into `pairs`): such a lookup is completed by searching the new pairs only.
   */
  earlier?: {made: Map<string, Match[]>; added: number[]; built?: BuiltIndex}
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

interface BuiltIndex {
  exact: Map<string, number[]>
  texts: MemoryText[]
  /** Word → id; the id indexes `postings`. */
  wordIds: Map<string, number>
  /** Texts holding each word. */
  postings: number[][]
  /** Which query last met each text, how many of its rarer words it holds, and how many queries there were. */
  seen?: Int32Array
  hits?: Int32Array
  queries?: number
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
 * @param pairs Every pair (`readMemory`).
 */
export function indexMemory(pairs: readonly MemoryPair[]): MemoryIndex {
  return {pairs, made: new Map()}
}

function build(pairs: readonly MemoryPair[]): BuiltIndex {
  const exact = new Map<string, number[]>()
  const textAt = new Map<string, number>()
  const texts: MemoryText[] = []
  const wordIds = new Map<string, number>()
  const postings: number[][] = []
  pairs.forEach((pair, index) => {
    const list = exact.get(pair.source)
    if (list) list.push(index)
    else exact.set(pair.source, [index])
    const text = stripTags(pair.source)
    let at = textAt.get(text)
    if (at === undefined) {
      at = texts.length
      textAt.set(text, at)
      const ids: number[] = []
      for (const word of new Set(wordsOf(text))) {
        let id = wordIds.get(word)
        if (id === undefined) {
          id = postings.length
          wordIds.set(word, id)
          postings.push([])
        }
        postings[id]?.push(at)
        ids.push(id)
      }
      texts.push({pairs: [], words: Int32Array.from(ids).sort(), grams: bigrams(text)})
    }
    texts[at]?.pairs.push(index)
  })
  return {exact, texts, wordIds, postings}
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
  let made = index.made.get(minScore)
  if (!made) index.made.set(minScore, (made = new Map()))
  let found = limit < kept ? made.get(value) : undefined
  const id = limit < kept && !found && (index.kept || index.earlier) ? lookupId(minScore, value) : undefined
  if (id !== undefined && index.kept) {
    found = index.kept.get(id)
    if (found) made.set(value, found)
  }
  const earlier = id !== undefined && !found ? index.earlier?.made.get(id) : undefined
  if (!found && earlier && index.earlier) {
    // Only the pairs added since can add matches: search them, and merge.
    const {added} = index.earlier
    const subset = added.map((at) => index.pairs[at] as MemoryPair)
    index.earlier.built ??= build(subset)
    const fresh = search(subset, index.earlier.built, value, minScore).map(([at, ...rest]): Match => [added[at] as number, ...rest])
    found = order(index.pairs, [...earlier, ...fresh])
    // An exact match makes the fuzzy ones moot, as in a whole search.
    if (found[0]?.[1] === 100) found = found.filter((match) => match[1] === 100)
    made.set(value, (found = found.slice(0, kept)))
  }
  if (!found) {
    index.built ??= build(index.pairs)
    found = search(index.pairs, index.built, value, minScore)
    if (limit < kept) made.set(value, (found = found.slice(0, kept)))
  }
  const {self} = options
  const best: Suggestion[] = []
  const seen = new Set<string>()
  for (const [at, score, mapped, agree] of found) {
    const pair = index.pairs[at]
    if (!pair || (self && pair.from === self.from && pair.key === self.key && !pair.archived)) continue
    const target = mapped === 0 ? pair.target : mapped
    if (seen.has(target)) continue
    seen.add(target)
    best.push(suggestion(pair, score === 100 ? 'exact' : 'fuzzy', score, target, agree === 1))
    if (best.length === limit) break
  }
  return best
}

/** Every match of a value, best first (the segment's own pair among them). */
function search(pairs: readonly MemoryPair[], index: BuiltIndex, value: string, minScore: number): Match[] {
  const found: Match[] = []
  for (const at of index.exact.get(value) ?? []) found.push([at, 100, 0, 1])
  // An exact match is the answer: a translator does not weigh it against similar text.
  // (A segment looked up has no reviewed translation of its current Italian, so its own
  // pair is never among them.)
  if (found.length === 0) {
    const text = stripTags(value)
    const grams = bigrams(text)
    for (const at of candidates(index, text, minScore)) {
      const entry = index.texts[at]
      if (!entry) continue
      // Dice can reach at most 2·min/sum: skip what cannot reach the lowest score.
      const total = grams.length + entry.grams.length
      if ((200 * Math.min(grams.length, entry.grams.length)) / (total || 1) < minScore) continue
      const score = Math.floor((200 * shared(grams, entry.grams)) / (total || 1))
      if (score < minScore) continue
      for (const pairAt of entry.pairs) {
        const pair = pairs[pairAt]
        if (!pair || pair.source === value) continue
        const mapped = mapTags(pair.target, pair.source, value)
        // Same text, other tags: as close as can be, yet not exact.
        found.push([pairAt, Math.min(score, 99), mapped === undefined || mapped === pair.target ? 0 : mapped, mapped === undefined ? 0 : 1])
      }
    }
  }
  return order(pairs, found)
}

/** Matches best first: score, agreeing tags, then origin and English (so the order is the same on every run). */
function order(pairs: readonly MemoryPair[], found: Match[]): Match[] {
  const text = (match: Match): string => (match[2] === 0 ? (pairs[match[0]]?.target ?? '') : match[2])
  return found.sort((a, b) => b[1] - a[1] || b[3] - a[3] || compare(pairs[a[0]]?.from ?? '', pairs[b[0]]?.from ?? '') || compare(pairs[a[0]]?.key ?? '', pairs[b[0]]?.key ?? '') || compare(text(a), text(b)))
}

/**
 * Texts that share enough of the words of `text`, and of their own: a match at 75% of
 * character bigrams shares most words (60% of them are asked for; less for a lower
 * score). Such a text holds one of the query's rarer words (prefix filtering), so only
 * those words' postings are walked.
 */
function candidates(index: BuiltIndex, text: string, minScore: number): number[] {
  const words = [...new Set(wordsOf(text))]
  if (words.length === 0) return []
  const share = Math.max(0.1, minScore / 100 - 0.15)
  const needed = Math.ceil(words.length * share)
  const lists = words.map((word) => {
    const id = index.wordIds.get(word)
    return id === undefined ? [] : (index.postings[id] ?? [])
  })
  const ids = Int32Array.from(words.map((word) => index.wordIds.get(word) ?? -1).filter((id) => id !== -1)).sort()
  lists.sort((a, b) => a.length - b.length)
  // Texts already met in this query are marked with its number, their hits counted in a
  // typed array (no set or map to allocate per query).
  const seen = (index.seen ??= new Int32Array(index.texts.length))
  const hits = (index.hits ??= new Int32Array(index.texts.length))
  const query = (index.queries = (index.queries ?? 0) + 1)
  const touched: number[] = []
  for (const list of lists.slice(0, words.length - needed + 1)) {
    for (const at of list) {
      if (seen[at] !== query) {
        seen[at] = query
        hits[at] = 0
        touched.push(at)
      }
      hits[at] = (hits[at] ?? 0) + 1
    }
  }
  // In a memory where everything resembles everything, weigh only the texts that hold the
  // most of the rarer words.
  if (touched.length > maxCandidates) touched.sort((a, b) => (hits[b] ?? 0) - (hits[a] ?? 0) || a - b).length = maxCandidates
  const chosen: number[] = []
  for (const at of touched) {
    const other = index.texts[at]?.words
    if (!other || other.length * share > words.length) continue
    const common = shared(ids, other)
    if (common >= needed && common >= share * other.length) chosen.push(at)
  }
  return chosen
}

/** Most texts weighed for one query. */
const maxCandidates = 500

/** How many items two sorted lists share, repeats counted (the multiset intersection): word ids, or bigrams. */
function shared(a: Int32Array | Uint32Array, b: Int32Array | Uint32Array): number {
  let count = 0
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i] as number
    const y = b[j] as number
    if (x === y) {
      count++
      i++
      j++
    } else if (x < y) i++
    else j++
  }
  return count
}

function suggestion(pair: MemoryPair, kind: Suggestion['kind'], score: number, target: string, tagsAgree: boolean): Suggestion {
  const made: Suggestion = {kind, score, source: pair.source, target, tagsAgree, from: pair.from}
  if (pair.key !== undefined) made.key = pair.key
  if (pair.archived) made.archived = true
  return made
}

function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? []
}

/** A text's character bigrams as sorted codes (UTF-16 units: two per code). */
function bigrams(text: string): Uint32Array {
  const codes = new Uint32Array(Math.max(0, text.length - 1))
  for (let index = 0; index < codes.length; index++) codes[index] = text.charCodeAt(index) * 65536 + text.charCodeAt(index + 1)
  return codes.sort()
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
