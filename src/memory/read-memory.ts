import {mkdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fingerprint} from '../catalog/keys.js'
import {isStale, parseLock} from '../catalog/lock.js'
import {readCatalog} from '../catalog/read-catalog.js'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readIfExists, readJsonIfValid} from '../io/read-text.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import type {Project} from '../project/project.js'

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

/** The memory cache's form: per post, the stamps of its four files and its pairs as flat lists. */
const cacheVersion = 1
type CachedPair = [string, string, string, 0 | 1]

/**
 * Every Italian→English pair of a project: each post's reviewed translations (a stale one
 * paired with the Italian it was written against; an unreviewed suggestion never), its
 * archived translations with their Italian, and the imported memories. Derived data: kept
 * in the cache folder per post and read again only for posts whose files changed.
 *
 * @param project The opened project.
 * @param cacheDir The cache folder (`undefined`: read every catalog, keep nothing).
 */
export async function readMemory(project: Project, cacheDir: string | undefined): Promise<MemoryPair[]> {
  const file = cacheDir ? join(cacheDir, 'memory.json') : undefined
  const recorded = file ? cachedPosts(readJsonIfValid(file)) : new Map<string, {stamp: string; pairs: CachedPair[]}>()
  const next: Record<string, {stamp: string; pairs: CachedPair[]}> = {}
  const pairs: MemoryPair[] = []
  let changed = recorded.size !== project.posts.length
  for (const paths of project.posts) {
    const stamp = stampOf(project.root, paths)
    let entry = recorded.get(paths.post)
    if (!entry || entry.stamp !== stamp) {
      entry = {stamp, pairs: postPairs(project.root, paths)}
      changed = true
    }
    next[paths.post] = entry
    for (const [source, target, key, archived] of entry.pairs) pairs.push(archived ? {source, target, from: paths.post, key, archived: true} : {source, target, from: paths.post, key})
  }
  pairs.push(...readImported(project.root))
  if (file && cacheDir && changed) {
    try {
      mkdirSync(cacheDir, {recursive: true})
      await writeFileAtomic(file, JSON.stringify({version: cacheVersion, posts: next}))
    } catch {
      // A cache that cannot be written only costs reading the catalogs next time.
    }
  }
  return pairs
}

/**
 * The pairs of one post, from its catalogs, archive and lock.
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 */
function postPairs(root: string, paths: PostPaths): CachedPair[] {
  const italian = entriesOf(readIfExists(resolvePath(root, paths.sourceCatalog)), paths.sourceCatalog)
  const english = entriesOf(readIfExists(resolvePath(root, paths.targetCatalog)), paths.targetCatalog)
  const archive = entriesOf(readIfExists(resolvePath(root, paths.archive)), paths.archive)
  const lock = parseLock(readIfExists(resolvePath(root, paths.lock)))
  const pairs: CachedPair[] = []
  for (const [key, source] of italian) {
    const target = english.get(key)
    if (target === undefined || !target.trim()) continue
    const entry = lock.entries.get(key)
    // A tool's value nobody reviewed is no translation to learn from.
    if (entry?.suggested !== undefined && entry.suggested === fingerprint(target)) continue
    if (isStale(entry)) {
      // Stale: the English stands for the Italian it was written against, when known.
      if (entry?.was !== undefined) pairs.push([entry.was, target, key, 0])
      continue
    }
    pairs.push([source, target, key, 0])
  }
  for (const [key, target] of archive) {
    const source = lock.archivedText.get(key)
    if (source !== undefined && target.trim()) pairs.push([source, target, key, 1])
  }
  return pairs
}

function entriesOf(text: string | undefined, file: string): Map<string, string> {
  const values = new Map<string, string>()
  if (text === undefined) return values
  const read = readCatalog(text, file)
  if (read.ok) for (const [key, entry] of read.entries) values.set(key, entry.value)
  return values
}

/** The stamps (size, time, inode) of the files a post's pairs come from. */
function stampOf(root: string, paths: PostPaths): string {
  let stamp = ''
  for (const path of [paths.sourceCatalog, paths.targetCatalog, paths.archive, paths.lock]) {
    const stats = statSync(resolvePath(root, path), {throwIfNoEntry: false})
    stamp += stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}|` : '-|'
  }
  return stamp
}

function cachedPosts(data: unknown): Map<string, {stamp: string; pairs: CachedPair[]}> {
  const posts = new Map<string, {stamp: string; pairs: CachedPair[]}>()
  if (!isRecord(data) || data['version'] !== cacheVersion || !isRecord(data['posts'])) return posts
  for (const [post, entry] of Object.entries(data['posts'])) {
    if (!isRecord(entry) || typeof entry['stamp'] !== 'string' || !Array.isArray(entry['pairs'])) continue
    const pairs = entry['pairs'] as unknown[]
    if (!pairs.every(isCachedPair)) continue
    posts.set(post, {stamp: entry['stamp'], pairs: pairs as CachedPair[]})
  }
  return posts
}

function isCachedPair(value: unknown): value is CachedPair {
  return Array.isArray(value) && value.length === 4 && typeof value[0] === 'string' && typeof value[1] === 'string' && typeof value[2] === 'string' && (value[3] === 0 || value[3] === 1)
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
