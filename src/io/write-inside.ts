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
 * @param run The run's id: a folder found inside the root is not resolved again in the
 *   same run (a run writes thousands of files into a few dozen folders).
 * @returns Whether the file changed.
 */
export async function writeInside(root: string, path: string, content: string, previous?: string | null, run?: string): Promise<boolean> {
  if (previous === content) return false
  const folder = dirname(path)
  if (run === undefined || !verified(run).has(folder)) {
    if (!insideFolder(realpathSync(root), folder)) throw new PathOutsideRoot(path)
    if (run !== undefined) verified(run).add(folder)
  }
  let link = false
  try {
    link = lstatSync(path).isSymbolicLink()
  } catch (error) {
    // catch: ENOENT only (absent: nothing to check); any other error is thrown.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (link) throw new PathOutsideRoot(path)
  return writeFileAtomic(path, content, previous)
}

let verifiedRun: {run: string; folders: Set<string>} | undefined

/** The folders this thread already found inside the root during `run`. */
function verified(run: string): Set<string> {
  if (verifiedRun?.run !== run) verifiedRun = {run, folders: new Set()}
  return verifiedRun.folders
}

function insideFolder(realRoot: string, start: string): boolean {
  let folder = start
  // The nearest folder that exists decides where the file really goes.
  for (;;) {
    let real: string | undefined
    try {
      real = realpathSync(folder)
    } catch (error) {
      // catch: ENOENT only (not made yet: its parent decides); any other error is thrown.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
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
