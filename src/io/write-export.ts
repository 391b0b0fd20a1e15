import {mkdirSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {writeFileAtomic} from './atomic-write.js'
import {withRunLock} from './run-lock.js'

/**
 * Write a file a command exports (XLIFF, TMX) where the user asked: atomically, under the
 * project's run lock, its folder made if needed, and not touched when its bytes are the same.
 *
 * @param root Absolute project root (whose lock is taken).
 * @param out The path as the user gave it (relative to the working directory, or absolute).
 * @param text The file's contents.
 * @param onWait Called once when another run holds the lock and this one waits.
 * @returns `[out]` when the file was written, `[]` when it already held these bytes.
 */
export async function writeExport(root: string, out: string, text: string, onWait?: (pid: number) => void): Promise<string[]> {
  const file = resolve(out)
  return withRunLock(
    root,
    async () => {
      mkdirSync(dirname(file), {recursive: true})
      return (await writeFileAtomic(file, text)) ? [out] : []
    },
    onWait ? {onWait} : {}
  )
}
