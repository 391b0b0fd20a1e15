import {hash} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readCacheBytes} from '../io/read-text.js'
import {lineEnd, parseLine} from './cache-lines.js'
import {kept, lookupId, type KeptLookups, type Match, type MemoryIndex} from './match-memory.js'
import {pairArchived, pairFrom, type MemoryPairs} from './memory-pairs.js'

/**
 * The lookups cache's form: a first line `{"version":5,"pairs":"<base64>"}` (each pair's
 * identity, 12 bytes, in the memory's order: the matches name pairs by their place there),
 * then one line per lookup, its id, a tab and its matches as JSON. The file is kept as
 * bytes and a lookup parsed only when a segment asks for it, so a run does not hold a
 * project's lookups as objects (nor the file as one large string).
 */
const version = 5

/** Bytes of a pair's identity. */
const identityBytes = 12

/** A memory's lookups as the cache keeps them between runs. */
export interface SuggestionCache {
  file: string
  /** Each pair's identity and content, in the memory's order. */
  identities: Buffer
  /** Whether the lookups read are this memory's exactly (then nothing new means nothing to write). */
  same: boolean
  /** The lookups read, when they are this memory's: written back as they are. */
  lines?: Lines
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
  const identities = identitiesOf(index.pairs)
  const cache: SuggestionCache = {file: join(cacheDir, 'suggestions.json'), identities, same: false}
  const bytes = readCacheBytes(cache.file)
  const newline = bytes?.indexOf(10) ?? -1
  if (!bytes || newline === -1) return cache
  const before = recordedIdentities(parseLine(bytes, 0, newline))
  if (!before) return cache
  const lines: Lines = {bytes, starts: new Map()}
  for (let start = newline + 1; start < bytes.length; start = lineEnd(bytes, start) + 1) {
    const tab = bytes.indexOf(9, start)
    if (tab > start && tab < lineEnd(bytes, start)) lines.starts.set(bytes.toString('latin1', start, tab), tab + 1)
  }
  cache.same = before.equals(identities)
  if (cache.same) {
    cache.lines = lines
    index.kept = {get: (id) => matchesOf(lines, id, index.pairs.length)}
    return cache
  }
  // Pairs found by the first 48 bits of their identity (a number, not a string per pair),
  // then compared whole. Two pairs that share those bits (about one project in ten
  // thousand, at 260,000 pairs) are taken for changed, which costs a search, never a wrong match.
  const now = new Map<number, number>()
  for (let at = 0; at < index.pairs.length; at++) {
    const key = identities.readUIntBE(at * identityBytes, 6)
    if (!now.has(key)) now.set(key, at)
  }
  // Where each pair of the last run is now (-1: it changed or left).
  const moved = new Int32Array(before.length / identityBytes)
  const still = new Uint8Array(index.pairs.length)
  for (let at = 0; at < moved.length; at++) {
    const offset = at * identityBytes
    const place = now.get(before.readUIntBE(offset, 6)) ?? -1
    const same = place !== -1 && identities.compare(before, offset, offset + identityBytes, place * identityBytes, (place + 1) * identityBytes) === 0
    moved[at] = same ? place : -1
    if (same) still[place] = 1
  }
  const added: number[] = []
  for (let at = 0; at < still.length; at++) if (still[at] === 0) added.push(at)
  index.earlier = {made: stillWhole(lines, moved), added}
  return cache
}

/** The lookups of an earlier memory that are still whole in this one, their pairs renumbered. */
function stillWhole(lines: Lines, moved: Int32Array): KeptLookups {
  return {
    get(id) {
      const matches = matchesOf(lines, id, moved.length)
      if (!matches) return undefined
      const renumbered = matches.map(([at, ...rest]): Match => [moved[at] ?? -1, ...rest])
      const left = renumbered.filter((match) => match[0] !== -1)
      // A lookup that lost a pair is still whole when it kept every match it found (it was
      // not cut at `kept`) and, if it had exact ones, some are left (else fuzzy ones were
      // never looked for): the pair's new version, if any, is among the added ones.
      return left.length === renumbered.length || (renumbered.length < kept && (renumbered[0]?.[1] !== 100 || left[0]?.[1] === 100)) ? left : undefined
    }
  }
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
  const recorded = cache.lines
  const parts = [JSON.stringify({version, pairs: cache.identities.toString('base64')})]
  const made = new Set<string>()
  let added = 0
  for (const [minScore, lookups] of index.made) {
    for (const [value, matches] of lookups) {
      const id = lookupId(minScore, value)
      if (made.has(id)) continue
      made.add(id)
      if (!recorded?.starts.has(id)) added++
      parts.push(`${id}\t${matches}`)
    }
  }
  if (cache.same && added === 0) return
  if (recorded) for (const [id, start] of recorded.starts) if (!made.has(id)) parts.push(`${id}\t${recorded.bytes.toString('utf8', start, lineEnd(recorded.bytes, start))}`)
  try {
    mkdirSync(join(cache.file, '..'), {recursive: true})
    // New lookups were made: the file changes, no need to read it to compare.
    await writeFileAtomic(cache.file, parts.join('\n') + '\n', null)
  } catch {
    // catch: any file-system error; a cache that cannot be written only costs searching next time.
  }
}

/** Each pair's identity and content, short: the same bytes exactly when it is the same pair. */
function identitiesOf(pairs: MemoryPairs): Buffer {
  const identities = Buffer.alloc(pairs.length * identityBytes)
  for (let at = 0; at < pairs.length; at++) {
    // One-shot hashing: no hash object (and its native state) per pair.
    hash('sha1', `${pairFrom(pairs, at)}\u0000${pairs.keys[at] ?? ''}\u0000${pairArchived(pairs, at) ? 1 : 0}\u0000${pairs.sources[at] ?? ''}\u0000${pairs.targets[at] ?? ''}`, 'buffer').copy(identities, at * identityBytes, 0, identityBytes)
  }
  return identities
}

/** The identities a cache file's first line records, or nothing when it is not of this form. */
function recordedIdentities(header: unknown): Buffer | undefined {
  if (typeof header !== 'object' || header === null || (header as Record<string, unknown>)['version'] !== version) return undefined
  const pairs = (header as Record<string, unknown>)['pairs']
  if (typeof pairs !== 'string') return undefined
  const bytes = Buffer.from(pairs, 'base64')
  return bytes.length % identityBytes === 0 ? bytes : undefined
}

/** A cache file's lookups: its bytes, and where each lookup's matches start, by id. */
interface Lines {
  bytes: Buffer
  starts: Map<string, number>
}

/** A cached lookup's matches, or nothing when it is absent or not of this form. */
function matchesOf(lines: Lines, id: string, pairs: number): Match[] | undefined {
  const start = lines.starts.get(id)
  if (start === undefined) return undefined
  const list = parseLine(lines.bytes, start)
  return Array.isArray(list) && list.every((item) => isMatch(item, pairs)) ? (list as Match[]) : undefined
}

function isMatch(value: unknown, pairs: number): value is Match {
  if (!Array.isArray(value) || value.length !== 4) return false
  const [at, score, target, agree] = value as unknown[]
  return Number.isInteger(at) && (at as number) >= 0 && (at as number) < pairs && typeof score === 'number' && (target === 0 || typeof target === 'string') && (agree === 0 || agree === 1)
}
