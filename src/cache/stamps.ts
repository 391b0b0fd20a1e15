import {statSync} from 'node:fs'
import {Worker} from 'node:worker_threads'

/**
 * How recently a file may have changed for its stamp to be trusted. File times come from
 * a coarse kernel clock, so a file written again within the same tick can keep its time
 * and size: a stamp taken that close to a change is "racy" (as Git calls it) and is not
 * recorded; the next run hashes that post's contents instead.
 */
const racyMs = 100

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
const threadFrom = 10_000

// The second thread only asks the file system: inode, size and time of each path (NaN
// when absent), and when it asked. The stamps are made here, by `stampFrom`.
const statThread = `
const {statSync} = require('node:fs')
const {parentPort, workerData} = require('node:worker_threads')
const now = Date.now()
const numbers = new Float64Array(workerData.length * 3).fill(Number.NaN)
workerData.forEach((path, index) => {
  const info = statSync(path, {throwIfNoEntry: false})
  if (info) numbers.set([info.ino, info.size, info.mtimeMs], index * 3)
})
parentPort.postMessage({now, numbers}, [numbers.buffer])
`

/**
 * Stamp many files at once, before any of them is read. Past `threadFrom` files (a run
 * with nothing to do at 10,000 posts stamps 50,000) a second thread stats the second half
 * while this one stamps the first; if that thread cannot run, this one stamps its half too.
 *
 * @param paths Absolute paths.
 * @returns Their stamps, in the same order.
 */
export async function stampAll(paths: readonly string[]): Promise<Stamp[]> {
  const here = (part: readonly string[]): Stamp[] => {
    const now = Date.now()
    return part.map((path) => stampOf(path, now))
  }
  if (paths.length < threadFrom) return here(paths)
  const half = paths.length >> 1
  const second = paths.slice(half)
  const worker = new Worker(statThread, {eval: true, workerData: second})
  const other = new Promise<Stamp[]>((resolve, reject) => {
    worker.once('message', ({now, numbers}: {now: number; numbers: Float64Array}) => {
      resolve(second.map((_, index) => (Number.isNaN(numbers[index * 3]) ? absent : stampFrom(numbers[index * 3] ?? 0, numbers[index * 3 + 1] ?? 0, numbers[index * 3 + 2] ?? 0, now))))
    })
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the stamping thread stopped (exit code ${code})`)))
  }).catch(() => here(second))
  const first = here(paths.slice(0, half))
  try {
    return first.concat(await other)
  } finally {
    void worker.terminate()
  }
}
