import {spawn, spawnSync} from 'node:child_process'
import {mkdir, readdir, readFile, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {build} from '../src/commands/build.js'
import {check} from '../src/commands/check.js'
import {extract} from '../src/commands/extract.js'
import {status} from '../src/commands/status.js'
import type {Message} from '../src/report/message.js'
import {exists, outputs, ponte, projectPool, readJson, snapshot, stackTrace} from './support/project.js'
import {structureDifference} from './support/pipeline.js'

// Hostile and careless input: untrusted translations, broken catalogs, strange posts,
// links out of the project, killed and concurrent runs.

const bin = join(import.meta.dirname, '..', 'bin', 'ponte.js')
const pool = projectPool()
afterAll(pool.removeAll)
const project = pool.project

/** Every file under a folder (recursively), as relative paths; absent folder: none. */
async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, {recursive: true, withFileTypes: true}).catch(() => [])
  return entries.filter((entry) => entry.isFile() || entry.isSymbolicLink()).map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
}
/** Places `file:line:column` of a command's text report for one file, at a severity. */
function places(stderr: string, file: string, severity = 'error'): Array<{line: number; column: number}> {
  const found: Array<{line: number; column: number}> = []
  for (const line of stderr.split('\n')) {
    if (!line.startsWith(`${file}:`)) continue
    const match = /^:(\d+):(\d+) {2}(\w+) /.exec(line.slice(file.length))
    if (match && match[3] === severity) found.push({line: Number(match[1]), column: Number(match[2])})
  }
  return found
}
const errorsOf = (messages: readonly Message[], file: string): Message[] => messages.filter((item) => item.file === file && item.severity === 'error')
/** English catalog written the way Ponte writes catalogs. */
const catalogText = (entries: Record<string, unknown>): string => JSON.stringify(entries, null, 2) + '\n'

describe('untrusted translations', () => {
  const paragraphs: Array<[string, string]> = [
    ['Abbiamo incontrato *Giulia* nel suo laboratorio di Bologna.', 'We met *Giulia* in her workshop in Bologna.'],
    ['Da dieci anni costruisce biciclette su misura, una per settimana.', 'For ten years she has built custom bicycles, one a week.'],
    ['«Ho iniziato per caso», racconta, «riparando quella di mio padre».', '“I started by chance”, she says, “fixing my father’s.”'],
    ['Il telaio è in acciaio, saldato a mano: lo trovate sul [suo sito](https://esempio.it/giulia).', 'The frame is steel, welded by hand: you can find it on [her site](https://esempio.it/giulia).'],
    ['Ogni cliente passa almeno due ore in bottega per le misure.', 'Every customer spends at least two hours in the shop for the measurements.'],
    ['I tempi di attesa superano ormai i sei mesi.', 'Waiting times now exceed six months.'],
    ['Il **prezzo** parte da duemila euro, accessori esclusi.', 'The **price** starts at two thousand euros, accessories excluded.'],
    ['Molti ordini arrivano dall’estero, soprattutto dalla Germania.', 'Many orders come from abroad, especially from Germany.'],
    ['Il prossimo anno aprirà una scuola per giovani telaisti.', 'Next year she will open a school for young frame builders.'],
    ['Le chiediamo un consiglio: «Pedalate, e ascoltate la bici».', 'We ask her for advice: “Ride, and listen to the bike.”']
  ]
  const post = `---\ntitle: Biciclette su misura\ndescription: Intervista a una telaista\n---\n\n# La bottega di Giulia\n\n${paragraphs.map(([italian]) => italian).join('\n\n')}\n`
  const attacks = [
    '<script>alert(1)</script> <img src=x onerror=alert(1)> <a1 href="javascript:alert(1)">clic</a1> [clic](javascript:alert(1))',
    '<img src=x onerror=alert(1)> [clic](javascript:alert(1)) <script>alert(1)</script>',
    '<a1 href="javascript:alert(1)">clic</a1> <script>alert(1)</script> <img src=x onerror=alert(1)>'
  ]

  test('hostile values are refused at file:line:column, the Italian is used, and every other post is built', async () => {
    const root = await project({
      'content/it/blog/intervista.md': post,
      'content/it/blog/altro.md': '# Un altro post\n\nCon un paragrafo.\n',
      'content/it/note/terzo.md': '---\ntitle: Terzo\n---\n\nTesto del terzo post.\n'
    })
    await extract({root})
    const italian = await readJson(root, 'locales/it/blog/intervista.json')
    const keys = Object.keys(italian)
    expect(keys).toHaveLength(13)
    const english = new Map<string, string>([
      ['Biciclette su misura', 'Custom bicycles'],
      ['Intervista a una telaista', 'Interview with a frame builder'],
      ['La bottega di Giulia', 'Giulia’s workshop']
    ])
    for (const [it, en] of paragraphs) {
      const value = (text: string): string => text.replace(/\*\*(.+?)\*\*/, '<strong1>$1</strong1>').replace(/\*(.+?)\*/, '<em1>$1</em1>').replace(/\[(.+?)\]\(.+?\)/, '<a1>$1</a1>')
      english.set(value(it), value(en))
    }
    const hostile = new Set<string>()
    const translated: Record<string, string> = {}
    keys.forEach((key, index) => {
      const good = english.get(italian[key] ?? '')
      expect(good, italian[key]).toBeDefined()
      if (index % 5 === 0) {
        hostile.add(key)
        translated[key] = `${good} ${attacks[(index / 5) % attacks.length]}`
      } else translated[key] = good ?? ''
    })
    await writeFile(join(root, 'locales/en/blog/intervista.json'), catalogText(translated))
    for (const ns of ['blog/altro', 'note/terzo']) {
      const other = await readJson(root, `locales/it/${ns}.json`)
      await writeFile(join(root, `locales/en/${ns}.json`), catalogText(Object.fromEntries(Object.entries(other).map(([key, value]) => [key, `EN ${value}`]))))
    }

    const result = await ponte(['build', '--root', root])
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(stackTrace)
    const file = 'locales/en/blog/intervista.json'
    const found = places(result.stderr, file)
    const catalogLines = (await readFile(join(root, file), 'utf8')).split('\n')
    // One error per hostile value, on the value's line, pointing at markup of the attack.
    expect(found.map((place) => place.line)).toEqual([...hostile].map((key) => keys.indexOf(key) + 2))
    for (const place of found) expect(catalogLines[place.line - 1]?.slice(place.column - 1)).toMatch(/^</)

    const edition = await readFile(join(root, 'content/en/blog/intervista.md'), 'utf8')
    expect(edition).not.toMatch(/<script|onerror|javascript:/i)
    expect(structureDifference(post, edition)).toBeUndefined()
    expect(edition).toContain('title: Biciclette su misura\n') // index 0: refused, Italian
    expect(edition).toContain('description: Interview with a frame builder\n')
    expect(edition).toContain('# Giulia’s workshop\n')
    paragraphs.forEach(([it, en], index) => {
      const key = keys[index + 3] ?? ''
      expect(edition).toContain(hostile.has(key) ? it : en)
    })
    expect(await readFile(join(root, 'content/en/blog/altro.md'), 'utf8')).toBe('# EN Un altro post\n\nEN Con un paragrafo.\n')
    expect(await readFile(join(root, 'content/en/note/terzo.md'), 'utf8')).toBe('---\ntitle: EN Terzo\n---\n\nEN Testo del terzo post.\n')
  })
})

describe('bad catalogs', () => {
  const post = (name: string): string => `---\ntitle: Titolo ${name}\n---\n\n# Intestazione ${name}\n\nUn paragrafo ${name} con *enfasi*.\n`
  const good = (value: string): string => value.replace('Titolo', 'Title').replace('Intestazione', 'Heading').replace('Un paragrafo', 'A paragraph').replace(' con ', ' with ').replace('enfasi', 'emphasis')
  /** A project with the post `name` extracted, its English catalog fully translated, and a good post. */
  async function extracted(name: string): Promise<{root: string; keys: string[]; translated: Record<string, string>}> {
    const root = await project({[`content/it/${name}.md`]: post(name), 'content/it/good.md': post('good')})
    await extract({root})
    const italian = await readJson(root, `locales/it/${name}.json`)
    const translated = Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, good(value)]))
    const other = await readJson(root, 'locales/it/good.json')
    await writeFile(join(root, 'locales/en/good.json'), catalogText(Object.fromEntries(Object.entries(other).map(([key, value]) => [key, good(value)]))))
    return {root, keys: Object.keys(italian), translated}
  }
  // name → how to break the English catalog, the text on the reported line, and the exit code of extract.
  const cases: Array<{name: string; text: (entries: Record<string, string>, keys: string[]) => string; marker: (keys: string[]) => string; extractCode: number}> = [
    {name: 'syntax', text: (entries) => catalogText(entries).replace('",\n', '"\n'), marker: (keys) => `"${keys[1]}"`, extractCode: 1},
    {name: 'duplicate', text: (entries, keys) => catalogText(entries).replace('\n}', `,\n  "${keys[1]}": "A second heading"\n}`), marker: () => 'A second heading', extractCode: 1},
    {name: 'proto', text: (entries) => catalogText(entries).replace('\n}', ',\n  "__proto__": {"polluted": "yes"}\n}'), marker: () => '"__proto__"', extractCode: 1},
    {name: 'constructor', text: (entries) => catalogText(entries).replace('\n}', ',\n  "constructor": {"prototype": {"polluted": "yes"}}\n}'), marker: () => '"constructor"', extractCode: 1},
    {name: 'number', text: (entries, keys) => catalogText({...entries, [keys[1] ?? '']: 42}), marker: (keys) => `"${keys[1]}": 42`, extractCode: 1},
    {name: 'array', text: (entries, keys) => catalogText({...entries, [keys[1] ?? '']: ['Heading']}), marker: (keys) => `"${keys[1]}": [`, extractCode: 1},
    {name: 'object', text: (entries, keys) => catalogText({...entries, [keys[1] ?? '']: {en: 'Heading'}}), marker: (keys) => `"${keys[1]}": {`, extractCode: 1},
    // A 5 MB value that ends in markup the Italian does not have: a valid catalog, an invalid translation.
    {name: 'huge', text: (entries, keys) => catalogText({...entries, [keys[2] ?? '']: `A paragraph ${'x'.repeat(5 * 1024 * 1024)} with <em1>emphasis</em1><script>`}), marker: () => '<script>', extractCode: 0}
  ]

  test.concurrent.for(cases)('$name: a clear message at file:line:column, exit 1, no stack trace, nothing lost', async ({name, text, marker, extractCode}, {expect}) => {
    const {root, keys, translated} = await extracted(name)
    const file = `locales/en/${name}.json`
    const broken = text(translated, keys)
    await writeFile(join(root, file), broken)
    const reportedLine = broken.split('\n').findIndex((line) => line.includes(marker(keys))) + 1
    expect(reportedLine).toBeGreaterThan(0)

    const extracting = await ponte(['extract', '--root', root])
    expect(extracting.code).toBe(extractCode)
    expect(extracting.stderr).not.toMatch(stackTrace)
    if (extractCode === 1) expect(places(extracting.stderr, file).map((place) => place.line)).toContain(reportedLine)
    expect(await readFile(join(root, file), 'utf8')).toBe(broken)

    const building = await ponte(['build', '--root', root])
    expect(building.code).toBe(1)
    expect(building.stderr).not.toMatch(stackTrace)
    expect(places(building.stderr, file).map((place) => place.line)).toContain(reportedLine)
    expect(await readFile(join(root, file), 'utf8')).toBe(broken)
    // The post is still built (with the Italian where needed), and so is every other post.
    expect(await readFile(join(root, `content/en/${name}.md`), 'utf8')).toMatch(new RegExp(`# (Intestazione|Heading) ${name}`))
    expect(await readFile(join(root, 'content/en/good.md'), 'utf8')).toBe(good(post('good')).replace('Titolo good', 'Title good'))
  })

  test('an overlong value is refused at its line, the Italian is used, and the catalog is left as it was', async () => {
    const {root, keys, translated} = await extracted('long')
    const key = keys[2] ?? ''
    // Ten times the Italian and more than 100,000 characters: what no translation needs.
    const text = catalogText({...translated, [key]: `A paragraph ${'long '.repeat(30_000)}with *emphasis*.`})
    await writeFile(join(root, 'locales/en/long.json'), text)
    const built = await build({root})
    const refused = built.messages.filter((item) => item.ruleId === 'value-too-long')
    expect(refused.map((item) => [item.file, item.line, item.severity])).toEqual([['locales/en/long.json', text.split('\n').findIndex((line) => line.startsWith(`  "${key}":`)) + 1, 'error']])
    expect(refused[0]?.reason).toMatch(/150,\d{3} characters long, more than the 100,000 allowed/)
    expect(built.totals.invalid).toBe(1)
    const edition = await readFile(join(root, 'content/en/long.md'), 'utf8')
    expect(edition).toContain('Un paragrafo long con *enfasi*.')
    expect(edition).toContain('# Heading long')
    expect(edition).not.toContain('long long')
    expect(await readFile(join(root, 'locales/en/long.json'), 'utf8')).toBe(text)
  })

  test('an unreadable catalog is reported once, not as every segment missing', async () => {
    const {root, translated} = await extracted('broken')
    await writeFile(join(root, 'locales/en/broken.json'), catalogText(translated).replace('",\n', '"\n'))
    for (const run of [build, status]) {
      const result = await run({root})
      const about = result.messages.filter((item) => item.file === 'locales/en/broken.json')
      expect(about.map((item) => item.ruleId)).toEqual(['catalog-syntax'])
    }
    const checked = await check({root})
    expect(checked.messages.filter((item) => item.file === 'locales/en/broken.json').map((item) => item.ruleId)).toEqual(['catalog-syntax'])
  })

  test('__proto__ and constructor keys pollute nothing in this process (library functions)', async () => {
    const {root, translated} = await extracted('proto')
    const hostile = '{\n  "__proto__": {"polluted": "yes"},\n  "constructor": {"prototype": {"polluted": "yes"}},\n' + catalogText(translated).slice(2)
    await writeFile(join(root, 'locales/en/proto.json'), hostile)
    await writeFile(join(root, 'locales/en/proto_old.json'), '{"__proto__": {"polluted": "yes"}, "prototype": "yes"}\n')
    const lock = JSON.parse(await readFile(join(root, 'locales/.ponte/proto.lock.json'), 'utf8')) as Record<string, Record<string, unknown>>
    await writeFile(join(root, 'locales/.ponte/proto.lock.json'), JSON.stringify(lock, null, 2).replace('"segments": {', '"segments": {"__proto__": {"source": "x", "polluted": "yes"},').replace('"archived": {', '"archived": {"__proto__": "yes",'))
    const extracted_ = await extract({root})
    const built = await build({root})
    const reported = await status({root})
    const checked = await check({root})
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false)
    expect(errorsOf(extracted_.messages, 'locales/en/proto.json').length).toBeGreaterThan(0)
    expect(errorsOf(built.messages, 'locales/en/proto.json').length).toBeGreaterThan(0)
    expect(checked.ok).toBe(false)
    expect(reported.posts.map((item) => item.path)).toEqual(['good.md', 'proto.md'])
    expect(await readFile(join(root, 'locales/en/proto.json'), 'utf8')).toBe(hostile)
    expect(await readFile(join(root, 'content/en/proto.md'), 'utf8')).toContain('# Heading proto')
  })

  test('keys the Italian catalog does not have are reported and moved to _old.json, never lost', async () => {
    const {root, translated} = await extracted('unknown')
    const text = catalogText({...translated, 'p-deadbeef': 'A translation typed by hand', 'mia-chiave': 'Another one'})
    await writeFile(join(root, 'locales/en/unknown.json'), text)
    const lineOf = (key: string): number => text.split('\n').findIndex((line) => line.startsWith(`  "${key}":`)) + 1
    // build names each invented key where it stands (a warning: it changes no edition).
    const built = await build({root})
    const unknown = built.messages.filter((item) => item.ruleId === 'catalog-key-unknown')
    expect(unknown.map((item) => [item.file, item.line, item.column, item.severity])).toEqual([
      ['locales/en/unknown.json', lineOf('p-deadbeef'), 3, 'warning'],
      ['locales/en/unknown.json', lineOf('mia-chiave'), 3, 'warning']
    ])
    expect(unknown[0]?.reason).toContain('"p-deadbeef" is not a segment of content/it/unknown.md')
    // Before extract, CI sees a catalog out of date.
    const checked = await check({root})
    expect(checked.ok).toBe(false)
    const result = await extract({root})
    const named = result.messages.filter((item) => item.file === 'locales/en/unknown.json').map((item) => item.reason)
    expect(named.join('\n')).toContain('p-deadbeef')
    expect(named.join('\n')).toContain('mia-chiave')
    expect(named.join('\n')).toContain('locales/en/unknown_old.json')
    const extractPlaces = result.messages.filter((item) => item.ruleId === 'catalog-key-unknown').map((item) => item.line)
    expect(extractPlaces.sort()).toEqual([lineOf('p-deadbeef'), lineOf('mia-chiave')].sort())
    expect(await readJson(root, 'locales/en/unknown_old.json')).toEqual({'mia-chiave': 'Another one', 'p-deadbeef': 'A translation typed by hand'})
    expect(await readJson(root, 'locales/en/unknown.json')).toEqual(translated)
  })
})

describe('bad posts', () => {
  const body = '---\ntitle: Un titolo\ntags: [a, b]\n---\n\n# Intestazione\n\nUna riga\nspezzata a mano.  \ncon un a capo forzato.\n\n- uno\n- due\n\n> citazione\n\n| a | b |\n|---|:-:|\n| c | d |\n'
  // CRLF, LF and a lone CR, in turn.
  const mixed = body
    .slice(0, -1)
    .split('\n')
    .map((line, index) => line + ['\r\n', '\n', '\r'][index % 3])
    .join('')
  const lol = (name: string, ref: string): string => `${name}: &${name} [${Array(9).fill(ref).join(', ')}]`
  const bomb = ['---', 'title: La bomba', 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]', lol('b', '*a'), lol('c', '*b'), lol('d', '*c'), lol('e', '*d'), lol('f', '*e'), lol('g', '*f'), lol('h', '*g'), lol('i', '*h'), '---', '', 'Testo dopo la bomba.', ''].join('\n')
  const files: Record<string, string | Buffer> = {
    'content/it/utf8.md': Buffer.concat([Buffer.from('# Titolo\n\nCaff'), Buffer.from([0xe8, 0xff, 0xfe]), Buffer.from(' rotto.\n')]),
    'content/it/bom.md': '\uFEFF' + body,
    'content/it/crlf.md': body.replace(/\n/g, '\r\n'),
    'content/it/mixed.md': mixed,
    'content/it/empty.md': '',
    'content/it/front-matter-only.md': '---\ntitle: Solo front matter\n---\n',
    'content/it/bad-yaml.md': '---\ntitle: "non chiuso\n  - : [\n---\n\nTesto dopo il front matter rotto.\n',
    'content/it/bomb.md': bomb,
    'content/it/nul.md': '# Titolo\n\nTesto\u0000con un NUL.\n',
    'content/it/deep-quote.md': '# Profondo\n\n' + '> '.repeat(20_000) + 'in fondo\n',
    // `- - voce` is a list inside a list item: 20,000 levels on one line.
    'content/it/deep-list.md': '# Profonda\n\n' + '- '.repeat(20_000) + 'voce\n',
    'content/it/long-line.md': '# Una riga lunga\n\n' + 'parola '.repeat(150_000).trimEnd() + '\n',
    'content/it/normale.md': '# Normale\n\nTesto normale.\n'
  }
  const skipped = ['utf8', 'nul', 'deep-quote', 'deep-list']
  const roundTrip = ['bom', 'crlf', 'mixed', 'empty', 'front-matter-only', 'bad-yaml', 'bomb', 'long-line', 'normale']
  let root = ''
  let messages: Message[] = []

  test('extract names every unusable post, skips it, and extracts the others', async () => {
    root = await project(files)
    const result = await extract({root})
    messages = result.messages
    const encoding = errorsOf(messages, 'content/it/utf8.md')
    expect(encoding.map((item) => item.reason).join()).toMatch(/UTF-8.*offset 15/)
    expect(errorsOf(messages, 'content/it/nul.md').map((item) => item.reason).join()).toMatch(/NUL/)
    expect(errorsOf(messages, 'content/it/deep-quote.md').map((item) => item.reason).join()).toMatch(/nested/)
    expect(errorsOf(messages, 'content/it/deep-list.md').map((item) => item.reason).join()).toMatch(/nested/)
    expect(messages.some((item) => item.file === 'content/it/bad-yaml.md' && /YAML/.test(item.reason))).toBe(true)
    for (const name of skipped) expect(await exists(join(root, `locales/it/${name}.json`)), name).toBe(false)
    for (const name of roundTrip) expect(await exists(join(root, `locales/it/${name}.json`)), name).toBe(true)
    expect(Object.values(await readJson(root, 'locales/it/bomb.json'))).toEqual(['La bomba', 'Testo dopo la bomba.'])
    expect(Object.values(await readJson(root, 'locales/it/crlf.json'))).toContain('Intestazione')
  })

  test('with English equal to the Italian, every other post is rebuilt byte for byte', async () => {
    for (const name of roundTrip) await writeFile(join(root, `locales/en/${name}.json`), await readFile(join(root, `locales/it/${name}.json`)))
    const result = await build({root})
    expect(result.totals.invalid).toBe(0)
    for (const name of roundTrip) {
      const edition = await readFile(join(root, `content/en/${name}.md`))
      expect(edition.equals(Buffer.from(files[`content/it/${name}.md`] ?? '')), name).toBe(true)
    }
    for (const name of skipped) expect(await exists(join(root, `content/en/${name}.md`)), name).toBe(false)
  })

  test('through the CLI: exit 1, the files named, no crash', async () => {
    for (const command of ['extract', 'build']) {
      const result = await ponte([command, '--no-cache', '--root', root])
      expect(result.code).toBe(1)
      expect(result.stderr).not.toMatch(stackTrace)
      for (const name of skipped) expect(places(result.stderr, `content/it/${name}.md`).length, `${command} ${name}`).toBeGreaterThan(0)
    }
  })

  test('a 4 MB post completes, and English equal to the Italian rebuilds it byte for byte', {timeout: 120_000}, async () => {
    const sentence = 'Questa è una frase semplice di un articolo molto lungo, scritta in italiano per la prova di carico. '
    const parts: string[] = ['---\ntitle: Un post enorme\n---\n']
    for (let index = 0; index < 4000; index++) {
      if (index % 10 === 0) parts.push(`## Sezione ${index / 10}`)
      parts.push(`Paragrafo ${index}, con *enfasi* e [un link](https://esempio.it/${index}). ` + sentence.repeat(10).trim())
      if (index % 20 === 19) parts.push(`- voce ${index} uno\n- voce ${index} due`)
    }
    const big = parts.join('\n\n') + '\n'
    expect(big.length).toBeGreaterThan(4_000_000)
    const bigRoot = await project({'content/it/grande.md': big})
    const extracted = await extract({root: bigRoot})
    expect(extracted.messages.filter((item) => item.severity === 'error')).toEqual([])
    expect(extracted.totals.segments).toBeGreaterThan(4400)
    await writeFile(join(bigRoot, 'locales/en/grande.json'), await readFile(join(bigRoot, 'locales/it/grande.json')))
    const built = await build({root: bigRoot})
    expect(built.messages.filter((item) => item.severity === 'error')).toEqual([])
    expect(built.totals.translated).toBe(extracted.totals.segments)
    expect((await readFile(join(bigRoot, 'content/en/grande.md'), 'utf8')) === big).toBe(true)
  })
})

describe('posts over the parse budget', () => {
  // Oversized posts run one at a time in a thread of their own with a memory ceiling and
  // a deadline; the environment shrinks the budget so small posts stand in for huge ones.
  const budget = {PONTE_ISOLATE_FROM: '1000'}
  const ordinary = '# Titolo\n\nUn paragrafo con *enfasi*.\n'
  const roomy = `# Un post lungo\n\n${Array.from({length: 40}, (_, index) => `Paragrafo ${index} con [un link](https://esempio.it/${index}) e *enfasi*.`).join('\n\n')}\n`

  test('a post that needs more memory than allowed is skipped with a message; the others are built', async () => {
    // 30,000 list items: a few hundred megabytes of parser events.
    const root = await project({'content/it/elenco.md': '- voce\n'.repeat(30_000), 'content/it/lungo.md': roomy, 'content/it/breve.md': ordinary})
    for (const command of ['extract', 'build']) {
      const result = await ponte([command, '--root', root], {env: {...budget, PONTE_POST_MEMORY_MB: '64'}})
      expect(result.code, result.stderr).toBe(1)
      expect(result.stderr).not.toMatch(stackTrace)
      expect(result.stderr).toContain('content/it/elenco.md:1:1  error  parsing this post needed more than 64 MB of memory; it was skipped  [source-too-complex]')
      expect(result.stderr).toContain('PONTE_POST_MEMORY_MB')
    }
    expect(await exists(join(root, 'locales/it/elenco.json'))).toBe(false)
    expect(await exists(join(root, 'content/en/elenco.md'))).toBe(false)
    // The oversized post within budget and the ordinary one are built as without a budget.
    expect(await readFile(join(root, 'content/en/lungo.md'), 'utf8')).toBe(roomy)
    expect(await readFile(join(root, 'content/en/breve.md'), 'utf8')).toBe(ordinary)
    expect(Object.keys(await readJson(root, 'locales/it/lungo.json')).length).toBe(41)
    expect((await walk(root)).filter((path) => path.includes('.tmp'))).toEqual([])
  })

  test('a post that takes longer than allowed is skipped with a message; the others are built', async () => {
    // One paragraph of 40,000 emphasis runs: seconds of work for the parser.
    const root = await project({'content/it/lento.md': '*a* _b_ '.repeat(40_000) + '\n', 'content/it/breve.md': ordinary})
    const result = await ponte(['extract', '--root', root], {env: {...budget, PONTE_POST_SECONDS: '0.2'}})
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain('content/it/lento.md:1:1  error  parsing this post needed more than 0.2 s; it was skipped  [source-too-complex]')
    expect(await exists(join(root, 'locales/it/lento.json'))).toBe(false)
    // The stopped thread leaves no temporary file behind, in the project or in the cache.
    expect((await walk(root)).filter((path) => path.includes('.ponte-tmp-'))).toEqual([])
    expect(Object.values(await readJson(root, 'locales/it/breve.json'))).toEqual(['Titolo', 'Un paragrafo con <em1>enfasi</em1>.'])
  })
})

describe('paths', () => {
  test('a post that links to a file outside the root is skipped with a warning', async () => {
    const outside = await project({'segreto.md': '# Segreto\n\nNon deve uscire.\n'})
    const root = await project({'content/it/a.md': '# A\n\nTesto.\n'})
    await symlink(join(outside, 'segreto.md'), join(root, 'content/it/link.md'))
    const result = await extract({root})
    expect(result.messages.some((item) => item.file === 'content/it/link.md' && item.severity === 'warning')).toBe(true)
    expect(await exists(join(root, 'locales/it/link.json'))).toBe(false)
    const built = await build({root})
    expect(await exists(join(root, 'content/en/link.md'))).toBe(false)
    expect(built.messages.some((item) => item.file === 'content/it/link.md' && item.severity === 'warning')).toBe(true)
    expect(await snapshot(outside)).toEqual({'segreto.md': '# Segreto\n\nNon deve uscire.\n'})
  })

  test('linked locales/en and content/en folders leading outside the root: nothing is written outside', async () => {
    const outside = await project({'en/keep.json': '{}\n', 'edizioni/keep.md': 'keep\n'})
    const root = await project({'content/it/a.md': '# A\n\nTesto.\n', 'content/it/blog/b.md': '# B\n\nAltro.\n'})
    await mkdir(join(root, 'locales'), {recursive: true})
    await symlink(join(outside, 'en'), join(root, 'locales/en'))
    await symlink(join(outside, 'edizioni'), join(root, 'content/en'))
    const before = await snapshot(outside)
    const extracted = await extract({root})
    expect(errorsOf(extracted.messages, 'locales/en/a.json').length).toBe(1)
    const built = await build({root})
    expect(errorsOf(built.messages, 'content/en/a.md').length).toBe(1)
    expect(await snapshot(outside)).toEqual(before)
    const cli = await ponte(['build', '--root', root])
    expect(cli.code).toBe(1)
    expect(cli.stderr).not.toMatch(stackTrace)
    expect(await snapshot(outside)).toEqual(before)
  })

  test('file names with spaces, accents and brackets work end to end', async () => {
    const names = ['con spazi', 'perché sì', '[1] (bozza) {x}', 'città/è qui', 'ÀÉÎ ñ 日本']
    const root = await project(Object.fromEntries(names.map((name, index) => [`content/it/${name}.md`, `# Titolo ${index}\n\nTesto ${index}.\n`])))
    await extract({root})
    for (const [index, name] of names.entries()) {
      const italian = await readJson(root, `locales/it/${name}.json`)
      expect(Object.values(italian)).toEqual([`Titolo ${index}`, `Testo ${index}.`])
      await writeFile(join(root, `locales/en/${name}.json`), catalogText(Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, value.replace('Titolo', 'Title').replace('Testo', 'Text')]))))
    }
    const built = await build({root})
    expect(built.messages.filter((item) => item.severity !== 'info')).toEqual([])
    for (const [index, name] of names.entries()) expect(await readFile(join(root, `content/en/${name}.md`), 'utf8')).toBe(`# Title ${index}\n\nText ${index}.\n`)
    expect((await status({root})).posts.map((post) => post.path).sort()).toEqual(names.map((name) => `${name}.md`).sort())
  })
})

describe.sequential('interrupted and concurrent runs on 300 posts', () => {
  const count = 300
  const italianPost = (index: number, revision: number): string => `---\ntitle: Post ${index}\n---\n\n# Titolo ${index}\n\nParagrafo numero ${index}, revisione ${revision}.\n`
  const englishPost = (index: number, revision: number, version: number): string =>
    `---\ntitle: Post ${index} (v${version})\n---\n\n# Titolo ${index} (v${version})\n\nParagrafo numero ${index}, revisione ${revision}. (v${version})\n`
  const postPath = (index: number): string => `gen/post-${String(index).padStart(3, '0')}`
  const sources = (revision: number): Record<string, string> => Object.fromEntries(Array.from({length: count}, (_, index) => [`content/it/${postPath(index)}.md`, italianPost(index, revision)]))
  let root = ''
  let buildTime = 1000
  let extractTime = 1000

  /** Spawn the real command and time it. */
  async function timed(args: string[]): Promise<{code: number; stdout: string; stderr: string; ms: number}> {
    const start = Date.now()
    const result = await ponte(args)
    return {...result, ms: Date.now() - start}
  }
  /** Spawn the real command and `kill -9` it after `ms` milliseconds. */
  function killAfter(args: string[], ms: number): Promise<{code: number | null; signal: NodeJS.Signals | null}> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {stdio: 'ignore', env: {...process.env, CI: 'true', GITHUB_ACTIONS: ''}})
      const timer = setTimeout(() => child.kill('SIGKILL'), ms)
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        resolve({code, signal})
      })
    })
  }
  /**
   * Spawn the real command with its n-th write of each thread stalled between the
   * temporary file and the rename (`PONTE_STALL_WRITE`), wait until that temporary file is
   * there, and `kill -9` it: the kill lands mid-write by construction, not by luck.
   * Resolves with the temporary files seen when the kill was sent.
   */
  async function killMidWrite(args: string[], nth: number): Promise<string[]> {
    const child = spawn(process.execPath, [bin, ...args], {stdio: 'ignore', env: {...process.env, CI: 'true', GITHUB_ACTIONS: '', PONTE_STALL_WRITE: String(nth)}})
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    const temporary = async (): Promise<string[]> => (await walk(root)).filter((path) => path.split('/').pop()?.startsWith('.ponte-tmp-'))
    // The stalled write's temporary file stays; another thread's come and go: wait for one that
    // is still there 200 ms later.
    let seen: string[] = []
    for (let tries = 0; tries < 3000 && seen.length === 0; tries++) {
      const first = await temporary()
      if (first.length > 0) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        const again = new Set(await temporary())
        seen = first.filter((path) => again.has(path))
      }
      if (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    return seen
  }
  async function translateAll(version: number): Promise<void> {
    await Promise.all(
      Array.from({length: count}, async (_, index) => {
        const italian = await readJson(root, `locales/it/${postPath(index)}.json`)
        await writeFile(join(root, `locales/en/${postPath(index)}.json`), catalogText(Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, `${value} (v${version})`]))))
      })
    )
  }
  /** Every catalog and lock parses; nothing but Ponte's temporary files is torn. */
  async function catalogsParse(): Promise<void> {
    for (const path of await walk(join(root, 'locales'))) {
      if (path.split('/').pop()?.startsWith('.ponte-tmp-')) continue
      const text = await readFile(join(root, 'locales', path), 'utf8')
      expect(() => JSON.parse(text), path).not.toThrow()
    }
  }
  async function leftovers(): Promise<string[]> {
    return (await walk(root)).filter((path) => /(^|\/)(\.ponte-tmp-[^/]*|\.ponte\.lock)$/.test(path))
  }

  test('two extracts at once both succeed and end as one run would', async () => {
    root = await project(sources(0))
    const [first, second] = await Promise.all([timed(['extract', '--root', root]), timed(['extract', '--root', root])])
    expect([first.code, second.code]).toEqual([0, 0])
    extractTime = Math.min(first.ms, second.ms)
    await catalogsParse()
    // What one run writes: every segment in the Italian catalog, an empty translation for each, a lock.
    for (let index = 0; index < count; index++) {
      const italian = await readJson(root, `locales/it/${postPath(index)}.json`)
      expect(Object.values(italian)).toEqual([`Post ${index}`, `Titolo ${index}`, `Paragrafo numero ${index}, revisione 0.`])
      expect(await readJson(root, `locales/en/${postPath(index)}.json`)).toEqual(Object.fromEntries(Object.keys(italian).map((key) => [key, ''])))
      JSON.parse(await readFile(join(root, `locales/.ponte/${postPath(index)}.lock.json`), 'utf8'))
    }
    // A third run, without the cache, changes no byte.
    const after = await outputs(root)
    await extract({root, cache: false})
    expect(await outputs(root)).toEqual(after)
    expect(await leftovers()).toEqual([])
  })

  test('two builds at once both succeed and end as one run would', async () => {
    await translateAll(1)
    const [first, second] = await Promise.all([timed(['build', '--root', root]), timed(['build', '--root', root])])
    expect([first.code, second.code]).toEqual([0, 0])
    buildTime = Math.min(first.ms, second.ms)
    const after = await outputs(root)
    for (let index = 0; index < count; index++) expect(after[`content/en/${postPath(index)}.md`]).toBe(englishPost(index, 0, 1))
    await build({root, cache: false})
    expect(await outputs(root)).toEqual(after)
    expect(await leftovers()).toEqual([])
  })

  test('build killed with -9 at any moment leaves every edition old or new, and the next run cleans up', async () => {
    const moments = [200, 0.35 * buildTime, 0.6 * buildTime, 0.8 * buildTime, 0.95 * buildTime]
    let version = 1
    for (const moment of moments) {
      version++
      await translateAll(version)
      await killAfter(['build', '--root', root], Math.round(moment))
      await catalogsParse()
      // Temporary files may remain until the next run; every edition is whole.
      const editions = Object.fromEntries(Object.entries(await outputs(root, 'content/en/')).filter(([path]) => !path.split('/').pop()?.startsWith('.ponte-tmp-')))
      expect(Object.keys(editions)).toHaveLength(count)
      for (let index = 0; index < count; index++) {
        const edition = editions[`content/en/${postPath(index)}.md`]
        const allowed = Array.from({length: version}, (_, older) => englishPost(index, 0, older + 1))
        expect(allowed, `${postPath(index)} after a kill at ${Math.round(moment)} ms`).toContain(edition)
      }
    }
    // One kill that certainly lands between a temporary file's creation and its rename.
    version++
    await translateAll(version)
    const midWrite = await killMidWrite(['build', '--root', root], 40)
    expect(midWrite.length).toBeGreaterThan(0)
    // The temporary file the kill interrupted is still there (the rename never happened)...
    const left = (await walk(root)).filter((path) => path.split('/').pop()?.startsWith('.ponte-tmp-'))
    expect(left).toEqual(expect.arrayContaining(midWrite))
    // ...whole, and the edition it was meant to replace is whole too, old or new like every other.
    const editions = Object.fromEntries(Object.entries(await outputs(root, 'content/en/')).filter(([path]) => !path.split('/').pop()?.startsWith('.ponte-tmp-')))
    expect(Object.keys(editions)).toHaveLength(count)
    let replaced = 0
    for (let index = 0; index < count; index++) {
      const edition = editions[`content/en/${postPath(index)}.md`]
      expect(Array.from({length: version}, (_, older) => englishPost(index, 0, older + 1)), `${postPath(index)} after a kill mid-write`).toContain(edition)
      if (edition === englishPost(index, 0, version)) replaced++
    }
    // Some editions were already replaced, not all: the kill landed in the middle of the run.
    expect(replaced).toBeLessThan(count)
    const final = await ponte(['build', '--root', root])
    expect(final.code).toBe(0)
    const rebuilt = await outputs(root, 'content/en/')
    for (let index = 0; index < count; index++) expect(rebuilt[`content/en/${postPath(index)}.md`]).toBe(englishPost(index, 0, version))
    expect(await leftovers()).toEqual([])
  })

  test('extract killed with -9 leaves every catalog parsable, old or new, and the next run cleans up', async () => {
    const valuesOf = (revision: number, index: number): string[] => [`Post ${index}`, `Titolo ${index}`, `Paragrafo numero ${index}, revisione ${revision}.`]
    let revision = 0
    for (const moment of [0.5 * extractTime, 0.85 * extractTime]) {
      revision++
      for (const [path, text] of Object.entries(sources(revision))) await writeFile(join(root, path), text)
      await killAfter(['extract', '--root', root], Math.round(moment))
      await catalogsParse()
      for (let index = 0; index < count; index++) {
        const values = Object.values(await readJson(root, `locales/it/${postPath(index)}.json`))
        const allowed = Array.from({length: revision + 1}, (_, older) => valuesOf(older, index))
        expect(allowed, `${postPath(index)} after a kill at ${Math.round(moment)} ms`).toContainEqual(values)
      }
    }
    const final = await ponte(['extract', '--root', root])
    expect(final.code).toBe(0)
    for (let index = 0; index < count; index++) {
      expect(Object.values(await readJson(root, `locales/it/${postPath(index)}.json`))).toEqual(valuesOf(revision, index))
      // The translations survived every kill (stale now, but kept).
      expect(Object.values(await readJson(root, `locales/en/${postPath(index)}.json`))[2]).toMatch(/^Paragrafo numero \d+, revisione 0\. \(v\d+\)$/)
    }
    expect(await leftovers()).toEqual([])
    // Every translation whose Italian changed is reported stale, whatever the kills interrupted.
    expect((await status({root})).totals).toMatchObject({segments: 3 * count, stale: count, missing: 0})
  })

  test('the next run removes what a killed run left: temporary files anywhere, and its lock', async () => {
    const small = await project({'content/it/blog/post.md': italianPost(1, 0)})
    await extract({root: small})
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    const litter = ['locales/en/blog/.ponte-tmp-post.json.1.0badc0de', 'locales/.ponte/blog/.ponte-tmp-post.lock.json.1.0badc0de', 'content/en/blog/.ponte-tmp-post.md.1.0badc0de', 'node_modules/.cache/ponte/.ponte-tmp-build-outcomes.json.1.0badc0de']
    for (const path of litter) {
      await mkdir(join(small, path, '..'), {recursive: true})
      await writeFile(join(small, path), '{"torn": ')
    }
    await writeFile(join(small, '.ponte.lock'), JSON.stringify({pid: dead}) + '\n')
    const result = await ponte(['build', '--root', small])
    expect(result.code).toBe(0)
    expect(await readFile(join(small, 'content/en/blog/post.md'), 'utf8')).toBe(italianPost(1, 0))
    const left = (await walk(small)).filter((path) => /(^|\/)(\.ponte-tmp-[^/]*|\.ponte\.lock)$/.test(path))
    expect(left).toEqual([])
  })

  test('an extract interrupted between the files of one post still tells which Italian a translation was written against', async () => {
    // The state a kill leaves after the Italian catalog of a post is written and before its
    // lock and English catalog are: each file old or new, but not all of one run.
    const small = await project({'content/it/post.md': italianPost(1, 0)})
    await extract({root: small})
    const italian = await readJson(small, 'locales/it/post.json')
    await writeFile(join(small, 'locales/en/post.json'), catalogText(Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, `${value} (v1)`]))))
    await extract({root: small})
    const before = await snapshot(small)
    await writeFile(join(small, 'content/it/post.md'), italianPost(1, 1))
    await extract({root: small})
    for (const path of ['locales/en/post.json', 'locales/.ponte/post.lock.json']) await writeFile(join(small, path), before[path] ?? '')
    const expected = [{key: Object.keys(italian)[2], was: 'Paragrafo numero 1, revisione 0.'}]
    expect((await status({root: small})).posts[0]?.staleKeys).toEqual(expected)
    // The next extract completes the interrupted one, and the next edit keeps the history.
    await extract({root: small})
    expect((await status({root: small})).posts[0]?.staleKeys).toEqual(expected)
    await writeFile(join(small, 'content/it/post.md'), italianPost(1, 2))
    await extract({root: small})
    expect((await status({root: small})).posts[0]?.staleKeys).toEqual(expected)
  })
})
