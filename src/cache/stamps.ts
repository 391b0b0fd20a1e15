import {statSync} from 'node:fs'
import {Worker} from 'node:worker_threads'
import {envNumber} from '../env.js'

/**
 * How recently a file may have changed for its stamp to be trusted. File times come from
 * a coarse kernel clock, so a file written again within the same tick can keep its time
 * and size: a stamp taken that close to a change is "racy" (as Git calls it) and is not
 * recorded; the next run hashes that post's contents instead.
 */
export const racyMs = 100

/**
 * What the file system says about files, without reading them: for each file, four
 * numbers in a row — inode (`absent` when there is no file, `unstatable` when the file
 * system refused to say), size, change time (ctime: it moves with every write, and also
 * with a change of permissions, which a modification time would miss) in whole
 * milliseconds, and 1 when the stamp is racy (else 0). Numbers, not text: a run at
 * 10,000 posts compares 50,000 stamps, and builds none.
 */
export type Stamps = Float64Array

/** Numbers per file in `Stamps`. */
export const slots = 4

/** The inode of a file that does not exist. */
const absent = -1

/** The inode of a file the file system would not stat (`EACCES` on its folder…): racy, so never recorded nor matched; the read that follows reports it. */
const unstatable = -2

/** What `statSync` says of a file: the stat, `undefined` when absent, or `unstatable`. */
type Stat = {ino: number; size: number; ctimeMs: number} | undefined

/** Stat a file for its stamp; any refusal but absence is `unstatable`. */
function statFile(path: string): Stat {
  try {
    return statSync(path, {throwIfNoEntry: false})
  } catch (error) {
    // catch: file-system errors only (the post's reads report them); a bug is thrown again.
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
    return {ino: unstatable, size: 0, ctimeMs: 0}
  }
}

/** Not stamped yet (in `stampAll`'s shared sheet). */
const pending = Number.NaN

/**
 * Stamp one file into `stamps` at `index` from what the file system said (the one place
 * stamps are made, but for the second thread's copy in `statChunks`).
 */
function put(stamps: Stamps, index: number, info: Stat, now: number): void {
  const at = index * slots
  stamps[at] = info ? info.ino : absent
  stamps[at + 1] = info ? info.size : 0
  settle(stamps, index, info ? info.ctimeMs : 0, now)
}

/** Set a stamp's time and whether it is racy. Whole milliseconds: finer than the kernel's file clock. */
function settle(stamps: Stamps, index: number, ctimeMs: number, now: number): void {
  const at = index * slots
  stamps[at + 2] = Math.round(ctimeMs)
  stamps[at + 3] = stamps[at] === unstatable || (stamps[at] !== absent && now - ctimeMs < racyMs) ? 1 : 0
}

/**
 * Stamp files one by one, without reading them. Taken *before* the files are read, so a
 * change made while Ponte reads them shows up as a different stamp next time.
 *
 * @param paths Absolute paths (or relative to the working directory).
 * @param now When the stamps are taken (`Date.now()`).
 */
export function stampEach(paths: readonly string[], now = Date.now()): Stamps {
  const stamps = new Float64Array(paths.length * slots)
  paths.forEach((path, index) => put(stamps, index, statFile(path), now))
  return stamps
}

/**
 * A file stamped again after Ponte wrote it: its own writes, under the run lock, are
 * never racy.
 *
 * @param stamps The stamps to change (in place).
 * @param index The file's position among them.
 * @param path Its path.
 */
export function restampWritten(stamps: Stamps, index: number, path: string): void {
  put(stamps, index, statFile(path), Date.now())
  stamps[index * slots + 3] = 0
}

/**
 * What an outcome records of the files it was computed from: while their stamps match,
 * nothing it depends on changed.
 */
export interface Signature {
  /** The command, Ponte's version and a hash of the configuration. */
  of: string
  /** Inode, size and time of each file, in a fixed order. */
  stamps: number[]
}

/**
 * The signature of a set of files, or `undefined` when a stamp is racy and must not be
 * trusted.
 *
 * @param of The command, Ponte's version and a hash of the configuration.
 * @param stamps The stamps taken.
 * @param pick Which of them, in order (default: all).
 */
export function signatureOf(of: string, stamps: Stamps, pick?: readonly number[]): Signature | undefined {
  const count = pick ? pick.length : stamps.length / slots
  const numbers: number[] = []
  for (let file = 0; file < count; file++) {
    const at = (pick ? (pick[file] as number) : file) * slots
    if (stamps[at + 3] !== 0) return undefined
    numbers.push(stamps[at] as number, stamps[at + 1] as number, stamps[at + 2] as number)
  }
  return {of, stamps: numbers}
}

/**
 * Whether the stamps taken now are those a signature recorded (none racy), so that
 * nothing changed. Compares numbers in place: builds nothing.
 *
 * @param recorded The signature recorded with an outcome (anything else never matches).
 * @param of The command, Ponte's version and a hash of the configuration.
 * @param stamps The stamps taken.
 * @param pick Which of them, in the signature's order (default: all).
 */
export function matches(recorded: Signature | undefined, of: string, stamps: Stamps, pick?: readonly number[]): boolean {
  const count = pick ? pick.length : stamps.length / slots
  if (typeof recorded !== 'object' || recorded === null || recorded.of !== of || !Array.isArray(recorded.stamps) || recorded.stamps.length !== count * 3) return false
  const numbers = recorded.stamps
  for (let file = 0; file < count; file++) {
    const at = (pick ? (pick[file] as number) : file) * slots
    if (stamps[at + 3] !== 0 || stamps[at] !== numbers[file * 3] || stamps[at + 1] !== numbers[file * 3 + 1] || stamps[at + 2] !== numbers[file * 3 + 2]) return false
  }
  return true
}

/** Whether two signatures are the same (both absent counts as the same). */
export function sameSignature(a: Signature | undefined, b: Signature | undefined): boolean {
  if (a === b) return true
  if (!a || !b || a.of !== b.of || a.stamps.length !== b.stamps.length) return false
  return a.stamps.every((number, index) => number === b.stamps[index])
}

/**
 * From this many files, `stampAll` shares the stamping with a second thread (10,000, or
 * `PONTE_STAMP_THREAD_FROM`: a thread costs about as much to start as 5,000 stamps).
 */
export function threadFrom(): number {
  return envNumber('PONTE_STAMP_THREAD_FROM', 10_000)
}

/**
 * Stat paths in chunks claimed from a shared counter, writing inode, size and time into
 * `numbers` (four slots per path; inode -1: absent), until none is left. Both stamping
 * threads run it, so each takes work as fast as it goes; each puts `base` before its own
 * paths, so the main thread never builds absolute paths for the other's. Self-contained
 * (its source is the second thread's program).
 */
function statChunks(stat: typeof statSync, paths: readonly string[], base: string, next: Int32Array, numbers: Float64Array, chunk: number): void {
  for (let start = Atomics.add(next, 0, chunk); start < paths.length; start = Atomics.add(next, 0, chunk)) {
    for (let index = start; index < Math.min(start + chunk, paths.length); index++) {
      let info
      try {
        info = stat(base + (paths[index] as string), {throwIfNoEntry: false})
      } catch {
        // catch: a file the file system would not stat is left for the main thread (`put`), which says why.
        continue
      }
      // The inode last: it marks the entry done.
      numbers[index * 4 + 1] = info ? info.size : 0
      numbers[index * 4 + 2] = info ? info.ctimeMs : 0
      numbers[index * 4] = info ? info.ino : -1
    }
  }
}

const statThread = `
const {parentPort} = require('node:worker_threads')
parentPort.once('message', ({list, base, next, numbers, chunk}) => {
  ;(${statChunks.toString()})(require('node:fs').statSync, list.split('\\0'), base, next, numbers, chunk)
  parentPort.postMessage('done')
})
`

/** Paths to stamp: relative to `base` (the working directory when it is empty, else a folder ending in a separator), joined by NUL (one string clones faster than 50,000). */
export interface PathList {
  list: string
  base: string
}

/**
 * A second thread for `stampAll`, and what it was given to stamp before `stampAll` knew
 * the paths (its guess).
 */
export interface StampingThread {
  worker: Worker
  guess?: Sheet | undefined
}

/** A list of paths being stamped, shared by both threads. */
interface Sheet extends PathList {
  stamps: Float64Array
  /** The next path to claim. */
  next: Int32Array
  /** When stamping began: a file changed after it is racy, whoever stamps it. */
  now: number
  /** Settled when the thread has no more to do (it finished, or stopped). */
  done: Promise<void>
}

/** Paths each thread claims at a time. */
const chunk = 512

/**
 * A second thread for `stampAll`. Starting a thread takes longer than finding the posts,
 * so a run that knows it will stamp many files starts it first, and when it can guess
 * which files (the last run's list), the thread starts stamping them at once. It does not
 * keep the process alive until `stampAll` waits for it (a run that fails before stamping
 * still ends).
 *
 * @param guess The paths the run will probably stamp.
 */
export function stampingThread(guess?: PathList): StampingThread {
  const worker = new Worker(statThread, {eval: true})
  worker.unref()
  worker.once('exit', () => stopped.add(worker))
  // A thread that fails leaves its work to the main thread.
  worker.on('error', () => undefined)
  return {worker, guess: guess ? give(worker, guess, count(guess.list)) : undefined}
}

/** How many paths a list holds. */
function count(list: string): number {
  let paths = 1
  for (let at = list.indexOf('\0'); at !== -1; at = list.indexOf('\0', at + 1)) paths++
  return paths
}

/** Hand a list of paths to the stamping thread. */
function give(worker: Worker, {list, base}: PathList, count: number): Sheet {
  const now = Date.now()
  const next = new Int32Array(new SharedArrayBuffer(4))
  const stamps = new Float64Array(new SharedArrayBuffer(count * slots * 8)).fill(pending)
  const done = new Promise<void>((resolve) => {
    if (stopped.has(worker)) resolve()
    worker.once('message', () => resolve())
    worker.once('exit', () => resolve())
  })
  worker.postMessage({list, base, next, numbers: stamps, chunk})
  return {list, base, stamps, next, now, done}
}

/** Stamping threads that have stopped (they will never answer). */
const stopped = new WeakSet<Worker>()

/** What `stampAll` stamped, and the list it stamped (for the next run's guess). */
export interface Stamped {
  stamps: Stamps
  /** The paths, joined by NUL. */
  list: string
  /** Whether the thread's guess was this very list. */
  guessed: boolean
}

/**
 * Stamp many files at once, before any of them is read. Past `threadFrom` files (a run
 * with nothing to do at 10,000 posts stamps 50,000) a second thread (`thread`, or one
 * started here) stamps while this one does `meanwhile`; then both take chunks of the rest
 * until none is left. Whatever that thread could not do (it failed to start, or stopped),
 * this one does. When the thread guessed a list that is not quite this one (posts were
 * added or removed), what it stamped of these paths is kept and the rest stamped here.
 * The thread is stopped before this returns.
 *
 * @param paths The paths, relative to `base`.
 * @param base Empty (the paths are relative to the working directory), or a folder ending
 *   in a separator.
 * @param meanwhile Other work for this thread while the second one stamps (it must not
 *   read the files being stamped).
 * @param thread A thread from `stampingThread`, started earlier.
 * @returns Their stamps, in the same order (`slots` numbers each).
 */
export async function stampAll(paths: readonly string[], base: string, meanwhile?: () => Promise<void>, thread?: StampingThread): Promise<Stamped> {
  const list = paths.join('\0')
  if (paths.length < threadFrom()) {
    void thread?.worker.terminate()
    await meanwhile?.()
    return {stamps: stampEach(paths.map((path) => base + path)), list, guessed: false}
  }
  const worker = thread?.worker ?? stampingThread().worker
  const sheet = thread?.guess ?? give(worker, {list, base}, paths.length)
  const same = sheet.list === list && sheet.base === base
  const sheetPaths = same ? paths : sheet.list.split('\0')
  try {
    worker.ref()
    await meanwhile?.()
    statChunks(statSync, sheetPaths, sheet.base, sheet.next, sheet.stamps, chunk)
    await sheet.done
  } finally {
    void worker.terminate()
  }
  for (let index = 0; index < sheetPaths.length; index++) {
    if (Number.isNaN(sheet.stamps[index * slots])) put(sheet.stamps, index, statFile(sheet.base + (sheetPaths[index] as string)), sheet.now)
    else settle(sheet.stamps, index, sheet.stamps[index * slots + 2] as number, sheet.now)
  }
  if (same) return {stamps: sheet.stamps, list, guessed: thread?.guess !== undefined}
  // Posts were added or removed since the guess: the lists share a head and a tail, and
  // paths in between are looked up.
  const stamps = new Float64Array(paths.length * slots)
  const from = sheet.base === base ? positions(sheetPaths, paths) : () => undefined
  const now = Date.now()
  paths.forEach((path, index) => {
    const at = from(index)
    if (at === undefined) put(stamps, index, statFile(base + path), now)
    else stamps.set(sheet.stamps.subarray(at * slots, (at + 1) * slots), index * slots)
  })
  return {stamps, list, guessed: false}
}

/** Where each of `paths` stands in `old` (`undefined`: not there), for two sorted lists that mostly agree. */
function positions(old: readonly string[], paths: readonly string[]): (index: number) => number | undefined {
  let head = 0
  while (head < old.length && head < paths.length && old[head] === paths[head]) head++
  let tail = 0
  while (tail < old.length - head && tail < paths.length - head && old[old.length - 1 - tail] === paths[paths.length - 1 - tail]) tail++
  const middle = new Map<string, number>()
  for (let index = head; index < old.length - tail; index++) middle.set(old[index] as string, index)
  return (index) => (index < head ? index : index >= paths.length - tail ? old.length - (paths.length - index) : middle.get(paths[index] as string))
}
