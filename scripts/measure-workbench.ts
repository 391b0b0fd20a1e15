// Figures of the translator page (docs/workbench.md), not a test: a generated project of
// 1,000 posts plus one post of about 200 segments, the real command serving it, and Chromium.
//
//   node --import tsx scripts/measure-workbench.ts [--posts 1000] [--keep DIR]
//
// Prints: the posts list (cold and warm), opening a post of 200 segments and a typical one
// (API and in the browser, until the preview is shown), a preview after a keystroke (API and
// in the browser), and the server's resident memory with the project open.
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {chromium} from 'playwright-core'
import {generateCorpus, generatePost} from './generate-corpus.js'

const {values} = parseArgs({options: {posts: {type: 'string', default: '1000'}, keep: {type: 'string'}}})
const count = Number(values.posts)
const bin = join(import.meta.dirname, '..', 'bin', 'ponte.js')
const root = values.keep ?? (await mkdtemp(join(tmpdir(), 'ponte-workbench-')))

const median = (list: number[]): number => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? NaN
const ms = (value: number): string => `${value.toFixed(1)} ms`

if (!existsSync(join(root, 'locales'))) {
  await generateCorpus({dir: root, posts: count})
  // One long post: about 200 segments.
  const long = generatePost(7, 99_999, 42_000)
  await mkdir(join(root, 'content/it/lungo'), {recursive: true})
  await writeFile(join(root, 'content/it/lungo/duecento.md'), long.text)
  execFileSync(process.execPath, [bin, 'extract', '--root', root, '--quiet'], {stdio: 'inherit'})
}
// A project in use has been built: the posts list replays build's record, as `status` does.
execFileSync(process.execPath, [bin, 'build', '--root', root, '--quiet'], {stdio: 'inherit'})

const server = spawn(process.execPath, [bin, 'translate', '--root', root, '--port', '0'], {stdio: ['ignore', 'pipe', 'inherit']})
const url = await new Promise<string>((resolve) => {
  let out = ''
  server.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    const found = /http:\/\/\S+#token=\S+/.exec(out)
    if (found) resolve(found[0])
  })
})
const origin = new URL(url).origin
const token = url.split('#token=')[1] ?? ''
const api = async (path: string, body?: unknown): Promise<{time: number; data: Record<string, unknown>}> => {
  const start = performance.now()
  const response = await fetch(origin + path, {method: body ? 'POST' : 'GET', headers: {'x-ponte-token': token, ...(body ? {'content-type': 'application/json'} : {})}, ...(body ? {body: JSON.stringify(body)} : {})})
  const data = (await response.json()) as Record<string, unknown>
  return {time: performance.now() - start, data}
}
const rss = (): string => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8')
  const field = (name: string): string => `${Math.round(Number(/(\d+) kB/.exec(status.split('\n').find((line) => line.startsWith(name)) ?? '')?.[1] ?? 0) / 1024)} MB`
  return `${field('VmRSS')} resident (peak ${field('VmHWM')})`
}

try {
  console.log(`project: ${count} generated posts + lungo/duecento.md, at ${root}`)
  console.log(`server started: ${rss()}`)
  const cold = await api('/api/posts')
  const warm = await api('/api/posts')
  console.log(`posts list (${(cold.data['posts'] as unknown[]).length} posts): first ${ms(cold.time)}, then ${ms(warm.time)}`)
  for (const path of ['lungo/duecento.md', (cold.data['posts'] as Array<{path: string}>)[0]?.path ?? '']) {
    const opens: number[] = []
    const previews: number[] = []
    const keystrokes: number[] = []
    let segments: Array<{key: string; italian: string}> = []
    for (let run = 0; run < 9; run++) {
      const opened = await api(`/api/post?path=${encodeURIComponent(path)}`)
      segments = opened.data['segments'] as typeof segments
      opens.push(opened.time)
      previews.push((await api('/api/preview', {path, values: {}})).time)
    }
    const target = segments.find((segment) => segment.key.startsWith('p-')) ?? segments[0]
    let typed = ''
    for (const letter of 'Translated text of this paragraph') {
      typed += letter
      keystrokes.push((await api('/api/preview', {path, values: {[target?.key ?? '']: typed}})).time)
    }
    console.log(`${path} (${segments.length} segments): GET post ${ms(median(opens))}, first preview ${ms(median(previews))}, preview after a keystroke ${ms(median(keystrokes))} (median of ${keystrokes.length}; max ${ms(Math.max(...keystrokes))})`)
  }
  console.log(`after the list and the posts: ${rss()}`)

  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path))
  if (executablePath) {
    const browser = await chromium.launch({executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']})
    const page = await browser.newPage({viewport: {width: 1280, height: 800}})
    // Leaving a post with unsaved edits asks first: yes.
    page.on('dialog', (dialog) => void dialog.accept())
    await page.goto(url)
    await page.locator('table.posts tbody tr').first().waitFor()
    for (const path of ['lungo/duecento.md', (cold.data['posts'] as Array<{path: string}>)[0]?.path ?? '']) {
      const opens: number[] = []
      const keystrokes: number[] = []
      for (let run = 0; run < 5; run++) {
        await page.evaluate(() => (location.hash = '#/'))
        await page.locator('table.posts tbody tr').first().waitFor()
        const start = performance.now()
        await page.evaluate((path) => (location.hash = `#/post/${encodeURIComponent(path)}`), path)
        await page.waitForSelector('.post[data-previewed]')
        opens.push(performance.now() - start)
      }
      const field = page.locator('.segment .field').nth(3)
      await field.click()
      for (const letter of 'Some text') {
        const before = Number(await page.locator('.post').getAttribute('data-previewed'))
        const start = performance.now()
        await page.keyboard.type(letter)
        await page.waitForFunction((before) => Number(document.querySelector('.post')?.getAttribute('data-previewed')) > before, before, {polling: 'raf'})
        keystrokes.push(performance.now() - start)
      }
      console.log(`in Chromium, ${path}: open until the preview shows ${ms(median(opens))} (median of ${opens.length}), keystroke to preview updated ${ms(median(keystrokes))} (median of ${keystrokes.length})`)
    }
    await browser.close()
    console.log(`after the browser session: ${rss()}`)
  } else console.log('no Chromium: browser figures skipped')
} finally {
  server.kill('SIGTERM')
  if (!values.keep) await rm(root, {recursive: true, force: true})
}
