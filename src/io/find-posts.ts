import {readdir} from 'node:fs'
import {realpath, stat} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'
import fg from 'fast-glob'
import {walkListed} from '../cache/post-listing.js'

/** What a post is to fast-glob, for the whole walk here and for the folders `walkListed` reads again. */
const postGlob = {followSymbolicLinks: false, dot: false, caseSensitiveMatch: true, unique: false} as const

/** The source posts of a project, and the ones left out (links out of the root). */
export interface FoundPosts {
  /** Paths relative to `content/<lang>/`, with `/`, sorted. */
  posts: string[]
  /** Paths skipped because they resolve outside the project root. */
  outside: string[]
  /**
   * Folders and links the file system would not read (`''` is the tree itself), with the
   * error code: the posts in them are unknown, never taken for none.
   */
  unreadable: Array<{path: string; code: string}>
}

/**
 * Find the Markdown posts under `content/<lang>/`. Symbolic links are not followed into
 * folders, and a linked file that resolves outside the root is left out.
 *
 * @param root Absolute project root.
 * @param language Source language folder (default `it`).
 * @param cacheDir The cache folder, where the posts found are kept while no folder changes
 *   (`undefined`: walk the tree every time).
 */
export async function findPosts(root: string, language = 'it', cacheDir?: string): Promise<FoundPosts> {
  const base = join(root, 'content', language)
  const realRoot = await realpath(root)
  const unreadable: FoundPosts['unreadable'] = []
  // The folder itself may be a link: every post under it is where it leads.
  const realBase = await realpath(base).catch((error: NodeJS.ErrnoException) => {
    // catch: ENOENT (no posts yet: a new project); any other error is reported, never zero posts.
    if (error.code !== 'ENOENT') unreadable.push({path: '', code: error.code ?? error.message})
    return undefined
  })
  if (unreadable.length > 0) return {posts: [], outside: [], unreadable}
  const baseInside = realBase !== undefined && isInside(realRoot, realBase)
  // A tree that is where it seems, with no link that may be a post, can be walked from
  // what the last run found: only the folders that changed are read.
  if (cacheDir !== undefined && baseInside && relative(realRoot, realBase) === join('content', language)) {
    const listed = await walkListed(cacheDir, language, base, postGlob)
    if (listed) return {posts: listed.sort(compare), outside: [], unreadable}
  }
  if (realBase === undefined) return {posts: [], outside: [], unreadable}
  // Not `onlyFiles`: fast-glob would drop links to files silently, and a link that leads
  // out of the root must be reported, not ignored. Not `unique`: one pattern that follows
  // no links meets each file once, and the check costs a set of every path. fast-glob
  // reads folders through `readdir` below, which notes every folder it cannot read (fast-glob
  // would stop at the first, or with `suppressErrors` say nothing).
  const noted: typeof readdir = ((path: string, options: unknown, callback: (error: NodeJS.ErrnoException | null, entries: unknown) => void) => {
    ;(readdir as unknown as (path: string, options: unknown, callback: (error: NodeJS.ErrnoException | null, entries: unknown) => void) => void)(path, options, (error, entries) => {
      if (error && error.code !== 'ENOENT') unreadable.push({path: relative(base, path).split(sep).join('/'), code: error.code ?? error.message})
      callback(error, entries)
    })
  }) as unknown as typeof readdir
  const found = await fg('**/*.md', {...postGlob, cwd: base, onlyFiles: false, objectMode: true, suppressErrors: true, fs: {readdir: noted}})
  const posts: string[] = []
  const outside: string[] = []
  for (const entry of found.sort((a, b) => compare(a.path, b.path))) {
    // Only links need resolving: a plain file under a folder inside the root is inside.
    if (!entry.dirent.isSymbolicLink()) {
      if (!entry.dirent.isFile()) continue
      if (baseInside) posts.push(entry.path)
      else outside.push(entry.path)
      continue
    }
    let real: string | undefined
    try {
      real = await realpath(join(base, entry.path))
      if (isInside(realRoot, real) && !(await stat(real)).isFile()) continue
    } catch (error) {
      // catch: file-system errors: a dangling link (ENOENT) leads nowhere inside the root; any other is reported.
      const code = (error as NodeJS.ErrnoException).code
      if (typeof code !== 'string') throw error
      if (code !== 'ENOENT') {
        unreadable.push({path: entry.path, code})
        continue
      }
      real = undefined
    }
    if (!real || !isInside(realRoot, real)) outside.push(entry.path)
    else posts.push(entry.path)
  }
  return {posts, outside, unreadable: unreadable.sort((a, b) => compare(a.path, b.path))}
}

/**
 * Whether a real path lies inside a real root.
 *
 * @param root Real path of the root.
 * @param path Real path to test.
 */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
