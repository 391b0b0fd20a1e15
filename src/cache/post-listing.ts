import {statSync} from 'node:fs'
import {join} from 'node:path'
import fg from 'fast-glob'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readJsonIfValid} from '../io/read-text.js'
import {racyMs} from './stamps.js'

/**
 * What the last run found in each folder of a language tree, with the folder's stamp.
 * Adding, removing or renaming an entry changes its folder's times, so a folder whose
 * stamp matches holds what it held, and only folders that changed are read again (Git
 * trusts folder times the same way for its untracked cache). At 10,000 posts this turns a
 * walk of a tenth of a second or more into a few stats; an edit that rewrites one edition
 * re-reads one folder.
 */
interface Listing {
  format: 1
  base: string
  folders: Record<string, Folder>
}

/** One folder (by path relative to the tree, `''` for the tree itself). */
interface Folder {
  /** Inode and times, taken before the folder was read. */
  stamp: string
  /** Taken too close to a change to be trusted: read again next time. */
  racy: boolean
  /** Posts directly in it, by name. */
  posts: string[]
  /** Folders directly in it, by name. */
  folders: string[]
}

const file = (cacheDir: string, language: string): string => join(cacheDir, `posts-${language}.json`)

/**
 * The posts of a language tree, walking only the folders that changed since the last run
 * (`undefined`: the tree holds a link that may be a post, left to `findPosts`' checks, or
 * cannot be walked). A folder that changed is read with `fast-glob`, one level deep.
 *
 * @param cacheDir The cache folder.
 * @param language The tree's folder under `content/`.
 * @param base Absolute path of the tree.
 * @param glob The options `findPosts` walks the whole tree with (what a post is).
 * @returns Paths relative to `base`, with `/`, in no particular order.
 */
export async function walkListed(cacheDir: string, language: string, base: string, glob: fg.Options): Promise<string[] | undefined> {
  const stored = readJsonIfValid(file(cacheDir, language)) as Partial<Listing> | undefined
  const previous = stored?.format === 1 && stored.base === base && typeof stored.folders === 'object' && stored.folders !== null ? stored.folders : {}
  const folders = new Map<string, Folder>()
  const posts: string[] = []
  let changed = false
  try {
    const pending = ['']
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      const absolute = path === '' ? base : join(base, path)
      const now = Date.now()
      const info = statSync(absolute)
      if (!info.isDirectory()) return undefined
      const stamp = `${info.ino}:${info.mtimeMs}:${info.ctimeMs}`
      const old = Object.hasOwn(previous, path) ? previous[path] : undefined
      let folder: Folder
      if (old !== undefined && old.stamp === stamp && !old.racy && Array.isArray(old.posts) && Array.isArray(old.folders)) folder = old
      else {
        const listed = listFolder(absolute, glob)
        if (!listed) return undefined
        // A change always sets both times to the clock: only a folder changed just now can change again without its stamp changing.
        folder = {stamp, racy: now - info.mtimeMs < racyMs, ...listed}
        changed = true
      }
      folders.set(path, folder)
      const prefix = path === '' ? '' : `${path}/`
      for (const name of folder.posts) posts.push(prefix + name)
      for (const name of folder.folders) pending.push(prefix + name)
    }
  } catch {
    // catch: any failure while reading folders from the listing: the caller walks the tree
    // with fast-glob instead, which reports every folder it cannot read.
    return undefined
  }
  if (changed || Object.keys(previous).length !== folders.size) {
    const listing: Listing = {format: 1, base, folders: Object.fromEntries(folders)}
    // catch: any write error: a cache that cannot be written only costs a walk next time.
    await writeFileAtomic(file(cacheDir, language), JSON.stringify(listing) + '\n').catch(() => undefined)
  }
  return posts
}

/**
 * The posts and folders directly in a folder, as `fast-glob` sees them (`undefined`: it
 * holds a link that may be a post).
 */
function listFolder(absolute: string, glob: fg.Options): Pick<Folder, 'posts' | 'folders'> | undefined {
  const options = {...glob, cwd: absolute, deep: 1}
  const posts: string[] = []
  for (const entry of fg.sync('*.md', {...options, onlyFiles: false, objectMode: true})) {
    if (entry.dirent.isSymbolicLink()) return undefined
    if (entry.dirent.isFile()) posts.push(entry.name)
  }
  return {posts, folders: fg.sync('*', {...options, onlyDirectories: true})}
}
