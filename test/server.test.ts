import {spawn} from 'node:child_process'
import {request} from 'node:http'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {translate, type Workbench} from '../src/commands/translate.js'
import {bin, ponte, projectPool, snapshot, stackTrace} from './support/project.js'
import {workbenchPost, workbenchProject, translateHeading} from './support/workbench.js'

// The translator page's server, without a browser: what it refuses, what it writes, and that
// it goes on answering after every bad request.

const pool = projectPool()
afterAll(pool.removeAll)

interface Answer {
  status: number
  body: Record<string, unknown>
  text: string
  headers: Record<string, string | string[] | undefined>
}

/** An HTTP request with any headers (fetch will not send a foreign Host). */
function call(origin: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  const url = new URL(path, origin)
  return new Promise((resolve, reject) => {
    const outgoing = request({host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers}, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed: Record<string, unknown> = {}
        try {
          parsed = JSON.parse(text) as Record<string, unknown>
        } catch {
          // An asset, not JSON.
        }
        resolve({status: response.statusCode ?? 0, body: parsed, text, headers: response.headers})
      })
    })
    // A server that refuses a large body may close the connection before reading all of it:
    // the rest of the upload then fails (EPIPE), after or instead of the answer.
    outgoing.on('error', reject)
    outgoing.on('socket', (socket) => socket.on('error', () => undefined))
    if (body !== undefined) outgoing.end(body)
    else outgoing.end()
  })
}

describe('translator page server', () => {
  let root: string
  let workbench: Workbench
  let before: Record<string, string>
  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
    call(workbench.origin, method, path, {'x-ponte-token': workbench.token, ...(body === undefined ? {} : {'content-type': 'application/json'}), ...headers}, body === undefined ? undefined : JSON.stringify(body))

  beforeAll(async () => {
    root = await workbenchProject(pool.project)
    workbench = await translate({root, port: 0})
    before = await snapshot(root)
  })
  afterAll(async () => {
    await workbench.close()
  })

  test('the page is served with a strict CSP and no inline script', async () => {
    const page = await call(workbench.origin, 'GET', '/')
    expect(page.status).toBe(200)
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/)
    const preview = await call(workbench.origin, 'GET', '/preview.html')
    expect(String(preview.headers['content-security-policy'])).toMatch(/sandbox allow-same-origin/)
    expect(String(preview.headers['content-security-policy'])).not.toContain('script-src')
  })

  test('a post is listed and viewed with its segments in document order, labelled', async () => {
    const posts = await api('GET', '/api/posts')
    expect(posts.status).toBe(200)
    expect((posts.body['posts'] as Array<{path: string; missing: number}>).map((post) => [post.path, post.missing])).toEqual([['caffe.md', 9]])
    const post = await api('GET', '/api/post?path=caffe')
    expect(post.status).toBe(200)
    const segments = post.body['segments'] as Array<{key: string; label: string; state: string; tags: Array<{name: string}>}>
    expect(segments.map((segment) => segment.label)).toEqual(['Front matter: title', 'Heading 1', 'Paragraph', 'Link title', 'List item', 'List item', 'Table header', 'Table header', 'Table cell'])
    expect(segments.every((segment) => segment.state === 'missing')).toBe(true)
    expect(segments[2]?.tags.map((tag) => tag.name)).toEqual(['em1', 'a1'])
  })

  test('search finds posts by their Italian or English text; the Italian preview renders the source', async () => {
    const found = await api('GET', '/api/search?q=MOKA')
    expect(found.body['posts']).toEqual([{path: 'caffe.md', hits: 2}])
    expect((await api('GET', '/api/search?q=nowhere-to-be-found')).body['posts']).toEqual([])
    const italian = await api('POST', '/api/preview', {path: 'caffe', values: {}, italian: true})
    expect(String(italian.body['html'])).toContain('<em>moka</em>')
    expect(String(italian.body['html'])).not.toContain('data-italian')
  })

  test('requests with a foreign Host or Origin, or from another site, are refused', async () => {
    const port = new URL(workbench.origin).port
    expect((await call(workbench.origin, 'GET', '/', {host: `evil.example:${port}`})).status).toBe(403)
    expect((await api('GET', '/api/posts', undefined, {host: `rebind.example:${port}`})).status).toBe(403)
    expect((await api('GET', '/api/posts', undefined, {host: '127.0.0.1:1'})).status).toBe(403)
    const save = await api('POST', '/api/save', {path: 'caffe', values: [{key: 'fm-title', value: 'Coffee', base: ''}]}, {origin: 'http://evil.example'})
    expect(save.status).toBe(403)
    expect(save.body['error']).toBe('forbidden-origin')
    expect((await api('POST', '/api/save', {path: 'caffe', values: [{key: 'fm-title', value: 'Coffee', base: ''}]}, {'sec-fetch-site': 'cross-site'})).status).toBe(403)
    expect(await snapshot(root)).toEqual(before)
  })

  test('the API needs the run token', async () => {
    const body = JSON.stringify({path: 'caffe', values: [{key: 'fm-title', value: 'Coffee', base: ''}]})
    expect((await call(workbench.origin, 'POST', '/api/save', {'content-type': 'application/json'}, body)).status).toBe(401)
    expect((await call(workbench.origin, 'POST', '/api/save', {'content-type': 'application/json', 'x-ponte-token': 'x'.repeat(workbench.token.length)}, body)).status).toBe(401)
    expect((await call(workbench.origin, 'GET', '/api/post?path=caffe')).status).toBe(401)
    expect((await call(workbench.origin, 'GET', '/api/events')).status).toBe(401)
    expect(await snapshot(root)).toEqual(before)
  })

  test('post names that leave content/ are bad requests; unknown posts are not found', async () => {
    for (const path of ['../caffe', '../../etc/passwd', '/etc/passwd', 'a/../caffe', '..', 'caffe\\..\\x', './caffe']) {
      const answer = await api('GET', `/api/post?path=${encodeURIComponent(path)}`)
      expect(answer.status, path).toBe(400)
      const save = await api('POST', '/api/save', {path, values: [{key: 'fm-title', value: 'Coffee', base: ''}]})
      expect(save.status, path).toBe(400)
    }
    expect((await api('GET', '/api/post?path=tea')).status).toBe(404)
    expect((await api('POST', '/api/save', {path: 'tea', values: [{key: 'fm-title', value: 'Tea', base: ''}]})).status).toBe(404)
    expect((await api('GET', '/api/nothing')).status).toBe(404)
    expect(await snapshot(root)).toEqual(before)
  })

  test('a body that is not JSON, or too large, is refused', async () => {
    const text = await call(workbench.origin, 'POST', '/api/save', {'x-ponte-token': workbench.token, 'content-type': 'text/plain'}, 'path=caffe')
    expect(text.status).toBe(415)
    const broken = await call(workbench.origin, 'POST', '/api/save', {'x-ponte-token': workbench.token, 'content-type': 'application/json'}, '{"path": "caffe", ')
    expect(broken.status).toBe(400)
    expect(broken.body['error']).toBe('bad-json')
    for (const body of ['[]', '"x"', 'null', '{"path": "caffe", "values": "x"}', '{"path": "caffe", "values": [{"key": 1}]}']) {
      expect((await call(workbench.origin, 'POST', '/api/save', {'x-ponte-token': workbench.token, 'content-type': 'application/json'}, body)).status, body).toBe(400)
    }
    const huge = Buffer.alloc(50 * 1024 * 1024, 'a')
    const large = await call(workbench.origin, 'POST', '/api/save', {'x-ponte-token': workbench.token, 'content-type': 'application/json', 'content-length': String(huge.length)}, huge)
    expect(large.status).toBe(413)
    for (const answer of [text, broken, large]) expect(answer.text).not.toMatch(stackTrace)
    expect(await snapshot(root)).toEqual(before)
    // Still answering.
    expect((await api('GET', '/api/posts')).status).toBe(200)
  })

  test('a value with a wrong tag is refused and nothing is written', async () => {
    const post = await api('GET', '/api/post?path=caffe')
    const paragraph = (post.body['segments'] as Array<{key: string; label: string}>).find((segment) => segment.label === 'Paragraph')
    const answer = await api('POST', '/api/save', {path: 'caffe', values: [{key: paragraph?.key, value: 'Made with the <b>moka</b> <a1>guide</a1>', base: ''}]})
    expect(answer.status).toBe(422)
    expect(JSON.stringify(answer.body['problems'])).toContain('value-tag-unknown')
    expect(await snapshot(root)).toEqual(before)
  })

  test('a save writes the English catalog as extract writes it, and nothing else', async () => {
    const post = await api('GET', '/api/post?path=caffe.md')
    const segments = post.body['segments'] as Array<{key: string; label: string}>
    const heading = segments.find((segment) => segment.label === 'Heading 1')?.key ?? ''
    const paragraph = segments.find((segment) => segment.label === 'Paragraph')?.key ?? ''
    const answer = await api('POST', '/api/save', {
      path: 'caffe.md',
      values: [
        {key: heading, value: 'The moka pot', base: ''},
        {key: paragraph, value: 'Made with the <em1>moka</em1>; read <a1>the guide</a1>.', base: ''}
      ]
    })
    expect(answer.status).toBe(200)
    expect(answer.body['saved']).toEqual([heading, paragraph])
    const after = await snapshot(root)
    const changed = Object.keys(after).filter((path) => after[path] !== before[path])
    expect(changed).toEqual(['locales/en/caffe.json'])
    const catalog = after['locales/en/caffe.json'] ?? ''
    const expected = Object.fromEntries(segments.map((segment) => [segment.key, segment.key === heading ? 'The moka pot' : segment.key === paragraph ? 'Made with the <em1>moka</em1>; read <a1>the guide</a1>.' : '']))
    expect(catalog).toBe(JSON.stringify(expected, null, 2) + '\n')
    const built = await ponte(['build', '--root', root])
    expect(built.code).toBe(0)
    expect(await readFile(join(root, 'content/en/caffe.md'), 'utf8')).toContain('Made with the *moka*; read [the guide](https://esempio.it/guida "Guida").')
    before = await snapshot(root)
  })

  test('a value changed on disk since the page loaded it is a conflict: 409 with both, nothing written', async () => {
    const catalogPath = join(root, 'locales/en/caffe.json')
    const catalog = JSON.parse(await readFile(catalogPath, 'utf8')) as Record<string, string>
    const heading = Object.keys(catalog).find((key) => key.startsWith('h-')) ?? ''
    catalog[heading] = 'The moka (edited in an editor)'
    await writeFile(catalogPath, JSON.stringify(catalog, null, 2) + '\n')
    const onDisk = await snapshot(root)
    const answer = await api('POST', '/api/save', {path: 'caffe', values: [{key: heading, value: 'The stovetop pot', base: 'The moka pot'}]})
    expect(answer.status).toBe(409)
    expect(answer.body['conflicts']).toEqual([{key: heading, yours: 'The stovetop pot', theirs: 'The moka (edited in an editor)', base: 'The moka pot'}])
    expect(await snapshot(root)).toEqual(onDisk)
    // Another key of the same post, edited against what is on disk, is no conflict.
    const title = await api('POST', '/api/save', {path: 'caffe', values: [{key: 'fm-title', value: 'Coffee', base: ''}]})
    expect(title.status).toBe(200)
    const saved = JSON.parse(await readFile(catalogPath, 'utf8')) as Record<string, string>
    expect(saved[heading]).toBe('The moka (edited in an editor)')
    expect(saved['fm-title']).toBe('Coffee')
  })

  test('the preview is sanitized HTML with each block tied to its key; hostile values on disk are never markup', async () => {
    const catalogPath = join(root, 'locales/en/caffe.json')
    const catalog = JSON.parse(await readFile(catalogPath, 'utf8')) as Record<string, string>
    const [cellKey] = Object.keys(catalog).filter((key) => key.startsWith('td-'))
    catalog[cellKey ?? ''] = '<img src=x onerror=alert(1)>'
    catalog['fm-title'] = '<script>alert(1)</script>'
    await writeFile(catalogPath, JSON.stringify(catalog, null, 2) + '\n')
    const answer = await api('POST', '/api/preview', {path: 'caffe', values: {}})
    expect(answer.status).toBe(200)
    const html = String(answer.body['html'])
    expect(html).not.toMatch(/<script|<img|onerror|javascript:/i)
    expect(html).toContain('data-key="h-')
    expect(html).toMatch(/<td data-key="td-[^"]+" data-italian="true">una<\/td>/)
    const states = Object.fromEntries((answer.body['segments'] as Array<{key: string; state: string}>).map((segment) => [segment.key, segment.state]))
    expect(states[cellKey ?? '']).toBe('invalid')
    // A draft is checked and previewed without being written.
    const onDisk = await snapshot(root)
    const draft = await api('POST', '/api/preview', {path: 'caffe', values: {[cellKey ?? '']: 'one'}})
    expect(String(draft.body['html'])).toMatch(/<td data-key="td-[^"]+">one<\/td>/)
    expect(await snapshot(root)).toEqual(onDisk)
  })

  test('after every bad request, the server still answers', async () => {
    expect((await api('GET', '/api/posts')).status).toBe(200)
  })
})

describe('translation memory on the page', () => {
  test("a segment another post already translated gets that translation as a suggestion", async () => {
    const root = await pool.project({'content/it/caffe.md': workbenchPost, 'content/it/te.md': '# La moka\n\nIl tè si prepara in teiera.\n'})
    expect((await ponte(['extract', '--root', root])).code).toBe(0)
    await translateHeading(root, 'caffe', 'The moka pot')
    const workbench = await translate({root, port: 0})
    try {
      const answer = await call(workbench.origin, 'GET', '/api/suggestions?path=te.md', {'x-ponte-token': workbench.token})
      expect(answer.status).toBe(200)
      const suggestions = answer.body['suggestions'] as Record<string, Array<{kind: string; target: string}>>
      expect(Object.values(suggestions).flat()).toContainEqual(expect.objectContaining({kind: 'exact', target: 'The moka pot'}))
    } finally {
      await workbench.close()
    }
  })
})

describe('ponte translate (the command)', () => {
  test('a port that is not a number is a usage error', async () => {
    const root = await workbenchProject(pool.project)
    const result = await ponte(['translate', '--root', root, '--port', 'abc'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--port')
  })

  test('prints its address with a token, warns when listening beyond loopback, stops on SIGTERM', async () => {
    const root = await workbenchProject(pool.project)
    const child = spawn(process.execPath, [bin, 'translate', '--root', root, '--port', '0', '--host', '0.0.0.0'], {env: {...process.env, CI: 'true'}})
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const found = /http:\/\/\S+#token=\S+/.exec(stdout)
        if (found) resolve(found[0])
      })
      child.once('exit', () => reject(new Error(`exited early: ${stderr}`)))
    })
    expect(stderr).toContain('warning: listening on 0.0.0.0')
    const token = url.split('#token=')[1] ?? ''
    const answer = await call(url, 'GET', '/api/posts', {'x-ponte-token': token})
    expect(answer.status).toBe(200)
    const code = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await code).toBe(0)
  })
})
