import {timingSafeEqual} from 'node:crypto'
import {isIP} from 'node:net'
import type {MiddlewareHandler} from 'hono'

/** Where the page is served, and the run's secret. */
export interface GuardOptions {
  /** The host the server listens on (`127.0.0.1`, `::1`, `0.0.0.0`, a name…). */
  host: string
  port: number
  /** The per-run token every API request must carry. */
  token: string
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

/**
 * Whether a host name may be used to reach the server: a loopback name, the host it was
 * started on, or (when it listens on every interface) an IP address. A DNS name that
 * resolves here by rebinding is refused.
 *
 * @param name The host name of a `Host` header or an origin (without port).
 * @param host The host the server listens on.
 */
export function isServedHost(name: string, host: string): boolean {
  const bare = name.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (loopback.has(bare)) return true
  if (bare === host.replace(/^\[(.*)\]$/, '$1').toLowerCase()) return true
  return (host === '0.0.0.0' || host === '::') && isIP(bare) !== 0
}

/**
 * Refuse what did not come from the page itself: a `Host` that is not this server (DNS
 * rebinding), an `Origin` or `Sec-Fetch-Site` of another site (cross-site requests), an API
 * request without the run's token, a write that is not JSON.
 *
 * @param options Host, port and token.
 */
export function guard(options: GuardOptions): MiddlewareHandler {
  const expected = Buffer.from(options.token)
  return async (c, next) => {
    const hostHeader = c.req.header('host') ?? ''
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader)
    if (!match || !isServedHost(match[1] ?? '', options.host) || Number(match[2] ?? 80) !== options.port) {
      return c.json({error: 'forbidden-host', reason: `this server answers only to its own address, not to Host "${hostHeader}"`}, 403)
    }
    const origin = c.req.header('origin')
    if (origin !== undefined && origin !== `http://${hostHeader}`) {
      return c.json({error: 'forbidden-origin', reason: `requests from ${origin} are refused: only the page served here may call the server`}, 403)
    }
    const site = c.req.header('sec-fetch-site')
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return c.json({error: 'forbidden-site', reason: 'cross-site requests are refused'}, 403)
    }
    if (c.req.path.startsWith('/api/')) {
      // EventSource cannot send headers: the event stream takes the token in its query.
      const given = c.req.header('x-ponte-token') ?? (c.req.path === '/api/events' ? c.req.query('token') : undefined) ?? ''
      const actual = Buffer.from(given)
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
        return c.json({error: 'token', reason: 'missing or wrong token: open the address printed by `npm run translate`'}, 401)
      }
      if (c.req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
        return c.json({error: 'content-type', reason: 'send JSON (Content-Type: application/json)'}, 415)
      }
    } else if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return c.json({error: 'method', reason: `${c.req.method} is not allowed here`}, 405)
    }
    await next()
  }
}
