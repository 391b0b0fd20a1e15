import {cp, mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {parse} from 'yaml'
import {check} from '../src/commands/check.js'
import {extract} from '../src/commands/extract.js'
import {build} from '../src/commands/build.js'
import {checkCommand} from '../src/commands/check.js'
import {runCommand} from '../src/run/run-command.js'
import {projectPool} from './support/project.js'

// The workflow a site copies (.github/workflows/ponte.yml) keeps Ponte's cache between CI
// runs; a fresh clone has new inodes and times, so the cache must answer from contents.

const pool = projectPool()
afterAll(pool.removeAll)

interface Step {
  uses?: string
  run?: string
  with?: Record<string, string>
}

describe('the CI workflow', () => {
  test('installs, restores the cache after npm ci (which deletes node_modules), and checks one shard per matrix job', async () => {
    const workflow = parse(await readFile(join(import.meta.dirname, '..', '.github', 'workflows', 'ponte.yml'), 'utf8')) as {jobs: {check: {strategy: {matrix: {shard: number[]}}; env: Record<string, string>; steps: Step[]}}}
    const job = workflow.jobs.check
    const steps = job.steps
    const at = (find: (step: Step) => boolean): number => steps.findIndex(find)
    const install = at((step) => step.run === 'npm ci')
    const cache = at((step) => step.uses?.startsWith('actions/cache@') === true)
    const run = at((step) => step.run?.startsWith('npm run check') === true)
    expect(install).toBeGreaterThan(-1)
    expect(cache).toBeGreaterThan(install)
    expect(run).toBeGreaterThan(cache)
    // The cache folder is Ponte's (PONTE_CACHE_DIR), outside node_modules, and keyed per shard.
    expect(job.env['PONTE_CACHE_DIR']).not.toContain('node_modules')
    expect(steps[cache]?.with?.['path']).toBe('${{ env.PONTE_CACHE_DIR }}')
    expect(steps[cache]?.with?.['key']).toContain('${{ matrix.shard }}')
    // The matrix and the --shard count agree.
    const shards = job.strategy.matrix.shard
    expect(steps[run]?.run).toBe(`npm run check -- --shard \${{ matrix.shard }}/${shards.length}`)
    expect(shards).toEqual(Array.from({length: shards.length}, (_, index) => index + 1))
  })

  test('a fresh clone with the cache restored is answered from the cache, unparsed', async () => {
    const files: Record<string, string> = {}
    for (let n = 0; n < 6; n++) files[`content/it/blog/post-${n}.md`] = `# Titolo ${n}\n\nUn paragrafo numero ${n}.\n`
    const root = await pool.project(files)
    const cacheDir = await mkdtemp(join(tmpdir(), 'ponte-ci-cache-'))
    const env = {PONTE_CACHE_DIR: cacheDir}
    await extract({root, env})
    await build({root, env})
    const reference = await check({root, env})
    // The clone: the same files at the same path, every inode and time new.
    const copy = await mkdtemp(join(tmpdir(), 'ponte-clone-'))
    await cp(root, copy, {recursive: true})
    await rm(root, {recursive: true, force: true})
    await cp(copy, root, {recursive: true})
    await rm(copy, {recursive: true, force: true})
    const warm = await runCommand(checkCommand, {root, env})
    expect(warm.posts.map((post) => post.replayed)).toEqual(Array.from({length: 6}, () => [true, true]))
    expect((await check({root, env})).messages).toEqual(reference.messages)
    await rm(cacheDir, {recursive: true, force: true})
  })
})
