import {analysisKey, appendAnalysis, readAnalysis, type AnalysisRef} from '../cache/analysis-cache.js'
import {restampWritten, sameSignature, signatureOf, stampEach, type Stamps} from '../cache/stamps.js'
import {verifiedEditions} from '../cache/verified.js'
import type {Config} from '../config.js'
import {readIfExists, UnreadablePath} from '../io/read-text.js'
import {analyzePost, syntaxOf, type AnalyzedPost} from '../project/analyze.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import {readSource, unreadableMessage} from '../project/project.js'
import type {Message} from '../report/message.js'
import {compilePatterns, type CompiledPattern} from '../segment/protect.js'
import {stageNamed} from '../stages/stages.js'
import {mayReplay, signedAs, stateOf, unchangedByStamps, type Entry} from './replay.js'
import type {Pending, PostContents, PostFile, Stage, StageResult} from './stage.js'
import {writeOutputs} from './write-outputs.js'

/** What every post of a run shares: plain data, so it can cross into a worker thread. */
export interface RunContext {
  root: string
  config: Config
  /** A hash of `config`, computed once per run. */
  configHash: string
  version: string
  /** Cache folder, or `undefined` to run without a cache. */
  cacheDir: string | undefined
  /** Identifies one run (temporary files, the verified editions read once). */
  run: string
  /** The command's stages, by name, in order. */
  stages: readonly string[]
  /** Whether the command writes what its stage plans (then it has one stage). */
  write: boolean
}

/** What the runner knows of a post before working on it (it crosses into worker threads). */
export interface PostJob {
  paths: PostPaths
  /** Each stage's recorded entry, in the order of the command's stages. */
  entries: ReadonlyArray<Entry | undefined>
  /** The post's files stamped in advance, in the order of `filesOf`. */
  stamps?: Stamps | undefined
  /** Where a stage of another command left the post's analysis. */
  otherAnalysis?: AnalysisRef | undefined
}

/** What a command learns of one post. */
export interface PostAnswer {
  path: string
  /** Each stage's result, in the command's order (none when the post could not be read). */
  results: StageResult[]
  /** Whether each result was replayed from the record. */
  replayed: boolean[]
  /** Findings on the post outside any stage: a file that cannot be read, a post too complex to parse. */
  messages: Message[]
  /** Files written. */
  written: string[]
  /** How many editions were parsed and verified for it. */
  verified: number
}

/** What the runner did for a post: the answer, and what to record (what a worker thread sends back). */
export interface PostRun {
  answer: PostAnswer
  /** By stage: a new entry to record, `null` to forget the recorded one, `undefined` to keep it. */
  entries: Array<Entry | null | undefined>
  /** `verifiedKey`s of the editions verified, for every later run to trust. */
  verified: string[]
}

/** A command's stages and what follows from them, made once per run and thread. */
interface Shape {
  stages: Stage[]
  /** Every file any stage reads, in order: what the runner stamps and reads. */
  files: PostFile[]
  /** Where each stage's files stand among `files` (`undefined`: all of them, in order). */
  picks: Array<number[] | undefined>
  /** `signedAs` of each stage. */
  signed: string[]
  patterns: CompiledPattern[]
}

let shaped: {run: string; shape: Shape} | undefined

function shapeOf(context: RunContext): Shape {
  if (shaped?.run === context.run) return shaped.shape
  const stages = context.stages.map(stageNamed)
  if (context.write && stages.length !== 1) throw new Error('a command that writes has exactly one stage: a second would read files the first rewrote')
  const files = [...new Set(stages.flatMap((stage) => stage.reads))]
  const picks = stages.map((stage) => {
    const at = stage.reads.map((role) => files.indexOf(role))
    return at.length === files.length && at.every((position, index) => position === index) ? undefined : at
  })
  const shape = {stages, files, picks, signed: stages.map((stage) => signedAs(stage.name, context.version, context.configHash)), patterns: compilePatterns(context.config.protectedPatterns)}
  shaped = {run: context.run, shape}
  return shape
}

/**
 * What a verified edition's key is trusted under: Ponte's code and the configuration (which
 * decides how Markdown is parsed).
 *
 * @param context The run.
 */
export function verifiedVersion(context: Pick<RunContext, 'version' | 'configHash'>): string {
  return `${context.version}|${context.configHash}`
}

/**
 * The files of a post a command's stages read, in the order of its stamps.
 *
 * @param context The run.
 * @param paths The post's paths.
 */
export function filesOf(context: RunContext, paths: PostPaths): string[] {
  return shapeOf(context).files.map((role) => paths[role])
}

/**
 * The post answered from the record alone when its stamps show that no stage's files
 * changed (`undefined`: it must be read). Synchronous, so a run answers thousands of
 * unchanged posts in one pass.
 *
 * @param context The run.
 * @param job The post, its entries and its stamps.
 */
export function replayFromStamps(context: RunContext, job: PostJob & {stamps: Stamps}): PostRun | undefined {
  const shape = shapeOf(context)
  const results: StageResult[] = []
  for (let index = 0; index < shape.stages.length; index++) {
    const entry = job.entries[index]
    if (!mayReplay(entry, context.write, unchangedByStamps(entry, shape.signed[index] as string, job.stamps, shape.picks[index]))) return undefined
    results.push(entry.result)
  }
  return {answer: answerOf(job.paths, results, results.map(() => true)), entries: [], verified: []}
}

/** A post read, with what the record could answer: the stages left to plan. */
export interface Prepared {
  job: PostJob
  stamps: Stamps | undefined
  files: PostContents & {source: string}
  /** Each stage's result when replayed; `undefined` for the stages to plan. */
  results: Array<StageResult | undefined>
  entries: Array<Entry | null | undefined>
  /** The analysis key of the source (empty without a cache), and a recorded analysis of it, if any. */
  key: string
  stored: AnalysisRef | undefined
}

/**
 * Read a post and answer what the record can: every stage whose files' contents are those
 * it was recorded from is replayed. A post with stages left to plan comes back `Prepared`
 * for `workPrepared` (whether its analysis is cached tells how heavy that work is).
 *
 * @param context The run.
 * @param job The post and its entries.
 */
export async function preparePost(context: RunContext, job: PostJob): Promise<PostRun | Prepared> {
  const shape = shapeOf(context)
  const {root} = context
  const stamps = context.cacheDir ? (job.stamps ?? stampEach(filesOf(context, job.paths).map((path) => resolvePath(root, path)))) : undefined
  if (stamps && !job.stamps) {
    const replayed = replayFromStamps(context, {...job, stamps})
    if (replayed) return replayed
  }
  const source = await readSource(root, job.paths)
  if (!source.ok) return failed(job.paths, source.message, shape.stages.length)
  const files: PostContents & {source: string} = {source: source.text}
  try {
    for (const role of shape.files) if (role !== 'source') files[role] = readIfExists(resolvePath(root, job.paths[role]))
  } catch (error) {
    // catch: UnreadablePath only: a file of this post exists but cannot be read, so nothing
    // of the post is written (an unreadable catalog is not an empty one) and nothing is recorded.
    if (error instanceof UnreadablePath) return failed(job.paths, unreadableMessage(root, error), shape.stages.length)
    throw error
  }
  const results: Prepared['results'] = []
  const entries: Prepared['entries'] = []
  shape.stages.forEach((stage, index) => {
    const entry = job.entries[index]
    const signed = shape.signed[index] as string
    // (No entry, nothing to compare: the post's files are not hashed for nothing.)
    if (!context.cacheDir || !entry || !mayReplay(entry, context.write, entry.state === stateOf(stage, signed, files))) return
    results[index] = entry.result
    // The contents are those recorded, the stamps are not (a clone, a touch): record the new ones.
    const signature = stamps && signatureOf(signed, stamps, shape.picks[index])
    if (!sameSignature(signature, entry.signature)) entries[index] = {...entry, signature}
  })
  if (shape.stages.every((_stage, index) => results[index] !== undefined)) {
    return {answer: answerOf(job.paths, results as StageResult[], results.map(() => true)), entries, verified: []}
  }
  const key = context.cacheDir ? analysisKey(source.text, context.configHash, context.version) : ''
  const stored = [...job.entries.map((entry) => entry?.analysis), job.otherAnalysis].find((ref) => ref?.key === key)
  return {job, stamps, files, results, entries, key, stored}
}

/**
 * Plan the stages the record could not answer for, write what a writing command planned,
 * and make the entries to record.
 *
 * @param context The run.
 * @param prepared The post as `preparePost` left it.
 */
export async function workPrepared(context: RunContext, prepared: Prepared): Promise<PostRun> {
  const shape = shapeOf(context)
  const {root, cacheDir} = context
  const {job, files, entries} = prepared
  const {paths} = job
  const {analysis, ref} = analyze(context, prepared, shape.patterns)
  const verified = cacheDir ? verifiedEditions(cacheDir, context.run, verifiedVersion(context)) : undefined
  const results: StageResult[] = []
  const replayed: boolean[] = []
  const written: string[] = []
  const verifiedKeys: string[] = []
  for (let index = 0; index < shape.stages.length; index++) {
    const recorded = prepared.results[index]
    replayed.push(recorded !== undefined)
    if (recorded) {
      results.push(recorded)
      continue
    }
    const stage = shape.stages[index] as Stage
    const plan = stage.plan({paths, files, analysis, config: context.config, patterns: shape.patterns, verified})
    if (plan.verified !== undefined) verifiedKeys.push(plan.verified)
    const messages = [...plan.result.messages]
    const changed = new Map([...plan.outputs].filter(([path, content]) => contentOf(paths, files, path) !== content))
    if (context.write && !plan.result.refused && changed.size > 0) {
      const done = await writeOutputs(root, changed, messages, (path) => contentOf(paths, files, path), context.run)
      for (const path of done) {
        files[roleOf(paths, path)] = changed.get(path) as string
        changed.delete(path)
      }
      written.push(...done)
    }
    const pending: Pending[] = [...changed.keys()].map((path) => ({path, absent: contentOf(paths, files, path) === undefined}))
    const result: StageResult = {...plan.result, messages, pending}
    results.push(result)
    // A writing command records only a post it left as planned: the rest is done again next time.
    const settled = !context.write || (!result.refused && pending.length === 0)
    if (!cacheDir || !settled) {
      entries[index] = null
      continue
    }
    const stamps = prepared.stamps && restamp(root, filesOf(context, paths), prepared.stamps, written)
    const signed = shape.signed[index] as string
    entries[index] = {state: stateOf(stage, signed, files), signature: stamps && signatureOf(signed, stamps, shape.picks[index]), analysis: ref, result}
  }
  return {answer: {...answerOf(paths, results, replayed), written, verified: verifiedKeys.length}, entries, verified: verifiedKeys}
}

/**
 * Everything the runner does for one post: the record's answer, or the stages planned and
 * their files written.
 *
 * @param context The run.
 * @param job The post and its entries.
 */
export async function workPost(context: RunContext, job: PostJob): Promise<PostRun> {
  const prepared = await preparePost(context, job)
  return 'answer' in prepared ? prepared : workPrepared(context, prepared)
}

/**
 * A post's answer when one of its files cannot be read: the message, no stage result, and
 * the recorded entries forgotten (they describe files as they no longer are).
 *
 * @param paths The post's paths.
 * @param item The message.
 * @param stages How many stages the command has.
 */
export function failed(paths: PostPaths, item: Message, stages: number): PostRun {
  return {answer: {path: paths.post, results: [], replayed: [], messages: [item], written: [], verified: 0}, entries: Array.from({length: stages}, () => null), verified: []}
}

/** One empty list for every empty list a run keeps (never changed: a command reads results, it does not edit them). */
const none: never[] = []
Object.freeze(none)

/**
 * What a run keeps of a post's run until it ends: the same data, with every empty list the
 * one shared empty list and the strings every post repeats (the signature's subject, the
 * pack's name, the post's paths) the run's own. A run holds 10,000 of these; a thread's
 * answer arrives as fresh copies of each, and they were a quarter of a cold run's heap.
 *
 * @param context The run.
 * @param paths The post's paths.
 * @param run The post's run, as a thread sent it.
 */
export function keptRun(context: RunContext, paths: PostPaths, run: PostRun): PostRun {
  const shape = shapeOf(context)
  const list = <T>(items: T[]): T[] => (items.length === 0 ? none : items)
  const results = new Set<StageResult>()
  const keepResult = (result: StageResult): void => {
    if (results.has(result)) return
    results.add(result)
    result.messages = list(result.messages)
    result.pending = list(result.pending)
    const facts = result.facts as {stale?: unknown[]; missing?: unknown[]} | undefined
    if (facts && Array.isArray(facts.stale)) facts.stale = list(facts.stale)
    if (facts && Array.isArray(facts.missing)) facts.missing = list(facts.missing)
  }
  const {answer} = run
  answer.path = paths.post
  answer.messages = list(answer.messages)
  answer.written = answer.written.length === 0 ? none : answer.written.map((path) => roleOf(paths, path)).map((role) => paths[role])
  answer.results.forEach(keepResult)
  run.entries.forEach((entry, index) => {
    if (!entry) return
    keepResult(entry.result)
    if (entry.signature && entry.signature.of === shape.signed[index]) entry.signature.of = shape.signed[index]
    if (entry.analysis) entry.analysis.pack = packName(entry.analysis.pack)
  })
  run.verified = list(run.verified)
  return run
}

const packNames = new Map<string, string>()

/** The one copy of a pack's name (a run has one or two packs per thread, named in every post's entry). */
function packName(name: string): string {
  const known = packNames.get(name)
  if (known !== undefined) return known
  if (packNames.size > 64) packNames.clear()
  packNames.set(name, name)
  return name
}

function answerOf(paths: PostPaths, results: StageResult[], replayed: boolean[]): PostAnswer {
  return {path: paths.post, results, replayed, messages: [], written: [], verified: 0}
}

/**
 * The post's analysis: from the cache when an entry recorded one for these bytes,
 * otherwise parsed and stored for the next stage that must plan.
 */
function analyze(context: RunContext, prepared: Prepared, patterns: readonly CompiledPattern[]): {analysis: AnalyzedPost; ref?: AnalysisRef | undefined} {
  const {cacheDir} = context
  const text = prepared.files.source
  const cached = cacheDir && prepared.stored ? readAnalysis(cacheDir, prepared.stored, text, syntaxOf(context.config)) : undefined
  if (cached) return {analysis: cached, ref: prepared.stored}
  const analysis = analyzePost(text, context.config, patterns)
  if (!cacheDir) return {analysis}
  try {
    return {analysis, ref: appendAnalysis(cacheDir, context.run, prepared.key, analysis)}
  } catch (error) {
    // catch: file-system errors only: a cache that cannot be written only costs a parse next time.
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
    return {analysis}
  }
}

/** The role of one of the post's files. */
function roleOf(paths: PostPaths, path: string): PostFile {
  for (const role of ['sourceCatalog', 'targetCatalog', 'archive', 'lock', 'edition', 'source'] as const) if (paths[role] === path) return role
  throw new Error(`${path} is not a file of ${paths.post}`)
}

function contentOf(paths: PostPaths, files: PostContents, path: string): string | undefined {
  return files[roleOf(paths, path)]
}

/** The stamps after this post's writes: Ponte's own writes, under the run lock, are never racy. */
function restamp(root: string, files: readonly string[], stamps: Stamps, written: readonly string[]): Stamps {
  if (written.length === 0) return stamps
  const after = stamps.slice()
  for (const path of written) {
    const at = files.indexOf(path)
    if (at !== -1) restampWritten(after, at, resolvePath(root, path))
  }
  return after
}
