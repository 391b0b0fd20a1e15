import {randomBytes} from 'node:crypto'
import type {Server} from 'node:http'
import {serve} from '@hono/node-server'
import {createApp} from '../server/app.js'
import {buildPageAssets} from '../server/page-assets.js'
import {isServedHost} from '../server/guard.js'
import {openProject, UsageError, type Project} from '../project/project.js'
import {watchProject} from '../watch/watch-project.js'

/** Options of `translate`. */
export interface TranslateOptions {
  root?: string
  /** Port to listen on (default 4873; 0: any free port). The default moves to a free port when taken. */
  port?: number
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string
  /** Called with what went wrong inside a request (the server goes on). */
  onError?: (error: Error) => void
}

/** A running translator page. */
export interface Workbench {
  /** The address to open, with the run's token in its fragment. */
  url: string
  /** The per-run token the API requires (`X-Ponte-Token`). */
  token: string
  /** The origin it serves (`http://127.0.0.1:4873`). */
  origin: string
  /** A warning for the person who started it (listening beyond this machine). */
  warnings: string[]
  /** Stop serving and watching. */
  close: () => Promise<void>
}

/** The port `npm run translate` tries first. */
export const defaultPort = 4873

/**
 * Start the translator page: a local HTTP server for the page and its JSON API, and a
 * watcher whose changes are pushed to open pages.
 *
 * @param options Root, port and host.
 */
export async function translate(options: TranslateOptions = {}): Promise<Workbench> {
  const host = options.host ?? '127.0.0.1'
  let project = await openProject(options.root ?? '.')
  const root = project.root
  const assets = await buildPageAssets()
  const token = randomBytes(24).toString('base64url')
  const listeners = new Set<(paths: string[]) => void>()
  let stale = false
  const watcher = watchProject(root, project.config, (changes) => {
    // Posts that come or go change the list of posts: open the project again on next use.
    if (changes.some((change) => change.event !== 'change' && change.path.startsWith('content/'))) stale = true
    const paths = changes.map((change) => change.path)
    for (const listener of listeners) listener(paths)
  })
  const current = async (): Promise<Project> => {
    if (stale) {
      stale = false
      project = await openProject(root)
    }
    return project
  }
  let port = options.port ?? defaultPort
  let server: Server | undefined
  for (let attempt = 0; server === undefined; attempt++) {
    try {
      server = await listen(host, port, {root, host, token, assets, subscribe, project: current, ...(options.onError ? {onError: options.onError} : {})})
    } catch (error) {
      // catch: EADDRINUSE without --port (the next port is tried); anything else below is thrown or reported.
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE' && options.port === undefined && attempt < 20) {
        port = attempt < 19 ? port + 1 : 0
        continue
      }
      await watcher.close()
      if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use; choose another with --port N (0: any free port)`)
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${host}: no such address on this machine`)
      throw error
    }
  }
  await watcher.ready
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  const origin = `http://${shown}:${actualPort}`
  const warnings = isServedHost(host, '127.0.0.1') ? [] : [`listening on ${host}: anyone who can reach this machine on port ${actualPort} and has the address with its token can read and change the translations`]
  const running = server
  return {
    url: `${origin}/#token=${token}`,
    token,
    origin,
    warnings,
    close: async () => {
      listeners.clear()
      await watcher.close()
      running.closeAllConnections()
      await new Promise<void>((resolve) => running.close(() => resolve()))
    }
  }

  function subscribe(listener: (paths: string[]) => void): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  // The Host header carries the port, so the app is made once the port is known.
  function listen(hostname: string, wanted: number, context: Omit<Parameters<typeof createApp>[0], 'port'>): Promise<Server> {
    return new Promise((resolve, reject) => {
      let app: ReturnType<typeof createApp> | undefined
      const server = serve({fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', {status: 503})), hostname, port: wanted}) as Server
      server.once('error', reject)
      server.once('listening', () => {
        server.off('error', reject)
        const address = server.address()
        app = createApp({...context, port: typeof address === 'object' && address ? address.port : wanted})
        resolve(server)
      })
    })
  }
}
