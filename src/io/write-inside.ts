import {lstatSync, realpathSync} from 'node:fs'
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
 * @param previous The current contents when the caller already read them (`null`: absent).
 * @returns Whether the file changed.
 */
export async function writeInside(root: string, path: string, content: string, previous?: string | null): Promise<boolean> {
  if (previous === content) return false
  const realRoot = realpathSync(root)
  const folder = dirname(path)
  if (!insideFolder(realRoot, folder)) throw new PathOutsideRoot(path)
  let link = false
  try {
    link = lstatSync(path).isSymbolicLink()
  } catch {
    // Absent: nothing to check.
  }
  if (link) throw new PathOutsideRoot(path)
  return writeFileAtomic(path, content, previous)
}

function insideFolder(realRoot: string, start: string): boolean {
  let folder = start
  // The nearest folder that exists decides where the file really goes.
  for (;;) {
    let real: string | undefined
    try {
      real = realpathSync(folder)
    } catch {
      real = undefined
    }
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
