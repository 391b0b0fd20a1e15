/** One Italian→English pair of the translation memory, and where it comes from. */
export interface MemoryPair {
  /** The Italian value (tags included). */
  source: string
  /** Its English. */
  target: string
  /** The post it was translated in (path under content/<source>), or the imported TMX file. */
  from: string
  /** Its key in that post (absent for an imported memory). */
  key?: string
  /** Whether it comes from the post's `_old.json` archive (its Italian was deleted). */
  archived?: boolean
}

/**
 * The pairs of a memory, held compactly: one slot per pair in a few parallel arrays (no
 * object per pair), the origins (posts, imported files) numbered. At 10,000 posts a
 * memory has hundreds of thousands of pairs; as objects they would cost more than their
 * texts.
 */
export interface MemoryPairs {
  /** How many pairs. */
  length: number
  /** The Italian of each pair. */
  sources: string[]
  /** Its English. */
  targets: string[]
  /** Its key in its post (`''`: an imported pair, which has none). */
  keys: string[]
  /** Its origin's number in `origins`, times two, plus one when it is archived. */
  places: number[]
  /** The posts (paths under content/<source>) and imported files the pairs come from. */
  origins: string[]
}

/** Builds a `MemoryPairs`, numbering origins as they come. */
export interface PairsBuilder {
  pairs: MemoryPairs
  /**
   * Add a pair.
   *
   * @param source The Italian.
   * @param target The English.
   * @param from Its post or imported file.
   * @param key Its key (`''`: none).
   * @param archived Whether it comes from the post's archive.
   */
  add: (source: string, target: string, from: string, key: string, archived: boolean) => void
}

/** An empty memory, to be filled pair by pair. */
export function pairsBuilder(): PairsBuilder {
  const pairs: MemoryPairs = {length: 0, sources: [], targets: [], keys: [], places: [], origins: []}
  const numbers = new Map<string, number>()
  return {
    pairs,
    add(source, target, from, key, archived) {
      let origin = numbers.get(from)
      if (origin === undefined) {
        origin = pairs.origins.length
        numbers.set(from, origin)
        pairs.origins.push(from)
      }
      pairs.sources.push(source)
      pairs.targets.push(target)
      pairs.keys.push(key)
      pairs.places.push(origin * 2 + (archived ? 1 : 0))
      pairs.length++
    }
  }
}

/**
 * A memory held compactly, from pairs as objects (tests, small memories).
 *
 * @param list The pairs, in order.
 */
export function pairsOf(list: readonly MemoryPair[]): MemoryPairs {
  const builder = pairsBuilder()
  for (const pair of list) builder.add(pair.source, pair.target, pair.from, pair.key ?? '', pair.archived === true)
  return builder.pairs
}

/**
 * Where a pair comes from: its post or imported file.
 *
 * @param pairs The memory.
 * @param at The pair's index.
 */
export function pairFrom(pairs: MemoryPairs, at: number): string {
  return pairs.origins[(pairs.places[at] ?? 0) >> 1] ?? ''
}

/**
 * Whether a pair comes from its post's archive.
 *
 * @param pairs The memory.
 * @param at The pair's index.
 */
export function pairArchived(pairs: MemoryPairs, at: number): boolean {
  return ((pairs.places[at] ?? 0) & 1) === 1
}

/**
 * One pair as an object (for a suggestion, an export).
 *
 * @param pairs The memory.
 * @param at The pair's index.
 */
export function pairAt(pairs: MemoryPairs, at: number): MemoryPair {
  const pair: MemoryPair = {source: pairs.sources[at] ?? '', target: pairs.targets[at] ?? '', from: pairFrom(pairs, at)}
  const key = pairs.keys[at]
  if (key) pair.key = key
  if (pairArchived(pairs, at)) pair.archived = true
  return pair
}
