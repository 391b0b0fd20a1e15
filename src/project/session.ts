import {randomUUID} from 'node:crypto'
import {join, relative, resolve, sep} from 'node:path'
import {extractedAnalyses, packsNewer, recordedPacks, recordExtractedAnalyses, recordPacks, sweepPacks, type AnalysisRef} from '../cache/analysis-cache.js'
import {cacheDirOf, cacheProblem} from '../cache/cache-dir.js'
import {withRunLock} from '../io/run-lock.js'
import {readOutcomes, recordSize, stateHash, writeOutcomes} from '../cache/state-cache.js'
import {message, sortMessages, uniqueMessages, type Message} from '../report/message.js'
import {codeVersion as version} from '../version.js'
import {sameSignature, slots, stampAll, stampingThread, threadFrom as stampThreadFrom, type StampingThread, type Stamps} from '../cache/stamps.js'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readIfExists} from '../io/read-text.js'
import {stampedFiles, verifiedVersion, type CachedOutcomes, type PostOutcome, type TaskContext, type TaskKind} from './post-task.js'
import {recordVerified} from '../cache/verified.js'
import {openProject, type Project} from './project.js'
import {outcomeRecord} from './recorded-outcome.js'
import {inShard, type Shard} from './shard.js'
import {runPosts} from './run-posts.js'

/** Options every command shares. */
export interface RunOptions {
  /** Project root (default: the working directory). */
  root?: string
  /** Use and update the incremental cache (default true). */
  cache?: boolean
  /** The environment (for `PONTE_CACHE_DIR`); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  /** Called as posts finish, for progress. */
  onProgress?: (done: number, total: number) => void
  /** Fail on stale and missing translations (check only). */
  strict?: boolean
  /** Work on one shard of the posts only (`--shard i/n`); the project's own findings go to shard 1. */
  shard?: Shard
}

/** Options of the writing commands. */
export interface WriteOptions extends RunOptions {
  /** Called once when another run holds the project's lock and this one waits. */
  onWait?: (pid: number) => void
}

/** The outcomes of a command over a project. */
export interface Session {
  project: Project
  outcomes: PostOutcome[]
  messages: Message[]
}

/**
 * Open the project, run one command's work over every post (cache, threads), record
 * the new outcomes in the cache, and gather the messages (deduplicated and sorted).
 *
 * @param kind The command.
 * @param options Shared options.
 * @param opening What a writing run did before taking the lock (otherwise done here).
 */
export async function runSession(kind: TaskKind, options: RunOptions, opening?: Opening): Promise<Session> {
  const cache = opening?.cache ?? cacheFor(options)
  const cacheDir = cache.dir
  const thread = opening ? opening.thread : startStamping(kind, cacheDir, options)
  const whole = opening?.project ?? (await openProject(options.root ?? '.', cacheDir))
  const shard = options.shard
  const opened = shard && shard.count > 1 ? {...whole, posts: whole.posts.filter((paths) => inShard(paths.post, shard)), messages: shard.index === 1 ? whole.messages : []} : whole
  const context: TaskContext = {root: opened.root, config: opened.config, configHash: stateHash([JSON.stringify(opened.config)]), version, cacheDir, strict: Boolean(options.strict), run: randomUUID()}
  // A run that may replay its record stamps every post's files before reading any of them
  // (sharing the work with a second thread when they are many, which starts while this one
  // reads the records).
  let extractCache: Map<string, PostOutcome> | undefined
  let buildCache = new Map<string, PostOutcome>()
  let checkCache: Map<string, PostOutcome> | undefined
  const readRecords = async (): Promise<void> => {
    if (cacheDir && kind !== 'build' && kind !== 'status') extractCache = readOutcomes(cacheDir, 'extract', outcomeRecord)
    if (cacheDir && kind !== 'extract') buildCache = readOutcomes(cacheDir, 'build', outcomeRecord)
    if (cacheDir && kind === 'check') checkCache = readOutcomes(cacheDir, 'check', outcomeRecord)
  }
  let stamps: Map<string, Stamps> | undefined
  if (cacheDir !== undefined && recordSize(cacheDir, replayedRecord(kind)) !== undefined) stamps = await stampProject(opened, kind, cacheDir, readRecords, thread)
  else {
    void thread?.worker.terminate()
    await readRecords()
  }
  // build and status replay their own record; where extract left its analyses is read
  // only once a post needs work, and only when extract ran since the last build.
  let extractAnalyses: Map<string, AnalysisRef> | undefined
  const cachedOf = (post: string, forWork: boolean): CachedOutcomes => {
    const cached: CachedOutcomes = {extract: extractCache?.get(post), build: buildCache.get(post), check: checkCache?.get(post), stamps: stamps?.get(post)}
    if (forWork && cacheDir && !extractCache) {
      extractAnalyses ??= packsNewer(cacheDir, 'extract', 'build') ? extractedAnalyses(cacheDir) : new Map()
      cached.extractAnalysis = extractAnalyses.get(post)
    }
    return cached
  }
  const outcomes = await runPosts(kind, context, opened.posts, cachedOf, options.onProgress)
  // The record is the outcomes with a state; a run that only replayed it, stamps included, leaves it as it is.
  const recorded = kind === 'extract' ? (extractCache ?? new Map<string, PostOutcome>()) : kind === 'check' ? (checkCache ?? new Map<string, PostOutcome>()) : buildCache
  // An outcome replayed with the stamps it was recorded with is the recorded one.
  const same = (outcome: PostOutcome): boolean => outcome.cached === true && sameSignature(outcome.signature, recorded.get(outcome.path)?.signature)
  const recordable = outcomes.filter((outcome) => outcome.state)
  const changed = recordable.length !== recorded.size || recordable.some((outcome) => !same(outcome))
  if (cacheDir && kind !== 'status' && changed) {
    const entries = outcomes.map((outcome): readonly [string, PostOutcome] => [outcome.path, outcome])
    // catch: any write error of the cache (derived data): the next run works the posts out again.
    await writeOutcomes(cacheDir, kind, entries, {outcomes: recorded, same: (_post, outcome) => same(outcome)}, outcomeRecord).catch(() => undefined)
    // (check stores no analyses: it reads those extract and build keep.)
    // catch: any error of the cache, as above: packs kept too long are swept by a later run.
    if (kind !== 'check') await keepReferencedPacks(cacheDir, kind, recordable).catch(() => undefined)
  }
  // Editions verified by this run are not parsed again by any command (check after build,
  // build after an extract that rewrote only the locks).
  const verified = outcomes.flatMap((outcome) => (outcome.verified === undefined ? [] : [outcome.verified]))
  // catch: any write error of the cache: an edition not remembered is only verified again.
  if (cacheDir && verified.length > 0) await recordVerified(cacheDir, verifiedVersion(context), verified, Math.max(1000, 2 * opened.posts.length)).catch(() => undefined)
  const messages = uniqueMessages([...opened.messages, ...cacheNotice(cache.problem, opened.root), ...outcomes.flatMap((outcome) => outcome.messages)])
  return {project: opened, outcomes, messages: sortMessages(messages)}
}

/** The record whose outcomes a command replays (check replays both; build's is the larger). */
function replayedRecord(kind: TaskKind): 'extract' | 'build' {
  return kind === 'extract' ? 'extract' : 'build'
}

/**
 * A second stamping thread, started before the project is opened, when the record shows
 * thousands of posts (about 400–500 bytes each): starting a thread takes longer than finding
 * them (`stampAll`). It starts stamping the files the last run of this kind stamped, which
 * are those of this run unless posts were added or removed since.
 */
function startStamping(kind: TaskKind, cacheDir: string | undefined, options: RunOptions): StampingThread | undefined {
  if (cacheDir === undefined) return undefined
  const size = recordSize(cacheDir, replayedRecord(kind))
  if (size === undefined || size <= manyPostsRecord()) return undefined
  // Without a list yet, the thread waits for this run's.
  const list = readIfExists(stampedList(cacheDir, kind))
  return stampingThread(list ? {list, base: stampBase(resolve(options.root ?? '.'))} : undefined)
}

/**
 * What the project's own relative paths are stamped from: nothing when the run starts
 * from the project root (as npm scripts do), else the root; either way the list of paths
 * is the same from one run to the next.
 */
function stampBase(root: string): string {
  return root === process.cwd() ? '' : root.endsWith(sep) ? root : root + sep
}

/** Where the list of files the last run of a kind stamped is kept (build and status stamp the same files). */
function stampedList(cacheDir: string, kind: TaskKind): string {
  return join(cacheDir, `stamped-${kind === 'status' ? 'build' : kind}.list`)
}

/** A record this large holds outcomes of enough posts (at least 400 bytes each, five stamped files) for `stampAll` to use its second thread. */
function manyPostsRecord(): number {
  return (stampThreadFrom() / 5) * 400
}

/** The run's cache: its folder (`undefined`: the cache is off, or cannot be used) and why it cannot be, if so. */
interface RunCache {
  dir: string | undefined
  problem: {path: string; code: string} | undefined
}

/** The project's cache, worked out once per run (its folder probed once) for everything that uses it. */
function cacheFor(options: RunOptions): RunCache {
  if (options.cache === false) return {dir: undefined, problem: undefined}
  const dir = cacheDirOf(resolve(options.root ?? '.'), options.env ?? process.env)
  const problem = cacheProblem(dir)
  return {dir: problem ? undefined : dir, problem}
}

/** The one message of a run whose cache folder cannot be used (it runs without it). */
function cacheNotice(problem: RunCache['problem'], root: string): Message[] {
  if (!problem) return []
  const path = relative(root, problem.path).split(sep).join('/')
  return [message(path.startsWith('..') ? problem.path : path, undefined, 'warning', 'cache-unreadable', `the incremental cache cannot be used (${problem.code}); this run worked without it, which is slower but loses nothing`, 'give the user running Ponte access to the cache folder, or delete it (it is rebuilt)')]
}

/** What a writing run did before taking the lock: the project, opened, and the stamping thread it started (if any). */
interface Opening {
  project: Project
  thread: StampingThread | undefined
  cache: RunCache
}

/** Every post's stamps for `kind`, by post path, taken at once (`stampAll`). */
async function stampProject(project: Project, kind: TaskKind, cacheDir: string, meanwhile: () => Promise<void>, thread: StampingThread | undefined): Promise<Map<string, Stamps>> {
  // The project's own relative paths: 50,000 absolute paths need not be built.
  // (Indexed loops: 50,000 steps on code not yet optimized, where `for…of` allocates.)
  const files: string[] = []
  const counts = project.posts.map((paths) => {
    const own = stampedFiles(kind, paths)
    for (let index = 0; index < own.length; index++) files.push(own[index] as string)
    return own.length
  })
  const taken = await stampAll(files, stampBase(project.root), meanwhile, thread)
  // catch: any write error: the next run's guess (a list that cannot be kept only costs it the guess).
  if (!taken.guessed && files.length >= stampThreadFrom()) await writeFileAtomic(stampedList(cacheDir, kind), taken.list, null).catch(() => undefined)
  const stamps = new Map<string, Stamps>()
  let at = 0
  project.posts.forEach((paths, index) => {
    const count = counts[index] ?? 0
    stamps.set(paths.post, taken.stamps.subarray(at * slots, (at += count) * slots))
  })
  return stamps
}

/** Record which packs this command's outcomes refer to (and, for extract, where each post's analysis is), and remove every pack no command's outcomes refer to. */
async function keepReferencedPacks(cacheDir: string, kind: 'extract' | 'build', recorded: readonly PostOutcome[]): Promise<void> {
  const packs = new Set<string>()
  for (let index = 0; index < recorded.length; index++) {
    const ref = (recorded[index] as PostOutcome).analysis
    if (ref) packs.add(ref.pack)
  }
  if (kind === 'extract') {
    const refs = new Map<string, AnalysisRef>()
    for (const outcome of recorded) if (outcome.analysis) refs.set(outcome.path, outcome.analysis)
    await recordExtractedAnalyses(cacheDir, refs)
  }
  await recordPacks(cacheDir, kind, packs)
  sweepPacks(cacheDir, new Set([...packs, ...recordedPacks(cacheDir, kind === 'extract' ? 'build' : 'extract')]))
}

/**
 * `runSession` for a writing command, under the project's run lock (which first clears
 * what a killed run left, in the project and in the cache).
 *
 * @param kind `extract` or `build`.
 * @param options Shared options and the lock-wait callback.
 */
export async function runLockedSession(kind: 'extract' | 'build', options: WriteOptions): Promise<Session> {
  const cache = cacheFor(options)
  const cacheDir = cache.dir
  const thread = startStamping(kind, cacheDir, options)
  const project = await openProject(options.root ?? '.', cacheDir).catch((error: unknown) => {
    // catch: nothing absorbed: the thread is stopped and the error thrown again.
    void thread?.worker.terminate()
    throw error
  })
  const alsoClean = cacheDir === undefined ? [] : [cacheDir]
  return withRunLock(project.root, () => runSession(kind, options, {project, thread, cache}), {onWait: options.onWait, alsoClean})
}
