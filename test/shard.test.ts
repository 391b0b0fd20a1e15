import {readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {build} from '../src/commands/build.js'
import {check} from '../src/commands/check.js'
import {extract} from '../src/commands/extract.js'
import {inShard, parseShard} from '../src/project/shard.js'
import {sortMessages} from '../src/report/message.js'
import {outputs, ponte, projectPool} from './support/project.js'

// `check` and `build` take `--shard i/n`, so a site of 100,000 posts runs as a CI matrix:
// every post is in exactly one shard, and the shards together report what one run reports.

const pool = projectPool()
afterAll(pool.removeAll)

const post = (n: number): string => `---\ntitle: Articolo ${n}\n---\n\n# Titolo ${n}\n\nUn paragrafo con *enfasi* numero ${n}.\n`

async function site(): Promise<string> {
  const files: Record<string, string> = {}
  for (let n = 0; n < 24; n++) files[`content/it/parte-${n % 4}/articolo-${n}.md`] = post(n)
  // An edition whose post is gone: a finding of the project, not of a post.
  files['content/en/orfano.md'] = '# Orphan\n'
  const root = await pool.project(files)
  await extract({root})
  // Some translated, one invalid, one stale, the rest missing.
  for (let n = 0; n < 24; n += 3) {
    const path = join(root, `locales/en/parte-${n % 4}/articolo-${n}.json`)
    const catalog = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
    for (const key of Object.keys(catalog)) catalog[key] = key.startsWith('fm-') ? `Article ${n}` : key.startsWith('h-') ? `Title ${n}` : n === 9 ? '<script>x</script>' : `A paragraph with <em1>emphasis</em1> number ${n}.`
    await writeFile(path, JSON.stringify(catalog, null, 2) + '\n')
  }
  await extract({root})
  await writeFile(join(root, 'content/it/parte-2/articolo-6.md'), post(6).replace('numero 6', 'numero sei'))
  return root
}

describe('shards', () => {
  test('each post is in exactly one shard (by a hash of its path, so adding a post moves no other), and the shards are about even', () => {
    const posts = Array.from({length: 500}, (_, n) => `blog/post-${n}.md`)
    for (const count of [1, 2, 3, 4, 7]) {
      for (const path of posts) expect(Array.from({length: count}, (_, index) => inShard(path, {index: index + 1, count})).filter(Boolean)).toHaveLength(1)
    }
    const sizes = [1, 2, 3, 4].map((index) => posts.filter((path) => inShard(path, {index, count: 4})).length)
    expect(Math.min(...sizes)).toBeGreaterThan(80)
  })

  test('check: the shards together report exactly what one run reports', async () => {
    const root = await site()
    for (const strict of [false, true]) {
      const whole = await check({root, strict, cache: false})
      const parts = await Promise.all([1, 2, 3].map((index) => check({root, strict, shard: {index, count: 3}})))
      expect(sortMessages(parts.flatMap((part) => part.messages))).toEqual(whole.messages)
      expect(parts.every((part) => part.ok)).toBe(whole.ok)
      // The orphaned edition is the project's finding: reported once, by shard 1.
      expect(parts.map((part) => part.messages.filter((item) => item.ruleId === 'edition-orphaned').length)).toEqual([1, 0, 0])
    }
  })

  test('build: the shards together write what one build writes', async () => {
    const root = await site()
    const other = await site()
    await build({root})
    for (const index of [1, 2, 3, 4]) await build({root: other, shard: {index, count: 4}})
    expect(await outputs(other, 'content/en/')).toEqual(await outputs(root, 'content/en/'))
    await rm(other, {recursive: true, force: true})
  })

  test('the CLI takes --shard I/N for check and build, and refuses anything else with exit 2', async () => {
    const root = await site()
    const shard = await ponte(['check', '--root', root, '--shard', '2/3'])
    expect(shard.code).toBe(1)
    for (const bad of ['0/3', '4/3', '2', 'a/b', '1/0']) {
      const result = await ponte(['check', '--root', root, '--shard', bad])
      expect({bad, code: result.code}).toEqual({bad, code: 2})
      expect(result.stderr).toContain('--shard')
    }
    expect(() => parseShard('3/2')).toThrow(/1 ≤ i ≤ n/)
    expect((await ponte(['extract', '--root', root, '--shard', '1/2'])).code).toBe(2)
  })
})
