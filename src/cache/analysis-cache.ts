import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic-write.js'
import {parseMarkdown, splitBom} from '../parse/parse.js'
import type {AnalyzedPost} from '../project/analyze.js'
import type {Segment} from '../segment/segment.js'
import type {Slot} from '../segment/slots.js'
import {parseValue} from '../segment/tagged.js'

/** Bump when the segmentation changes, so old cache entries are never read. */
const formatVersion = 1

/**
 * The cache key of a post's analysis: everything segmentation depends on (the post's
 * bytes, the configuration and Ponte's version).
 *
 * @param text The post.
 * @param configHash A hash of the configuration (`TaskContext.configHash`).
 * @param version Ponte's version.
 */
export function analysisKey(text: string, configHash: string, version: string): string {
  return createHash('sha256').update(`${formatVersion}\0${version}\0${configHash}\0`).update(text).digest('hex').slice(0, 32)
}

/**
 * Where a post's analysis is cached.
 *
 * @param dir The cache folder.
 * @param key `analysisKey(…)`.
 */
export function analysisPath(dir: string, key: string): string {
  return join(dir, 'analysis', key.slice(0, 2), `${key}.json`)
}

interface Stored {
  // `nodes` is left out: it is `parseValue(value)`, cheaper to recompute than to store.
  segments: Array<Omit<Segment, 'slots' | 'nodes'> & {slots: Array<[string, Slot]>}>
  problems: AnalyzedPost['problems']
  fatal?: AnalyzedPost['fatal']
}

/**
 * Whether an analysis is cached (so the post needs no parsing).
 *
 * @param dir The cache folder.
 * @param key `analysisKey(…)`.
 */
export async function hasAnalysis(dir: string, key: string): Promise<boolean> {
  return existsSync(analysisPath(dir, key))
}

/**
 * Read a cached analysis, so `build` need not parse a post `extract` already parsed.
 * Anything unreadable counts as a miss.
 *
 * @param dir The cache folder.
 * @param key `analysisKey(…)`.
 * @param text The post (its body is kept; the tree is parsed only if needed).
 */
export async function readAnalysis(dir: string, key: string, text: string): Promise<AnalyzedPost | undefined> {
  try {
    const stored = JSON.parse(readFileSync(analysisPath(dir, key), 'utf8')) as Stored
    const {bom, body} = splitBom(text)
    let tree: ReturnType<typeof parseMarkdown> | undefined
    return {
      bom,
      body,
      tree: () => (tree ??= parseMarkdown(body)),
      segments: stored.segments.map((segment) => ({...segment, nodes: nodesOf(segment.value), slots: new Map(segment.slots)})),
      problems: stored.problems,
      ...(stored.fatal ? {fatal: stored.fatal} : {})
    }
  } catch {
    return undefined
  }
}

/**
 * Store an analysis in the cache.
 *
 * @param dir The cache folder.
 * @param key `analysisKey(…)`.
 * @param analysis The analysis.
 */
export async function writeAnalysis(dir: string, key: string, analysis: AnalyzedPost): Promise<void> {
  const stored: Stored = {
    segments: analysis.segments.map(({nodes: _nodes, ...segment}) => ({...segment, slots: [...segment.slots]})),
    problems: analysis.problems,
    ...(analysis.fatal ? {fatal: analysis.fatal} : {})
  }
  // The key is a content hash: an existing entry already holds these bytes.
  const path = analysisPath(dir, key)
  if (!existsSync(path)) await writeFileAtomic(path, JSON.stringify(stored), null)
}

function nodesOf(value: string): Segment['nodes'] {
  const parsed = parseValue(value)
  if (!parsed.ok) throw new Error('corrupt analysis cache entry')
  return parsed.nodes
}
