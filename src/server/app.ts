import {Hono, type Context} from 'hono'
import {bodyLimit} from 'hono/body-limit'
import {secureHeaders} from 'hono/secure-headers'
import {streamSSE} from 'hono/streaming'
import {readCatalog} from '../catalog/read-catalog.js'
import {accept} from '../commands/accept.js'
import {status} from '../commands/status.js'
import {withRunLock} from '../io/run-lock.js'
import {writeInside} from '../io/write-inside.js'
import {syntaxOf} from '../project/analyze.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import {catalogWithValues, viewPost, type PostView} from '../project/post-view.js'
import {readPostFiles, readSource, type Project} from '../project/project.js'
import {analyzePost, type AnalyzedPost} from '../project/analyze.js'
import {guard} from './guard.js'
import {suggestionsFor} from '../memory/suggestions-for.js'
import type {PageAssets} from './page-assets.js'
import {renderPreview} from './render-preview.js'

/** What the app needs from the server around it. */
export interface AppContext {
  /** Absolute project root. */
  root: string
  host: string
  port: number
  token: string
  assets: PageAssets
  /** Subscribe to batches of changed files; returns the unsubscribe function. */
  subscribe: (listener: (paths: string[]) => void) => () => void
  /** The project as last opened (posts found); refreshed when posts come and go. */
  project: () => Promise<Project>
  /** Called with what went wrong inside a request (the response says only that it failed). */
  onError?: (error: Error) => void
}

/** The largest request body accepted: a post's worth of values, with room to spare. */
export const maxBodyBytes = 1024 * 1024

const pageCsp = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"]
}

// The preview frame: no script at all, and sandboxed even if opened on its own.
const previewCsp = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  frameAncestors: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  sandbox: ['allow-same-origin']
}

/** A refusal with its status and reason (never a stack trace). */
class Refusal extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 422 | 503,
    readonly body: Record<string, unknown>
  ) {
    super(String(body['reason'] ?? body['error']))
  }
}

/**
 * The translator page's HTTP app: the page, its assets, and a JSON API that calls the same
 * functions as the CLI (`status`, `viewPost`/`planBuild`, `accept`, `writeCatalog` through
 * `writeInside` under the run lock).
 *
 * @param context Root, address, token, assets, change feed and project.
 */
export function createApp(context: AppContext): Hono {
  const app = new Hono()
  const analyses: Analyses = new Map()
  const headers = (csp: typeof pageCsp | typeof previewCsp, frame: 'DENY' | 'SAMEORIGIN') =>
    secureHeaders({contentSecurityPolicy: csp, xFrameOptions: frame, referrerPolicy: 'no-referrer', strictTransportSecurity: false, crossOriginResourcePolicy: 'same-origin', crossOriginOpenerPolicy: 'same-origin'})
  app.use('*', guard(context))
  app.use('/preview.html', headers(previewCsp, 'SAMEORIGIN'))
  app.use('/preview.css', headers(previewCsp, 'SAMEORIGIN'))
  app.use('*', async (c, next) => {
    if (c.req.path === '/preview.html' || c.req.path === '/preview.css') return next()
    return headers(pageCsp, 'DENY')(c, next)
  })
  app.use('/api/*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  app.use('/api/*', bodyLimit({maxSize: maxBodyBytes, onError: (c) => c.json({error: 'too-large', reason: `the request is larger than ${maxBodyBytes / 1024 / 1024} MB`}, 413)}))

  const asset = (body: string, type: string) => (c: Context) => c.body(body, 200, {'Content-Type': type})
  app.get('/', asset(context.assets.html, 'text/html; charset=utf-8'))
  app.get('/page.js', asset(context.assets.script, 'text/javascript; charset=utf-8'))
  app.get('/page.css', asset(context.assets.style, 'text/css; charset=utf-8'))
  app.get('/preview.html', asset(context.assets.previewHtml, 'text/html; charset=utf-8'))
  app.get('/preview.css', asset(context.assets.previewStyle, 'text/css; charset=utf-8'))

  app.get('/api/posts', async (c) => {
    const result = await status({root: context.root})
    return c.json({posts: result.posts.map((post) => ({...post, ns: post.path.replace(/\.md$/, '')})), totals: result.totals, messages: result.messages})
  })

  app.get('/api/search', async (c) => {
    const query = (c.req.query('q') ?? '').trim().toLowerCase()
    if (!query) return c.json({posts: []})
    const project = await context.project()
    const posts: Array<{path: string; hits: number}> = []
    for (const paths of project.posts) {
      const files = await readPostFiles(project.root, paths)
      let hits = 0
      for (const text of [files.sourceCatalog, files.targetCatalog]) {
        const read = text === undefined ? undefined : readCatalog(text, '')
        if (read?.ok) for (const entry of read.entries.values()) if (entry.value.toLowerCase().includes(query)) hits++
      }
      if (hits > 0) posts.push({path: paths.post, hits})
    }
    return c.json({posts})
  })

  app.get('/api/post', async (c) => {
    const {view} = await loadPost(c.req.query('path'))
    return c.json(publicView(view))
  })

  app.get('/api/suggestions', async (c) => {
    const project = await context.project()
    const paths = postOf(project, c.req.query('path'))
    const found = await suggestionsFor(project.root, paths.post)
    return c.json({suggestions: Object.fromEntries(found)})
  })

  app.post('/api/preview', async (c) => {
    const body = await jsonBody(c)
    const drafts = valuesOf(body['values'])
    const {view, text} = await loadPost(body['path'], drafts)
    const italian = body['italian'] === true
    return c.json({...publicView(view), html: renderPreview(view, italian, text, syntaxOf((await context.project()).config))})
  })

  app.post('/api/save', async (c) => {
    const body = await jsonBody(c)
    const edits = editsOf(body['values'])
    const project = await context.project()
    const paths = postOf(project, body['path'])
    const saved = await locked(project.root, async () => {
      const {view: before, files, text} = await readPost(analyses, project, paths)
      if (files.targetCatalog !== undefined && !readCatalog(files.targetCatalog, paths.targetCatalog).ok) {
        throw new Refusal(409, {error: 'catalog-unreadable', reason: `${paths.targetCatalog} is not valid JSON on disk; fix it in an editor first (nothing was saved)`})
      }
      const current = new Map(before.segments.map((segment) => [segment.key, segment.english]))
      const unknown = edits.filter((edit) => !current.has(edit.key))
      if (unknown.length > 0) throw new Refusal(400, {error: 'unknown-key', reason: `not a segment of ${paths.post}: ${unknown.map((edit) => edit.key).join(', ')}`})
      // A value changed on disk since the page read it, to something else than this edit: refuse, show both.
      const conflicts = edits.filter((edit) => current.get(edit.key) !== edit.base && current.get(edit.key) !== edit.value)
      if (conflicts.length > 0) {
        throw new Refusal(409, {
          error: 'conflict',
          reason: `${conflicts.length === 1 ? 'this value was' : `${conflicts.length} values were`} changed on disk since you loaded ${paths.post}; nothing was saved`,
          conflicts: conflicts.map((edit) => ({key: edit.key, yours: edit.value, theirs: current.get(edit.key) ?? '', base: edit.base}))
        })
      }
      const values = new Map(edits.map((edit) => [edit.key, edit.value]))
      const after = viewPost(paths, text, files, project.config, project.patterns, values)
      const invalid = after.segments.filter((segment) => values.has(segment.key) && segment.state === 'invalid')
      if (invalid.length > 0) {
        throw new Refusal(422, {error: 'invalid', reason: 'some values are not valid translations; nothing was saved', problems: invalid.map((segment) => ({key: segment.key, ...segment.problem}))})
      }
      const catalog = catalogWithValues(files.targetCatalog, before.segments.map((segment) => segment.key), values)
      await writeInside(project.root, resolvePath(project.root, paths.targetCatalog), catalog, files.targetCatalog ?? null)
      return [...values.keys()]
    })
    const {view} = await readPost(analyses, project, paths)
    return c.json({saved, ...publicView(view)})
  })

  app.post('/api/accept', async (c) => {
    const body = await jsonBody(c)
    const project = await context.project()
    const paths = postOf(project, body['path'])
    const key = body['key']
    if (typeof key !== 'string' || !key) throw new Refusal(400, {error: 'bad-request', reason: 'send {"path": POST, "key": KEY}'})
    const result = await accept({root: project.root, posts: [paths.ns], keys: [key]})
    const {view} = await readPost(analyses, project, paths)
    return c.json({accepted: result.accepted.flatMap((post) => post.keys), ...publicView(view)})
  })

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      // catch: a write to a stream the page already closed: nothing to tell.
      const unsubscribe = context.subscribe((paths) => void stream.writeSSE({event: 'change', data: JSON.stringify({paths})}).catch(() => undefined))
      stream.onAbort(unsubscribe)
      await stream.writeSSE({event: 'ready', data: '{}'})
      while (!stream.aborted && !stream.closed) await stream.sleep(20_000).then(() => stream.writeSSE({event: 'ping', data: '{}'}))
      unsubscribe()
    })
  )

  app.notFound((c) => c.json({error: 'not-found', reason: `nothing at ${c.req.path}`}, 404))
  app.onError((error, c) => {
    if (error instanceof Refusal) return c.json(error.body, error.status)
    context.onError?.(error)
    return c.json({error: 'internal', reason: 'the server could not answer this request; it goes on running'}, 500)
  })
  return app

  async function loadPost(path: unknown, drafts?: ReadonlyMap<string, string>): Promise<{view: PostView; text: string}> {
    const project = await context.project()
    return readPost(analyses, project, postOf(project, path), drafts)
  }
}

async function readPost(analyses: Analyses, project: Project, paths: PostPaths, drafts?: ReadonlyMap<string, string>): Promise<{view: PostView; text: string; files: Awaited<ReturnType<typeof readPostFiles>>}> {
  const source = await readSource(project.root, paths)
  if (!source.ok) throw new Refusal(422, {error: 'source-unreadable', reason: `${paths.source}: ${source.message.reason}`})
  const files = await readPostFiles(project.root, paths)
  return {view: viewPost(paths, source.text, files, project.config, project.patterns, drafts, analysisOf(analyses, project, source.text)), text: source.text, files}
}

/** Analyses of the last posts opened, by their text (an edited post is a new text). */
type Analyses = Map<string, {project: Project; analysis: AnalyzedPost}>

// The post being translated is analyzed once, not at every keystroke.
function analysisOf(analyses: Analyses, project: Project, text: string): AnalyzedPost {
  const known = analyses.get(text)
  if (known?.project === project) return known.analysis
  const analysis = analyzePost(text, project.config, project.patterns)
  analyses.delete(text)
  analyses.set(text, {project, analysis})
  for (const oldest of analyses.keys()) {
    if (analyses.size <= 8) break
    analyses.delete(oldest)
  }
  return analysis
}

/** The view without the edition's bytes and block map (the preview's business). */
function publicView(view: PostView): Omit<PostView, 'edition' | 'blocks'> {
  const {edition: _edition, blocks: _blocks, ...rest} = view
  return rest
}

/**
 * The post a request names: its path under `content/<source>/`, with or without `.md`. A
 * name that tries to leave the folder is a bad request; one that is not a post, not found.
 */
function postOf(project: Project, path: unknown): PostPaths {
  if (typeof path !== 'string' || !path) throw new Refusal(400, {error: 'bad-request', reason: 'name a post: "path" is its path under content/'})
  if (path.includes('\\') || path.includes('\u0000') || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Refusal(400, {error: 'bad-path', reason: `"${path.slice(0, 200)}" is not a post path: no "..", ".", empty parts, backslashes or leading "/"`})
  }
  const ns = path.replace(/\.md$/, '')
  const found = project.posts.find((paths) => paths.ns === ns)
  if (!found) throw new Refusal(404, {error: 'no-post', reason: `no post "${path.slice(0, 200)}" under content/${project.config.sourceLanguage}/`})
  return found
}

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    // catch: the body parser's SyntaxError: a 400 with the reason.
    throw new Refusal(400, {error: 'bad-json', reason: 'the body is not valid JSON'})
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Refusal(400, {error: 'bad-json', reason: 'the body must be a JSON object'})
  return body as Record<string, unknown>
}

function valuesOf(values: unknown): Map<string, string> {
  const result = new Map<string, string>()
  if (values === undefined) return result
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new Refusal(400, {error: 'bad-request', reason: '"values" must be an object of key → English value'})
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== 'string') throw new Refusal(400, {error: 'bad-request', reason: `the value of "${key}" must be a string`})
    result.set(key, value)
  }
  return result
}

function editsOf(values: unknown): Array<{key: string; value: string; base: string}> {
  const edits = Array.isArray(values) ? values : undefined
  const valid = edits?.every((edit: unknown) => {
    const record = edit as Record<string, unknown> | null
    return typeof record === 'object' && record !== null && typeof record['key'] === 'string' && typeof record['value'] === 'string' && typeof record['base'] === 'string'
  })
  if (!edits || !valid || edits.length === 0) throw new Refusal(400, {error: 'bad-request', reason: 'send "values": [{"key", "value", "base"}, …], where base is the value you edited'})
  return edits as Array<{key: string; value: string; base: string}>
}

async function locked<T>(root: string, task: () => Promise<T>): Promise<T> {
  try {
    return await withRunLock(root, task, {timeoutMs: 15_000})
  } catch (error) {
    // catch: the lock's timeout becomes a 503; anything else is thrown again.
    if (error instanceof Refusal) throw error
    if (error instanceof Error && /gave up waiting/.test(error.message)) throw new Refusal(503, {error: 'busy', reason: 'another ponte run is working on this project; try again in a moment'})
    throw error
  }
}
