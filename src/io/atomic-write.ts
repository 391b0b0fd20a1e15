import {randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {envNumber} from '../env.js'
import {readIfExists} from './read-text.js'

/**
 * Fault injection for the `kill -9` test: with `PONTE_STALL_WRITE=n`, the n-th atomic write
 * of each thread stops between writing its temporary file and renaming it, so that a kill
 * can be made to land exactly there. Unset (0) in every real run.
 */
const stallAt = envNumber('PONTE_STALL_WRITE', 0)
const stallCount = {writes: 0}

/** Block this thread for a minute: long enough for the test to kill the process. */
function stall(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000)
}

/** Prefix of the temporary files Ponte writes next to their targets before renaming. */
export const temporaryPrefix = '.ponte-tmp-'

/**
 * Write a file atomically: write a temporary file in the same folder, then rename it over
 * the target, so a reader (or a run killed at any moment) sees either the old or the new
 * file, never a torn one. A file whose bytes would not change is not touched. (No fsync:
 * `kill -9` cannot lose written data, and a power cut is not what this guards against;
 * syncing every catalog would make a run over 10,000 posts minutes slower.) Synchronous on
 * purpose: posts are processed one at a time per thread, and event-loop round trips for
 * each small file cost more than the writes.
 *
 * @param path Absolute path of the target.
 * @param content The new contents (written as UTF-8).
 * @param previous The current contents when the caller already read them (`null`: absent).
 * @returns Whether the file was written.
 */
export async function writeFileAtomic(path: string, content: string, previous?: string | null): Promise<boolean> {
  const current = previous === undefined ? readIfExists(path) : previous
  if (current === content) return false
  const temporary = join(dirname(path), `${temporaryPrefix}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`)
  try {
    try {
      writeFileSync(temporary, content, {flag: 'wx', mode: 0o644})
    } catch (error) {
      // catch: ENOENT only (the folder does not exist yet: made, then written again).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      mkdirSync(dirname(path), {recursive: true})
      writeFileSync(temporary, content, {flag: 'wx', mode: 0o644})
    }
    if (stallAt !== 0 && ++stallCount.writes === stallAt) stall()
    renameSync(temporary, path)
  } catch (error) {
    // catch: nothing absorbed: the temporary file is removed and the error thrown again.
    rmSync(temporary, {force: true})
    throw error
  }
  return true
}

/**
 * Remove the temporary files `writeFileAtomic` may have left for these targets (a thread
 * stopped mid-write), and nothing else: other writers may be at work in the same folders.
 *
 * @param targets Absolute paths of the files that were being written.
 */
export function removeTemporaryFilesOf(targets: readonly string[]): void {
  for (const target of targets) {
    const prefix = `${temporaryPrefix}${basename(target)}.`
    let names: string[]
    try {
      names = readdirSync(dirname(target))
    } catch {
      // catch: any file-system error: a folder that cannot be listed holds no leftovers this run can remove.
      continue
    }
    for (const name of names) if (name.startsWith(prefix)) rmSync(join(dirname(target), name), {force: true})
  }
}
