import {parentPort} from 'node:worker_threads'
import type {PostPaths} from './paths.js'
import {runPostTask, type CachedOutcomes, type TaskContext, type TaskKind} from './post-task.js'

/** A job for a worker: one post of one command. */
export interface WorkerJob {
  id: number
  kind: TaskKind
  context: TaskContext
  paths: PostPaths
  cached: CachedOutcomes
}

// Each message is one post; answers carry the job id, so the caller restores the order.
parentPort?.on('message', (job: WorkerJob) => {
  runPostTask(job.kind, job.context, job.paths, job.cached).then(
    (outcome) => parentPort?.postMessage({id: job.id, outcome}),
    (error: unknown) => parentPort?.postMessage({id: job.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error)})
  )
})
