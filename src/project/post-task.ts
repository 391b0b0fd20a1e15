import {analysisKey, appendAnalysis, readAnalysis, type AnalysisRef} from '../cache/analysis-cache.js'
import {matches, restampWritten, signatureOf, stampEach, type Signature, type Stamps} from '../cache/stamps.js'
import {stateHash} from '../cache/state-cache.js'
import {verifiedEditions} from '../cache/verified.js'
import type {Config} from '../config.js'
import {readIfExists, UnreadablePath} from '../io/read-text.js'
import {accessSync, constants} from 'node:fs'
import {dirname} from 'node:path'
import {PathOutsideRoot, writeInside} from '../io/write-inside.js'
import {message, type Message} from '../report/message.js'
import {compilePatterns, type CompiledPattern} from '../segment/protect.js'
import {analyzePost, syntaxOf, type AnalyzedPost} from './analyze.js'
import {planBuild, type BuildPlan, type PostCounts, type StaleKey} from './build-post.js'
import {planExtract, type KeyCounts, type PostFiles} from './extract-post.js'
import {resolvePath, type PostPaths} from './paths.js'
import {readPostFiles, readSource, unreadableMessage} from './project.js'

/** The per-post work of each command. */
export type TaskKind = 'extract' | 'build' | 'status' | 'check'

/** What a task needs besides the post: plain data, so it can cross into a worker thread. */
export interface TaskContext {
  root: string
  config: Config
  version: string
  /** Cache folder, or `undefined` to run without a cache. */
  cacheDir: string | undefined
  /** Fail on stale and missing translations (`check --strict`). */
  strict: boolean
  /** A hash of `config`, computed once per run: part of every state and signature. */
  configHash: string
  /** Identifies one run, so folder checks are shared by its posts and by no other run. */
  run: string
}

/** What a task did for one post. Plain data (it crosses threads and is cached). */
export interface PostOutcome {
  path: string
  messages: Message[]
  written: string[]
  /** The post's state after the task, for the incremental cache (writing tasks only). */
  state?: string
  /** Whether the cache showed nothing had changed, so nothing was parsed or written. */
  cached?: boolean
  keyCounts?: KeyCounts
  refused?: boolean
  counts?: PostCounts
  hasEdition?: boolean
  stale?: StaleKey[]
  /** The first key with no translation, if any (recorded by build so check can replay its finding; `counts.missing` has the number). */
  missing?: string[]
  /** Where the stale keys and the first missing key stand in the English catalog, so a replayed check need not read it. */
  places?: Record<string, {line: number; column: number}>
  /**
   * The stamps (inode, size, time) of the files the state was computed from: while they
   * match, the state does too, and the post is answered without even reading it.
   */
  signature?: Signature | undefined
  /** Where the post's analysis is cached, so the next command need not parse it. */
  analysis?: AnalysisRef
  /** The `verifiedKey` of an edition this task parsed and verified, for the run to remember (not recorded with the outcome). */
  verified?: string
}

// By configuration hash: a worker receives a copy of the configuration with every post.
const compiled = new Map<string, CompiledPattern[]>()

/**
 * Run one command's work for one post: read its files, skip it when its state matches
 * the cache, analyze it (from the cache when `extract` already did), plan, write.
 *
 * @param kind The command.
 * @param context Root, configuration, cache.
 * @param paths The post's paths.
 * @param cached The outcomes recorded after the last `extract` and `build`, if any.
 */
export async function runPostTask(kind: TaskKind, context: TaskContext, paths: PostPaths, cached: CachedOutcomes = {}): Promise<PostOutcome> {
  const outcome = await runPostTaskOr(kind, context, paths, cached, false)
  if (typeof outcome === 'string') throw new Error('unreachable: a task without probe always has an outcome')
  return outcome
}

/** The outcomes recorded for a post after the last `extract` and `build`. */
export interface CachedOutcomes {
  extract?: PostOutcome | undefined
  build?: PostOutcome | undefined
  /** The outcome check recorded (its hard findings; the stale and missing ones are the run's). */
  check?: PostOutcome | undefined
  /** Where extract cached the post's analysis, when its outcome is not loaded (build, status). */
  extractAnalysis?: AnalysisRef | undefined
  /** The post's files stamped in advance (before anything was read), in the order of `stampedFiles`. */
  stamps?: Stamps | undefined
}

/**
 * Like `runPostTask`, but with `probe` only answers from the cache: the replayed outcome,
 * `'light'` when the post needs work but no parsing (its analysis is cached), or
 * `'heavy'` when it must be parsed (work for a worker thread).
 *
 * @param kind The command.
 * @param context Root, configuration, cache.
 * @param paths The post's paths.
 * @param cached Recorded outcomes.
 * @param probe Whether to stop before parsing.
 */
export async function runPostTaskOr(kind: TaskKind, context: TaskContext, paths: PostPaths, cached: CachedOutcomes, probe: boolean): Promise<PostOutcome | 'light' | 'heavy'> {
  const {root, config, version, configHash} = context
  let patterns = compiled.get(configHash)
  if (!patterns) {
    patterns = compilePatterns(config.protectedPatterns)
    compiled.set(configHash, patterns)
  }
  // Stamp the files before reading them: when the stamps match those recorded with the
  // last outcome, nothing changed, and the post is answered without reading a byte.
  const stamps = context.cacheDir ? stampFiles(root, paths, kind, cached.stamps) : undefined
  const signature = (command: Recorder, current = stamps): Signature | undefined => current && signatureOf(signedAs(command, context), current, picks[kind][command])
  const replay = stamps && replayFromStamps(kind, context, paths, cached, stamps)
  if (replay) return replay

  const source = await readSource(root, paths)
  if (!source.ok) return {path: paths.post, messages: [source.message], written: []}
  let files: PostFiles
  let edition: string | undefined
  try {
    files = await readPostFiles(root, paths)
    edition = kind === 'extract' ? undefined : readIfExists(resolvePath(root, paths.edition))
  } catch (error) {
    // catch: UnreadablePath only: a file of this post exists but cannot be read, so nothing
    // of the post is written (an unreadable catalog is not an empty one) and nothing is recorded.
    if (error instanceof UnreadablePath) return {path: paths.post, messages: [unreadableMessage(root, error)], written: []}
    throw error
  }
  const extractState = (current: PostFiles): string => stateHash(['extract', version, configHash, source.text, current.sourceCatalog, current.targetCatalog, current.lock, current.archive])
  const buildState = (current: string | undefined): string => stateHash(['build', version, configHash, source.text, files.sourceCatalog, files.targetCatalog, files.lock, current])
  // Nothing changed since the last run (the stamps differ, the contents do not): replay
  // what it found, parse and write nothing, and record the new stamps.
  if (kind === 'extract' && cached.extract?.state === extractState(files)) return {...replayExtract(cached.extract, paths), signature: signature('extract')}
  if ((kind === 'build' || kind === 'status') && cached.build?.state === buildState(edition)) return {...cached.build, written: [], cached: true, signature: signature('build')}
  const checkState = (): string => stateHash(['check', version, configHash, source.text, files.sourceCatalog, files.targetCatalog, files.lock, files.archive, edition])
  if (kind === 'check' && cached.check?.state === checkState()) return {...replayed(cached.check), signature: signature('check')}
  if (kind === 'check' && cached.build?.state === buildState(edition) && cached.extract?.state === extractState(files)) {
    return {...replayCheck(cached.extract, cached.build), state: checkState(), signature: signature('check')}
  }
  const key = context.cacheDir ? analysisKey(source.text, configHash, version) : ''
  const stored = [cached.build?.analysis, cached.extract?.analysis, cached.extractAnalysis].find((ref) => ref?.key === key)
  if (probe) return stored ? 'light' : 'heavy'

  const {analysis, ref} = analyze(source.text, key, stored, context, patterns, kind === 'extract' || kind === 'build')
  switch (kind) {
    case 'extract': {
      const plan = planExtract(paths, source.text, files, config, patterns, analysis)
      const written = plan.refused ? [] : await writeAll(root, plan.files, plan.messages, (path) => files[keyOf(paths, path)], context.run)
      const after = {...files, ...Object.fromEntries([...plan.files].map(([path, content]) => [keyOf(paths, path), content]))}
      const outcome: PostOutcome = {path: paths.post, messages: plan.messages, written, keyCounts: plan.counts, refused: plan.refused}
      if (!plan.refused && written.length === plan.files.size - unchanged(plan.files, files, paths)) {
        outcome.state = extractState(after)
        outcome.signature = signature('extract', restamp(root, kind, paths, stamps, written))
        if (ref) outcome.analysis = ref
      }
      return outcome
    }
    case 'build':
    case 'status': {
      const plan = planBuild(paths, source.text, files, config, patterns, kind === 'build', analysis, verifiedOf(context))
      const outcome = builtOutcome(paths, plan)
      if (kind === 'build') {
        if (plan.edition !== undefined) {
          const files = new Map([[paths.edition, plan.edition]])
          outcome.written = await writeAll(root, files, outcome.messages, () => edition, context.run)
        }
        if (!outcome.messages.some((item) => item.ruleId === 'path-outside-root')) {
          outcome.state = buildState(plan.edition ?? edition)
          outcome.signature = signature('build', restamp(root, kind, paths, stamps, outcome.written))
          if (ref) outcome.analysis = ref
        }
      }
      return outcome
    }
    case 'check': {
      // Build's plan and extract's plan, compared with what is on disk. A half whose inputs
      // are those its command last recorded is that command's recorded answer: check after
      // build does not assemble or verify the editions again, only extract's half is planned.
      const recorded = cached.build?.state === buildState(edition) ? cached.build : undefined
      let built: PostOutcome
      if (recorded) built = {...recorded, messages: [...recorded.messages]}
      else {
        const plan = planBuild(paths, source.text, files, config, patterns, true, analysis, verifiedOf(context))
        built = builtOutcome(paths, plan)
        if (plan.edition !== undefined && edition !== plan.edition) {
          built.messages.push(message(paths.edition, undefined, 'error', 'edition-outdated', edition === undefined ? 'missing' : `out of date with ${paths.targetCatalog}`, 'run `npm run build` and commit the result'))
        }
      }
      const outcome: PostOutcome = {...built, written: [], messages: built.messages}
      delete outcome.state
      delete outcome.signature
      delete outcome.cached
      if (cached.extract?.state === extractState(files)) outcome.messages.push(...cached.extract.messages.filter((item) => item.ruleId !== 'catalog-key-unknown'))
      else {
        const extracted = planExtract(paths, source.text, files, config, patterns, analysis)
        // planBuild already reported unknown keys, in the words of a run that writes nothing.
        outcome.messages.push(...extracted.messages.filter((item) => item.ruleId !== 'catalog-key-unknown'))
        for (const [path, content] of extracted.files) {
          // The lock lags behind a translator's edits until the next extract; that is harmless
          // (stale detection reads the catalogs), so CI does not fail on it.
          if (path === paths.lock) continue
          const current = files[keyOf(paths, path)]
          if (current !== content) outcome.messages.push(message(path, undefined, 'error', 'catalog-outdated', current === undefined ? `missing: ${paths.source} has not been extracted` : `out of date with ${paths.source}`, 'run `npm run extract` and commit the result'))
        }
      }
      // Recorded without the stale and missing findings, whose severity is the run's (`check.ts` adds them).
      outcome.state = checkState()
      outcome.signature = signature('check')
      return outcome
    }
  }
}

/** What build's plan of a post reports, as an outcome (nothing written yet). */
function builtOutcome(paths: PostPaths, plan: BuildPlan): PostOutcome {
  const outcome: PostOutcome = {path: paths.post, messages: plan.messages, written: [], counts: plan.counts, hasEdition: plan.edition !== undefined, stale: plan.stale, missing: plan.missing.slice(0, 1), places: plan.places}
  if (plan.assembled?.verified !== undefined) outcome.verified = plan.assembled.verified
  return outcome
}

/** The editions this run may take as verified (none without a cache). */
function verifiedOf(context: TaskContext): Set<string> | undefined {
  return context.cacheDir ? verifiedEditions(context.cacheDir, context.run, verifiedVersion(context)) : undefined
}

/**
 * What a verified edition's key is trusted under: Ponte's code and the configuration (which
 * decides how Markdown is parsed).
 *
 * @param context The run's context.
 */
export function verifiedVersion(context: Pick<TaskContext, 'version' | 'configHash'>): string {
  return `${context.version}|${context.configHash}`
}

/** The files each command's state depends on, in order. */
const watched = {
  extract: ['source', 'sourceCatalog', 'targetCatalog', 'archive', 'lock'],
  build: ['source', 'sourceCatalog', 'targetCatalog', 'lock', 'edition']
} as const satisfies Record<'extract' | 'build', ReadonlyArray<keyof PostPaths>>

type Watched = (typeof watched)[keyof typeof watched][number]

/** The files each kind of run stamps, in order (check replays both commands' outcomes, so it needs both sets). */
const stamped: Record<TaskKind, readonly Watched[]> = {
  extract: watched.extract,
  build: watched.build,
  status: watched.build,
  check: [...new Set([...watched.extract, ...watched.build])]
}

/** Where each command's files stand among the files a kind of run stamps (`undefined`: in the same order, all of them). */
const picks = Object.fromEntries(
  Object.entries(stamped).map(([kind, fields]) => [
    kind,
    {
      extract: picked(fields, watched.extract),
      build: picked(fields, watched.build),
      check: picked(fields, stamped.check)
    }
  ])
) as Record<TaskKind, Record<Recorder, number[] | undefined>>

/** The commands whose outcomes are recorded (status replays build's). */
export type Recorder = 'extract' | 'build' | 'check'

function picked(fields: readonly Watched[], wanted: readonly Watched[]): number[] | undefined {
  const at = wanted.map((field) => fields.indexOf(field))
  return at.length === fields.length && at.every((position, index) => position === index) ? undefined : at
}

/**
 * The files a kind of run stamps for one post, in the order of their stamps.
 *
 * @param kind The command.
 * @param paths The post's paths.
 */
export function stampedFiles(kind: TaskKind, paths: PostPaths): string[] {
  return stamped[kind].map((field) => paths[field])
}

/** What a post's signature for `command` depends on besides its files: the command, Ponte's version and the configuration (made once per run and command). */
function signedAs(command: Recorder, context: TaskContext): string {
  let made = signedAsMade.get(context)
  if (!made) {
    made = {extract: `extract|${context.version}|${context.configHash}`, build: `build|${context.version}|${context.configHash}`, check: `check|${context.version}|${context.configHash}`}
    signedAsMade.set(context, made)
  }
  return made[command]
}

const signedAsMade = new WeakMap<TaskContext, Record<Recorder, string>>()

/**
 * The recorded outcome of a post when its stamps show that nothing it depends on changed
 * (`undefined`: it must be read). Synchronous, so a run can answer thousands of unchanged
 * posts in one pass.
 *
 * @param kind The command.
 * @param context Root, configuration, cache.
 * @param paths The post's paths.
 * @param cached Recorded outcomes (and stamps taken in advance, if any).
 * @param stamps The post's stamps (taken now when not given).
 */
export function replayFromStamps(kind: TaskKind, context: TaskContext, paths: PostPaths, cached: CachedOutcomes, stamps = stampFiles(context.root, paths, kind, cached.stamps)): PostOutcome | undefined {
  const fresh = (command: Recorder): boolean => matches(cached[command]?.signature, signedAs(command, context), stamps, picks[kind][command])
  if (kind === 'extract') return fresh('extract') ? replayExtract(cached.extract as PostOutcome, paths) : undefined
  if (kind === 'build' || kind === 'status') return fresh('build') ? replayed(cached.build as PostOutcome) : undefined
  if (fresh('check')) return replayed(cached.check as PostOutcome)
  return fresh('build') && fresh('extract') ? replayCheck(cached.extract as PostOutcome, cached.build as PostOutcome) : undefined
}

function stampFiles(root: string, paths: PostPaths, kind: TaskKind, taken: Stamps | undefined): Stamps {
  return taken ?? stampEach(stampedFiles(kind, paths).map((path) => resolvePath(root, path)))
}

/** The stamps after this task wrote `written`: Ponte's own writes, under the run lock, are never racy. */
function restamp(root: string, kind: TaskKind, paths: PostPaths, stamps: Stamps | undefined, written: readonly string[]): Stamps | undefined {
  if (!stamps) return undefined
  const files = stampedFiles(kind, paths)
  const after = stamps.slice()
  for (const path of written) {
    const at = files.indexOf(path)
    if (at !== -1) restampWritten(after, at, resolvePath(root, path))
  }
  return after
}

/**
 * The recorded outcome itself, marked as replayed: each run reads the record afresh (and
 * its outcomes have written nothing), so it need not be copied; 10,000 copies were a
 * tenth of what an edit at 10,000 posts allocated.
 */
function replayed(recorded: PostOutcome): PostOutcome {
  recorded.cached = true
  if (recorded.written.length > 0) recorded.written = []
  return recorded
}

/** What an extract with nothing to do reports: every key unchanged, and only the findings in the post itself (a merge's findings, such as archived keys, happened once). */
function replayExtract(cached: PostOutcome, paths: PostPaths): PostOutcome {
  const segments = cached.keyCounts?.segments ?? 0
  return {
    ...cached,
    keyCounts: {segments, same: segments, edited: 0, restored: 0, added: 0, archived: 0},
    messages: cached.messages.filter((item) => item.file === paths.source),
    written: [],
    cached: true
  }
}

/** What a check with nothing changed reports: the recorded findings, and the stale and missing ones (at the places build recorded) at this run's severity. */
function replayCheck(extracted: PostOutcome, built: PostOutcome): PostOutcome {
  return {...built, messages: [...extracted.messages.filter((item) => item.ruleId !== 'catalog-key-unknown'), ...built.messages], written: [], cached: true}
}

/**
 * The post's analysis: from the cache when an outcome recorded one for these bytes,
 * otherwise parsed (and, for a command that records its outcomes, stored).
 */
function analyze(
  text: string,
  key: string,
  stored: AnalysisRef | undefined,
  context: TaskContext,
  patterns: readonly CompiledPattern[],
  store: boolean
): {analysis: AnalyzedPost; ref?: AnalysisRef | undefined} {
  const cached = context.cacheDir && stored ? readAnalysis(context.cacheDir, stored, text, syntaxOf(context.config)) : undefined
  if (cached) return {analysis: cached, ref: stored}
  const analysis = analyzePost(text, context.config, patterns)
  if (!context.cacheDir || !store) return {analysis}
  try {
    return {analysis, ref: appendAnalysis(context.cacheDir, context.run, key, analysis)}
  } catch (error) {
    // catch: file-system errors only: a cache that cannot be written only costs a parse next time.
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
    return {analysis}
  }
}

async function writeAll(root: string, files: ReadonlyMap<string, string>, messages: Message[], previousOf: (path: string) => string | undefined, run: string): Promise<string[]> {
  const changed = [...files].filter(([path, content]) => previousOf(path) !== content)
  // A folder that refuses writes is found before any of the post's files is written, so a
  // post is not left half written (its Italian catalog new, its English one old).
  for (const [path] of changed) {
    const refusal = writeRefusal(resolvePath(root, path))
    if (refusal) {
      messages.push(message(path, undefined, 'error', 'file-unwritable', `cannot be written (${refusal}); none of this post's files was written`, writeFix(refusal)))
      return []
    }
  }
  const written: string[] = []
  for (const [path, content] of changed) {
    try {
      if (await writeInside(root, resolvePath(root, path), content, previousOf(path) ?? null, run)) written.push(path)
    } catch (error) {
      // catch: PathOutsideRoot and file-system errors, each reported on the file (the write
      // was atomic: the file is old or new); anything else is a bug.
      const code = (error as NodeJS.ErrnoException).code
      if (error instanceof PathOutsideRoot) messages.push(message(path, undefined, 'error', 'path-outside-root', error.message, 'make locales/ and content/ real folders inside the project'))
      else if (typeof code === 'string') messages.push(message(path, undefined, 'error', 'file-unwritable', `cannot be written (${code}); it was left as it was`, writeFix(code)))
      else throw error
    }
  }
  return written
}

/** Why the folder of a file refuses writes (`undefined`: it does not, or does not exist yet, and its creation will say). */
function writeRefusal(path: string): string | undefined {
  try {
    accessSync(dirname(path), constants.W_OK | constants.X_OK)
    return undefined
  } catch (error) {
    // catch: file-system errors only; a folder still to be made is made by the write.
    const code = (error as NodeJS.ErrnoException).code
    if (typeof code !== 'string') throw error
    return code === 'ENOENT' ? undefined : code
  }
}

/** What to do about a write that failed with `code`. */
function writeFix(code: string): string {
  if (code === 'ENOSPC') return 'free some disk space and run again'
  if (code === 'EROFS') return 'the file system is read-only: run Ponte where it can write'
  if (code === 'EISDIR') return 'a folder stands where Ponte writes this file: move that folder away'
  if (code === 'ENOTDIR') return 'part of this path is a file where Ponte needs a folder: move that file away'
  return 'give the user running Ponte write access to the file and its folder, then run again'
}

function keyOf(paths: PostPaths, path: string): 'sourceCatalog' | 'targetCatalog' | 'archive' | 'lock' {
  if (path === paths.sourceCatalog) return 'sourceCatalog'
  if (path === paths.targetCatalog) return 'targetCatalog'
  if (path === paths.archive) return 'archive'
  return 'lock'
}

function unchanged(planned: ReadonlyMap<string, string>, files: PostFiles, paths: PostPaths): number {
  let count = 0
  for (const [path, content] of planned) if (files[keyOf(paths, path)] === content) count++
  return count
}

/**
 * The stale and missing findings of one post: warnings, or errors with `strict`.
 *
 * @param paths The post's paths.
 * @param places Where the keys stand in the English catalog (`BuildPlan.places`).
 * @param stale Stale keys.
 * @param missing Keys with no translation.
 * @param counts The post's counts.
 * @param strict Whether they fail the check.
 */
export function softMessages(paths: PostPaths, places: Readonly<Record<string, {line: number; column: number}>>, stale: readonly StaleKey[], missing: readonly string[], counts: PostCounts, strict: boolean): Message[] {
  const severity = strict ? 'error' : 'warning'
  const place = (key: string): {line: number; column: number} | undefined => (Object.hasOwn(places, key) ? places[key] : undefined)
  const messages: Message[] = stale.map((item) =>
    item.suggested
      ? message(paths.targetCatalog, place(item.key), severity, 'translation-suggested', `"${item.key}" is a suggestion from the translation memory that no translator has reviewed`, `review it, then confirm it with \`ponte accept ${paths.post}\` (or edit it)`)
      : message(paths.targetCatalog, place(item.key), severity, 'translation-stale', `"${item.key}" is stale: its Italian changed${item.was !== undefined ? ` (it was: ${JSON.stringify(item.was)})` : ''}`, `update the translation, or confirm it with \`ponte accept ${paths.post}\``)
  )
  if (missing.length > 0) {
    messages.push(message(paths.targetCatalog, place(missing[0] ?? ''), severity, 'translation-missing', `${counts.missing} of ${counts.segments} segments have no translation${missing.length ? ` (first: "${missing[0]}")` : ''}`, 'translate them; the Italian is used until then'))
  }
  return messages
}
