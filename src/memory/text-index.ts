import type {MemoryPairs} from './memory-pairs.js'
import {stripTags} from './tags.js'

/**
 * A memory indexed for lookups, in a compact form: pairs are numbers, each distinct text
 * (tags stripped) a number, and the words, bigrams and postings of all texts live in a few
 * typed arrays (each text's part between two offsets), not in an object and arrays per
 * text. Lists of pairs are chained through typed arrays too.
 */
export interface TextIndex {
  /** Italian value → its first pair; the others with that value follow through `nextSame`. */
  exact: Map<string, number>
  /** By pair: the next pair with the same Italian value (-1: none). */
  nextSame: Int32Array
  /** By text: its first pair; the others follow through `nextInText`. */
  firstPair: Int32Array
  /** By pair: the next pair with the same text (-1: none). */
  nextInText: Int32Array
  /** How many distinct texts. */
  texts: number
  /** Text `t`'s distinct words, as sorted ids, are `words[wordStart[t]]` to `words[wordStart[t + 1] - 1]`. */
  wordStart: Int32Array
  words: Int32Array
  /**
   * Text `t`'s character bigrams, likewise, each as the number of its kind in `gramIds`
   * (repeats kept, sorted): a memory's texts use a few thousand kinds of bigrams, so they
   * take 16 bits each rather than 32.
   */
  gramStart: Int32Array
  grams: Uint16Array | Uint32Array
  /** A bigram's code (two UTF-16 units) → its number. */
  gramIds: Map<number, number>
  /** Word → id. */
  wordIds: Map<string, number>
  /** The texts holding word `w`, ascending: `postings[postingStart[w]]` to `postings[postingStart[w + 1] - 1]`. */
  postingStart: Int32Array
  postings: Int32Array
  /** Which query last met each text, how many of its rarer words it holds, and how many queries there were. */
  seen?: Int32Array
  hits?: Int32Array
  queries?: number
}

/**
 * Index some pairs of a memory for lookups.
 *
 * @param pairs The memory.
 * @param members The pairs to index, ascending (default: all).
 */
export function buildTextIndex(pairs: MemoryPairs, members?: readonly number[]): TextIndex {
  const count = members ? members.length : pairs.length
  const member = (index: number): number => (members ? (members[index] as number) : index)
  // Texts are numbered as they first come, so the order of candidates is the pairs' order.
  const textOf = new Int32Array(pairs.length)
  const byText = new Map<string, number>()
  const bySource = new Map<string, number>()
  const wordIds = new Map<string, number>()
  const wordStart = new Growing(Int32Array)
  const words = new Growing(Int32Array)
  for (let index = 0; index < count; index++) {
    const at = member(index)
    const source = pairs.sources[at] ?? ''
    let text = bySource.get(source)
    if (text === undefined) {
      const stripped = stripTags(source)
      text = byText.get(stripped)
      if (text === undefined) {
        text = byText.size
        byText.set(stripped, text)
        wordStart.push(words.length)
        const ids: number[] = []
        for (const word of new Set(wordsOf(stripped))) {
          let id = wordIds.get(word)
          if (id === undefined) wordIds.set(word, (id = wordIds.size))
          ids.push(id)
        }
        for (const id of ids.sort((a, b) => a - b)) words.push(id)
      }
      bySource.set(source, text)
    }
    textOf[at] = text
  }
  const texts = byText.size
  wordStart.push(words.length)
  // The bigrams, the largest part, are numbered, then go straight into an array of their
  // exact size and width.
  const gramStart = new Int32Array(texts + 1)
  const gramIds = new Map<number, number>()
  let total = 0
  let text = 0
  for (const stripped of byText.keys()) {
    for (let at = 0; at + 1 < stripped.length; at++) {
      const code = stripped.charCodeAt(at) * 65536 + stripped.charCodeAt(at + 1)
      if (!gramIds.has(code)) gramIds.set(code, gramIds.size)
    }
    total += Math.max(0, stripped.length - 1)
    gramStart[++text] = total
  }
  const grams = gramIds.size <= 65536 ? new Uint16Array(total) : new Uint32Array(total)
  text = 0
  for (const stripped of byText.keys()) {
    const start = gramStart[text++] as number
    for (let at = 0; at + 1 < stripped.length; at++) grams[start + at] = gramIds.get(stripped.charCodeAt(at) * 65536 + stripped.charCodeAt(at + 1)) as number
    grams.subarray(start, start + stripped.length - 1).sort()
  }
  // Chained from the last pair back, so each chain runs in the pairs' order.
  const exact = new Map<string, number>()
  const nextSame = new Int32Array(pairs.length).fill(-1)
  const firstPair = new Int32Array(texts).fill(-1)
  const nextInText = new Int32Array(pairs.length).fill(-1)
  for (let index = count - 1; index >= 0; index--) {
    const at = member(index)
    const source = pairs.sources[at] ?? ''
    nextSame[at] = exact.get(source) ?? -1
    exact.set(source, at)
    const text = textOf[at] as number
    nextInText[at] = firstPair[text] as number
    firstPair[text] = at
  }
  const wordArray = words.done()
  const wordStarts = wordStart.done()
  return {exact, nextSame, firstPair, nextInText, texts, wordStart: wordStarts, words: wordArray, gramStart, grams, gramIds, wordIds, ...postingsOf(wordStarts, wordArray, texts, wordIds.size)}
}

/** Each word's texts, ascending, as one list with offsets (counted, then filled). */
function postingsOf(wordStart: Int32Array, words: Int32Array, texts: number, wordCount: number): {postingStart: Int32Array; postings: Int32Array} {
  const postingStart = new Int32Array(wordCount + 1)
  for (const id of words) postingStart[id + 1] = (postingStart[id + 1] as number) + 1
  for (let id = 0; id < wordCount; id++) postingStart[id + 1] = (postingStart[id + 1] as number) + (postingStart[id] as number)
  const postings = new Int32Array(words.length)
  const filled = postingStart.slice(0, wordCount)
  for (let text = 0; text < texts; text++) {
    for (let at = wordStart[text] as number; at < (wordStart[text + 1] as number); at++) {
      const id = words[at] as number
      postings[filled[id] as number] = text
      filled[id] = (filled[id] as number) + 1
    }
  }
  return {postingStart, postings}
}

/**
 * Texts that share enough of the words of `text`, and of their own: a match at 75% of
 * character bigrams shares most words (60% of them are asked for; less for a lower
 * score). Such a text holds one of the query's rarer words (prefix filtering), so only
 * those words' postings are walked.
 *
 * @param index The index.
 * @param text The query, tags stripped.
 * @param minScore The lowest score.
 */
export function candidates(index: TextIndex, text: string, minScore: number): number[] {
  const words = [...new Set(wordsOf(text))]
  if (words.length === 0) return []
  const share = Math.max(0.1, minScore / 100 - 0.15)
  const needed = Math.ceil(words.length * share)
  const lists = words.map((word): [number, number] => {
    const id = index.wordIds.get(word)
    return id === undefined ? [0, 0] : [index.postingStart[id] as number, index.postingStart[id + 1] as number]
  })
  const ids = Int32Array.from(words.map((word) => index.wordIds.get(word) ?? -1).filter((id) => id !== -1)).sort()
  lists.sort((a, b) => a[1] - a[0] - (b[1] - b[0]))
  // Texts already met in this query are marked with its number, their hits counted in a
  // typed array (no set or map to allocate per query).
  const seen = (index.seen ??= new Int32Array(index.texts))
  const hits = (index.hits ??= new Int32Array(index.texts))
  const query = (index.queries = (index.queries ?? 0) + 1)
  const touched: number[] = []
  for (const [start, end] of lists.slice(0, words.length - needed + 1)) {
    for (let posting = start; posting < end; posting++) {
      const at = index.postings[posting] as number
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
    const start = index.wordStart[at] as number
    const length = (index.wordStart[at + 1] as number) - start
    if (length * share > words.length) continue
    const common = shared(ids, index.words, start, start + length)
    if (common >= needed && common >= share * length) chosen.push(at)
  }
  return chosen
}

/** Most texts weighed for one query. */
const maxCandidates = 500

/**
 * How many items a sorted list shares with a sorted part of another, repeats counted (the
 * multiset intersection): word ids, or bigrams.
 *
 * @param a The first list.
 * @param b The list the second is part of.
 * @param from Where the part starts in `b`.
 * @param to Where it ends (excluded).
 */
export function shared(a: Int32Array | Uint32Array, b: Int32Array | Uint32Array | Uint16Array, from: number, to: number): number {
  let count = 0
  for (let i = 0, j = from; i < a.length && j < to; ) {
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

function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? []
}

/**
 * A query's character bigrams as an index numbers them, sorted (a bigram no text of the
 * index has is left out: it matches nothing), and how many it has in all (what its score
 * is divided by).
 *
 * @param index The index.
 * @param text The query, tags stripped.
 */
export function queryBigrams(index: TextIndex, text: string): {ids: Uint32Array; count: number} {
  const ids: number[] = []
  for (let at = 0; at + 1 < text.length; at++) {
    const id = index.gramIds.get(text.charCodeAt(at) * 65536 + text.charCodeAt(at + 1))
    if (id !== undefined) ids.push(id)
  }
  return {ids: Uint32Array.from(ids).sort(), count: Math.max(0, text.length - 1)}
}

/** A typed array that grows as numbers are pushed (doubling), trimmed when done. */
class Growing<T extends Int32Array | Uint32Array> {
  length = 0
  private array: T
  private readonly make: new (length: number) => T
  constructor(make: new (length: number) => T) {
    this.make = make
    this.array = new make(1024)
  }
  push(value: number): void {
    if (this.length === this.array.length) {
      const larger = new this.make(this.array.length * 2)
      larger.set(this.array)
      this.array = larger
    }
    this.array[this.length++] = value
  }
  done(): T {
    return this.array.slice(0, this.length) as T
  }
}
