import {cp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, test, vi} from 'vitest'
import {build} from '../src/commands/build.js'
import {extract} from '../src/commands/extract.js'
import {status} from '../src/commands/status.js'
import {cold} from './support/cold.js'
import {makeProject, snapshot} from './support/project.js'

// Count the parses: the point of the analysis cache is that build does not parse what
// extract parsed. (Fewer than 24 posts run on this thread, where the mock applies.)
const parses = vi.hoisted(() => ({count: 0}))
vi.mock('../src/parse/parse.js', async (original) => {
  const actual = await original<typeof import('../src/parse/parse.js')>()
  return {...actual, parseMarkdown: (source: string) => (parses.count++, actual.parseMarkdown(source))}
})

const post = (n: number, extra = ''): string => `---\ntitle: Post ${n}\n---\n\n# Titolo ${n}\n\nUn paragrafo *con enfasi*.${extra}\n\n| a | b |\n| - | - |\n| uno | due ${n} |\n`

async function project(count: number): Promise<string> {
  const files: Record<string, string> = {}
  for (let n = 0; n < count; n++) files[`content/it/post-${n}.md`] = post(n)
  return makeProject(files)
}

const packsOf = async (root: string): Promise<string[]> => (await readdir(join(root, 'node_modules/.cache/ponte/analysis')).catch(() => [] as string[])).sort()

async function counted<T>(run: () => Promise<T>): Promise<number> {
  parses.count = 0
  await run()
  return parses.count
}

describe('analysis cache', () => {
  test('build parses nothing extract parsed; an edited post is parsed once, by extract', async () => {
    const root = await project(5)
    expect(await counted(() => extract({root}))).toBe(5)
    expect(await counted(() => build({root}))).toBe(0)
    expect(await snapshot(root)).toEqual(await cold(root))
    await writeFile(join(root, 'content/it/post-2.md'), post(2, ' Una frase aggiunta.'))
    expect(await counted(() => extract({root}))).toBe(1)
    expect(await counted(() => status({root}))).toBe(0)
    expect(await counted(() => build({root}))).toBe(0)
    expect(await snapshot(root)).toEqual(await cold(root))
    // Edited and built without extract: build parses it, once, and the next build replays.
    await writeFile(join(root, 'content/it/post-3.md'), post(3, ' Ancora.'))
    expect(await counted(() => build({root}))).toBe(1)
    expect(await counted(() => build({root}))).toBe(0)
  })

  test('a damaged or missing pack costs a parse, never a different output', async () => {
    const root = await project(4)
    await extract({root})
    const packs = await packsOf(root)
    expect(packs).toHaveLength(1)
    const path = join(root, 'node_modules/.cache/ponte/analysis', packs[0] as string)
    const text = await readFile(path, 'utf8')
    // The first two entries swapped (the same length): each still parses as JSON, but holds
    // the other post's analysis, so those two are parsed; the other two are read.
    const lines = text.split('\n')
    expect(lines[0]?.length).toBe(lines[1]?.length)
    await writeFile(path, [lines[1], lines[0], ...lines.slice(2)].join('\n'))
    expect(await counted(() => build({root}))).toBe(2)
    expect(await snapshot(root)).toEqual(await cold(root))
    // Every pack overwritten (the two posts just parsed went into build's own pack).
    await rm(join(root, 'content/en'), {recursive: true})
    for (const name of await packsOf(root)) await writeFile(join(root, 'node_modules/.cache/ponte/analysis', name), 'x'.repeat(text.length))
    expect(await counted(() => build({root}))).toBe(4)
    expect(await snapshot(root)).toEqual(await cold(root))
  })

  test('an entry changed inside, its key intact, is a miss: the post is parsed again', async () => {
    const root = await project(3)
    await extract({root})
    const path = join(root, 'node_modules/.cache/ponte/analysis', (await packsOf(root))[0] as string)
    const text = await readFile(path, 'utf8')
    // Same length, same key, still valid JSON: only the checksum tells.
    const tampered = text.replace('Un paragrafo', 'Un paragrafX')
    expect(tampered).not.toBe(text)
    await writeFile(path, tampered)
    expect(await counted(() => build({root}))).toBe(1)
    expect(await snapshot(root)).toEqual(await cold(root))
  })

  test('packs no recorded outcome refers to are removed, a killed run’s included', async () => {
    const root = await project(3)
    await extract({root})
    const first = await packsOf(root)
    await build({root})
    // Build reused extract's analyses: no pack of its own.
    expect(await packsOf(root)).toEqual(first)
    // A run killed mid-append left a pack, and the first cache layout left per-post files.
    const folder = join(root, 'node_modules/.cache/ponte/analysis')
    await writeFile(join(folder, 'killed-run-1.pack'), '{"key":')
    await cp(join(folder, first[0] as string), join(folder, 'ab', 'abcdef.json'), {recursive: true})
    // Every post changes: the new extract refers only to its own pack; build still to the old one until it runs.
    for (let n = 0; n < 3; n++) await writeFile(join(root, `content/it/post-${n}.md`), post(n, ' Nuovo.'))
    await extract({root})
    const second = await packsOf(root)
    expect(second).toHaveLength(2)
    expect(second).toContain(first[0])
    await build({root})
    expect(await packsOf(root)).toEqual(second.filter((name) => name !== first[0]))
    expect(await snapshot(root)).toEqual(await cold(root))
  })
})
