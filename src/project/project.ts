import {statSync} from 'node:fs'
import {resolve} from 'node:path'
import {loadConfig} from './load-config.js'
import type {Config} from '../config.js'
import {findPosts} from '../io/find-posts.js'
import {readIfExists, readText} from '../io/read-text.js'
import {message, type Message} from '../report/message.js'
import {compilePatterns, type CompiledPattern} from '../segment/protect.js'
import type {PostFiles} from './extract-post.js'
import {postPaths, resolvePath, type PostPaths} from './paths.js'

/** A project opened for a command: its root, configuration and posts. */
export interface Project {
  root: string
  config: Config
  patterns: CompiledPattern[]
  posts: PostPaths[]
  /** Problems found while opening it (links out of the root…). */
  messages: Message[]
}

/** A usage or configuration error: the CLI exits 2 with this text. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/**
 * Open a project: read and validate `ponte.config.json` (when present) and find posts.
 *
 * @param root Project root (relative to the working directory or absolute).
 * @param cacheDir The cache folder, where the posts found are kept (`undefined`: no cache;
 *   the trees are walked).
 */
export async function openProject(root: string, cacheDir?: string): Promise<Project> {
  const absolute = resolve(root)
  const folder = statSync(absolute, {throwIfNoEntry: false})
  if (!folder?.isDirectory()) throw new UsageError(`${root}: ${folder ? 'not a folder' : 'no such folder'}; the project root (--root, or the working directory) is the folder that holds content/ and locales/`)
  const loaded = await loadConfig(absolute)
  if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'))
  const config = loaded.config
  let patterns: CompiledPattern[]
  try {
    patterns = compilePatterns(config.protectedPatterns)
  } catch (error) {
    throw new UsageError(`ponte.config.json: protectedPatterns: ${(error as Error).message}`)
  }
  // Both trees are walked at once: the file system answers one while the other is sorted.
  const [found, editions] = await Promise.all([findPosts(absolute, config.sourceLanguage, cacheDir), findPosts(absolute, config.targetLanguage, cacheDir)])
  const messages = found.outside.map((post) =>
    message(`content/${config.sourceLanguage}/${post}`, undefined, 'warning', 'path-outside-root', 'this file is a link that leads outside the project root; it was skipped', 'copy the file into the project instead of linking it')
  )
  // An edition whose Italian post is gone is kept (never deleted silently) and reported.
  const sources = new Set(found.posts)
  for (const edition of editions.posts) {
    if (sources.has(edition)) continue
    messages.push(message(`content/${config.targetLanguage}/${edition}`, undefined, 'warning', 'edition-orphaned', `its Italian post content/${config.sourceLanguage}/${edition} no longer exists; Ponte keeps the edition`, 'delete the edition and its catalogs if the post was removed on purpose'))
  }
  return {root: absolute, config, patterns, posts: found.posts.map((post) => postPaths(post, config)), messages}
}

/**
 * Read the catalogs and lock of a post (absent files are `undefined`).
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 */
export async function readPostFiles(root: string, paths: PostPaths): Promise<PostFiles> {
  const read = (path: string): string | undefined => readIfExists(resolvePath(root, path))
  return {sourceCatalog: read(paths.sourceCatalog), targetCatalog: read(paths.targetCatalog), archive: read(paths.archive), lock: read(paths.lock)}
}

/**
 * Read a post's Italian source as strict UTF-8; a bad file becomes a message.
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 */
export async function readSource(root: string, paths: PostPaths): Promise<{ok: true; text: string} | {ok: false; message: Message}> {
  const read = await readText(resolvePath(root, paths.source)).catch((error: NodeJS.ErrnoException) => ({ok: false as const, reason: `cannot be read (${error.code ?? error.message})`, offset: 0}))
  if (read.ok) {
    if (read.text.includes('\u0000')) {
      return {ok: false, message: message(paths.source, undefined, 'error', 'source-nul', 'contains NUL bytes: it is not a text file', 'remove the NUL bytes or move the file out of content/')}
    }
    return read
  }
  return {ok: false, message: message(paths.source, undefined, 'error', 'source-encoding', `${read.reason}${read.offset ? ` (first bad byte at offset ${read.offset})` : ''}; the post was skipped`, 'save the file as UTF-8')}
}
