import {randomUUID} from 'node:crypto'
import {readdirSync} from 'node:fs'
import {join, relative, resolve, sep} from 'node:path'
import {analysesOf, recordAnalyses, recordPacks, referencedPacks, sweepPacks, type AnalysisRef} from '../cache/analysis-cache.js'
import {cacheDirOf, cacheProblem} from '../cache/cache-dir.js'
import {slots, stampAll, stampingThread, threadFrom as stampThreadFrom, type StampingThread, type Stamps} from '../cache/stamps.js'
import {readOutcomes, recordSize, stateHash, writeOutcomes} from '../cache/state-cache.js'
import {recordVerified} from '../cache/verified.js'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readIfExists} from '../io/read-text.js'
import {withRunLock} from '../io/run-lock.js'
import {openProject, type Project} from '../project/project.js'
import {inShard, type Shard} from '../project/shard.js'
import {message, sortMessages, uniqueMessages, type Message} from '../report/message.js'
import {codeVersion as version} from '../version.js'
import {entryForm} from './entry-record.js'
import type {Entry} from './replay.js'
import {filesOf, verifiedVersion, type PostAnswer, type PostJob, type PostRun, type RunContext} from './run-post.js'
import {runPosts} from './run-posts.js'
import type {Stage} from './stage.js'

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

/** A command, as the runner sees it: its stages, and whether it writes what they plan. */
export interface Command {
  stages: readonly Stage[]
  /** Write the planned files (under the project's run lock); otherwise only compare them with the disk. */
  write: boolean
}

/** What the runner did over a project. */
export interface CommandRun {
  project: Project
  /** One answer per post, in post order. */
  posts: PostAnswer[]
  /** The project's own findings (configuration, folders, the cache) and the posts' outside any stage. */
  messages: Message[]
}

/**
 * Run a command's stages over every post of the project: open it, answer each stage of
 * each post from the record when it may be (`mayReplay`), plan the rest (in worker threads
 * when there are many), write what a writing command planned, and record every stage's new
 * results under the stage's name, for whichever command runs that stage next.
 *
 * @param command The stages and whether to write.
 * @param options Shared options.
 */
export async function runCommand(command: Command, options: WriteOptions): Promise<CommandRun> {
  const cache = cacheFor(options)
  const names = command.stages.map((stage) => stage.name)
  const thread = startStamping(names, cache.dir, options)
  const project = await openProject(options.root ?? '.', cache.dir).catch((error: unknown) => {
    // catch: nothing absorbed: the thread is stopped and the error thrown again.
    void thread?.worker.terminate()
    throw error
  })
  if (!command.write) return runOpened(command, options, {project, thread, cache})
  const alsoClean = cache.dir === undefined ? [] : [cache.dir]
  return withRunLock(project.root, () => runOpened(command, options, {project, thread, cache}), {onWait: options.onWait, alsoClean})
}

/** What a run did before its posts: the project, opened, the stamping thread it started (if any), and its cache. */
interface Opening {
  project: Project
  thread: StampingThread | undefined
  cache: RunCache
}

async function runOpened(command: Command, options: RunOptions, opening: Opening): Promise<CommandRun> {
  const {cache, thread} = opening
  const cacheDir = cache.dir
  const names = command.stages.map((stage) => stage.name)
  const whole = opening.project
  const shard = options.shard
  const project = shard && shard.count > 1 ? {...whole, posts: whole.posts.filter((paths) => inShard(paths.post, shard)), messages: shard.index === 1 ? whole.messages : []} : whole
  const context: RunContext = {root: project.root, config: project.config, configHash: stateHash([JSON.stringify(project.config)]), version, cacheDir, run: randomUUID(), stages: names, write: command.write}
  // Each stage's record, read while a second thread stamps every post's files (when they are many).
  const records: Array<Map<string, Entry>> = command.stages.map(() => new Map())
  const readRecords = async (): Promise<void> => {
    if (cacheDir) command.stages.forEach((stage, index) => (records[index] = readOutcomes(cacheDir, stage.name, entryForm(stage))))
  }
  let stamps: Map<string, Stamps> | undefined
  if (cacheDir !== undefined && largestRecord(cacheDir, names) !== undefined) stamps = await stampProject(project, context, cacheDir, readRecords, thread)
  else {
    void thread?.worker.terminate()
    await readRecords()
  }
  // Where other commands' stages left their analyses is read only once a post needs work.
  let others: Map<string, AnalysisRef> | undefined
  const jobOf = (index: number, forWork: boolean): PostJob => {
    const paths = project.posts[index] as (typeof project.posts)[number]
    const job: PostJob = {paths, entries: records.map((record) => record.get(paths.post)), stamps: stamps?.get(paths.post)}
    if (forWork && cacheDir) {
      others ??= otherAnalyses(cacheDir, names)
      job.otherAnalysis = others.get(paths.post)
    }
    return job
  }
  const runs = await runPosts(context, project.posts, jobOf, options.onProgress)
  if (cacheDir) await keepRecords(cacheDir, command, project, records, runs)
  // Editions verified by this run are not parsed again by any command.
  const verified = runs.flatMap((run) => run.verified)
  // catch: any write error of the cache: an edition not remembered is only verified again.
  if (cacheDir && verified.length > 0) await recordVerified(cacheDir, verifiedVersion(context), verified, Math.max(1000, 2 * project.posts.length)).catch(() => undefined)
  const posts = runs.map((run) => run.answer)
  return {project, posts, messages: [...project.messages, ...cacheNotice(cache.problem, project.root), ...posts.flatMap((post) => post.messages)]}
}

/**
 * A command's report: its messages and the run's, each once, sorted.
 *
 * @param run The run.
 * @param messages The command's messages from its stages' results.
 */
export function reportOf(run: CommandRun, messages: readonly Message[]): Message[] {
  return sortMessages(uniqueMessages([...run.messages, ...messages]))
}

/**
 * Record each stage's new entries (a run that only replayed its record leaves it as it
 * is), where its analyses are, and which analysis packs are still referenced.
 */
async function keepRecords(cacheDir: string, command: Command, project: Project, records: ReadonlyArray<Map<string, Entry>>, runs: readonly PostRun[]): Promise<void> {
  for (let at = 0; at < command.stages.length; at++) {
    const stage = command.stages[at] as Stage
    const record = records[at] as Map<string, Entry>
    let changed = runs.length !== record.size
    // Where the analyses are changes only when an entry's does (an edit at 10,000 posts need not rewrite the list).
    let moved = changed
    const entries: Array<readonly [string, Entry]> = []
    for (let index = 0; index < runs.length; index++) {
      const post = (project.posts[index] as (typeof project.posts)[number]).post
      const fresh = (runs[index] as PostRun).entries[at]
      if (fresh !== undefined && (fresh !== null || record.has(post))) {
        changed = true
        if (!sameRef(fresh?.analysis, record.get(post)?.analysis)) moved = true
      }
      const entry = fresh === undefined ? record.get(post) : fresh
      if (entry) entries.push([post, entry])
    }
    if (!changed) continue
    try {
      await writeOutcomes(cacheDir, stage.name, entries, {outcomes: record, same: (post, entry) => record.get(post) === entry}, entryForm(stage))
      if (!moved) continue
      const refs = new Map<string, AnalysisRef>()
      for (const [post, entry] of entries) if (entry.analysis) refs.set(post, entry.analysis)
      await recordAnalyses(cacheDir, stage.name, refs)
      await recordPacks(cacheDir, stage.name, new Set([...refs.values()].map((ref) => ref.pack)))
      // Only under the run lock: a run that does not hold it may be appending to a pack another is sweeping.
      if (command.write) sweepPacks(cacheDir, referencedPacks(cacheDir))
    } catch (error) {
      // catch: file-system errors only (the cache is derived data): the next run works the posts out again.
      if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
    }
  }
}

function sameRef(a: AnalysisRef | undefined, b: AnalysisRef | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.key === b.key && a.pack === b.pack && a.offset === b.offset)
}

/** Where the stages of other commands left each post's analysis (the newest wins). */
function otherAnalyses(cacheDir: string, own: readonly string[]): Map<string, AnalysisRef> {
  const found = new Map<string, AnalysisRef>()
  let names: string[]
  try {
    names = readdirSync(cacheDir)
  } catch (error) {
    // catch: file-system errors only: without a listing, every post is parsed.
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
    return found
  }
  for (const name of names) {
    const stage = /^(.+)-analyses\.json$/.exec(name)?.[1]
    if (stage === undefined || own.includes(stage)) continue
    for (const [post, ref] of analysesOf(cacheDir, stage)) found.set(post, ref)
  }
  return found
}

/** The size of the largest record of the stages (`undefined`: none is recorded, so nothing can be replayed). */
function largestRecord(cacheDir: string, names: readonly string[]): number | undefined {
  const sizes = names.map((name) => recordSize(cacheDir, name)).filter((size): size is number => size !== undefined)
  return sizes.length > 0 ? Math.max(...sizes) : undefined
}

/**
 * A second stamping thread, started before the project is opened, when the record shows
 * thousands of posts (about 400–500 bytes each): starting a thread takes longer than finding
 * them (`stampAll`). It starts stamping the files the last run of these stages stamped,
 * which are those of this run unless posts were added or removed since.
 */
function startStamping(names: readonly string[], cacheDir: string | undefined, options: RunOptions): StampingThread | undefined {
  if (cacheDir === undefined) return undefined
  const size = largestRecord(cacheDir, names)
  if (size === undefined || size <= manyPostsRecord()) return undefined
  // Without a list yet, the thread waits for this run's.
  const list = readIfExists(stampedList(cacheDir, names))
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

/** Where the list of files the last run of these stages stamped is kept. */
function stampedList(cacheDir: string, names: readonly string[]): string {
  return join(cacheDir, `stamped-${names.join('+')}.list`)
}

/** A record this large holds entries of enough posts (at least 400 bytes each, five stamped files) for `stampAll` to use its second thread. */
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

/** Every post's stamps, by post path, taken at once (`stampAll`). */
async function stampProject(project: Project, context: RunContext, cacheDir: string, meanwhile: () => Promise<void>, thread: StampingThread | undefined): Promise<Map<string, Stamps>> {
  // The project's own relative paths: 50,000 absolute paths need not be built.
  // (Indexed loops: 50,000 steps on code not yet optimized, where `for…of` allocates.)
  const files: string[] = []
  const counts = project.posts.map((paths) => {
    const own = filesOf(context, paths)
    for (let index = 0; index < own.length; index++) files.push(own[index] as string)
    return own.length
  })
  const taken = await stampAll(files, stampBase(project.root), meanwhile, thread)
  // catch: any write error: the next run's guess (a list that cannot be kept only costs it the guess).
  if (!taken.guessed && files.length >= stampThreadFrom()) await writeFileAtomic(stampedList(cacheDir, context.stages), taken.list, null).catch(() => undefined)
  const stamps = new Map<string, Stamps>()
  let at = 0
  project.posts.forEach((paths, index) => {
    const count = counts[index] ?? 0
    stamps.set(paths.post, taken.stamps.subarray(at * slots, (at += count) * slots))
  })
  return stamps
}

