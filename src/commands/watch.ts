import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import type {Config} from '../config.js'
import type {KeyCounts} from '../project/extract-post.js'
import type {PostCounts} from '../project/build-post.js'
import {loadConfig} from '../project/load-config.js'
import {postPaths, resolvePath} from '../project/paths.js'
import {UsageError} from '../project/project.js'
import type {WriteOptions} from '../run/run-command.js'
import {uniqueMessages, type Message} from '../report/message.js'
import {watchProject, type ProjectChange} from '../watch/watch-project.js'
import {build} from './build.js'
import {extract} from './extract.js'

/** Options of `watch`. */
export interface WatchOptions extends WriteOptions {
  /** Quiet time before a burst of saves is handled as one, in ms (default 150). */
  settleMs?: number
  /** Called with what each run did, when the watcher loses a path, and when a run fails. */
  onReport: (report: WatchReport) => void
}

/** What happened to one post in a run of the watch loop. */
export interface PostChange {
  /** Path under `content/<source>/`, e.g. `caffe.md`. */
  post: string
  /** What changed: the Italian post, its English catalog, or the post was removed. */
  cause: 'post' | 'catalog' | 'removed'
  /** Key counts of the extraction (when the post changed). */
  extracted?: KeyCounts
  /** Segment counts of the build. */
  built?: PostCounts
  /** The edition written, relative to the root (absent when it did not change). */
  edition?: string
  /** The post is below the threshold: no edition. */
  skipped: boolean
}

/** One report of the watch loop. */
export type WatchReport =
  | {kind: 'ready'; watching: string[]}
  | {kind: 'run'; changes: PostChange[]; messages: Message[]; written: string[]}
  | {kind: 'lost'; path: string; reason: string}
  | {kind: 'failed'; reason: string}

/** A running watch loop. */
export interface Watching {
  /** Resolves once the first run is over and saves are being watched. */
  ready: Promise<void>
  /** Resolves when no run is going on and none is queued. */
  idle: () => Promise<void>
  /** Stop watching, and let the run going on (if any) finish: no lock or temporary file is left. */
  close: () => Promise<void>
}

/**
 * The editor's loop: watch `content/<source>/` and `locales/`, and on every save run what is
 * needed (extract and build for a changed post, build for a changed catalog). A burst of saves
 * is one run; runs take turns (a save during a run is handled by the next one, and the
 * project's lock keeps other Ponte processes out); the files Ponte itself writes are not news.
 * A run over every post first brings the project up to date.
 *
 * @param options Root, settle time and the report callback.
 */
export async function watch(options: WatchOptions): Promise<Watching> {
  const root = resolve(options.root ?? '.')
  const loaded = await loadConfig(root)
  if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'))
  const config = loaded.config
  const run = {root, ...(options.cache === undefined ? {} : {cache: options.cache}), ...(options.env ? {env: options.env} : {}), ...(options.onWait ? {onWait: options.onWait} : {})}
  // What Ponte wrote, with the stamp it left (size and time): a change that still has it is Ponte's own.
  const own = new Map<string, string>()
  let pending = new Map<string, ProjectChange['event']>()
  let running: Promise<void> | undefined
  let closed = false

  const handle = async (changes: ProjectChange[] | undefined): Promise<void> => {
    const posts = changes === undefined ? undefined : await relevant(changes)
    if (posts?.size === 0) return
    const touchesPosts = posts === undefined || [...posts.values()].some((cause) => cause !== 'catalog')
    try {
      const extracted = touchesPosts ? await extract(run) : undefined
      const built = await build(run)
      const written = [...(extracted?.written ?? []), ...built.written]
      for (const path of written) {
        if (path.startsWith('locales/')) own.set(path, await stampOf(resolvePath(root, path)))
      }
      const editions = new Set(built.written)
      const shown = posts ?? new Map(built.posts.filter((post) => post.written).map((post) => [post.path, 'post' as const]))
      const lines: PostChange[] = []
      for (const [post, cause] of shown) {
        const extractedPost = extracted?.posts.find((item) => item.path === post)
        const builtPost = built.posts.find((item) => item.path === post)
        const edition = postPaths(post, config).edition
        lines.push({
          post,
          cause,
          ...(extractedPost ? {extracted: extractedPost.counts} : {}),
          ...(builtPost ? {built: builtPost.counts} : {}),
          ...(editions.has(edition) ? {edition} : {}),
          skipped: Boolean(builtPost?.skipped)
        })
      }
      const files = new Set([...shown.keys()].flatMap((post) => Object.values(postPaths(post, config))))
      const messages = [...(extracted?.messages ?? []), ...built.messages].filter((item) => files.has(item.file) || !/^(content|locales)\//.test(item.file))
      options.onReport({kind: 'run', changes: lines, messages: uniqueMessages(messages), written})
    } catch (error) {
      // catch: anything a run throws (a folder it cannot read, a configuration broken meanwhile) is
      // reported with its reason and the watch goes on: the next save runs again.
      const failure = error as NodeJS.ErrnoException
      options.onReport({kind: 'failed', reason: failure.code && failure.syscall ? `cannot ${failure.syscall}${failure.path ? ` ${failure.path}` : ''}: ${failure.code}` : failure.message})
    }
  }

  /** The posts a batch is about, and why; Ponte's own writes and its generated files left out. */
  const relevant = async (changes: ProjectChange[]): Promise<Map<string, PostChange['cause']>> => {
    const posts = new Map<string, PostChange['cause']>()
    for (const change of changes) {
      const post = postOf(change.path, config)
      if (post === undefined) continue
      if (change.event !== 'unlink' && own.has(change.path)) {
        const mine = own.get(change.path) === (await stampOf(resolvePath(root, change.path)))
        own.delete(change.path)
        if (mine) continue
      }
      const cause = post.cause === 'post' && change.event === 'unlink' ? 'removed' : post.cause
      // A post's own change (extract and build) outranks its catalog's (build).
      const before = posts.get(post.post)
      if (before === undefined || before === 'catalog') posts.set(post.post, cause)
    }
    return posts
  }

  const drain = (): void => {
    if (running || closed) return
    running = (async () => {
      while (pending.size > 0 && !closed) {
        const batch = [...pending].map(([path, event]) => ({path, event}))
        pending = new Map()
        await handle(batch)
      }
    })().finally(() => {
      running = undefined
    })
  }

  const watcher = watchProject(
    root,
    config,
    (changes) => {
      for (const change of changes) pending.set(change.path, change.event)
      drain()
    },
    {
      ...(options.settleMs === undefined ? {} : {settleMs: options.settleMs}),
      onProblem: (problem) => options.onReport({kind: 'lost', ...problem})
    }
  )
  const first = handle(undefined)
  running = first.finally(() => {
    running = undefined
    drain()
  })
  const ready = Promise.all([watcher.ready, first]).then(() => {
    options.onReport({kind: 'ready', watching: [`content/${config.sourceLanguage}/`, 'locales/']})
  })
  return {
    ready,
    idle: async () => {
      while (running) await running
    },
    close: async () => {
      closed = true
      await watcher.close()
      while (running) await running
    }
  }
}

/** The post a changed file belongs to: an Italian post, or its English catalog (other files are Ponte's). */
function postOf(path: string, config: Pick<Config, 'sourceLanguage' | 'targetLanguage'>): {post: string; cause: 'post' | 'catalog'} | undefined {
  const source = `content/${config.sourceLanguage}/`
  const catalogs = `locales/${config.targetLanguage}/`
  if (path.startsWith(source) && path.endsWith('.md')) return {post: path.slice(source.length), cause: 'post'}
  if (path.startsWith(catalogs) && path.endsWith('.json') && !path.endsWith('_old.json')) return {post: path.slice(catalogs.length, -'.json'.length) + '.md', cause: 'catalog'}
  return undefined
}

/** Size and modification time: what tells a file Ponte wrote from a later save. */
async function stampOf(path: string): Promise<string> {
  return stat(path).then(
    (info) => `${info.size}:${info.mtimeMs}:${info.ino}`,
    () => 'absent'
  )
}

