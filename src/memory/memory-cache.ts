import {statSync} from 'node:fs'
import {join} from 'node:path'
import {parseLock} from '../catalog/lock.js'
import {readCacheFile, readIfExists} from '../io/read-text.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import {needsTranslation, readValues, segmentsOf} from './pending-segments.js'

/** The memory cache's form (a number the cache files carry: another form is no record). */
const cacheVersion = 5

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
 * A shard as recorded: its text (so an unchanged file is not read again to be compared)
 * and its posts; nothing when it is absent, torn or of another form.
 *
 * On disk each distinct string of a shard is written once, in a table, and the posts'
 * lists hold numbers into it: a memory repeats itself (the same Italian as a pair and as a
 * segment, the same disclaimer in every post), and a parsed shard is then mostly numbers,
 * which cost no objects.
 *
 * @param path The shard's file.
 */
export function readShard(path: string): {text: string | undefined; posts: Map<string, CachedPost>} {
  const text = readCacheFile(path)
  const posts = new Map<string, CachedPost>()
  let data: unknown
  try {
    data = text === undefined ? undefined : JSON.parse(text)
  } catch {
    // catch: SyntaxError only (a torn or foreign cache file is no record: its posts are read again).
    data = undefined
  }
  if (!isRecord(data) || data['version'] !== cacheVersion || !isRecord(data['posts'])) return {text, posts}
  const strings = data['strings']
  if (!Array.isArray(strings) || !strings.every((item) => typeof item === 'string')) return {text, posts}
  const at = (index: unknown): string | undefined => (typeof index === 'number' ? (strings[index] as string | undefined) : undefined)
  for (const [post, entry] of Object.entries(data['posts'])) {
    if (!isRecord(entry) || typeof entry['stamp'] !== 'string' || !Array.isArray(entry['pairs']) || !Array.isArray(entry['pending'])) continue
    const pairs = (entry['pairs'] as unknown[]).map(at)
    const pending = (entry['pending'] as unknown[]).map(at)
    if (isStrings(pairs, 4) && isStrings(pending, 3) && pending.every((item, index) => index % 3 !== 2 || states.has(item))) posts.set(post, {stamp: entry['stamp'], pairs, pending})
  }
  return {text, posts}
}

/**
 * A shard's text, to be written (each distinct string once, as `readShard` reads it).
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
  const entries: Record<string, {stamp: string; pairs: number[]; pending: number[]}> = {}
  for (const [post, entry] of Object.entries(posts)) entries[post] = {stamp: entry.stamp, pairs: entry.pairs.map(number), pending: entry.pending.map(number)}
  return JSON.stringify({version: cacheVersion, strings: [...numbers.keys()], posts: entries})
}

/**
 * One post's pairs and pending segments, from its catalogs, archive and lock: each reviewed
 * translation (a stale one paired with the Italian it was written against, when known; an
 * unreviewed suggestion never), then its archived translations with their Italian.
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 * @param stamp Its stamp (`stampOf`).
 */
export function readPost(root: string, paths: PostPaths, stamp: string): CachedPost {
  const lockText = readIfExists(resolvePath(root, paths.lock))
  const entry: CachedPost = {stamp, pairs: [], pending: []}
  for (const segment of segmentsOf(readValues(root, paths.sourceCatalog), readValues(root, paths.targetCatalog), lockText)) {
    if (needsTranslation(segment)) entry.pending.push(segment.key, segment.value, segment.state)
    if (!segment.english.trim()) continue
    if (segment.state === 'translated') entry.pairs.push(segment.value, segment.english, segment.key, '')
    else if (segment.state === 'stale' && segment.was !== undefined) entry.pairs.push(segment.was, segment.english, segment.key, '')
  }
  const lock = parseLock(lockText)
  for (const [key, target] of readValues(root, paths.archive)) {
    const source = lock.archivedText.get(key)
    if (source !== undefined && target.trim()) entry.pairs.push(source, target, key, 'a')
  }
  return entry
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
