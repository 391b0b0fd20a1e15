import {statSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {setFlagsFromString} from 'node:v8'
import {Worker} from 'node:worker_threads'
import {envNumber} from '../env.js'
import {removeTemporaryFilesOf} from '../io/atomic-write.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import {message} from '../report/message.js'
import {failed, keptRun, preparePost, replayFromStamps, workPost, type PostJob, type PostRun, type RunContext} from './run-post.js'
import type {WorkerJob} from './worker.js'

/** Below this many posts to work on, threads cost more than they save. */
const parallelFrom = 24

/**
 * The budget for one oversized post. Parsing costs up to a few kilobytes of memory per
 * byte of Markdown and, for some pathological inputs, time that grows faster than the
 * post; so posts from `isolateFrom` bytes up run one at a time, each in its own thread
 * with a memory ceiling and a deadline. A post over budget is skipped with a message;
 * the run and every other post go on. The environment can tune all three.
 */
export const postBudget = {
  isolateFrom: envNumber('PONTE_ISOLATE_FROM', 256 * 1024),
  memoryMb: envNumber('PONTE_POST_MEMORY_MB', 3072),
  seconds: envNumber('PONTE_POST_SECONDS', 300)
}

/**
 * Run a command's stages over every post: posts the record shows unchanged are answered
 * at once; the rest are spread over worker threads (one per core) when there are many.
 * Runs come back in the order of `posts`, whatever order the threads finish in.
 *
 * @param context The run.
 * @param posts The posts, sorted.
 * @param jobOf A post's job: with `forWork`, complete; without, at least what can answer
 *   for it without work (a build need not load where extract left its analyses unless a
 *   post needs work).
 * @param onProgress Called as posts finish.
 */
export async function runPosts(context: RunContext, posts: readonly PostPaths[], jobOf: (index: number, forWork: boolean) => PostJob, onProgress?: (done: number, total: number) => void): Promise<PostRun[]> {
  const outcomes: (PostRun | undefined)[] = new Array(posts.length)
  let done = 0
  const finish = (index: number, outcome: PostRun): void => {
    outcomes[index] = keptRun(context, posts[index] as PostPaths, outcome)
    onProgress?.(++done, posts.length)
  }
  // PONTE_THREADS caps the threads (1 runs everything on the main thread). With many posts
  // to work on, one worker per core does the work and the main thread only hands it out and
  // keeps the answers: its heap then holds 10,000 answers without the garbage of parsing
  // between them, which had kept it large (measured at 10,000 translated posts, cold build,
  // 2 cores: the main thread working beside one worker, 309 MB and 99.9 s; two workers and
  // the main thread handing out, 250 MB and 91.7 s).
  const cap = Number.parseInt(process.env['PONTE_THREADS'] ?? '', 10)
  const threads = Math.min(Number.isInteger(cap) && cap > 0 ? cap : availableParallelism(), 8)
  // Workers start as soon as there is enough work for them, so they load while the rest
  // of the posts are being sorted.
  let pool: Worker[] | undefined
  try {
    const {light, heavy} = await sortPosts(context, posts, jobOf, finish, (pending) => {
      if (pending < parallelFrom || pool) return
      keepHeapsSmall()
      if (threads >= 2) pool = Array.from({length: threads}, () => new Worker(workerUrl(), {resourceLimits: {maxYoungGenerationSizeMb: workerYoungMb}}))
    })
    const large = oversized(context.root, posts, [...heavy, ...light])
    const job = (index: number): WorkerJob => ({id: index, context, job: jobOf(index, true)})
    const inline = async (queue: number[]): Promise<void> => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        const item = job(index)
        finish(index, await workPost(item.context, item.job))
        // The work is synchronous: let the event loop hand finished posts back to workers.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const queue = [...heavy, ...light].filter((index) => !large.has(index))
    const isolated = inIsolation([...large].sort((a, b) => a - b), job, finish)
    if (pool && queue.length >= parallelFrom) await inWorkers(pool, queue, job, finish)
    else await inline(queue)
    await isolated
  } finally {
    await Promise.all(pool?.map((worker) => worker.terminate()) ?? [])
  }
  return outcomes.map((outcome, index) => {
    if (!outcome) throw new Error(`no thread answered for ${(posts[index] as PostPaths).post}`)
    return outcome
  })
}

/**
 * Let each heap grow to 60 % over what is live before a full collection, not V8's 300 %:
 * on a cold run over thousands of posts that was 180 MB for 35 MB live on the main thread,
 * and with this a cold 10,000-post run stays near 260 MB for a few more, short collections.
 * Only for runs with many posts to work on: a run that replays its record (an edit at
 * 10,000 posts) would pay those collections for nothing. V8 reads the number at each
 * collection, and it applies to every thread, the workers started next included.
 */
function keepHeapsSmall(): void {
  setFlagsFromString('--heap-growing-percent=60')
}

/**
 * Answer unchanged posts from the record (`finish`), reading a few posts at a time, and
 * sort the rest into light work (analysis cached) and heavy work (parsing), each in post
 * order. A post with no recorded entry to replay is not read here at all: its work reads
 * it once.
 */
async function sortPosts(
  context: RunContext,
  posts: readonly PostPaths[],
  jobOf: (index: number, forWork: boolean) => PostJob,
  finish: (index: number, outcome: PostRun) => void,
  onPending: (count: number) => void
): Promise<{light: number[]; heavy: number[]}> {
  const light: number[] = []
  const heavy: number[] = []
  // Posts whose files were stamped in advance are answered in one synchronous pass; the
  // rest are read (a few at a time) to see whether their contents changed.
  const unanswered: number[] = []
  posts.forEach((_paths, index) => {
    const job = jobOf(index, false)
    const outcome = context.cacheDir && job.stamps ? replayFromStamps(context, {...job, stamps: job.stamps}) : undefined
    if (outcome) finish(index, outcome)
    else unanswered.push(index)
  })
  await eachLimit(unanswered.length, 32, async (at) => {
    const index = unanswered[at] as number
    const job = jobOf(index, false)
    if (!context.cacheDir) heavy.push(index)
    else if (job.entries.every((entry) => entry === undefined)) (jobOf(index, true).otherAnalysis ? light : heavy).push(index)
    else {
      const prepared = await preparePost(context, job)
      if ('answer' in prepared) finish(index, prepared)
      else (prepared.stored ? light : heavy).push(index)
    }
    onPending(light.length + heavy.length)
  })
  return {light: light.sort((a, b) => a - b), heavy: heavy.sort((a, b) => a - b)}
}

/**
 * The posts (indices into `posts`) whose source is at least `postBudget.isolateFrom` bytes.
 * (Synchronous: a stat costs less than an event-loop round trip.)
 */
function oversized(root: string, posts: readonly PostPaths[], indices: readonly number[]): Set<number> {
  const sizeOf = (index: number): number => {
    try {
      return statSync(resolvePath(root, (posts[index] as PostPaths).source)).size
    } catch (error) {
      // catch: file-system errors only: a post that cannot be stat'ed is reported by its task, which reads it.
      if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
      return 0
    }
  }
  return new Set(indices.filter((index) => sizeOf(index) >= postBudget.isolateFrom))
}

/**
 * Run oversized posts one after another, each in a fresh thread that may use at most
 * `postBudget.memoryMb` of heap for `postBudget.seconds`. A thread over budget is
 * stopped; its post is reported and skipped (files are written atomically, so a stopped
 * thread leaves each one old or new, and the next run removes its temporary files).
 */
async function inIsolation(indices: readonly number[], job: (index: number) => WorkerJob, finish: (index: number, outcome: PostRun) => void): Promise<void> {
  for (const index of indices) {
    const item = job(index)
    const worker = new Worker(workerUrl(), {resourceLimits: {maxOldGenerationSizeMb: postBudget.memoryMb}})
    let timer: NodeJS.Timeout | undefined
    const {paths} = item.job
    const outcome = await new Promise<PostRun | 'memory' | 'time'>((resolve, reject) => {
      timer = setTimeout(() => resolve('time'), postBudget.seconds * 1000)
      worker.on('message', (reply: {id: number; outcome?: PostRun; error?: string}) => {
        if (reply.outcome) resolve(reply.outcome)
        else reject(new Error(`worker failed on ${paths.source}: ${reply.error ?? 'no outcome'}`))
      })
      worker.on('error', (error: Error & {code?: string}) => (error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve('memory') : reject(error)))
      // After an answer or an error this changes nothing; alone, it is a thread that died.
      worker.on('exit', (code) => reject(new Error(`the thread parsing ${paths.source} stopped (exit code ${code})`)))
      worker.postMessage(item)
    }).finally(() => clearTimeout(timer))
    await worker.terminate()
    if (typeof outcome !== 'string') {
      finish(index, outcome)
      continue
    }
    // Stopped mid-write, the thread may have left a temporary file next to one of the post's
    // files (only this post's: other threads are writing next to them).
    const targets = [paths.sourceCatalog, paths.targetCatalog, paths.archive, paths.lock, paths.edition].map((path) => resolvePath(item.context.root, path))
    removeTemporaryFilesOf(targets)
    const over = outcome === 'memory' ? `more than ${postBudget.memoryMb} MB of memory` : `more than ${postBudget.seconds} s`
    const tooComplex = message(paths.source, undefined, 'error', 'source-too-complex', `parsing this post needed ${over}; it was skipped`, 'split it into smaller posts, or raise the budget with PONTE_POST_MEMORY_MB or PONTE_POST_SECONDS')
    finish(index, failed(paths, tooComplex, item.context.stages.length))
  }
}

function workerUrl(): URL {
  // Run from TypeScript sources, a thread registers tsx before loading the worker.
  return new URL(import.meta.url.endsWith('.ts') ? './worker-entry.mjs' : './worker.mjs', import.meta.url)
}

/**
 * Each worker's young generation, in MB (V8's default is 48 on 64 bits): a worker keeps
 * nothing from one post to the next, so a smaller nursery costs it no time, and two of them
 * 18 MB less at 10,000 posts (291 MB and 98.8 s against 309 MB and 99.9 s, same run).
 */
const workerYoungMb = 24

/** Posts each worker holds at once: one at work, one waiting, so it never idles while the main thread is busy. */
const inFlight = 2

async function inWorkers(workers: readonly Worker[], queue: number[], job: (index: number) => WorkerJob, finish: (index: number, outcome: PostRun) => void): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          let held = 0
          const next = (): void => {
            const index = queue.pop()
            if (index !== undefined) {
              held++
              worker.postMessage(job(index))
            } else if (held === 0) resolve()
          }
          worker.on('message', (reply: {id: number; outcome?: PostRun; error?: string}) => {
            if (reply.error !== undefined || !reply.outcome) {
              reject(new Error(`worker failed on a post: ${reply.error ?? 'no outcome'}`))
              return
            }
            held--
            finish(reply.id, reply.outcome)
            next()
          })
          worker.on('error', reject)
          for (let slot = 0; slot < inFlight; slot++) next()
        })
    )
  )
}

async function eachLimit(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({length: Math.min(limit, count)}, async () => {
    while (next < count) await task(next++)
  })
  await Promise.all(lanes)
}
