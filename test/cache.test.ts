import {utimesSync} from 'node:fs'
import {cp, mkdtemp, readFile, rm, stat, utimes, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, relative, sep} from 'node:path'
import fc from 'fast-check'
import {describe, expect, test} from 'vitest'
import {build} from '../src/commands/build.js'
import {check} from '../src/commands/check.js'
import {extract} from '../src/commands/extract.js'
import {status} from '../src/commands/status.js'
import {slots, stampAll, stampEach, stampingThread, type StampingThread} from '../src/cache/stamps.js'
import {readOutcomes, writeOutcomes} from '../src/cache/state-cache.js'
import {buildCommand} from '../src/commands/build.js'
import {checkCommand} from '../src/commands/check.js'
import {statusCommand} from '../src/commands/status.js'
import {entryForm} from '../src/run/entry-record.js'
import type {Entry} from '../src/run/replay.js'
import {runCommand} from '../src/run/run-command.js'
import type {Stage} from '../src/run/stage.js'
import {buildStage, type BuildFacts} from '../src/stages/build-stage.js'
import {extractStage} from '../src/stages/extract-stage.js'
import {cold} from './support/cold.js'
import {makeProject, snapshot} from './support/project.js'

const post = (n: number, extra = ''): string =>
  `---\ntitle: Post numero ${n}\n---\n\n# Titolo ${n}\n\nUn paragrafo *con enfasi* e [un link](/x/${n}).${extra}\n\n- voce uno\n- voce due ${n}\n`

async function project(count: number): Promise<string> {
  const files: Record<string, string> = {}
  for (let n = 0; n < count; n++) files[`content/it/sezione-${n % 3}/post-${String(n).padStart(3, '0')}.md`] = post(n)
  return makeProject(files)
}

describe('incremental cache', () => {
  test('stamps taken in bulk (shared with a second thread past 10,000 files) are the stamps of each file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ponte-stamps-'))
    const old = join(dir, 'old.md')
    const fresh = join(dir, 'fresh.md')
    await writeFile(old, 'vecchio')
    await utimes(old, new Date('2020-01-01'), new Date('2020-01-01'))
    await writeFile(fresh, 'appena scritto')
    // Real files of different sizes spread among absent ones, so a stamp given to the wrong
    // path shows.
    const real = await Promise.all(
      Array.from({length: 40}, async (_, n) => {
        const path = join(dir, `real-${n}.md`)
        await writeFile(path, 'x'.repeat(n + 1))
        await utimes(path, new Date('2021-01-01'), new Date('2021-01-01'))
        return path
      })
    )
    // Relative to the folder, as a run names a project's files.
    const base = dir + sep
    const list = (count: number, skip = -1): string[] =>
      Array.from({length: count}, (_, index) => relative(dir, index === 1 ? old : index === count - 1 ? fresh : index % 300 === 7 ? (real[index % 40] as string) : join(dir, `absent-${index === skip ? 'x' : index}.md`)))
    // The second thread: none; one started here; one started earlier that does all the work
    // while this thread waits in `meanwhile`; one that stopped before it was given any; one
    // that guessed this very list; one that guessed a list with paths this one does not have,
    // without some it has, and everything shifted; one that guessed this list from another
    // folder.
    const stoppedThread = stampingThread()
    await stoppedThread.worker.terminate()
    const ways: Array<{count: number; thread?: () => StampingThread; waitMs?: number; guessed?: boolean}> = [
      {count: 3},
      {count: 12_000},
      {count: 12_000, thread: () => stampingThread(), waitMs: 300},
      {count: 12_000, thread: () => stoppedThread},
      {count: 12_000, thread: () => stampingThread({list: list(12_000).join('\0'), base}), waitMs: 100, guessed: true},
      {count: 12_000, thread: () => stampingThread({list: ['gone.md', ...list(11_900, 500).slice(0, 6000), ...real.map((path) => relative(dir, path))].join('\0'), base}), waitMs: 100},
      {count: 12_000, thread: () => stampingThread({list: list(12_000).join('\0'), base: tmpdir() + sep}), waitMs: 100},
      // The usual change: a head and a tail in common, a path gone and one new in between.
      {count: 12_000, thread: () => stampingThread({list: [...list(12_000).slice(0, 5000), 'gone.md', ...list(12_000).slice(5000, 8000), ...list(12_000).slice(8001)].join('\0'), base}), waitMs: 100}
    ]
    // Old enough to be trusted (a stamp's time is the change time, which no one can set back).
    await new Promise((resolve) => setTimeout(resolve, 150))
    for (const {count, thread, waitMs = 0, guessed = false} of ways) {
      // Changed just before the stamps are taken: too recent to trust, whoever stamps it.
      utimesSync(fresh, new Date(), new Date())
      // Mostly absent files (cheap to stamp), with a real old one, one too recent to trust, and
      // others of each size.
      const paths = list(count)
      let waited = false
      const meanwhile = async (): Promise<void> => {
        await new Promise((resolve) => setTimeout(resolve, waitMs))
        waited = true
      }
      const taken = await stampAll(paths, base, meanwhile, thread?.())
      const {stamps} = taken
      const stampAt = (index: number): number[] => [...stamps.subarray(index * slots, (index + 1) * slots)]
      expect(waited).toBe(true)
      expect(taken.guessed).toBe(guessed)
      expect(taken.list).toBe(paths.join('\0'))
      expect(stamps).toHaveLength(count * slots)
      const info = await stat(old)
      // Inode, size, change time in whole milliseconds (not the modification time set back), not racy.
      expect(stampAt(1)).toEqual([info.ino, 7, Math.round(info.ctimeMs), 0])
      expect(stampAt(1)[2]).not.toBe(Date.parse('2020-01-01'))
      // Absent.
      expect(stampAt(0)).toEqual([-1, 0, 0, 0])
      // Stamped as it is (whether it was still too recent to trust depends on the machine's speed; see below).
      expect(stampAt(count - 1).slice(0, 3)).toEqual([...stampEach([fresh]).subarray(0, 3)])
      // Every entry is the stamp of its own path, by whichever thread.
      // (Stamped again later, the fresh file is no longer racy: that one flag is the earlier one.)
      const each = stampEach(paths.map((path) => join(dir, path)))
      each[(count - 1) * slots + 3] = stampAt(count - 1)[3] as number
      expect([...stamps]).toEqual([...each])
    }
    // A change less than 100 ms before the stamps is never trusted; an older one is.
    const changed = (await stat(fresh)).ctimeMs
    expect(stampEach([fresh], changed + 50)[3]).toBe(1)
    expect(stampEach([fresh], changed + 150)[3]).toBe(0)
    await rm(dir, {recursive: true, force: true})
  })

  test('a run that guesses which files to stamp (the last run\'s list) is right when posts were added, removed and edited', async () => {
    // Ten files make "many", so these few posts take the path of 10,000.
    process.env['PONTE_STAMP_THREAD_FROM'] = '10'
    try {
      const root = await project(8)
      const cacheDir = join(root, 'node_modules/.cache/ponte')
      const listOf = async (kind: string): Promise<string[]> => (await readFile(join(cacheDir, `stamped-${kind}.list`), 'utf8')).split('\0')
      await extract({root})
      await build({root})
      // The first run to stamp keeps its list; the next ones guess it.
      await build({root})
      expect(await listOf('build')).toHaveLength(8 * 5)
      // The project's own relative paths, whatever folder the run starts from.
      expect(await listOf('build')).toContain('content/en/sezione-1/post-001.md')
      const settled = await build({root})
      expect(settled.written).toEqual([])
      expect((await check({root})).ok).toBe(true)
      expect(await listOf('extract+build')).toHaveLength(8 * 6)

      // A post added, one removed, one edited: the guess is wrong in places.
      await writeFile(join(root, 'content/it/sezione-0/post-000a.md'), post(100))
      await rm(join(root, 'content/it/sezione-2/post-005.md'))
      await writeFile(join(root, 'content/it/sezione-1/post-004.md'), post(4, ' Una frase aggiunta.'))
      await extract({root})
      const rebuilt = await build({root})
      expect(rebuilt.written.sort()).toEqual(['content/en/sezione-0/post-000a.md', 'content/en/sezione-1/post-004.md'])
      // (The removed post's edition is left, and reported, as a cold run leaves it.)
      expect(await snapshot(root)).toEqual(await cold(root))
      expect(await listOf('build')).toHaveLength(8 * 5)
      expect(await listOf('build')).toContain('content/it/sezione-0/post-000a.md')
      // The catalog of a post just edited is seen through a guessed stamp too.
      const catalog = join(root, 'locales/en/sezione-0/post-003.json')
      await new Promise((resolve) => setTimeout(resolve, 150))
      const entries = JSON.parse(await readFile(catalog, 'utf8')) as Record<string, string>
      entries['fm-title'] = 'Post number 3'
      await writeFile(catalog, JSON.stringify(entries, null, 2) + '\n')
      expect((await build({root})).written).toEqual(['content/en/sezione-0/post-003.md'])
      expect(await readFile(join(root, 'content/en/sezione-0/post-003.md'), 'utf8')).toContain('title: Post number 3')
    } finally {
      delete process.env['PONTE_STAMP_THREAD_FROM']
    }
  })

  test('never makes output differ from a cold run, through edits of every kind', async () => {
    const root = await project(6)
    const steps: Array<() => Promise<void>> = [
      async () => undefined,
      // An editor changes a post.
      async () => writeFile(join(root, 'content/it/sezione-1/post-001.md'), post(1, ' Una frase aggiunta.')),
      // A translator translates a segment.
      async () => {
        const path = join(root, 'locales/en/sezione-2/post-002.json')
        const catalog = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
        catalog['fm-title'] = 'Post number 2'
        await writeFile(path, JSON.stringify(catalog, null, 2) + '\n')
      },
      // Someone edits an edition by hand: build must restore it.
      async () => writeFile(join(root, 'content/en/sezione-0/post-000.md'), 'edited by hand\n'),
      // A catalog is deleted.
      async () => rm(join(root, 'locales/it/sezione-0/post-003.json')),
      // The configuration changes.
      async () => writeFile(join(root, 'ponte.config.json'), JSON.stringify({frontMatterFields: ['title', 'subtitle']})),
      // A post is removed.
      async () => rm(join(root, 'content/it/sezione-2/post-005.md'))
    ]
    for (const step of steps) {
      await step()
      const reference = await cold(root)
      await extract({root})
      await build({root})
      expect(await snapshot(root)).toEqual(reference)
      // And a second, fully cached run changes nothing.
      await extract({root})
      await build({root})
      expect(await snapshot(root)).toEqual(reference)
    }
  })

  test('check answers as a run without the cache does, whichever of extract and build ran last, through edits of every kind', async () => {
    const root = await project(6)
    // Every segment translated (upper case, tags kept), but the catalogs not extracted since.
    const translateAll = async (suffix: string): Promise<void> => {
      for (const n of [0, 1, 2, 3, 4, 5]) {
        const ns = `sezione-${n % 3}/post-${String(n).padStart(3, '0')}`
        const italian = JSON.parse(await readFile(join(root, 'locales/it', `${ns}.json`), 'utf8')) as Record<string, string>
        const english = Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, value.split(/(<[^>]*>|\{\{[^}]*\}\})/).map((part, index) => (index % 2 ? part : part.toUpperCase())).join('') + suffix]))
        await writeFile(join(root, 'locales/en', `${ns}.json`), JSON.stringify(english, null, 2) + '\n')
      }
    }
    // A post whose own findings (front matter that is not YAML) come from extract's half.
    await writeFile(join(root, 'content/it/sezione-0/rotto.md'), '---\ntitle: [non chiuso\n---\n\n# Titolo\n\nTesto.\n')
    await extract({root})
    const same = async (label: string): Promise<void> => {
      const reference = await check({root, cache: false, strict: true})
      const cached = await check({root, strict: true})
      expect({label, ok: cached.ok, messages: cached.messages}).toEqual({label, ok: reference.ok, messages: reference.messages})
      // And again, with nothing changed; and without --strict (stale and missing are the run's severity, not the record's).
      expect((await check({root, strict: true})).messages).toEqual(reference.messages)
      expect((await check({root})).messages).toEqual((await check({root, cache: false})).messages)
    }
    await translateAll('')
    await same('translated, neither extracted nor built')
    await build({root})
    await same('built, not extracted')
    await extract({root})
    await same('extracted and built')
    await translateAll(' !')
    await build({root})
    await same('translations changed, then built')
    await writeFile(join(root, 'content/it/sezione-1/post-001.md'), post(1, ' Una frase aggiunta.'))
    await same('a post edited after build')
    await build({root})
    await same('a post edited, then built without extract')
    await writeFile(join(root, 'content/en/sezione-0/post-000.md'), 'edited by hand\n')
    await same('an edition edited by hand')
    const path = join(root, 'locales/en/sezione-2/post-002.json')
    const catalog = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
    catalog['fm-title'] = '<script>alert(1)</script>'
    await writeFile(path, JSON.stringify(catalog, null, 2) + '\n')
    await same('a hostile translation')
    await build({root})
    await same('a hostile translation, built')
  })

  test('an edition verified once is not parsed again by any command, and a changed one always is', async () => {
    const root = await project(3)
    await extract({root})
    for (const n of [0, 1, 2]) {
      const ns = `sezione-${n % 3}/post-${String(n).padStart(3, '0')}`
      const italian = JSON.parse(await readFile(join(root, 'locales/it', `${ns}.json`), 'utf8')) as Record<string, string>
      await writeFile(join(root, 'locales/en', `${ns}.json`), JSON.stringify(Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, `EN ${value}`])), null, 2) + '\n')
    }
    const verifiedBy = async (kind: 'build' | 'check'): Promise<number> => (await runCommand(kind === 'build' ? buildCommand : checkCommand, {root})).posts.filter((post) => post.verified > 0).length
    // The first build parses and verifies each edition...
    expect(await verifiedBy('build')).toBe(3)
    await build({root})
    // ...extract rewrites only the locks; build and check after it parse none again.
    await extract({root})
    expect(await verifiedBy('check')).toBe(0)
    expect(await verifiedBy('build')).toBe(0)
    // A translation that changes the edition's bytes is verified again, and a hostile one refused.
    const path = join(root, 'locales/en/sezione-1/post-001.json')
    const catalog = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
    catalog['fm-title'] = 'Another title'
    await writeFile(path, JSON.stringify(catalog, null, 2) + '\n')
    expect(await verifiedBy('build')).toBe(1)
    const italian = JSON.parse(await readFile(join(root, 'locales/it/sezione-1/post-001.json'), 'utf8')) as Record<string, string>
    const key = Object.keys(italian).find((name) => name.startsWith('p-') && !/[<{]/.test(italian[name] ?? '')) as string
    catalog[key] = '# not a heading'
    await writeFile(path, JSON.stringify(catalog, null, 2) + '\n')
    expect(await verifiedBy('build')).toBe(1)
    await build({root})
    expect(await readFile(join(root, 'content/en/sezione-1/post-001.md'), 'utf8')).toContain('\\# not a heading')
  })

  test('replays findings: a cached build still fails on an invalid translation', async () => {
    const root = await project(2)
    await extract({root})
    const path = join(root, 'locales/en/sezione-0/post-000.json')
    const catalog = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
    catalog['fm-title'] = '<script>alert(1)</script>'
    await writeFile(path, JSON.stringify(catalog, null, 2) + '\n')
    const first = await build({root})
    const second = await build({root})
    expect(first.messages.filter((item) => item.severity === 'error')).toHaveLength(1)
    expect(second.messages).toEqual(first.messages)
    expect((await check({root})).ok).toBe(false)
    expect((await status({root})).totals.invalid).toBe(1)
  })

  test('stamps: a settled post is answered without being read, and any change to its files is seen', async () => {
    const root = await project(3)
    const source = join(root, 'content/it/sezione-1/post-001.md')
    // A whole second, so the time set back below is exactly the time the stamp recorded.
    const second = new Date(Math.floor(Date.now() / 1000) * 1000 - 5000)
    await utimes(source, second, second)
    await extract({root})
    await build({root})
    // Let the stamps settle (a file changed within the last 100 ms is never trusted).
    await new Promise((resolve) => setTimeout(resolve, 250))
    await build({root})
    const reference = await snapshot(root)
    const italian = await readFile(source)
    const before = await stat(source)

    // Nothing changed: every post is answered from the record, unread.
    expect((await runCommand(statusCommand, {root})).posts.map((post) => post.replayed.every(Boolean))).toEqual([true, true, true])
    // The post is replaced in place by bytes that are not UTF-8 of the same size, and its
    // modification time put back: its change time (which no one can set back) differs, so
    // build reads it and refuses it, as a run without the cache does.
    await writeFile(source, Buffer.alloc(italian.length, 0xff))
    await utimes(source, before.atime, before.mtime)
    const rewritten = await build({root})
    expect(rewritten.messages.some((item) => item.ruleId === 'source-encoding')).toBe(true)
    expect(rewritten.messages).toEqual((await build({root, cache: false})).messages)
    await writeFile(source, italian)

    // An edit of the same size, with the time it gets, is seen and rebuilt.
    await new Promise((resolve) => setTimeout(resolve, 250))
    await build({root})
    await new Promise((resolve) => setTimeout(resolve, 250))
    const catalog = join(root, 'locales/en/sezione-1/post-001.json')
    const entries = JSON.parse(await readFile(catalog, 'utf8')) as Record<string, string>
    entries['fm-title'] = 'Post NUMERO 1'
    const text = JSON.stringify(entries, null, 2) + '\n'
    await writeFile(catalog, text)
    await build({root})
    expect(await readFile(join(root, 'content/en/sezione-1/post-001.md'), 'utf8')).toContain('title: Post NUMERO 1')
    // Touching a file without changing it rebuilds nothing.
    await utimes(source, new Date(), new Date())
    const touched = await build({root})
    expect(touched.written).toEqual([])
    expect(await snapshot(root)).toEqual({...reference, 'locales/en/sezione-1/post-001.json': text, 'content/en/sezione-1/post-001.md': (await cold(root))['content/en/sezione-1/post-001.md']})
  })

  test('parallel runs give the same output, in the same order, as one thread', async () => {
    const root = await project(40)
    const single = await mkdtemp(join(tmpdir(), 'ponte-single-'))
    await cp(root, single, {recursive: true})
    process.env['PONTE_THREADS'] = '1'
    const one = {extract: await extract({root: single, cache: false}), build: await build({root: single, cache: false})}
    process.env['PONTE_THREADS'] = '2'
    const two = {extract: await extract({root, cache: false}), build: await build({root, cache: false})}
    delete process.env['PONTE_THREADS']
    expect(two.extract.posts.map((item) => item.path)).toEqual(one.extract.posts.map((item) => item.path))
    expect(two.build).toEqual(one.build)
    expect(two.extract.totals).toEqual(one.extract.totals)
    expect(await snapshot(root)).toEqual(await snapshot(single))
  })

  test('the outcome record: a few changes go to a journal, many rewrite it, and a journal for another record is ignored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ponte-record-'))
    const outcome = (n: number, state = `s${n}`): [string, {state: string; n: number}] => [`post-${n}.md`, {state, n}]
    const record = join(dir, 'build-outcomes.json')
    const journal = join(dir, 'build-outcomes.journal.json')
    const all = Array.from({length: 200}, (_, n) => outcome(n))
    await writeOutcomes(dir, 'build', all)
    const base = await readFile(record, 'utf8')
    const expected = new Map(all)
    expect(await readOutcomes(dir, 'build')).toEqual(expected)

    // One post edited, one removed, one added: the record stays byte for byte, the journal has three entries.
    const previous = await readOutcomes<{state: string; n: number}>(dir, 'build')
    const next = [...all.filter(([post]) => post !== 'post-7.md').map(([post, item]) => (post === 'post-3.md' ? outcome(3, 'edited') : ([post, item] as const))), outcome(200)]
    const same = (post: string, item: {state: string}): boolean => previous.get(post)?.state === item.state
    await writeOutcomes(dir, 'build', next, {outcomes: previous, same})
    expect(await readFile(record, 'utf8')).toBe(base)
    expect(JSON.parse(await readFile(journal, 'utf8'))).toMatchObject({set: {'post-3.md': {state: 'edited'}, 'post-200.md': {state: 's200'}}, remove: ['post-7.md']})
    const read = await readOutcomes<{state: string; n: number}>(dir, 'build')
    expect(read).toEqual(new Map(next))

    // Many changes: the record is rewritten whole and the journal removed.
    const many = next.map(([post, item]) => [post, {...item, state: `${item.state}!`}] as const)
    await writeOutcomes(dir, 'build', many, {outcomes: read, same: (post, item) => read.get(post)?.state === item.state})
    expect(await readFile(journal, 'utf8').catch(() => 'absent')).toBe('absent')
    expect(await readOutcomes(dir, 'build')).toEqual(new Map(many))

    // A journal left beside a record it was not written for changes nothing.
    await writeFile(journal, JSON.stringify({base: '1:2:3', set: {'post-1.md': {state: 'forged'}}, remove: ['post-2.md']}))
    expect(await readOutcomes(dir, 'build')).toEqual(new Map(many))
    // A damaged journal for this very record is ignored, and the next write replaces it.
    const current = await stat(record)
    await writeFile(journal, JSON.stringify({base: `${current.ino}:${current.size}:${current.mtimeMs}`, set: 'damaged', remove: 7}))
    expect(await readOutcomes(dir, 'build')).toEqual(new Map(many))
    await writeOutcomes(dir, 'build', [...many, outcome(201)], {outcomes: new Map(many), same: () => true})
    expect(await readOutcomes(dir, 'build')).toEqual(new Map([...many, outcome(201)]))
    await rm(dir, {recursive: true, force: true})
  })
})

describe('the recorded form of stage entries', () => {
  const text = fc.string({maxLength: 12})
  const message = fc.record({file: text, line: fc.nat(), column: fc.nat(), severity: fc.constantFrom('error' as const, 'warning' as const), ruleId: text, reason: text, fix: text})
  const counts = fc.record({segments: fc.nat(), translated: fc.nat(), stale: fc.nat(), suggested: fc.nat(), missing: fc.nat(), invalid: fc.nat()})
  const buildFacts: fc.Arbitrary<BuildFacts> = fc.record({
    counts,
    hasEdition: fc.boolean(),
    stale: fc.array(fc.record({key: text, was: text, suggested: fc.boolean()}, {requiredKeys: ['key']}), {maxLength: 3}),
    missing: fc.array(text, {maxLength: 1}),
    places: fc.dictionary(text, fc.record({line: fc.nat(), column: fc.nat()}), {maxKeys: 2})
  })
  const keyCounts = fc.record({segments: fc.nat(), same: fc.nat(), edited: fc.nat(), restored: fc.nat(), added: fc.nat(), archived: fc.nat()})
  const entryOf = <Facts>(facts: fc.Arbitrary<Facts>): fc.Arbitrary<Entry<Facts>> =>
    fc.record(
      {
        state: fc.string({unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32}),
        signature: fc.record({of: text, stamps: fc.array(fc.oneof(fc.nat(), fc.constant(-1), fc.double({noNaN: true, noDefaultInfinity: true})), {maxLength: 18})}),
        analysis: fc.record({key: text, pack: text, offset: fc.nat(), length: fc.nat()}),
        result: fc.record({messages: fc.array(message, {maxLength: 3}), pending: fc.array(fc.record({path: text, absent: fc.boolean()}), {maxLength: 2}), refused: fc.boolean(), facts})
      },
      {requiredKeys: ['state', 'result']}
    )
  /** What a record keeps of an entry: negative zero is written as 0 by JSON (the same stamp). */
  const kept = <Facts>(item: Entry<Facts>): Entry<Facts> => (item.signature ? {...item, signature: {...item.signature, stamps: item.signature.stamps.map((value) => value + 0)}} : item)
  const stages = [
    {stage: buildStage as Stage, entry: entryOf(buildFacts) as fc.Arbitrary<Entry>},
    {stage: extractStage as Stage, entry: entryOf(keyCounts) as fc.Arbitrary<Entry>}
  ]

  test.each(stages.map((item) => [item.stage.name, item] as const))('an entry of %s read back is the entry recorded (property)', (_name, {stage, entry}) => {
    const form = entryForm(stage)
    fc.assert(
      fc.property(entry, (item) => {
        const read = form.decode('blog/post.md', JSON.parse(JSON.stringify(form.encode(item))))
        expect(read).toEqual(kept(item))
      }),
      {numRuns: 300}
    )
  })

  test.each(stages.map((item) => [item.stage.name, item] as const))('a damaged entry of %s is a miss, never an error or a wrong entry', (_name, {stage, entry}) => {
    const form = entryForm(stage)
    fc.assert(
      fc.property(entry, fc.nat(7), fc.jsonValue(), (item, at, junk) => {
        const recorded = form.encode(item) as unknown[]
        const damaged = [...recorded]
        damaged[at] = junk
        const stored = JSON.parse(JSON.stringify(damaged)) as unknown[]
        const read = form.decode('blog/post.md', stored)
        // A miss, unless the junk is itself a faithful entry (of the right kind in that
        // place): then the entry read is exactly the one those bytes record, nothing
        // dropped or made up (a replayed check never reports less than its run did).
        if (read !== undefined) expect(JSON.parse(JSON.stringify(form.encode(read)))).toEqual(stored)
        // Junk of the wrong kind in a place that is never a string is always a miss.
        if (at >= 2 && typeof junk === 'string') expect(read).toBeUndefined()
      }),
      {numRuns: 300}
    )
    for (const junk of [null, 7, 'x', {}, [], ['s', 0, 0, 0, 0, 0, 0], ['s', 'of', 0, 0, 0, 0, 0, 0], ['s', 0, 0, ['k', 'p', 0], 0, 0, 0, 0], ['s', 0, 0, 0, [{}], 0, 0, 0], ['s', 0, 0, 0, 0, ['p'], 0, 0], ['s', 0, 0, 0, 0, 0, 2, 0], ['s', 0, 0, 0, 0, 0, 0, {messages: 'x'}], ['', 0, 0, 0, 0, 0, 0, 0]]) {
      expect(form.decode('p.md', junk)).toBeUndefined()
    }
  })

  test('a record of another form (an older Ponte\'s) is no record: every post is worked out again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ponte-record-'))
    const form = entryForm(buildStage)
    await writeFile(join(dir, 'build-outcomes.json'), JSON.stringify({'blog/post.md': {path: 'blog/post.md', messages: [], written: [], state: 'x'}}))
    expect(readOutcomes(dir, 'build', form)).toEqual(new Map())
    // Ponte 0.2's flat form of a build outcome, seven places.
    await writeFile(join(dir, 'build-outcomes.json'), JSON.stringify({posts: ['blog/post.md'], outcomes: [['x', 0, 0, 1, [1, 1, 0, 0, 0, 0], 0, 0]]}))
    expect(readOutcomes(dir, 'build', form)).toEqual(new Map())
    const entry: Entry<BuildFacts> = {state: 'x', result: {messages: [], pending: [], refused: false, facts: {counts: {segments: 1, translated: 1, stale: 0, suggested: 0, missing: 0, invalid: 0}, hasEdition: true, stale: [], missing: [], places: {}}}}
    await writeOutcomes(dir, 'build', [['blog/post.md', entry]], undefined, form)
    expect(readOutcomes(dir, 'build', form)).toEqual(new Map([['blog/post.md', entry]]))
    await rm(dir, {recursive: true, force: true})
  })
})
