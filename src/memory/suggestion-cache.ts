import {createHash} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readJsonIfValid} from '../io/read-text.js'
import type {Match, MemoryIndex} from './match-memory.js'

const version = 1

/** A memory's lookups as the cache keeps them: valid while the memory's pairs are the same. */
export interface SuggestionCache {
  file: string
  /** A hash of every pair: another memory, other answers. */
  memory: string
  /** How many lookups the index had when they were read. */
  loaded: number
}

/**
 * Seed a memory's lookups with those of the last run, when its pairs are the same: a run
 * after the first answers without searching (derived data, in the cache folder).
 *
 * @param cacheDir The cache folder (`undefined`: no cache).
 * @param index The memory, before any lookup.
 */
export function loadSuggestions(cacheDir: string | undefined, index: MemoryIndex): SuggestionCache | undefined {
  if (!cacheDir) return undefined
  const hash = createHash('sha256')
  for (const pair of index.pairs) hash.update(`${pair.source}\u0000${pair.target}\u0000${pair.from}\u0000${pair.key ?? ''}\u0000${pair.archived ? 1 : 0}\u0001`)
  const cache: SuggestionCache = {file: join(cacheDir, 'suggestions.json'), memory: hash.digest('hex').slice(0, 32), loaded: 0}
  const data = readJsonIfValid(cache.file)
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return cache
  const record = data as Record<string, unknown>
  const made = record['made']
  if (record['version'] !== version || record['memory'] !== cache.memory || typeof made !== 'object' || made === null) return cache
  const pairs = index.pairs.length
  for (const [key, list] of Object.entries(made)) if (Array.isArray(list) && list.every((item) => isMatch(item, pairs))) index.made.set(key, list)
  cache.loaded = index.made.size
  return cache
}

/**
 * Keep a memory's lookups for the next run, when this one made new ones.
 *
 * @param cache What `loadSuggestions` read.
 * @param index The memory, after its lookups.
 */
export async function saveSuggestions(cache: SuggestionCache | undefined, index: MemoryIndex): Promise<void> {
  if (!cache || index.made.size === cache.loaded) return
  try {
    mkdirSync(join(cache.file, '..'), {recursive: true})
    await writeFileAtomic(cache.file, JSON.stringify({version, memory: cache.memory, made: Object.fromEntries(index.made)}))
  } catch {
    // catch: any file-system error; a cache that cannot be written only costs searching next time.
  }
}

function isMatch(value: unknown, pairs: number): value is Match {
  if (!Array.isArray(value) || value.length !== 4) return false
  const [at, score, target, agree] = value as unknown[]
  return Number.isInteger(at) && (at as number) >= 0 && (at as number) < pairs && typeof score === 'number' && (target === 0 || typeof target === 'string') && (agree === 0 || agree === 1)
}
