import {statSync} from 'node:fs'
import {join} from 'node:path'
import {parseLock} from '../catalog/lock.js'
import {readCacheBytes, readIfExists} from '../io/read-text.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import {cacheLines} from './cache-lines.js'
import {needsTranslation, readValues, segmentsOf} from './pending-segments.js'

/** The memory cache's form (a number the cache files carry: another form is no record). */
const cacheVersion = 6

/**
 * One post as the memory cache keeps it: the stamps of its four files, then what the memory
 * needs of it as flat lists of strings (no array per segment: a shard parses into a few
 * arrays per post).
 */
export interface CachedPost {
  stamp: string
  /** Its pairs in segment order, then its archived ones: Italian, English, key, and `a` (archived) or `''`, for each. */
  pairs: string[]
  /** Its segments without an up-to-date, reviewed translation: key, Italian, state, for each. */
  pending: string[]
}

/** How many files the memory cache is split into. */
export const shards = 32

/**
 * The cache file of a shard.
 *
 * @param cacheDir The cache folder.
 * @param shard The shard's number.
 */
export function shardFile(cacheDir: string, shard: number): string {
  return join(cacheDir, `memory-${shard}.json`)
}

/**
 * The shard of a post: a small hash of its path (FNV-1a), the same on every run.
 *
 * @param post The post's path under content/<source>.
 */
export function shardOf(post: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < post.length; index++) hash = Math.imul(hash ^ post.charCodeAt(index), 0x01000193)
  return (hash >>> 0) % shards
}

/**
 * A shard's posts as recorded (none when it is absent, torn or of another form).
 *
 * On disk a shard is lines of JSON: `{"version":6,"strings":N}`, then its N distinct strings
 * one per line, then one line per post, `[post, stamp, pairs, pending]`, whose lists hold
 * numbers into the strings. A memory repeats itself (the same Italian as a pair and as a
 * segment, the same disclaimer in every post), so each string is written and parsed once,
 * and the file is read line by line from its bytes (`cacheLines`).
 *
 * @param path The shard's file.
 * @param intern Gives each string read its one copy in the run (default: the string itself).
 */
export function readShard(path: string, intern: (text: string) => string = (text) => text): Map<string, CachedPost> {
  const posts = new Map<string, CachedPost>()
  const bytes = readCacheBytes(path)
  if (!bytes) return posts
  const lines = cacheLines(bytes)
  const header = lines.next().value?.value
  if (!isRecord(header) || header['version'] !== cacheVersion || typeof header['strings'] !== 'number') return posts
  const strings: string[] = []
  for (let index = 0; index < header['strings']; index++) {
    const line = lines.next().value?.value
    if (typeof line !== 'string') return posts
    strings.push(intern(line))
  }
  const at = (index: unknown): string | undefined => (typeof index === 'number' ? strings[index] : undefined)
  for (const {value} of lines) {
    if (!Array.isArray(value) || value.length !== 4) continue
    const [post, stamp, pairList, pendingList] = value as unknown[]
    if (typeof post !== 'string' || typeof stamp !== 'string' || !Array.isArray(pairList) || !Array.isArray(pendingList)) continue
    const pairs = pairList.map(at)
    const pending = pendingList.map(at)
    if (isStrings(pairs, 4) && isStrings(pending, 3) && pending.every((item, index) => index % 3 !== 2 || states.has(item))) posts.set(post, {stamp, pairs, pending})
  }
  return posts
}

/**
 * A shard's text, to be written (as `readShard` reads it).
 *
 * @param posts Its posts.
 */
export function writeShard(posts: Readonly<Record<string, CachedPost>>): string {
  const numbers = new Map<string, number>()
  const number = (text: string): number => {
    let found = numbers.get(text)
    if (found === undefined) numbers.set(text, (found = numbers.size))
    return found
  }
  const lines = Object.entries(posts).map(([post, entry]) => JSON.stringify([post, entry.stamp, entry.pairs.map(number), entry.pending.map(number)]))
  return [JSON.stringify({version: cacheVersion, strings: numbers.size}), ...[...numbers.keys()].map((text) => JSON.stringify(text)), ...lines].join('\n') + '\n'
}

/**
 * One post's pairs and pending segments, from its catalogs, archive and lock: each reviewed
 * translation (a stale one paired with the Italian it was written against, when known; an
 * unreviewed suggestion never), then its archived translations with their Italian.
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 * @param stamp Its stamp (`stampOf`).
 * @param keep Gives each string read the copy to keep. A value read from a catalog is a
 *   slice of the catalog's text and keeps all of it alive (V8 does not copy substrings), so
 *   the default is a copy of its own.
 */
export function readPost(root: string, paths: PostPaths, stamp: string, keep: (text: string) => string = ownCopy): CachedPost {
  const lockText = readIfExists(resolvePath(root, paths.lock))
  const entry: CachedPost = {stamp, pairs: [], pending: []}
  for (const segment of segmentsOf(readValues(root, paths.sourceCatalog), readValues(root, paths.targetCatalog), lockText)) {
    if (needsTranslation(segment)) entry.pending.push(keep(segment.key), keep(segment.value), segment.state)
    if (!segment.english.trim()) continue
    if (segment.state === 'translated') entry.pairs.push(keep(segment.value), keep(segment.english), keep(segment.key), '')
    else if (segment.state === 'stale' && segment.was !== undefined) entry.pairs.push(keep(segment.was), keep(segment.english), keep(segment.key), '')
  }
  const lock = parseLock(lockText)
  for (const [key, target] of readValues(root, paths.archive)) {
    const source = lock.archivedText.get(key)
    if (source !== undefined && target.trim()) entry.pairs.push(keep(source), keep(target), keep(key), 'a')
  }
  return entry
}

/**
 * A string of its own, not a slice of a larger one.
 *
 * @param text A string.
 */
export function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}

/**
 * The stamps (size, time, inode) of the files a post's pairs come from.
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 */
export function stampOf(root: string, paths: PostPaths): string {
  let stamp = ''
  for (const path of [paths.sourceCatalog, paths.targetCatalog, paths.archive, paths.lock]) {
    const stats = statSync(resolvePath(root, path), {throwIfNoEntry: false})
    stamp += stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}|` : '-|'
  }
  return stamp
}

const states = new Set<unknown>(['stale', 'suggested', 'missing', 'invalid'])

function isStrings(value: ReadonlyArray<string | undefined>, width: number): value is string[] {
  return value.length % width === 0 && value.every((item) => item !== undefined)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
