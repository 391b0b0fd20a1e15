import {readFileSync} from 'node:fs'

const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

/** A text file read from disk, or why it could not be read as UTF-8. */
export type ReadText = {ok: true; text: string} | {ok: false; reason: string; offset: number}

/**
 * Read a file as strict UTF-8 (a BOM is kept in the text; invalid bytes are an error
 * with their byte offset, never replaced silently).
 *
 * @param path Absolute path.
 */
export async function readText(path: string): Promise<ReadText> {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    // catch: file-system errors only; ENOENT too (a post that vanished since it was found is not absent by choice).
    throw unreadable(path, error)
  }
  try {
    return {ok: true, text: decoder.decode(bytes)}
  } catch {
    // catch: the decoder's TypeError for invalid UTF-8, reported with its offset.
    return {ok: false, reason: 'is not valid UTF-8', offset: firstInvalid(bytes)}
  }
}

function firstInvalid(bytes: Uint8Array): number {
  let low = 0
  let high = bytes.length
  // The longest valid prefix, by bisection on whole-prefix validity.
  while (low < high) {
    const middle = (low + high + 1) >> 1
    try {
      new TextDecoder('utf-8', {fatal: true}).decode(bytes.subarray(0, middle), {stream: true})
      low = middle
    } catch {
      // catch: the decoder's TypeError: the prefix is invalid.
      high = middle - 1
    }
  }
  return low
}

/**
 * A file or folder the file system would not let Ponte read (`EACCES`, `EISDIR`, `EIO`…):
 * never taken for an absent one, so nothing is written on the strength of a failed read.
 */
export class UnreadablePath extends Error {
  override name = 'UnreadablePath'
  /**
   * @param path The path, as given to the read.
   * @param code The system's error code (`EACCES`, `EISDIR`…).
   */
  constructor(readonly path: string, readonly code: string) {
    super(`cannot read ${path}: ${code}`)
  }
}

/** What to do about each error a read can meet, for messages. */
export const readFixes: Readonly<Record<string, string>> = {
  EACCES: 'give the user running Ponte read access to it (and search access to its folders)',
  EPERM: 'give the user running Ponte read access to it',
  EISDIR: 'a folder stands where a file should be: move the folder away',
  ENOTDIR: 'part of this path is a file where a folder should be: move that file away',
  ELOOP: 'it is a loop of symbolic links: replace the link with the file',
  EIO: 'the disk reported an input/output error: check the disk, then run again',
  EMFILE: 'too many files are open: raise the limit (ulimit -n) and run again'
}

/**
 * What to do about a read that failed with `code`.
 *
 * @param code A system error code.
 */
export function readFix(code: string): string {
  return readFixes[code] ?? 'make the file readable, then run again'
}

/**
 * The error as an `UnreadablePath` when it is one the file system gave about `path`;
 * anything else (a bug) is thrown again.
 */
function unreadable(path: string, error: unknown): UnreadablePath {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (typeof code !== 'string') throw error
  return new UnreadablePath(path, code)
}

/**
 * Read a small UTF-8 file, or `undefined` when it does not exist. Any other failure
 * (permission, a folder in its place, I/O) throws `UnreadablePath`: an unreadable file is
 * never taken for an absent one. Synchronous on purpose: posts are processed one at a time
 * per thread, and an event-loop round trip for each small file costs more than the read.
 *
 * @param path Absolute path.
 */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    // catch: ENOENT only (absent is an answer); every other error becomes UnreadablePath.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw unreadable(path, error)
  }
}

/**
 * Read a file Ponte keeps for itself (the cache, derived data), or `undefined` when it is
 * absent or cannot be read: the caller treats that as nothing recorded (a cache folder
 * that cannot be used is told once per run, by `cacheProblem`).
 *
 * @param path Absolute path.
 */
export function readCacheFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    // catch: every file-system error (the cache may stay lenient: a miss costs work, never data).
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
    return undefined
  }
}

/**
 * Read a file Ponte keeps for itself as bytes, or `undefined` when it is absent or cannot be
 * read (as `readCacheFile`): a large cache file is read line by line from the bytes, so no
 * string of the whole file is made.
 *
 * @param path Absolute path.
 */
export function readCacheBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch (error) {
    // catch: every file-system error (the cache may stay lenient: a miss costs work, never data).
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
    return undefined
  }
}

/**
 * Read a small JSON file Ponte wrote for itself (the cache), or `undefined` when it is
 * absent, unreadable or not JSON: the caller treats that as nothing recorded.
 *
 * @param path Absolute path.
 */
export function readJsonIfValid(path: string): unknown {
  const text = readCacheFile(path)
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown)
  } catch {
    // catch: SyntaxError only (a torn or foreign cache file is no record).
    return undefined
  }
}
