import {mkdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {parseLock, type SegmentState} from '../catalog/lock.js'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readIfExists, readJsonIfValid} from '../io/read-text.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import type {Project} from '../project/project.js'
import {readValues, segmentsOf, type CatalogSegment} from './pending-segments.js'

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

/** Where a project keeps the memories imported with `ponte tm import` (suggestion sources, never translations). */
export const importedMemoryPath = 'locales/.ponte/imported-memory.json'

/** The memory cache's form: per post, the stamps of its four files, its segments and its archived pairs, as flat lists. */
const cacheVersion = 3
/** key, Italian, English, state, the Italian a stale English was written for (or 0). */
type CachedSegment = [string, string, string, SegmentState, string | 0]
/** Italian, English, key of an archived translation. */
type CachedArchived = [string, string, string]
interface CachedPost {
  stamp: string
  segments: CachedSegment[]
  archived: CachedArchived[]
}

/** A project's memory as read: its pairs, and each post's segments as its catalogs show them. */
export interface ProjectMemory {
  pairs: MemoryPair[]
  /** By post path (under content/<source>). */
  segments: Map<string, CatalogSegment[]>
}

/**
 * Every Italian→English pair of a project: each post's reviewed translations (a stale one
 * paired with the Italian it was written against; an unreviewed suggestion never), its
 * archived translations with their Italian, and the imported memories; and each post's
 * segments with their states. Derived data: kept in the cache folder per post and read
 * again only for posts whose files changed.
 *
 * @param project The opened project.
 * @param cacheDir The cache folder (`undefined`: read every catalog, keep nothing).
 */
export async function readMemory(project: Project, cacheDir: string | undefined): Promise<ProjectMemory> {
  // The cache is split in shards by post, so no run holds one string of the whole memory
  // (tens of MB at 10,000 posts) and an edit rewrites one shard.
  const file = (shard: number): string | undefined => (cacheDir ? join(cacheDir, `memory-${shard}.json`) : undefined)
  const recorded = Array.from({length: shards}, (_, shard) => {
    const path = file(shard)
    return path ? cachedPosts(readJsonIfValid(path)) : new Map<string, CachedPost>()
  })
  const next = Array.from({length: shards}, () => ({posts: {} as Record<string, CachedPost>, count: 0, changed: false}))
  const memory: ProjectMemory = {pairs: [], segments: new Map()}
  for (const paths of project.posts) {
    const shard = shardOf(paths.post)
    const stamp = stampOf(project.root, paths)
    const into = next[shard] as (typeof next)[number]
    let entry = recorded[shard]?.get(paths.post)
    if (!entry || entry.stamp !== stamp) {
      entry = readPost(project.root, paths, stamp)
      into.changed = true
    }
    into.posts[paths.post] = entry
    into.count++
    const segments: CatalogSegment[] = []
    for (const [key, value, english, state, was] of entry.segments) {
      segments.push(was === 0 ? {key, value, english, state} : {key, value, english, state, was})
      if (!english.trim()) continue
      // A tool's value nobody reviewed is no translation to learn from; a stale English
      // stands for the Italian it was written against, when known.
      if (state === 'translated') memory.pairs.push({source: value, target: english, from: paths.post, key})
      else if (state === 'stale' && was !== 0) memory.pairs.push({source: was, target: english, from: paths.post, key})
    }
    memory.segments.set(paths.post, segments)
    for (const [source, target, key] of entry.archived) memory.pairs.push({source, target, from: paths.post, key, archived: true})
  }
  memory.pairs.push(...readImported(project.root))
  if (cacheDir) {
    try {
      mkdirSync(cacheDir, {recursive: true})
      for (let shard = 0; shard < shards; shard++) {
        const into = next[shard] as (typeof next)[number]
        const path = file(shard) as string
        // A shard is written when a post of it changed, came or went.
        if (into.changed || into.count !== recorded[shard]?.size) await writeFileAtomic(path, JSON.stringify({version: cacheVersion, posts: into.posts}))
      }
    } catch {
      // catch: any file-system error; a cache that cannot be written only costs reading the catalogs next time.
    }
  }
  return memory
}

/** How many files the memory cache is split into. */
const shards = 32

/** The shard of a post: a small hash of its path (FNV-1a), the same on every run. */
function shardOf(post: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < post.length; index++) hash = Math.imul(hash ^ post.charCodeAt(index), 0x01000193)
  return (hash >>> 0) % shards
}

/** One post's segments and archived pairs, from its catalogs, archive and lock. */
function readPost(root: string, paths: PostPaths, stamp: string): CachedPost {
  const segments = segmentsOf(readValues(root, paths.sourceCatalog), readValues(root, paths.targetCatalog), readIfExists(resolvePath(root, paths.lock)))
  const lock = parseLock(readIfExists(resolvePath(root, paths.lock)))
  const archived: CachedArchived[] = []
  for (const [key, target] of readValues(root, paths.archive)) {
    const source = lock.archivedText.get(key)
    if (source !== undefined && target.trim()) archived.push([source, target, key])
  }
  return {stamp, segments: segments.map((segment) => [segment.key, segment.value, segment.english, segment.state, segment.was ?? 0]), archived}
}

/** The stamps (size, time, inode) of the files a post's pairs come from. */
function stampOf(root: string, paths: PostPaths): string {
  let stamp = ''
  for (const path of [paths.sourceCatalog, paths.targetCatalog, paths.archive, paths.lock]) {
    const stats = statSync(resolvePath(root, path), {throwIfNoEntry: false})
    stamp += stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}|` : '-|'
  }
  return stamp
}

function cachedPosts(data: unknown): Map<string, CachedPost> {
  const posts = new Map<string, CachedPost>()
  if (!isRecord(data) || data['version'] !== cacheVersion || !isRecord(data['posts'])) return posts
  for (const [post, entry] of Object.entries(data['posts'])) {
    if (!isRecord(entry) || typeof entry['stamp'] !== 'string' || !Array.isArray(entry['segments']) || !Array.isArray(entry['archived'])) continue
    const segments = entry['segments'] as unknown[]
    const archived = entry['archived'] as unknown[]
    if (!segments.every(isCachedSegment) || !archived.every(isCachedArchived)) continue
    posts.set(post, {stamp: entry['stamp'], segments, archived})
  }
  return posts
}

const states = new Set<unknown>(['translated', 'stale', 'suggested', 'missing', 'invalid'])

function isCachedSegment(value: unknown): value is CachedSegment {
  return Array.isArray(value) && value.length === 5 && typeof value[0] === 'string' && typeof value[1] === 'string' && typeof value[2] === 'string' && states.has(value[3]) && (value[4] === 0 || typeof value[4] === 'string')
}

function isCachedArchived(value: unknown): value is CachedArchived {
  return Array.isArray(value) && value.length === 3 && value.every((item) => typeof item === 'string')
}

/**
 * The pairs of the memories imported with `ponte tm import`.
 *
 * @param root Absolute project root.
 */
export function readImported(root: string): MemoryPair[] {
  const text = readIfExists(resolvePath(root, importedMemoryPath))
  if (text === undefined) return []
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    // catch: JSON.parse's SyntaxError only: a torn imported memory (Ponte's own file, imported
    // again with `ponte tm import`) gives no suggestions; it holds no translation.
    return []
  }
  if (!isRecord(data) || !Array.isArray(data['units'])) return []
  const pairs: MemoryPair[] = []
  for (const unit of data['units'] as unknown[]) {
    if (isRecord(unit) && typeof unit['source'] === 'string' && typeof unit['target'] === 'string' && typeof unit['from'] === 'string') pairs.push({source: unit['source'], target: unit['target'], from: unit['from']})
  }
  return pairs
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
