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
  // Answer unchanged posts from the cache, reading a few files at a time.
  const pending: number[] = []
  await eachLimit(posts.length, 32, async (index) => {
    const paths = posts[index] as PostPaths
    const outcome = context.cacheDir ? await runPostTaskOr(kind, context, paths, cachedOf(paths.post), true) : undefined
    if (outcome) finish(index, outcome)
    else pending.push(index)
  })
  pending.sort((a, b) => a - b)
  // PONTE_THREADS caps the threads (1 runs everything on the main thread).
  const cap = Number.parseInt(process.env['PONTE_THREADS'] ?? '', 10)
  const threads = Math.min(Number.isInteger(cap) && cap > 0 ? cap : availableParallelism(), 8, Math.ceil(pending.length / 8))
  if (pending.length < parallelFrom || threads < 2) {
    for (const index of pending) finish(index, await runPostTask(kind, context, posts[index] as PostPaths, cachedOf((posts[index] as PostPaths).post)))
  } else {
    await inWorkers(threads, pending.map((index) => ({id: index, kind, context, paths: posts[index] as PostPaths, cached: cachedOf((posts[index] as PostPaths).post)})), finish)
  }
  return outcomes.map((outcome, index) => outcome ?? {path: (posts[index] as PostPaths).post, messages: [], written: []})
}

async function inWorkers(count: number, jobs: WorkerJob[], finish: (index: number, outcome: PostOutcome) => void): Promise<void> {
  // Run from TypeScript sources, a thread registers tsx before loading the worker.
  const url = new URL(import.meta.url.endsWith('.ts') ? './worker-entry.mjs' : './worker.js', import.meta.url)
  const queue = [...jobs]
  const workers = Array.from({length: count}, () => new Worker(url))
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const next = (): void => {
              const job = queue.shift()
              if (job) worker.postMessage(job)
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
