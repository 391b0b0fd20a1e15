import {parentPort} from 'node:worker_threads'
import {workPost, type PostJob, type RunContext} from './run-post.js'

/** A job for a worker: one post of one run. */
export interface WorkerJob {
  id: number
  context: RunContext
  job: PostJob
}

// Each message is one post; answers carry the job id, so the caller restores the order.
parentPort?.on('message', (item: WorkerJob) => {
  workPost(item.context, item.job).then(
    (outcome) => parentPort?.postMessage({id: item.id, outcome}),
    (error: unknown) => parentPort?.postMessage({id: item.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error)})
  )
})
