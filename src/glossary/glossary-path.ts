import {isAbsolute, posix} from 'node:path'

/**
 * What is wrong with a configured glossary path, seen without the file system (`undefined`:
 * nothing), and the path as Ponte uses it (`/`, normalized). The glossary is part of the
 * project: an absolute path or one that climbs out of the root is refused, as is a folder.
 *
 * @param configured The `glossary` field of the configuration.
 */
export function glossaryPath(configured: string): {path: string; problem?: string} {
  if (isAbsolute(configured) || /^[A-Za-z]:/.test(configured) || configured.startsWith('\\')) return {path: configured, problem: `"${configured}" is an absolute path`}
  const path = posix.normalize(configured.replace(/\\/g, '/'))
  if (path === '..' || path.startsWith('../')) return {path, problem: `"${configured}" is outside the project root`}
  if (path === '.' || path.endsWith('/')) return {path, problem: `"${configured}" is a folder, not a file`}
  return {path}
}

/** What to do about a glossary path `glossaryPath` refused. */
export function glossaryPathFix(defaultPath: string): string {
  return `give a path inside the project, relative to its root, such as "${defaultPath}"`
}
