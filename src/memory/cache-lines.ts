/**
 * The lines of a cache file read as bytes, each as the JSON value it holds (`undefined`
 * for a line that is not JSON), without making a string of the whole file: a file of
 * megabytes would be one large string, which the JavaScript heap keeps until its next full
 * collection; lines are small and go at once.
 *
 * @param bytes The file's contents.
 * @param from Where to start (a line's first byte).
 */
export function* cacheLines(bytes: Buffer, from = 0): Generator<{value: unknown; start: number}> {
  for (let start = from; start < bytes.length; ) {
    const newline = bytes.indexOf(10, start)
    const end = newline === -1 ? bytes.length : newline
    yield {value: parseLine(bytes, start, end), start}
    start = end + 1
  }
}

/**
 * One line's JSON value (`undefined`: not JSON).
 *
 * @param bytes The file's contents.
 * @param start The line's first byte.
 * @param end Its end (the newline or the end of the file).
 */
export function parseLine(bytes: Buffer, start: number, end = lineEnd(bytes, start)): unknown {
  try {
    return JSON.parse(bytes.toString('utf8', start, end)) as unknown
  } catch {
    // catch: SyntaxError only (a torn or foreign line is no record).
    return undefined
  }
}

/**
 * Where the line that starts at `start` ends (its newline, or the end of the file).
 *
 * @param bytes The file's contents.
 * @param start The line's first byte.
 */
export function lineEnd(bytes: Buffer, start: number): number {
  const newline = bytes.indexOf(10, start)
  return newline === -1 ? bytes.length : newline
}
