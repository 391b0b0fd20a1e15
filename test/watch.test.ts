import {spawn, type ChildProcess} from 'node:child_process'
import {readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, afterEach, describe, expect, test} from 'vitest'
import {bin, exists, projectPool} from './support/project.js'

// `ponte watch`, the real command on a temporary project: saves of posts and catalogs show in
// content/en with no command typed, bursts are one run, Ponte's own writes start no run, a
// removed post is said and the loop goes on, and Ctrl-C leaves no lock and no temporary file.

const pool = projectPool()
afterAll(pool.removeAll)

/** A running `ponte watch` and what it printed so far. */
interface Watcher {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
}

const running: Watcher[] = []
afterEach(() => {
  for (const watcher of running.splice(0)) watcher.child.kill('SIGKILL')
})

function startWatch(root: string, args: string[] = []): Watcher {
  const child = spawn(process.execPath, [bin, 'watch', '--root', root, ...args], {env: {...process.env, CI: 'true', GITHUB_ACTIONS: ''}})
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const watcher = {child, stdout: () => out, stderr: () => err, exited}
  running.push(watcher)
  return watcher
}

/** Wait until a condition holds (generous: a loaded machine is slow, and no test measures time). */
async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, output?: Watcher): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${output ? `; the watcher printed:\n${output.stdout()}${output.stderr()}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const read = (root: string, path: string): Promise<string> => readFile(join(root, path), 'utf8').catch(() => '')

/** Files Ponte must never leave behind: its lock and its temporary files. */
async function leftovers(root: string): Promise<string[]> {
  const entries = await readdir(root, {recursive: true})
  return entries.filter((path) => !path.startsWith('node_modules') && (/(^|[/\\])\.ponte\.lock$/.test(path) || path.includes('.ponte-tmp-')))
}

const caffe = `---
title: Il caffè
---

Il caffè si beve al banco.
`

describe('ponte watch', () => {
  test('a save of a post or a catalog shows in content/en, one line per change, problems with file:line:column', async () => {
    const root = await pool.project({'content/it/caffe.md': caffe})
    const watcher = startWatch(root)
    await until('the watcher to be ready', () => watcher.stdout().includes('watch: watching content/it/ and locales/'))
    // The first run brought the project up to date.
    expect(await read(root, 'content/en/caffe.md')).toContain('Il caffè si beve al banco.')

    await writeFile(join(root, 'content/it/caffe.md'), caffe + '\nLo zucchero è a parte.\n')
    await until('the edition of the edited post', async () => (await read(root, 'content/en/caffe.md')).includes('Lo zucchero è a parte.'))
    await until('the line of the change', () => watcher.stdout().includes('caffe.md: 1 segment new (3 missing) → content/en/caffe.md\n'), 20_000, watcher)

    const catalog = JSON.parse(await read(root, 'locales/en/caffe.json')) as Record<string, string>
    const keys = Object.keys(catalog)
    const translated = Object.fromEntries(keys.map((key) => [key, key === 'fm-title' ? 'Coffee' : key === keys[1] ? 'Coffee is drunk at the counter.' : 'Sugar is <b>separate.']))
    await writeFile(join(root, 'locales/en/caffe.json'), JSON.stringify(translated, null, 2) + '\n')
    await until('the translated edition', async () => (await read(root, 'content/en/caffe.md')).includes('Coffee is drunk at the counter.'))
    await until('the catalog line', () => watcher.stdout().includes('caffe.md: 2 of 3 translated (1 invalid) → content/en/caffe.md\n'), 20_000, watcher)
    // The invalid value is reported at its place in the catalog; the Italian stands in for it.
    await until('the problem', () => /locales\/en\/caffe\.json:\d+:\d+ {2}error {2}.*`<b>` is never closed/.test(watcher.stderr()))
    expect(await read(root, 'content/en/caffe.md')).toContain('Lo zucchero è a parte.')

    watcher.child.kill('SIGINT')
    expect(await watcher.exited).toBe(0)
    expect(watcher.stdout()).toContain('watch: stopped')
    expect(await leftovers(root)).toEqual([])
  })

  test("a burst of saves is one run or a few, and Ponte's own writes start none", async () => {
    const root = await pool.project({'content/it/caffe.md': caffe})
    const watcher = startWatch(root, ['--json'])
    const reports = (): Array<{kind: string; changes?: Array<{post: string}>}> =>
      watcher
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as {kind: string})
    await until('the watcher to be ready', () => reports().some((report) => report.kind === 'ready'))
    const before = reports().filter((report) => report.kind === 'run').length
    // A `git checkout` of 60 posts, written as fast as the file system takes them.
    await Promise.all(Array.from({length: 60}, (_, index) => writeFile(join(root, 'content/it', `post-${index}.md`), `# Titolo ${index}\n\nTesto numero ${index}.\n`)))
    await until('all 60 editions', async () => (await Promise.all(Array.from({length: 60}, (_, index) => exists(join(root, 'content/en', `post-${index}.md`))))).every(Boolean))
    await until('every post reported', () => new Set(reports().flatMap((report) => (report.changes ?? []).map((change) => change.post))).size >= 61)
    const runs = reports().filter((report) => report.kind === 'run').length - before
    expect(runs).toBeGreaterThanOrEqual(1)
    expect(runs).toBeLessThanOrEqual(5)
    // Extract wrote 120 catalogs and 60 locks under locales/: none of them is news. A save
    // after them is, and it is the only run that follows.
    await writeFile(join(root, 'content/it/caffe.md'), caffe.replace('al banco', 'in piedi'))
    await until('the edition of the edited post', async () => (await read(root, 'content/en/caffe.md')).includes('in piedi'))
    await until('its run reported', () => reports().some((report) => report.changes?.some((change) => change.post === 'caffe.md')))
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const after = reports().filter((report) => report.kind === 'run')
    expect(after.length - before - runs).toBe(1)
    expect(after.at(-1)?.changes?.map((change) => change.post)).toEqual(['caffe.md'])

    watcher.child.kill('SIGTERM')
    expect(await watcher.exited).toBe(0)
    expect(await leftovers(root)).toEqual([])
  })

  test('a removed post is said and the loop goes on; Ctrl-C during a run leaves no lock or temporary file', async () => {
    const root = await pool.project({'content/it/caffe.md': caffe, 'content/it/tè.md': '# Il tè\n\nSi beve caldo.\n'})
    const watcher = startWatch(root)
    await until('the watcher to be ready', () => watcher.stdout().includes('watch: watching'))
    await rm(join(root, 'content/it/tè.md'))
    await until('the removal', () => watcher.stdout().includes('tè.md: removed\n'))
    await writeFile(join(root, 'content/it/caffe.md'), caffe.replace('al banco', 'seduti'))
    await until('the edition after the removal', async () => (await read(root, 'content/en/caffe.md')).includes('seduti'))

    // Ctrl-C while a burst is being handled: the run ends, then the loop.
    await Promise.all(Array.from({length: 200}, (_, index) => writeFile(join(root, 'content/it', `p${index}.md`), `Paragrafo ${index}.\n\n- uno\n- due\n`)))
    await until('the run to start', () => exists(join(root, '.ponte.lock')), 10_000).catch(() => undefined)
    watcher.child.kill('SIGINT')
    expect(await watcher.exited).toBe(0)
    expect(await leftovers(root)).toEqual([])
  })
})
