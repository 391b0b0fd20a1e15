import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {readFile, rm, utimes, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {build} from '../src/commands/build.js'
import {extract} from '../src/commands/extract.js'
import {status} from '../src/commands/status.js'
import {commands, flags, flagsOf, type CommandName} from '../src/cli/flags.js'
import {bin, exists, outputs, ponte, projectPool, readJson, snapshot, stackTrace} from './support/project.js'
import {structureDifference} from './support/pipeline.js'

// The real command, spawned: usage, the commands on a small project, configuration, and
// determinism. Library calls only set the scene where a spawn would add nothing.

const pool = projectPool()
afterAll(pool.removeAll)
const project = pool.project

const ciao = `---
title: Ciao mondo
description: Un post di prova
---

# Benvenuti

Un paragrafo con *enfasi*, **forte** e [un link](https://esempio.it/pagina).

## Tabella

| Nome | Valore |
|:-----|------:|
| uno  | due   |
`
// A file name with a space, an accent and brackets.
const oddName = 'perché sì [1]'
const odd = `# Perché sì

Una frase con _corsivo_ e un [collegamento](https://esempio.it/perch%C3%A9).
`
const english: Record<string, string> = {
  'Ciao mondo': 'Hello world',
  'Un post di prova': 'A test post',
  Benvenuti: 'Welcome',
  'Un paragrafo con <em1>enfasi</em1>, <strong1>forte</strong1> e <a1>un link</a1>.': 'A paragraph with <em1>emphasis</em1>, <strong1>strong</strong1> and <a1>a link</a1>.',
  Tabella: 'Table',
  Nome: 'Name',
  Valore: 'Value',
  uno: 'one',
  due: 'two',
  'Perché sì': 'Why yes',
  'Una frase con <em1>corsivo</em1> e un <a1>collegamento</a1>.': 'A sentence with <em1>italics</em1> and a <a1>link</a1>.'
}
const files = {'content/it/blog/ciao.md': ciao, [`content/it/${oddName}.md`]: odd}
const namespaces = ['blog/ciao', oddName]

/** Translate every key of a post's Italian catalog, written the way Ponte writes catalogs. */
async function translate(root: string, ns: string, dictionary: Record<string, string> = english): Promise<void> {
  const italian = await readJson(root, `locales/it/${ns}.json`)
  const translated = Object.fromEntries(
    Object.entries(italian).map(([key, value]) => {
      const result = dictionary[value]
      if (result === undefined) throw new Error(`no English for ${JSON.stringify(value)}`)
      return [key, result]
    })
  )
  await writeFile(join(root, `locales/en/${ns}.json`), JSON.stringify(translated, null, 2) + '\n')
}

describe.concurrent('usage', () => {
  test('--help lists every command and every flag, exit 0', async ({expect}) => {
    const result = await ponte(['--help'])
    expect(result.code).toBe(0)
    for (const name of Object.keys(commands)) expect(result.stdout).toContain(name)
    for (const flag of flags) expect(result.stdout).toContain(`--${flag.name}`)
    expect(result.stderr).toBe('')
  })

  test.for(Object.keys(commands) as CommandName[])('%s --help lists the flags of that command, exit 0', async (command, {expect}) => {
    const result = await ponte([command, '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`ponte ${command}`)
    for (const flag of flagsOf(command)) expect(result.stdout).toContain(`--${flag.name}`)
    // Flags of other commands are not offered (a name this command has too, such as xliff's --version, aside).
    for (const flag of flags.filter((item) => !flagsOf(command).some((own) => own.name === item.name))) expect(result.stdout).not.toContain(`--${flag.name}`)
    expect(result.stderr).toBe('')
  })

  test('no arguments print the usage, exit 2', async ({expect}) => {
    const result = await ponte([])
    expect(result.code).toBe(2)
    expect(result.stdout + result.stderr).toMatch(/Usage: ponte/)
  })

  test('an unknown command exits 2 and lists the commands', async ({expect}) => {
    const result = await ponte(['frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('frobnicate')
    for (const name of Object.keys(commands)) expect(result.stderr).toContain(name)
    expect(result.stderr).not.toMatch(stackTrace)
  })

  test('an unknown flag exits 2 and lists the valid options', async ({expect}) => {
    const result = await ponte(['build', '--frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--frobnicate')
    for (const flag of flagsOf('build')) expect(result.stderr).toContain(`--${flag.name}`)
    expect(result.stderr).not.toMatch(stackTrace)
  })

  test('--reporter bogus exits 2 and names the reporters', async ({expect}) => {
    const root = await project(files)
    const result = await ponte(['status', '--reporter', 'bogus', '--root', root])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('bogus')
    for (const name of ['text', 'json', 'github']) expect(result.stderr).toContain(name)
    expect(await exists(join(root, 'locales'))).toBe(false)
  })

  test('a --root that is not a folder exits 2 and says what the root must be', async ({expect}) => {
    const root = await project(files)
    for (const [where, why] of [[join(root, 'missing'), 'no such folder'], [join(root, 'content/it/blog/ciao.md'), 'not a folder']] as const) {
      for (const command of ['extract', 'build', 'status', 'check'] as const) {
        const result = await ponte([command, '--root', where])
        expect(result.code).toBe(2)
        expect(result.stderr).toContain(`ponte ${command}: ${where}: ${why}`)
        expect(result.stderr).toContain('content/')
        expect(result.stderr).not.toMatch(stackTrace)
      }
    }
    expect(await exists(join(root, 'locales'))).toBe(false)
  })

  test('a file where Ponte needs a folder exits 1, naming each post\'s path and what to do, and leaves the posts alone', async ({expect}) => {
    const root = await project(files)
    const before = await snapshot(root)
    await writeFile(join(root, 'locales'), 'not a folder\n')
    const result = await ponte(['extract', '--root', root])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('locales/it/blog/ciao.json:1:1  error  cannot be read (ENOTDIR)')
    expect(result.stderr).toContain('[file-unreadable]')
    expect(result.stderr).toContain('ENOTDIR')
    expect(result.stderr).toContain('move that file away')
    expect(result.stderr).not.toMatch(stackTrace)
    expect(await snapshot(root)).toEqual({...before, locales: 'not a folder\n'})
  })

  test('a reader that closes the output early ends the run quietly, with its own exit code', async ({expect}) => {
    const root = await project(files)
    const result = await new Promise<{code: number | null; stderr: string}>((resolve) => {
      const child = spawn(process.execPath, [bin, 'status', '--json', '--root', root], {env: {...process.env, CI: 'true'}})
      // As `| head -c 0` would: nothing of the output is read.
      child.stdout.destroy()
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('close', (code) => resolve({code, stderr}))
    })
    expect(result.stderr).not.toContain('EPIPE')
    expect(result.stderr).not.toMatch(stackTrace)
    // status before extract: every post missing, which status does not count as a failure.
    expect(result.code).toBe(0)
  })

  test('the bundle runs with V8 code cache named after its hash; a damaged cache is rejected, written again, and changes nothing', async ({expect}) => {
    const root = await project(files)
    const first = await ponte(['status', '--root', root])
    expect(first.code).toBe(0)
    const dist = join(import.meta.dirname, '..', 'dist')
    const hash = createHash('sha256').update(await readFile(join(dist, 'ponte.cjs'))).digest('hex').slice(0, 16)
    const cache = join(dist, `ponte.cjs.${hash}.cache`)
    expect((await readFile(cache)).length).toBeGreaterThan(1000)
    const damaged = Buffer.from('not a code cache '.repeat(100))
    await writeFile(cache, damaged)
    const second = await ponte(['status', '--root', root])
    expect(second).toEqual(first)
    expect((await readFile(cache)).equals(damaged)).toBe(false)
  })

  test('--version prints the version of package.json', async ({expect}) => {
    const {version} = JSON.parse(await readFile(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {version: string}
    const result = await ponte(['--version'])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe(version)
  })
})

describe.sequential('the commands on a small project', () => {
  let root = ''
  let italianSources: Record<string, string> = {}

  test('check fails before extract (exit 1) and names the missing catalogs', async () => {
    root = await project(files)
    italianSources = await snapshot(root)
    const result = await ponte(['check', '--root', root])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('locales/it/blog/ciao.json')
    expect(result.stderr).toContain(`locales/it/${oddName}.json`)
    expect(result.stderr).not.toMatch(stackTrace)
    // check writes nothing.
    expect(await snapshot(root)).toEqual(italianSources)
  })

  test('extract writes the catalogs and locks at the contract paths and never touches the posts', async () => {
    const result = await ponte(['extract', '--root', root])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/extract: 2 post/)
    for (const ns of namespaces) {
      const italian = await readJson(root, `locales/it/${ns}.json`)
      const target = await readJson(root, `locales/en/${ns}.json`)
      expect(Object.keys(target)).toEqual(Object.keys(italian))
      expect(Object.values(target).every((value) => value === '')).toBe(true)
      expect(Object.values(italian).every((value) => typeof value === 'string')).toBe(true)
      JSON.parse(await readFile(join(root, `locales/.ponte/${ns}.lock.json`), 'utf8'))
    }
    const catalog = await readJson(root, 'locales/it/blog/ciao.json')
    // Front matter, headings, emphasis, the link and every table cell are segments; the URL is not text.
    expect(Object.values(catalog)).toEqual(expect.arrayContaining(['Ciao mondo', 'Un post di prova', 'Benvenuti', 'Tabella', 'Nome', 'Valore', 'uno', 'due']))
    expect(Object.values(catalog).find((value) => value.startsWith('Un paragrafo'))).toMatch(/<em1>enfasi<\/em1>.*<strong1>forte<\/strong1>.*<a1>un link<\/a1>/)
    expect(JSON.stringify(catalog)).not.toContain('esempio.it')
    const posts = Object.fromEntries(Object.entries(await snapshot(root)).filter(([path]) => path.startsWith('content/')))
    expect(posts).toEqual(italianSources)
  })

  test('a second extract writes nothing and reports every segment unchanged, as without the cache', async () => {
    const before = await outputs(root)
    const cached = await ponte(['extract', '--root', root])
    const uncached = await ponte(['extract', '--no-cache', '--root', root])
    expect([cached.code, uncached.code]).toEqual([0, 0])
    expect(uncached.stdout).toMatch(/11 segments \(11 unchanged, 0 edited, 0 new, 0 restored; 0 translations archived\); 0 file\(s\) written/)
    expect(cached.stdout).toBe(uncached.stdout)
    expect(await outputs(root)).toEqual(before)
  })

  test('build writes the editions at the same relative path (the Italian while untranslated)', async () => {
    const result = await ponte(['build', '--root', root])
    expect(result.code).toBe(0)
    expect(await readFile(join(root, 'content/en/blog/ciao.md'), 'utf8')).toBe(ciao)
    expect(await readFile(join(root, `content/en/${oddName}.md`), 'utf8')).toBe(odd)
  })

  test('check passes after extract and build (exit 0)', async () => {
    const result = await ponte(['check', '--root', root])
    expect(result.code).toBe(0)
  })

  test('status --json prints one JSON document with per-post counts and totals', async () => {
    const result = await ponte(['status', '--json', '--root', root])
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout) as {posts: Array<Record<string, unknown>>; totals: Record<string, number>}
    expect(report.posts.map((post) => post.path)).toEqual(['blog/ciao.md', `${oddName}.md`])
    expect(report.posts[0]).toMatchObject({path: 'blog/ciao.md', segments: 9, translated: 0, stale: 0, missing: 9})
    expect(report.posts[1]).toMatchObject({path: `${oddName}.md`, segments: 2, translated: 0, stale: 0, missing: 2})
    expect(report.totals).toMatchObject({segments: 11, translated: 0, stale: 0, missing: 11})
  })

  test('check --strict fails while translations are missing (exit 1)', async () => {
    const result = await ponte(['check', '--strict', '--root', root])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('translation-missing')
    expect(result.stderr).toContain('locales/en/blog/ciao.json')
  })

  test('once everything is translated, extracted and built, check --strict passes (exit 0)', async () => {
    for (const ns of namespaces) await translate(root, ns)
    expect((await ponte(['extract', '--root', root])).code).toBe(0)
    const built = await ponte(['build', '--root', root])
    expect(built.code).toBe(0)
    const edition = await readFile(join(root, 'content/en/blog/ciao.md'), 'utf8')
    expect(edition).toContain('title: Hello world\ndescription: A test post\n---\n\n# Welcome\n\n')
    expect(edition).toContain('A paragraph with *emphasis*, **strong** and [a link](https://esempio.it/pagina).')
    expect(edition).toContain('|:-----|------:|')
    expect(structureDifference(ciao, edition)).toBeUndefined()
    const other = await readFile(join(root, `content/en/${oddName}.md`), 'utf8')
    expect(other).toBe('# Why yes\n\nA sentence with _italics_ and a [link](https://esempio.it/perch%C3%A9).\n')
    expect((await status({root})).totals).toMatchObject({segments: 11, translated: 11, stale: 0, missing: 0})
    const strict = await ponte(['check', '--strict', '--root', root])
    expect(strict.stderr).toBe('')
    expect(strict.code).toBe(0)
  })

  test('a translator fixing a translation, then build (what CI sees), still passes check --strict', async () => {
    await translate(root, 'blog/ciao', {...english, Benvenuti: 'Welcome!'})
    expect((await ponte(['build', '--root', root])).code).toBe(0)
    expect(await readFile(join(root, 'content/en/blog/ciao.md'), 'utf8')).toContain('# Welcome!\n')
    // Nothing is out of date: the Italian did not change, the edition is rebuilt, every
    // translation is valid. Only Ponte's own bookkeeping may lag behind.
    const strict = await ponte(['check', '--strict', '--root', root])
    expect(strict.stderr).toBe('')
    expect(strict.code).toBe(0)
  })

  test('after the Italian changes, check fails (exit 1) with GitHub annotations on file, line and column', async () => {
    await writeFile(join(root, 'content/it/blog/ciao.md'), ciao.replace('**forte**', '**fortissimo**'))
    const result = await ponte(['check', '--reporter', 'github', '--root', root])
    expect(result.code).toBe(1)
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('::'))
    const annotation = /^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+)(?:,[^:]*)?::.+$/
    for (const line of lines) expect(line).toMatch(annotation)
    expect(lines.some((line) => line.startsWith('::error file=locales/it/blog/ciao.json,'))).toBe(true)
    // The stale translation is a warning pointing at its key in the English catalog.
    const stale = lines.find((line) => line.startsWith('::warning ') && line.includes('stale'))
    expect(stale).toBeDefined()
    const [, , file, line, column] = annotation.exec(stale ?? '') ?? []
    expect(file).toBe('locales/en/blog/ciao.json')
    const catalogLines = (await readFile(join(root, file ?? ''), 'utf8')).split('\n')
    expect(catalogLines[Number(line) - 1]?.slice(Number(column) - 1)).toMatch(/^"p-[0-9a-f]+": "A paragraph with/)
  })
})

describe.concurrent('configuration', () => {
  const bad: Array<[string, string, string, string]> = [
    ['an unknown field', JSON.stringify({colour: 'blue'}), 'extract', 'colour'],
    ['a threshold of 150', JSON.stringify({threshold: 150}), 'build', 'threshold'],
    ['invalid JSON', '{"threshold": 50,\n', 'status', 'ponte.config.json']
  ]
  test.for(bad)('%s in ponte.config.json exits 2 with a message naming it', async ([, config, command, named], {expect}) => {
    const root = await project({...files, 'ponte.config.json': config})
    const before = await snapshot(root)
    const result = await ponte([command, '--root', root])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('ponte.config.json')
    expect(result.stderr).toContain(named)
    expect(result.stderr).not.toMatch(stackTrace)
    expect(await snapshot(root)).toEqual(before)
  })

  test('threshold 100: an untranslated post gets no edition and build says so; a translated one does', async ({expect}) => {
    const root = await project({...files, 'ponte.config.json': JSON.stringify({threshold: 100})})
    await extract({root})
    await translate(root, oddName)
    const result = await ponte(['build', '--root', root])
    expect(result.code).toBe(0)
    expect(await exists(join(root, 'content/en/blog/ciao.md'))).toBe(false)
    expect(result.stderr).toContain('content/it/blog/ciao.md')
    expect(result.stderr + result.stdout).toMatch(/threshold/)
    expect(await readFile(join(root, `content/en/${oddName}.md`), 'utf8')).toContain('# Why yes')
  })

  test('stalePolicy "fallback" puts the Italian in place of stale translations; "use" keeps them', async ({expect}) => {
    const edited = ciao.replace('**forte**', '**fortissimo**')
    for (const policy of ['fallback', 'use']) {
      const root = await project({'content/it/blog/ciao.md': ciao, 'ponte.config.json': JSON.stringify({stalePolicy: policy})})
      await extract({root})
      await translate(root, 'blog/ciao')
      await extract({root})
      await writeFile(join(root, 'content/it/blog/ciao.md'), edited)
      await extract({root})
      const result = await build({root})
      expect(result.totals).toMatchObject({segments: 9, stale: 1, translated: 8})
      const edition = await readFile(join(root, 'content/en/blog/ciao.md'), 'utf8')
      expect(edition).toContain('# Welcome')
      if (policy === 'fallback') expect(edition).toContain('Un paragrafo con *enfasi*, **fortissimo** e [un link](https://esempio.it/pagina).')
      else expect(edition).toContain('A paragraph with *emphasis*, **strong** and [a link](https://esempio.it/pagina).')
    }
  })
})

describe('determinism', () => {
  /** An edit of the same size (only the time and the bytes tell it apart), a new post and a removed one. */
  const editAddRemove = async (root: string): Promise<void> => {
    await writeFile(join(root, 'content/it/blog/ciao.md'), ciao.replace('# Benvenuti', '# Benvenute'))
    await utimes(join(root, 'content/it/blog/ciao.md'), new Date('2021-01-01'), new Date('2021-01-01'))
    await writeFile(join(root, 'content/it/blog/nuovo.md'), '# Un post nuovo\n')
    await rm(join(root, `content/it/${oddName}.md`))
  }

  test('run from inside the project (stamps by relative paths, posts found from the cache), an edit, a new post and a removed one are each seen by the next run', async () => {
    const root = await project(files)
    // Dated in the past, so their stamps are trusted (a file changed just now is always read).
    const date = (post: string, day: string): Promise<void> => utimes(join(root, 'content/it', post), new Date(day), new Date(day))
    for (const post of ['blog/ciao.md', `${oddName}.md`]) await date(post, '2020-01-01')
    const run = async (command: string): Promise<void> => expect((await ponte([command], {cwd: root})).code).toBe(0)
    await run('extract')
    await run('build')
    const edition = (post: string): Promise<string> => readFile(join(root, 'content/en', post), 'utf8')
    expect(await edition('blog/ciao.md')).toContain('# Benvenuti')
    await editAddRemove(root)
    await run('extract')
    await run('build')
    expect(await edition('blog/ciao.md')).toContain('# Benvenute')
    expect(await edition('blog/nuovo.md')).toBe('# Un post nuovo\n')
    expect(await exists(join(root, `locales/it/${oddName}.json`))).toBe(true)
    const result = await ponte(['check'], {cwd: root})
    // The removed post's edition is kept and reported, not deleted.
    expect(result.stderr).toContain(`content/en/${oddName}.md`)
    expect(result.stderr).toContain('edition-orphaned')
  })

  test('with the stamping thread started early on the last run\'s list (from the project and from elsewhere), an edit, a new post and a removed one are each seen', async () => {
    const root = await project(files)
    const date = (post: string, day: string): Promise<void> => utimes(join(root, 'content/it', post), new Date(day), new Date(day))
    for (const post of ['blog/ciao.md', `${oddName}.md`]) await date(post, '2020-01-01')
    // Two files make "many": these few posts take the path of 10,000 through the real command.
    const env = {PONTE_STAMP_THREAD_FROM: '2'}
    const inside = async (command: string): Promise<void> => expect((await ponte([command], {cwd: root, env})).code).toBe(0)
    const outside = async (command: string): Promise<void> => expect((await ponte([command, '--root', root], {cwd: tmpdir(), env})).code).toBe(0)
    await inside('extract')
    await inside('build')
    await outside('build')
    const list = (await readFile(join(root, 'node_modules/.cache/ponte/stamped-build.list'), 'utf8')).split('\0')
    // The project's own relative paths, whichever folder the run started from.
    expect(list).toContain('content/en/blog/ciao.md')
    const edition = (post: string): Promise<string> => readFile(join(root, 'content/en', post), 'utf8')
    await editAddRemove(root)
    await outside('extract')
    await inside('build')
    expect(await edition('blog/ciao.md')).toContain('# Benvenute')
    expect(await edition('blog/nuovo.md')).toBe('# Un post nuovo\n')
    expect((await readFile(join(root, 'node_modules/.cache/ponte/stamped-build.list'), 'utf8')).split('\0')).toContain('content/it/blog/nuovo.md')
    const result = await ponte(['check', '--root', root], {cwd: tmpdir(), env})
    expect(result.stderr).toContain('edition-orphaned')
    // A translator's edit of the same size, in place: only the catalog's time tells it apart,
    // and build alone must see it, from elsewhere as from the project.
    const catalog = join(root, 'locales/en/blog/ciao.json')
    const translate = async (value: string, day: string): Promise<void> => {
      const entries = JSON.parse(await readFile(catalog, 'utf8')) as Record<string, string>
      entries[Object.keys(entries)[0] as string] = value
      await writeFile(catalog, JSON.stringify(entries, null, 2) + '\n')
      await utimes(catalog, new Date(day), new Date(day))
    }
    await translate('Welcome one', '2022-01-01')
    await outside('build')
    expect(await edition('blog/ciao.md')).toContain('Welcome one')
    // A run with nothing to do records the stamps it took itself.
    await outside('build')
    await translate('Welcome two', '2022-01-02')
    await outside('build')
    expect(await edition('blog/ciao.md')).toContain('Welcome two')
  })

  test('extract and build twice change no byte, and the output does not depend on the working directory', async () => {
    const first = await project(files)
    const second = await project(files)
    // From inside the project, without --root.
    expect((await ponte(['extract'], {cwd: first})).code).toBe(0)
    for (const ns of namespaces) await translate(first, ns)
    expect((await ponte(['extract'], {cwd: first})).code).toBe(0)
    expect((await ponte(['build'], {cwd: first})).code).toBe(0)
    const once = await outputs(first)
    expect(Object.keys(once)).toEqual(expect.arrayContaining(['content/en/blog/ciao.md', `content/en/${oddName}.md`, 'locales/.ponte/blog/ciao.lock.json']))

    // Again, from another directory with a relative --root, without the cache: no byte changes.
    const elsewhere = tmpdir()
    const rootArgument = relative(elsewhere, first)
    expect((await ponte(['extract', '--no-cache', '--root', rootArgument], {cwd: elsewhere})).code).toBe(0)
    expect((await ponte(['build', '--no-cache', '--root', rootArgument], {cwd: elsewhere})).code).toBe(0)
    expect(await outputs(first)).toEqual(once)

    // The same project run through the library from this process's directory: the same bytes.
    await extract({root: second})
    for (const ns of namespaces) await translate(second, ns)
    await extract({root: second})
    await build({root: second})
    expect(await outputs(second)).toEqual(once)
  })
})
