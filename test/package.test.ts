import {execFile, spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'

// Ponte installed into a site that is not this repository, as a user would: `npm pack`, then
// `npm install --save-dev <tarball>` into a temporary site, the package's folder made
// read-only (and checked unchanged, since root ignores permissions), then the commands and the
// API from there.

const repo = join(import.meta.dirname, '..')
const seed = 'intervista-ivana-pais-social-network'
let site = ''
let tarball = ''
let packageFolder = ''
let packed: string[] = []
let before: Record<string, string> = {}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(command, [...args], {cwd, env: {...process.env, CI: 'true', GITHUB_ACTIONS: '', ...env}, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr})
    })
  })
}

/** The installed `ponte` command of the site. */
const ponte = (args: readonly string[]): Promise<{code: number; stdout: string; stderr: string}> => run(join(site, 'node_modules/.bin/ponte'), args, site)

/** Every file under a folder with a hash of its bytes. */
async function fingerprint(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  for (const entry of await readdir(folder, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    result[relative(folder, path)] = createHash('sha256').update(await readFile(path)).digest('hex')
  }
  return result
}

beforeAll(async () => {
  const packs = await mkdtemp(join(tmpdir(), 'ponte-pack-'))
  const pack = await run('npm', ['pack', '--json', '--pack-destination', packs], repo)
  expect(pack.code, pack.stderr).toBe(0)
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{filename: string; files: Array<{path: string}>}>
  tarball = join(packs, info?.filename ?? '')
  packed = (info?.files ?? []).map((file) => file.path)
  site = await mkdtemp(join(tmpdir(), 'ponte-site-'))
  await writeFile(join(site, 'package.json'), JSON.stringify({name: 'my-site', private: true, type: 'module'}, null, 2) + '\n')
  await mkdir(join(site, 'content/it'), {recursive: true})
  await writeFile(join(site, 'content/it', `${seed}.md`), await readFile(join(repo, 'content/it', `${seed}.md`)))
  const install = await run('npm', ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund'], site)
  expect(install.code, install.stderr).toBe(0)
  packageFolder = join(site, 'node_modules/ponte')
  // Read-only, as `chmod -R a-w` makes it.
  for (const entry of [...(await readdir(packageFolder, {recursive: true, withFileTypes: true})).map((item) => join(item.parentPath, item.name)), packageFolder]) {
    await chmod(entry, (await stat(entry)).mode & 0o7555)
  }
  before = await fingerprint(packageFolder)
}, 240_000)

afterAll(async () => {
  if (packageFolder) await chmod(packageFolder, 0o755).catch(() => undefined)
  for (const entry of packageFolder ? await readdir(packageFolder, {recursive: true, withFileTypes: true}).catch(() => []) : []) {
    if (entry.isDirectory()) await chmod(join(entry.parentPath, entry.name), 0o755).catch(() => undefined)
  }
  await Promise.all([site, tarball && join(tarball, '..')].filter(Boolean).map((path) => rm(path, {recursive: true, force: true})))
})

describe('Ponte installed from its tarball into another site', () => {
  test('the package holds the built bundle, the type declarations and no sources of the bundle', () => {
    expect(packed).toEqual(expect.arrayContaining(['bin/ponte.js', 'dist/ponte.cjs', 'dist/worker.mjs', 'dist/types/index.d.ts', 'package.json']))
    // The translator page's sources (bundled for the browser when it starts), and the two modules it shares with Ponte.
    expect(packed.filter((path) => path.startsWith('src/') && !path.startsWith('src/page/'))).toEqual(['src/catalog/escape.ts', 'src/segment/tagged.ts'])
    expect(packed.filter((path) => path.startsWith('test/') || path.startsWith('patches/'))).toEqual([])
  })

  test('extract → translate a value → build → check, with its own content/ and locales/', async () => {
    const extracted = await ponte(['extract'])
    expect(extracted.code, extracted.stderr).toBe(0)
    expect(extracted.stdout).toContain('extract: 1 post(s), 16 segments')
    const catalogPath = join(site, 'locales/en', `${seed}.json`)
    const catalog = JSON.parse(await readFile(catalogPath, 'utf8')) as Record<string, string>
    catalog['fm-title'] = 'Italian special: social networks for professional purposes'
    await writeFile(catalogPath, JSON.stringify(catalog, null, 2) + '\n')
    const built = await ponte(['build'])
    expect(built.code, built.stderr).toBe(0)
    expect(await readFile(join(site, 'content/en', `${seed}.md`), 'utf8')).toContain('title: "Italian special: social networks for professional purposes"')
    const checked = await ponte(['check'])
    expect(checked.code, checked.stdout + checked.stderr).toBe(0)
    const status = await ponte(['status', '--json'])
    expect((JSON.parse(status.stdout) as {posts: Array<{translated: number}>}).posts[0]?.translated).toBe(1)
    // A translation that breaks a tag fails check, as in the repository.
    catalog['fm-title'] = '<b>broken'
    catalog[Object.keys(catalog).find((key) => catalog[key]?.includes('<em1>')) ?? ''] = 'Text <em1>never closed'
    await writeFile(catalogPath, JSON.stringify(catalog, null, 2) + '\n')
    const failed = await ponte(['check'])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(new RegExp(`locales/en/${seed}\\.json:\\d+:\\d+ {2}error`))
  })

  test('watch and translate start there and stop on Ctrl-C', async () => {
    for (const [command, ready] of [
      ['watch', /watch: watching content\/it\/ and locales\//],
      ['translate', /Translator page: (http:\/\/\S+)/]
    ] as const) {
      const child = spawn(join(site, 'node_modules/.bin/ponte'), command === 'translate' ? [command, '--port', '0'] : [command], {cwd: site, env: {...process.env, CI: 'true'}})
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      const deadline = Date.now() + 30_000
      while (!ready.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50))
      expect(out, command).toMatch(ready)
      if (command === 'translate') {
        // The page's script is built from the package's own files at start.
        const url = new URL(ready.exec(out)?.[1] ?? '')
        const page = await fetch(new URL('/', url))
        expect(page.status).toBe(200)
        expect(await page.text()).toContain('<script src="/page.js"')
      }
      child.kill('SIGINT')
      expect(await exited, out).toBe(0)
    }
  })

  test("the API and its types: import {build, status} from 'ponte'", async () => {
    await writeFile(
      join(site, 'api.ts'),
      `import {build, status, type BuildResult} from 'ponte'
const result: BuildResult = await build({root: '.'})
const {posts} = await status()
console.log(JSON.stringify({written: result.written.length, posts: posts.map((post) => post.path)}))
// @ts-expect-error: not an option of build
await build({rooot: '.'})
`
    )
    await writeFile(
      join(site, 'tsconfig.json'),
      JSON.stringify({compilerOptions: {target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, outDir: 'out', typeRoots: [join(repo, 'node_modules/@types')], types: ['node']}, files: ['api.ts']})
    )
    const compiled = await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.'], site)
    expect(compiled.code, compiled.stdout).toBe(0)
    const ran = await run(process.execPath, ['out/api.js'], site)
    expect(ran.code, ran.stderr).toBe(0)
    expect(JSON.parse(ran.stdout.split('\n')[0] ?? '')).toEqual({written: 0, posts: [`${seed}.md`]})
  })

  test('the package folder is unchanged; the caches are in the site', async () => {
    expect(await fingerprint(packageFolder)).toEqual(before)
    expect((await readdir(join(site, 'node_modules/.cache/ponte/code'))).some((name) => /^ponte\.cjs\.[0-9a-f]{16}\.cache$/.test(name))).toBe(true)
    expect((await stat(join(site, 'node_modules/.cache/ponte'))).isDirectory()).toBe(true)
  })
})
