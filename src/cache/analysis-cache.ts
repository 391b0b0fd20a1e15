import {createHash, hash} from 'node:crypto'
import {appendFileSync, closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync} from 'node:fs'
import {basename, join} from 'node:path'
import {threadId} from 'node:worker_threads'
import {structureDigest} from '../assemble/structure.js'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readJsonIfValid} from '../io/read-text.js'
import {parseMarkdown, splitBom, type ParseOptions} from '../parse/parse.js'
import type {AnalyzedPost} from '../project/analyze.js'
import type {Segment} from '../segment/segment.js'
import type {Slot} from '../segment/slots.js'
import {parseValue} from '../segment/tagged.js'

/** Bump when the segmentation changes, so old cache entries are never read. */
const formatVersion = 3

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
 * Where a post's analysis is stored: a line of a pack, the file that one thread of one run
 * appends its analyses to. Recorded with the post's outcome, so the next run finds it
 * without a lookup and without a file per post.
 */
export interface AnalysisRef {
  /** `analysisKey(…)` of the post the analysis is of. */
  key: string
  /** File name of the pack, under `<cache>/analysis/`. */
  pack: string
  offset: number
  length: number
}

/**
 * Each pack line starts with a checksum of the rest: an entry changed in any byte is a
 * miss (a parse), never an analysis that differs from the post's.
 */
const sumLength = 16

function checksum(json: string): string {
  return hash('sha1', json, 'hex').slice(0, sumLength)
}

const packFolder = 'analysis'
const packSuffix = '.pack'

interface Stored {
  // `nodes` is left out: it is `parseValue(value)`, cheaper to recompute than to store.
  segments: Array<Omit<Segment, 'slots' | 'nodes'> & {slots: Array<[string, Slot]>}>
  problems: AnalyzedPost['problems']
  fatal?: AnalyzedPost['fatal']
  /** `structureDigest` of the tree: build verifies a translated edition against it instead of parsing the post again. */
  structure: string
}

/**
 * Read a cached analysis, so `build` need not parse a post `extract` already parsed.
 * Anything unreadable, or stored for other bytes, counts as a miss.
 *
 * @param dir The cache folder.
 * @param ref Where it was stored.
 * @param text The post (its body is kept; the tree is parsed only if needed).
 * @param syntax The syntax it is parsed with (the configuration's, which the analysis key includes).
 */
export function readAnalysis(dir: string, ref: AnalysisRef, text: string, syntax: ParseOptions = {}): AnalyzedPost | undefined {
  try {
    const bytes = Buffer.alloc(ref.length)
    const fd = openSync(join(dir, packFolder, basename(ref.pack)), 'r')
    try {
      if (readSync(fd, bytes, 0, ref.length, ref.offset) !== ref.length) return undefined
    } finally {
      closeSync(fd)
    }
    const line = bytes.toString('utf8')
    const json = line.slice(sumLength)
    if (line.slice(0, sumLength) !== checksum(json)) return undefined
    const stored = JSON.parse(json) as Stored & {key?: string}
    if (stored.key !== ref.key) return undefined
    const {bom, body} = splitBom(text)
    let tree: ReturnType<typeof parseMarkdown> | undefined
    return {
      bom,
      body,
      tree: () => (tree ??= parseMarkdown(body, syntax)),
      syntax,
      segments: stored.segments.map(revive),
      problems: stored.problems,
      ...(typeof stored.structure === 'string' ? {structure: stored.structure} : {}),
      ...(stored.fatal ? {fatal: stored.fatal} : {})
    }
  } catch {
    // catch: any failure to read or decode a cached entry (a pack swept or unreadable, a torn
    // line): the cache is derived data, and a miss only costs a parse.
    return undefined
  }
}

// The pack this thread appends to in the current run, and its size so far.
let current: {run: string; name: string; size: number} | undefined

/**
 * Store an analysis in the cache: one line appended to this thread's pack for this run
 * (an append costs a fraction of creating a file per post). A run killed mid-append
 * leaves a pack no outcome refers to; `sweepPacks` removes it.
 *
 * @param dir The cache folder.
 * @param run The run's id.
 * @param key `analysisKey(…)`.
 * @param analysis The analysis.
 * @returns Where it was stored.
 */
export function appendAnalysis(dir: string, run: string, key: string, analysis: AnalyzedPost): AnalysisRef {
  // Kept on the analysis too: an edition verified against it can then be remembered (`verifiedKey`).
  analysis.structure ??= structureDigest(analysis.tree())
  const stored: Stored & {key: string} = {
    key,
    segments: analysis.segments.map(({nodes: _nodes, ...segment}) => ({...segment, slots: [...segment.slots]})),
    problems: analysis.problems,
    structure: analysis.structure,
    ...(analysis.fatal ? {fatal: analysis.fatal} : {})
  }
  const json = JSON.stringify(stored)
  const line = Buffer.from(checksum(json) + json + '\n')
  if (current?.run !== run) {
    current = {run, name: `${run}-${threadId}${packSuffix}`, size: 0}
    mkdirSync(join(dir, packFolder), {recursive: true})
  }
  appendFileSync(join(dir, packFolder, current.name), line)
  const ref = {key, pack: current.name, offset: current.size, length: line.length - 1}
  current.size += line.length
  return ref
}

/**
 * Remove the packs no recorded outcome refers to (and the per-post files of Ponte 0.1's
 * first cache layout). Only under the run lock: no other run is appending.
 *
 * @param dir The cache folder.
 * @param referenced Pack names some outcome refers to.
 */
export function sweepPacks(dir: string, referenced: ReadonlySet<string>): void {
  let names: string[]
  try {
    names = readdirSync(join(dir, packFolder))
  } catch {
    // catch: any file-system error: no pack folder (or none readable) means nothing to sweep.
    return
  }
  for (const name of names) if (!referenced.has(name)) rmSync(join(dir, packFolder, name), {recursive: true, force: true})
}

/**
 * Record which packs a stage's recorded entries refer to, so a run of another command can
 * sweep without reading those entries.
 *
 * @param dir The cache folder.
 * @param stage The stage's name.
 * @param packs The packs its entries' analyses are in.
 */
export async function recordPacks(dir: string, stage: string, packs: ReadonlySet<string>): Promise<void> {
  await writeFileAtomic(join(dir, `${stage}-packs.json`), JSON.stringify([...packs].sort()) + '\n')
}

/**
 * The packs any stage's recorded entries refer to (a list that cannot be read refers to
 * none: a pack swept too soon only costs a parse).
 *
 * @param dir The cache folder.
 */
export function referencedPacks(dir: string): Set<string> {
  const packs = new Set<string>()
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('-packs.json')) continue
    const names = readJsonIfValid(join(dir, name))
    if (Array.isArray(names)) for (const pack of names) if (typeof pack === 'string') packs.add(pack)
  }
  return packs
}

/**
 * Record where a stage's entries left each post's analysis, so a command that does not run
 * that stage can find it without loading its record.
 *
 * @param dir The cache folder.
 * @param stage The stage's name.
 * @param refs Post path → where its analysis is.
 */
export async function recordAnalyses(dir: string, stage: string, refs: ReadonlyMap<string, AnalysisRef>): Promise<void> {
  await writeFileAtomic(join(dir, `${stage}-analyses.json`), JSON.stringify(Object.fromEntries(refs)) + '\n')
}

/**
 * Where a stage's entries left each post's analysis (empty when unrecorded or unreadable:
 * an analysis not found only costs a parse).
 *
 * @param dir The cache folder.
 * @param stage The stage's name.
 */
export function analysesOf(dir: string, stage: string): Map<string, AnalysisRef> {
  const refs = readJsonIfValid(join(dir, `${stage}-analyses.json`))
  return refs && typeof refs === 'object' && !Array.isArray(refs) ? new Map(Object.entries(refs as Record<string, AnalysisRef>)) : new Map()
}

/**
 * A stored segment as `segmentPost` made it. Its `nodes` are parsed from its value on first
 * use: only a segment with a translation to render needs them, and most of a cold build's
 * segments have none yet.
 */
function revive(stored: Stored['segments'][number]): Segment {
  let nodes: Segment['nodes'] | undefined
  return Object.defineProperty({...stored, slots: new Map(stored.slots)}, 'nodes', {
    enumerable: true,
    get: (): Segment['nodes'] => (nodes ??= nodesOf(stored.value))
  }) as Segment
}

function nodesOf(value: string): Segment['nodes'] {
  const parsed = parseValue(value)
  if (!parsed.ok) throw new Error(`a cached analysis holds a value Ponte cannot read back (${JSON.stringify(value.slice(0, 60))}); delete node_modules/.cache/ponte and run again, and report this as a bug`)
  return parsed.nodes
}
