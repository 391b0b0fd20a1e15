import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'
import type {PostPaths} from './paths.js'
import {runPostTask, runPostTaskOr, type CachedOutcomes, type PostOutcome, type TaskContext, type TaskKind} from './post-task.js'
import type {WorkerJob} from './worker.js'

/** Below this many posts to work on, threads cost more than they save. */
const parallelFrom = 24

/**
 * Run a command's work over every post: posts the cache shows unchanged are answered
 * at once; the rest are spread over worker threads (one per core) when there are many.
 * Outcomes come back in the order of `posts`, whatever order the threads finish in.
 *
 * @param kind The command.
 * @param context Root, configuration, cache.
 * @param posts The posts, sorted.
 * @param cachedOf The recorded outcomes of a post.
 * @param onProgress Called as posts finish.
 */
export async function runPosts(
  kind: TaskKind,
  context: TaskContext,
  posts: readonly PostPaths[],
  cachedOf: (post: string) => CachedOutcomes,
  onProgress?: (done: number, total: number) => void
): Promise<PostOutcome[]> {
  const outcomes: (PostOutcome | undefined)[] = new Array(posts.length)
  let done = 0
  const finish = (index: number, outcome: PostOutcome): void => {
    outcomes[index] = outcome
    onProgress?.(++done, posts.length)
  }
  // Answer unchanged posts from the cache, reading a few files at a time; sort the rest
  // into light work (analysis cached) and heavy work (parsing).
  const light: number[] = []
  const heavy: number[] = []
  await eachLimit(posts.length, 32, async (index) => {
    const paths = posts[index] as PostPaths
    const outcome = context.cacheDir ? await runPostTaskOr(kind, context, paths, cachedOf(paths.post), true) : 'heavy'
    if (outcome === 'light') light.push(index)
    else if (outcome === 'heavy') heavy.push(index)
    else finish(index, outcome)
  })
  light.sort((a, b) => a - b)
  heavy.sort((a, b) => a - b)
  const job = (index: number): WorkerJob => ({id: index, kind, context, paths: posts[index] as PostPaths, cached: cachedOf((posts[index] as PostPaths).post)})
  const inline = async (queue: number[]): Promise<void> => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      const item = job(index)
      finish(index, await runPostTask(item.kind, item.context, item.paths, item.cached))
      // The work is synchronous: let the event loop hand finished posts back to workers.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  // PONTE_THREADS caps the threads (1 runs everything on the main thread). The main
  // thread works too, so two cores need one worker.
  const cap = Number.parseInt(process.env['PONTE_THREADS'] ?? '', 10)
  const threads = Math.min(Number.isInteger(cap) && cap > 0 ? cap : availableParallelism(), 8)
  const queue = [...heavy, ...light]
  if (heavy.length < parallelFrom || threads < 2) await inline(queue)
  else await Promise.all([inWorkers(threads - 1, queue, job, finish), inline(queue)])
  return outcomes.map((outcome, index) => outcome ?? {path: (posts[index] as PostPaths).post, messages: [], written: []})
}

async function inWorkers(count: number, queue: number[], job: (index: number) => WorkerJob, finish: (index: number, outcome: PostOutcome) => void): Promise<void> {
  // Run from TypeScript sources, a thread registers tsx before loading the worker.
  const url = new URL(import.meta.url.endsWith('.ts') ? './worker-entry.mjs' : './worker.mjs', import.meta.url)
  const workers = Array.from({length: count}, () => new Worker(url))
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const next = (): void => {
              const index = queue.shift()
              if (index !== undefined) worker.postMessage(job(index))
              else resolve()
            }
            worker.on('message', (reply: {id: number; outcome?: PostOutcome; error?: string}) => {
              if (reply.error !== undefined || !reply.outcome) {
                reject(new Error(`worker failed on a post: ${reply.error ?? 'no outcome'}`))
                return
              }
              finish(reply.id, reply.outcome)
              next()
            })
            worker.on('error', reject)
            next()
          })
      )
    )
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}

async function eachLimit(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({length: Math.min(limit, count)}, async () => {
    while (next < count) await task(next++)
  })
  await Promise.all(lanes)
}
