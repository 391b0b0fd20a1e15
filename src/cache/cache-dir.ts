import {createHash} from 'node:crypto'
import {accessSync, constants, readdirSync} from 'node:fs'
import {join, resolve} from 'node:path'

/**
 * Where the incremental cache lives: `PONTE_CACHE_DIR`, or the conventional
 * `node_modules/.cache/ponte` under the project root. Deleting it is always safe.
 *
 * @param root Absolute project root.
 * @param env The environment.
 */
export function cacheDirOf(root: string, env: Readonly<Record<string, string | undefined>>): string {
  const override = env['PONTE_CACHE_DIR']
  // A shared cache folder keeps each project apart.
  return override ? join(resolve(override), createHash('sha256').update(root).digest('hex').slice(0, 12)) : join(root, 'node_modules', '.cache', 'ponte')
}

/**
 * Why the cache folder cannot be used (`undefined`: it can, or does not exist yet): a
 * folder or file of it that the file system will not let Ponte read or write. The cache
 * is derived data, so a run goes on without it and says so once, instead of taking an
 * unreadable record for an empty one file by file.
 *
 * @param dir The cache folder.
 */
export function cacheProblem(dir: string): {path: string; code: string} | undefined {
  const check = (path: string, mode: number): {path: string; code: string} | undefined => {
    try {
      accessSync(path, mode)
      return undefined
    } catch (error) {
      // catch: file-system errors only; absent is no problem (the run makes it).
      const code = (error as NodeJS.ErrnoException).code
      if (typeof code !== 'string') throw error
      return code === 'ENOENT' ? undefined : {path, code}
    }
  }
  const folder = check(dir, constants.R_OK | constants.W_OK | constants.X_OK)
  if (folder) return folder
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    // catch: file-system errors only, as above.
    const code = (error as NodeJS.ErrnoException).code
    if (typeof code !== 'string') throw error
    return code === 'ENOENT' || code === 'ENOTDIR' ? (code === 'ENOTDIR' ? {path: dir, code} : undefined) : {path: dir, code}
  }
  for (const name of names) {
    const problem = check(join(dir, name), constants.R_OK)
    if (problem) return problem
  }
  return undefined
}
