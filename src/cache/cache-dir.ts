import {createHash} from 'node:crypto'
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
