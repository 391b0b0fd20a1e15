import {mkdirSync} from 'node:fs'
import type {SegmentState} from '../catalog/lock.js'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readIfExists} from '../io/read-text.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import type {Project} from '../project/project.js'
import {ownCopy, readShard, readPost, shardFile, shardOf, shards, stampOf, writeShard, type CachedPost} from './memory-cache.js'
import {pairsBuilder, type MemoryPair, type MemoryPairs} from './memory-pairs.js'
import type {PendingSegment} from './pending-segments.js'

/** Where a project keeps the memories imported with `ponte tm import` (suggestion sources, never translations). */
export const importedMemoryPath = 'locales/.ponte/imported-memory.json'

/** A project's memory as read: its pairs, and the pending segments of the posts asked for. */
export interface ProjectMemory {
  pairs: MemoryPairs
  /**
   * By post path (under content/<source>): its segments without an up-to-date, reviewed
   * translation, in order, flat (key, Italian, state for each; no object per segment until
   * `pendingSegments` asks for a post's).
   */
  pending: Map<string, string[]>
}

/**
 * A post's segments without an up-to-date, reviewed translation, in order (none when the
 * memory was not asked to keep that post's).
 *
 * @param memory The memory read.
 * @param post The post's path under content/<source>.
 */
export function pendingSegments(memory: ProjectMemory, post: string): PendingSegment[] {
  const flat = memory.pending.get(post) ?? []
  const segments: PendingSegment[] = []
  for (let index = 0; index < flat.length; index += 3) segments.push({key: flat[index] as string, value: flat[index + 1] as string, state: flat[index + 2] as SegmentState})
  return segments
}

/** Options of `readMemory`. */
export interface ReadMemoryOptions {
  /** Which posts' pending segments to keep (default: every post's). */
  pendingOf?: (post: string) => boolean
}

/**
 * Every Italian→English pair of a project: each post's reviewed translations (a stale one
 * paired with the Italian it was written against; an unreviewed suggestion never), its
 * archived translations with their Italian, and the imported memories; and the segments
 * without an up-to-date translation of the posts asked for. Derived data: kept in the
 * cache folder per post and read again only for posts whose files changed.
 *
 * Only what lookups need stays in memory: the pairs' texts and the pending segments (not
 * every segment), each distinct string once; the cache's shards are read, brought up to
 * date and written one at a time.
 *
 * @param project The opened project.
 * @param cacheDir The cache folder (`undefined`: read every catalog, keep nothing).
 * @param options Which posts' pending segments to keep.
 */
export async function readMemory(project: Project, cacheDir: string | undefined, options: ReadMemoryOptions = {}): Promise<ProjectMemory> {
  // A memory repeats itself (the same disclaimer in every post, the same Italian as a pair
  // and as a segment): each distinct string is kept once.
  const strings = new Map<string, string>()
  const intern = (text: string): string => {
    const known = strings.get(text)
    if (known !== undefined) return known
    strings.set(text, text)
    return text
  }
  // A post read again from its catalogs keeps each string's one copy (`readPost`).
  const internCopy = (text: string): string => strings.get(text) ?? intern(ownCopy(text))
  const byShard = Array.from({length: shards}, (): number[] => [])
  project.posts.forEach((paths, at) => byShard[shardOf(paths.post)]?.push(at))
  // Each post's part, by its place in the project, so the pairs come in the posts' order.
  const parts: Array<{pairs: string[]; pending: string[]}> = []
  let writable = cacheDir !== undefined
  for (let shard = 0; shard < shards; shard++) {
    const file = cacheDir === undefined ? undefined : shardFile(cacheDir, shard)
    const recorded = file === undefined ? undefined : readShard(file, intern)
    const posts: Record<string, CachedPost> = {}
    const members = byShard[shard] ?? []
    // A shard is written when a post of it changed, came or went.
    let changed = members.length !== (recorded?.size ?? 0)
    for (const at of members) {
      const paths = project.posts[at] as PostPaths
      const stamp = stampOf(project.root, paths)
      let entry = recorded?.get(paths.post)
      if (!entry || entry.stamp !== stamp) {
        entry = readPost(project.root, paths, stamp, internCopy)
        changed = true
      }
      posts[paths.post] = entry
      parts[at] = {pairs: entry.pairs, pending: !options.pendingOf || options.pendingOf(paths.post) ? entry.pending : []}
    }
    if (file === undefined || !writable || !changed) continue
    try {
      mkdirSync(cacheDir as string, {recursive: true})
      // It changed: no need to read the old one to compare.
      await writeFileAtomic(file, writeShard(posts), null)
    } catch {
      // catch: any file-system error; a cache that cannot be written only costs reading the catalogs next time.
      writable = false
    }
  }
  const builder = pairsBuilder()
  const pending = new Map<string, string[]>()
  project.posts.forEach((paths, at) => {
    const part = parts[at]
    if (!part) return
    for (let index = 0; index < part.pairs.length; index += 4) builder.add(part.pairs[index] as string, part.pairs[index + 1] as string, paths.post, part.pairs[index + 2] as string, part.pairs[index + 3] === 'a')
    if (!options.pendingOf || options.pendingOf(paths.post)) pending.set(paths.post, part.pending)
  })
  for (const pair of readImported(project.root)) builder.add(pair.source, pair.target, pair.from, '', false)
  return {pairs: builder.pairs, pending}
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
