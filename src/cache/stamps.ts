import {statSync} from 'node:fs'

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
  if (!info) return {text: '-', racy: false}
  // Whole milliseconds: finer than the kernel's file clock, and what `utimes` can set back.
  return {text: `${info.ino}:${info.size}:${Math.round(info.mtimeMs)}`, racy: now - info.mtimeMs < racyMs}
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

// The thread's whole program: stamp each path as `stampOf` does, and send the stamps back.
const stampThread = `
const {statSync} = require('node:fs')
const {parentPort, workerData} = require('node:worker_threads')
const now = Date.now()
const texts = []
const racy = new Uint8Array(workerData.length)
workerData.forEach((path, index) => {
  const info = statSync(path, {throwIfNoEntry: false})
  texts.push(info ? info.ino + ':' + info.size + ':' + Math.round(info.mtimeMs) : '-')
  racy[index] = info && now - info.mtimeMs < ${racyMs} ? 1 : 0
})
parentPort.postMessage({texts, racy})
`

/**
 * Stamp many files at once, before any of them is read. Past `threadFrom` files (a run
 * with nothing to do at 10,000 posts stamps 50,000) a second thread stamps the second half
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
  const {Worker} = await import('node:worker_threads')
  const second = paths.slice(half)
  let worker: InstanceType<typeof Worker> | undefined
  const other = new Promise<Stamp[]>((resolve, reject) => {
    worker = new Worker(stampThread, {eval: true, workerData: second})
    worker.once('message', ({texts, racy}: {texts: string[]; racy: Uint8Array}) => resolve(texts.map((text, index) => ({text, racy: racy[index] === 1}))))
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the stamping thread stopped (exit code ${code})`)))
  }).catch(() => here(second))
  const first = here(paths.slice(0, half))
  try {
    return first.concat(await other)
  } finally {
    void worker?.terminate()
  }
}
