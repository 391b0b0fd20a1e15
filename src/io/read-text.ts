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
  const bytes = readFileSync(path)
  try {
    return {ok: true, text: decoder.decode(bytes)}
  } catch {
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
      high = middle - 1
    }
  }
  return low
}

/**
 * Read a small UTF-8 file, or `undefined` when it does not exist (or cannot be read).
 * Synchronous on purpose: posts are processed one at a time per thread, and an event-loop
 * round trip for each small file costs more than the read.
 *
 * @param path Absolute path.
 */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
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
  const text = readIfExists(path)
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown)
  } catch {
    return undefined
  }
}
