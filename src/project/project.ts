import {statSync} from 'node:fs'
import {relative, resolve, sep} from 'node:path'
import {loadConfig} from './load-config.js'
import type {Config} from '../config.js'
import {findPosts} from '../io/find-posts.js'
import {readFix, readIfExists, readText, UnreadablePath} from '../io/read-text.js'
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
    // catch: the SyntaxError of a bad regular expression in the configuration: a usage error.
    throw new UsageError(`ponte.config.json: protectedPatterns: ${(error as Error).message}`)
  }
  // Both trees are walked at once: the file system answers one while the other is sorted.
  const [found, editions] = await Promise.all([findPosts(absolute, config.sourceLanguage, cacheDir), findPosts(absolute, config.targetLanguage, cacheDir)])
  const sourceTree = `content/${config.sourceLanguage}`
  const unreadableRoot = found.unreadable.find((item) => item.path === '')
  if (unreadableRoot) throw new UsageError(`${sourceTree}: cannot be read (${unreadableRoot.code}); ${readFix(unreadableRoot.code)}. No post was read, so none was checked or written`)
  const folderMessage = (tree: string, item: {path: string; code: string}): Message =>
    message(item.path === '' ? tree : `${tree}/${item.path}`, undefined, 'error', 'folder-unreadable', `cannot be read (${item.code}); the posts in it were not found, so they were neither checked nor written`, readFix(item.code))
  const messages = found.outside.map((post) =>
    message(`content/${config.sourceLanguage}/${post}`, undefined, 'warning', 'path-outside-root', 'this file is a link that leads outside the project root; it was skipped', 'copy the file into the project instead of linking it')
  )
  messages.push(...found.unreadable.map((item) => folderMessage(sourceTree, item)))
  messages.push(...editions.unreadable.map((item) => folderMessage(`content/${config.targetLanguage}`, item)))
  // An edition whose Italian post is gone is kept (never deleted silently) and reported;
  // one under a folder that could not be read may have its post there.
  const sources = new Set(found.posts)
  const unknown = found.unreadable.map((item) => `${item.path}/`)
  for (const edition of editions.posts) {
    if (sources.has(edition) || unknown.some((folder) => edition.startsWith(folder) || edition === folder.slice(0, -1))) continue
    messages.push(message(`content/${config.targetLanguage}/${edition}`, undefined, 'warning', 'edition-orphaned', `its Italian post content/${config.sourceLanguage}/${edition} no longer exists; Ponte keeps the edition`, 'delete the edition and its catalogs if the post was removed on purpose'))
  }
  return {root: absolute, config, patterns, posts: found.posts.map((post) => postPaths(post, config)), messages}
}

/**
 * Read the catalogs and lock of a post (absent files are `undefined`). A file that exists
 * but cannot be read throws `UnreadablePath`: the post must not be written.
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 */
export async function readPostFiles(root: string, paths: PostPaths): Promise<PostFiles> {
  const read = (path: string): string | undefined => readIfExists(resolvePath(root, path))
  return {sourceCatalog: read(paths.sourceCatalog), targetCatalog: read(paths.targetCatalog), archive: read(paths.archive), lock: read(paths.lock)}
}

/**
 * The message for a file of a post that cannot be read: where, why, and what to do. The
 * post is skipped: none of its files is written on the strength of a failed read.
 *
 * @param root Absolute project root.
 * @param error The failed read.
 */
export function unreadableMessage(root: string, error: UnreadablePath): Message {
  const path = relative(root, error.path).split(sep).join('/')
  return message(path, undefined, 'error', 'file-unreadable', `cannot be read (${error.code}); the post was skipped and none of its files was written`, readFix(error.code))
}

/**
 * Read a post's Italian source as strict UTF-8; a bad or unreadable file becomes a message.
 *
 * @param root Absolute project root.
 * @param paths The post's paths.
 */
export async function readSource(root: string, paths: PostPaths): Promise<{ok: true; text: string} | {ok: false; message: Message}> {
  let read
  try {
    read = await readText(resolvePath(root, paths.source))
  } catch (error) {
    // catch: UnreadablePath only, reported on the post; anything else is a bug.
    if (error instanceof UnreadablePath) return {ok: false, message: unreadableMessage(root, error)}
    throw error
  }
  if (read.ok) {
    if (read.text.includes('\u0000')) {
      return {ok: false, message: message(paths.source, undefined, 'error', 'source-nul', 'contains NUL bytes: it is not a text file', 'remove the NUL bytes or move the file out of content/')}
    }
    return read
  }
  return {ok: false, message: message(paths.source, undefined, 'error', 'source-encoding', `${read.reason}${read.offset ? ` (first bad byte at offset ${read.offset})` : ''}; the post was skipped`, 'save the file as UTF-8')}
}
