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
