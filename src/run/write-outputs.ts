import {accessSync, constants} from 'node:fs'
import {dirname} from 'node:path'
import {PathOutsideRoot, writeInside} from '../io/write-inside.js'
import {resolvePath} from '../project/paths.js'
import {message, type Message} from '../report/message.js'

/**
 * Write a post's planned files that differ from the disk, each atomically, and report a
 * file that cannot be written on that file. A folder that refuses writes is found before
 * any of the post's files is written, so a post is never left half written (its Italian
 * catalog new, its English one old).
 *
 * @param root Absolute project root.
 * @param files Path → content to write (only files that differ from the disk).
 * @param messages Where failures are reported (appended).
 * @param previousOf A file's content as it was read (`undefined`: absent), so a file changed meanwhile is not overwritten.
 * @param run The run's id.
 * @returns The paths written.
 */
export async function writeOutputs(root: string, files: ReadonlyMap<string, string>, messages: Message[], previousOf: (path: string) => string | undefined, run: string): Promise<string[]> {
  for (const [path] of files) {
    const refusal = writeRefusal(resolvePath(root, path))
    if (refusal) {
      messages.push(message(path, undefined, 'error', 'file-unwritable', `cannot be written (${refusal}); none of this post's files was written`, writeFix(refusal)))
      return []
    }
  }
  const written: string[] = []
  for (const [path, content] of files) {
    try {
      if (await writeInside(root, resolvePath(root, path), content, previousOf(path) ?? null, run)) written.push(path)
    } catch (error) {
      // catch: PathOutsideRoot and file-system errors, each reported on the file (the write
      // was atomic: the file is old or new); anything else is a bug.
      const code = (error as NodeJS.ErrnoException).code
      if (error instanceof PathOutsideRoot) messages.push(message(path, undefined, 'error', 'path-outside-root', error.message, 'make locales/ and content/ real folders inside the project'))
      else if (typeof code === 'string') messages.push(message(path, undefined, 'error', 'file-unwritable', `cannot be written (${code}); it was left as it was`, writeFix(code)))
      else throw error
    }
  }
  return written
}

/** Why the folder of a file refuses writes (`undefined`: it does not, or does not exist yet, and its creation will say). */
function writeRefusal(path: string): string | undefined {
  try {
    accessSync(dirname(path), constants.W_OK | constants.X_OK)
    return undefined
  } catch (error) {
    // catch: file-system errors only; a folder still to be made is made by the write.
    const code = (error as NodeJS.ErrnoException).code
    if (typeof code !== 'string') throw error
    return code === 'ENOENT' ? undefined : code
  }
}

/** What to do about a write that failed with `code`. */
function writeFix(code: string): string {
  if (code === 'ENOSPC') return 'free some disk space and run again'
  if (code === 'EROFS') return 'the file system is read-only: run Ponte where it can write'
  if (code === 'EISDIR') return 'a folder stands where Ponte writes this file: move that folder away'
  if (code === 'ENOTDIR') return 'part of this path is a file where Ponte needs a folder: move that file away'
  return 'give the user running Ponte write access to the file and its folder, then run again'
}
