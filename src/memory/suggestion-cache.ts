import {createHash} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readJsonIfValid} from '../io/read-text.js'
import {kept, lookupId, type Match, type MemoryIndex} from './match-memory.js'
import type {MemoryPair} from './read-memory.js'

const version = 3

/** A memory's lookups as the cache keeps them between runs. */
export interface SuggestionCache {
  file: string
  /** Each pair's identity and content, in the memory's order: the cache's matches name pairs by their place here. */
  pairs: string[]
  /** Whether the lookups read are this memory's exactly (then nothing new means nothing to write). */
  same: boolean
}

/**
 * Seed a memory's lookups with those of the last run. When the memory is the same, they are
 * its answers. When it changed, a lookup that is still whole without the pairs that changed
 * or left is kept, to be completed by searching only the pairs added since (`lookup`); the
 * others are searched again.
 *
 * @param cacheDir The cache folder (`undefined`: no cache).
 * @param index The memory, before any lookup.
 */
export function loadSuggestions(cacheDir: string | undefined, index: MemoryIndex): SuggestionCache | undefined {
  if (!cacheDir) return undefined
  const pairs = index.pairs.map(identity)
  const cache: SuggestionCache = {file: join(cacheDir, 'suggestions.json'), pairs, same: false}
  const data = readJsonIfValid(cache.file)
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return cache
  const record = data as Record<string, unknown>
  const made = record['made']
  const before = record['pairs']
  if (record['version'] !== version || !Array.isArray(before) || !before.every((item) => typeof item === 'string') || typeof made !== 'object' || made === null) return cache
  const now = new Map(pairs.map((pair, at) => [pair, at]))
  // Where each pair of the last run is now (-1: it changed or left).
  const moved = (before as string[]).map((pair) => now.get(pair) ?? -1)
  const still = new Set(moved)
  const added = pairs.flatMap((_, at) => (still.has(at) ? [] : [at]))
  cache.same = added.length === 0 && !moved.includes(-1)
  const target = new Map<string, Match[]>()
  for (const [key, list] of Object.entries(made)) {
    if (!Array.isArray(list) || !list.every((item) => isMatch(item, moved.length))) continue
    const matches = (list as Match[]).map(([at, ...rest]): Match => [moved[at] ?? -1, ...rest])
    const left = matches.filter((match) => match[0] !== -1)
    // A lookup that lost a pair is still whole when it kept every match it found (it was
    // not cut at `kept`) and, if it had exact ones, some are left (else fuzzy ones were
    // never looked for): the pair's new version, if any, is among the added ones.
    if (left.length === matches.length || (matches.length < kept && (matches[0]?.[1] !== 100 || left[0]?.[1] === 100))) target.set(key, left)
  }
  if (cache.same) index.kept = target
  else index.earlier = {made: target, added}
  return cache
}

/**
 * Keep a memory's lookups for the next run, when this one made new ones.
 *
 * @param cache What `loadSuggestions` read.
 * @param index The memory, after its lookups.
 */
export async function saveSuggestions(cache: SuggestionCache | undefined, index: MemoryIndex): Promise<void> {
  if (!cache) return
  // Lookups kept from the last run over this memory stay (a run over some posts keeps the
  // others'); those of an earlier memory that were not needed this run are dropped.
  const made = new Map(index.kept)
  let added = 0
  for (const [minScore, lookups] of index.made) {
    for (const [value, matches] of lookups) {
      const id = lookupId(minScore, value)
      if (!made.has(id)) added++
      made.set(id, matches)
    }
  }
  if (cache.same && added === 0) return
  try {
    mkdirSync(join(cache.file, '..'), {recursive: true})
    await writeFileAtomic(cache.file, JSON.stringify({version, pairs: cache.pairs, made: Object.fromEntries(made)}))
  } catch {
    // catch: any file-system error; a cache that cannot be written only costs searching next time.
  }
}

/** A pair's identity and content, short: the same string exactly when it is the same pair. */
function identity(pair: MemoryPair): string {
  return createHash('sha1').update(`${pair.from}\u0000${pair.key ?? ''}\u0000${pair.archived ? 1 : 0}\u0000${pair.source}\u0000${pair.target}`).digest('base64').slice(0, 16)
}

function isMatch(value: unknown, pairs: number): value is Match {
  if (!Array.isArray(value) || value.length !== 4) return false
  const [at, score, target, agree] = value as unknown[]
  return Number.isInteger(at) && (at as number) >= 0 && (at as number) < pairs && typeof score === 'number' && (target === 0 || typeof target === 'string') && (agree === 0 || agree === 1)
}
