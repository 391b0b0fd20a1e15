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

/** A translation memory indexed for lookups: exact by Italian value, fuzzy by words. */
export interface MemoryIndex {
  pairs: readonly MemoryPair[]
  exact: Map<string, number[]>
  /** Distinct stripped texts, the pairs of each, and their bigrams (computed when first compared). */
  texts: Array<{text: string; pairs: number[]; grams?: Map<string, number>}>
  /** Word → indexes into `texts`. */
  words: Map<string, number[]>
}

/** Default lowest fuzzy score. */
export const defaultMinScore = 75

/**
 * Index a memory for lookups.
 *
 * @param pairs Every pair (`readMemory`).
 */
export function indexMemory(pairs: readonly MemoryPair[]): MemoryIndex {
  const exact = new Map<string, number[]>()
  const textAt = new Map<string, number>()
  const texts: MemoryIndex['texts'] = []
  const words = new Map<string, number[]>()
  pairs.forEach((pair, index) => {
    const list = exact.get(pair.source)
    if (list) list.push(index)
    else exact.set(pair.source, [index])
    const text = stripTags(pair.source)
    let at = textAt.get(text)
    if (at === undefined) {
      at = texts.length
      textAt.set(text, at)
      texts.push({text, pairs: []})
      for (const word of new Set(wordsOf(text))) {
        const postings = words.get(word)
        if (postings) postings.push(at)
        else words.set(word, [at])
      }
    }
    texts[at]?.pairs.push(index)
  })
  return {pairs, exact, texts, words}
}

/**
 * The suggestions for one Italian value, best first: exact matches, then fuzzy ones at or
 * above the lowest score; one per distinct English.
 *
 * @param index The indexed memory.
 * @param value The segment's Italian value.
 * @param options Lowest score, limit, the segment's own place.
 */
export function lookup(index: MemoryIndex, value: string, options: LookupOptions = {}): Suggestion[] {
  const minScore = options.minScore ?? defaultMinScore
  const limit = options.limit ?? 5
  const found: Suggestion[] = []
  const isSelf = (pair: MemoryPair): boolean => options.self !== undefined && pair.from === options.self.from && pair.key === options.self.key && !pair.archived
  for (const at of index.exact.get(value) ?? []) {
    const pair = index.pairs[at]
    if (pair && !isSelf(pair)) found.push(suggestion(pair, 'exact', 100, pair.target, true))
  }
  const text = stripTags(value)
  const grams = bigrams(text)
  const total = count(grams)
  for (const at of candidates(index, text)) {
    const entry = index.texts[at]
    if (!entry) continue
    entry.grams ??= bigrams(entry.text)
    const other = count(entry.grams)
    // Dice can reach at most 2·min/sum: skip what cannot reach the lowest score.
    if ((200 * Math.min(total, other)) / (total + other || 1) < minScore) continue
    const score = Math.floor(100 * dice(grams, total, entry.grams, other))
    if (score < minScore) continue
    for (const pairAt of entry.pairs) {
      const pair = index.pairs[pairAt]
      if (!pair || pair.source === value || isSelf(pair)) continue
      const mapped = mapTags(pair.target, pair.source, value)
      // Same text, other tags: as close as can be, yet not exact.
      found.push(suggestion(pair, 'fuzzy', Math.min(score, 99), mapped ?? pair.target, mapped !== undefined))
    }
  }
  found.sort((a, b) => b.score - a.score || Number(b.tagsAgree) - Number(a.tagsAgree) || compare(a.from, b.from) || compare(a.key ?? '', b.key ?? '') || compare(a.target, b.target))
  const seen = new Set<string>()
  const best: Suggestion[] = []
  for (const item of found) {
    if (seen.has(item.target)) continue
    seen.add(item.target)
    best.push(item)
    if (best.length === limit) break
  }
  return best
}

/** Texts that share enough words with `text` to be worth comparing (very common words are left out when rarer ones are there). */
function candidates(index: MemoryIndex, text: string): number[] {
  const unique = [...new Set(wordsOf(text))]
  if (unique.length === 0) return []
  const lists = unique.map((word) => index.words.get(word) ?? []).sort((a, b) => a.length - b.length)
  // A fuzzy match at 75% shares most words: it must have at least one of the rarer half.
  const rare = lists.slice(0, Math.max(1, Math.ceil(lists.length / 2)))
  const hits = new Map<number, number>()
  for (const list of rare) for (const at of list) hits.set(at, (hits.get(at) ?? 0) + 1)
  const needed = Math.max(1, Math.floor(rare.length / 3))
  const chosen: number[] = []
  for (const [at, count] of hits) if (count >= needed) chosen.push(at)
  return chosen
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

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (let index = 0; index < text.length - 1; index++) {
    const gram = text.slice(index, index + 2)
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return counts
}

function count(grams: Map<string, number>): number {
  let total = 0
  for (const value of grams.values()) total += value
  return total
}

function dice(a: Map<string, number>, totalA: number, b: Map<string, number>, totalB: number): number {
  if (totalA + totalB === 0) return 0
  let shared = 0
  for (const [gram, count] of a) shared += Math.min(count, b.get(gram) ?? 0)
  return (2 * shared) / (totalA + totalB)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
