import {lstat, realpath} from 'node:fs/promises'
import {dirname} from 'node:path'
import {writeFileAtomic} from './atomic-write.js'
import {isInside} from './find-posts.js'

/**
 * Write a project file atomically, refusing any path whose folder resolves outside the
 * project root (a linked `locales/` or `content/en/`) and never writing through a
 * symbolic link.
 *
 * @param root Absolute project root.
 * @param path Absolute path of the file, under `root`.
 * @param content New contents.
 * @returns Whether the file changed.
 */
export async function writeInside(root: string, path: string, content: string): Promise<boolean> {
  const realRoot = await realpath(root)
  const folder = dirname(path)
  if (!(await insideFolder(realRoot, folder))) throw new PathOutsideRoot(path)
  const stat = await lstat(path).catch(() => undefined)
  if (stat?.isSymbolicLink()) throw new PathOutsideRoot(path)
  return writeFileAtomic(path, content)
}

async function insideFolder(realRoot: string, start: string): Promise<boolean> {
  let folder = start
  // The nearest folder that exists decides where the file really goes.
  for (;;) {
    const real = await realpath(folder).catch(() => undefined)
    if (real !== undefined) return real === realRoot || isInside(realRoot, real)
    const parent = dirname(folder)
    if (parent === folder) return false
    folder = parent
  }
}

/** Thrown when a write would leave the project root; reported as a message, not a crash. */
export class PathOutsideRoot extends Error {
  override name = 'PathOutsideRoot'
  constructor(readonly path: string) {
    super(`refusing to write ${path}: it is, or is inside, a link that leads outside the project root`)
  }
}
