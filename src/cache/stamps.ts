import {statSync} from 'node:fs'
import {Worker} from 'node:worker_threads'

/**
 * How recently a file may have changed for its stamp to be trusted. File times come from
 * a coarse kernel clock, so a file written again within the same tick can keep its time
 * and size: a stamp taken that close to a change is "racy" (as Git calls it) and is not
 * recorded; the next run hashes that post's contents instead.
 */
export const racyMs = 100

/** What the file system says about one file: `ino:size:mtime`, or `-` when it is absent. */
export interface Stamp {
  text: string
  racy: boolean
}

/**
 * Stamp a file without reading it. Taken *before* the file is read, so a change made
 * while Ponte reads it shows up as a different stamp next time.
 *
 * @param path Absolute path.
 * @param now When the stamp is taken (`Date.now()`).
 */
export function stampOf(path: string, now = Date.now()): Stamp {
  const info = statSync(path, {throwIfNoEntry: false})
  return info ? stampFrom(info.ino, info.size, info.mtimeMs, now) : absent
}

const absent: Stamp = {text: '-', racy: false}

/** The stamp of a file the file system described (the one place stamps are made). */
function stampFrom(ino: number, size: number, mtimeMs: number, now: number): Stamp {
  // Whole milliseconds: finer than the kernel's file clock, and what `utimes` can set back.
  return {text: `${ino}:${size}:${Math.round(mtimeMs)}`, racy: now - mtimeMs < racyMs}
}

/**
 * The signature of a set of files (with what else the result depends on), or `undefined`
 * when a stamp is racy and must not be trusted.
 *
 * @param prefix The command, Ponte's version and a hash of the configuration.
 * @param stamps The files' stamps, in a fixed order.
 */
export function signatureOf(prefix: string, stamps: readonly Stamp[]): string | undefined {
  return stamps.some((stamp) => stamp.racy) ? undefined : `${prefix}|${stamps.map((stamp) => stamp.text).join('|')}`
}

/** From this many files, `stampAll` shares the stamping with a second thread. */
export const threadFrom = 10_000

/**
 * Stat paths in chunks claimed from a shared counter, writing inode, size and time into
 * `numbers` (NaN: absent), until none is left. Both stamping threads run it, so each takes
 * work as fast as it goes. Self-contained (its source is the second thread's program).
 */
function statChunks(stat: typeof statSync, paths: readonly string[], next: Int32Array, numbers: Float64Array, chunk: number): void {
  for (let start = Atomics.add(next, 0, chunk); start < paths.length; start = Atomics.add(next, 0, chunk)) {
    for (let index = start; index < Math.min(start + chunk, paths.length); index++) {
      const info = stat(paths[index] as string, {throwIfNoEntry: false})
      // The inode last: it marks the entry done.
      numbers[index * 3 + 1] = info ? info.size : 0
      numbers[index * 3 + 2] = info ? info.mtimeMs : 0
      numbers[index * 3] = info ? info.ino : Number.NaN
    }
  }
}

const statThread = `
const {parentPort} = require('node:worker_threads')
parentPort.once('message', ({list, next, numbers, chunk}) => {
  ;(${statChunks.toString()})(require('node:fs').statSync, list.split('\\0'), next, numbers, chunk)
  parentPort.postMessage('done')
})
`

/**
 * A second thread for `stampAll`. Starting a thread takes longer than finding the posts,
 * so a run that knows it will stamp many files starts it first. Until `stampAll` gives it
 * work, it does not keep the process alive (a run that fails before stamping still ends).
 */
export function stampingThread(): Worker {
  const worker = new Worker(statThread, {eval: true})
  worker.unref()
  worker.once('exit', () => stopped.add(worker))
  // A thread that fails leaves its work to the main thread.
  worker.on('error', () => undefined)
  return worker
}

/** Stamping threads that have stopped (they will never answer). */
const stopped = new WeakSet<Worker>()

/**
 * Stamp many files at once, before any of them is read. Past `threadFrom` files (a run
 * with nothing to do at 10,000 posts stamps 50,000) a second thread (`thread`, or one
 * started here) starts stamping while this one does `meanwhile`; then both take chunks of
 * the rest until none is left. Whatever that thread could not do (it failed to start, or
 * stopped), this one does. The thread is stopped before this returns.
 *
 * @param paths Absolute paths.
 * @param meanwhile Other work for this thread while the second one stamps (it must not
 *   read the files being stamped).
 * @param thread A thread from `stampingThread`, started earlier.
 * @returns Their stamps, in the same order.
 */
export async function stampAll(paths: readonly string[], meanwhile?: () => Promise<void>, thread?: Worker): Promise<Stamp[]> {
  if (paths.length < threadFrom) {
    void thread?.terminate()
    await meanwhile?.()
    const now = Date.now()
    return paths.map((path) => stampOf(path, now))
  }
  // Taken before any file is stamped: a file changed after it is racy, whoever stamps it.
  const now = Date.now()
  const next = new Int32Array(new SharedArrayBuffer(4))
  // -1: not stamped yet.
  const numbers = new Float64Array(new SharedArrayBuffer(paths.length * 3 * 8)).fill(-1)
  const chunk = 512
  const worker = thread ?? stampingThread()
  const finished = new Promise<void>((resolve) => {
    if (stopped.has(worker)) resolve()
    worker.once('message', () => resolve())
    worker.once('exit', () => resolve())
  })
  try {
    worker.ref()
    // One string clones faster than 50,000.
    worker.postMessage({list: paths.join('\0'), next, numbers, chunk})
    await meanwhile?.()
    statChunks(statSync, paths, next, numbers, chunk)
    await finished
  } finally {
    void worker.terminate()
  }
  return paths.map((path, index) => {
    const ino = numbers[index * 3] as number
    if (ino === -1) return stampOf(path, now)
    return Number.isNaN(ino) ? absent : stampFrom(ino, numbers[index * 3 + 1] as number, numbers[index * 3 + 2] as number, now)
  })
}
