import {randomBytes} from 'node:crypto'
import {mkdir, open, readFile, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

/** Prefix of the temporary files Ponte writes next to their targets before renaming. */
export const temporaryPrefix = '.ponte-tmp-'

/**
 * Write a file atomically: write a temporary file in the same folder, then rename it over
 * the target, so a reader (or a run killed at any moment) sees either the old or the new
 * file, never a torn one. A file whose bytes would not change is not touched. (No fsync:
 * `kill -9` cannot lose written data, and a power cut is not what this guards against;
 * syncing every catalog would make a run over 10,000 posts minutes slower.)
 *
 * @param path Absolute path of the target.
 * @param content The new contents (written as UTF-8).
 * @returns Whether the file was written.
 */
export async function writeFileAtomic(path: string, content: string): Promise<boolean> {
  const previous = await readFile(path, 'utf8').catch(() => undefined)
  if (previous === content) return false
  await mkdir(dirname(path), {recursive: true})
  const temporary = join(dirname(path), `${temporaryPrefix}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`)
  try {
    const handle = await open(temporary, 'wx', 0o644)
    try {
      await handle.writeFile(content, 'utf8')
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, {force: true})
    throw error
  }
  return true
}
