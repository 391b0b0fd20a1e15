/// <reference lib="dom" />
import type {PostStatus} from '../commands/status.js'
import type {PostView} from '../project/post-view.js'
import type {Suggestion} from '../memory/match-memory.js'

/** A post as the post list shows it. */
export type PostRow = PostStatus & {ns: string; suggested?: number}

/** What `GET /api/post` answers. */
export type PostData = Omit<PostView, 'edition' | 'blocks'>

/** An error answer of the API: a status and a reason, sometimes with details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>
  ) {
    super(typeof body['reason'] === 'string' ? body['reason'] : `the server answered ${status}`)
  }
}

/** The JSON API of the server, with the run's token. */
export class Api {
  constructor(readonly token: string) {}

  posts(): Promise<{posts: PostRow[]; totals: Record<string, number>}> {
    return this.call('GET', '/api/posts')
  }

  search(query: string): Promise<{posts: Array<{path: string; hits: number}>}> {
    return this.call('GET', `/api/search?q=${encodeURIComponent(query)}`)
  }

  post(path: string): Promise<PostData> {
    return this.call('GET', `/api/post?path=${encodeURIComponent(path)}`)
  }

  /** The translation memory's matches for the post's segments that need work, by key. */
  suggestions(path: string): Promise<{suggestions: Record<string, Suggestion[]>}> {
    return this.call('GET', `/api/suggestions?path=${encodeURIComponent(path)}`)
  }

  preview(path: string, values: Record<string, string>, italian = false): Promise<PostData & {html: string}> {
    return this.call('POST', '/api/preview', {path, values, italian})
  }

  save(path: string, values: Array<{key: string; value: string; base: string}>): Promise<PostData & {saved: string[]}> {
    return this.call('POST', '/api/save', {path, values})
  }

  accept(path: string, key: string): Promise<PostData & {accepted: string[]}> {
    return this.call('POST', '/api/accept', {path, key})
  }

  /** The stream of changed files (Server-Sent Events). */
  events(): EventSource {
    return new EventSource(`/api/events?token=${encodeURIComponent(this.token)}`)
  }

  private async call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
    const response = await fetch(url, {
      method,
      headers: {'X-Ponte-Token': this.token, ...(body === undefined ? {} : {'Content-Type': 'application/json'})},
      ...(body === undefined ? {} : {body: JSON.stringify(body)})
    })
    // catch: a body that is not JSON (a proxy's error page): the status alone says what happened.
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>
    if (!response.ok) throw new ApiError(response.status, data)
    return data as T
  }
}
