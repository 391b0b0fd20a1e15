import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {accept} from '../src/commands/accept.js'
import {build} from '../src/commands/build.js'
import {extract} from '../src/commands/extract.js'
import {fill} from '../src/commands/fill.js'
import {status} from '../src/commands/status.js'
import {suggest} from '../src/commands/suggest.js'
import {indexMemory, lookup} from '../src/memory/match-memory.js'
import type {MemoryPair} from '../src/memory/memory-pairs.js'
import {loadSuggestions, saveSuggestions} from '../src/memory/suggestion-cache.js'
import {suggestionsFor} from '../src/memory/suggestions-for.js'
import {mapTags, stripTags, tagsOf} from '../src/memory/tags.js'
import {ponte, projectPool, readJson, snapshot} from './support/project.js'

const pool = projectPool()
afterAll(pool.removeAll)

const disclaimer = 'Le opinioni espresse in questo articolo sono personali e non rappresentano quelle del datore di lavoro.'
const disclaimerEn = 'The opinions in this article are personal and do not represent those of my employer.'
const tagged = 'Leggi anche la <em1>guida</em1> su {{code1}}.'
/** The Markdown that gives `tagged` (and its variants) as a catalog value. */
const markdown = (value: string): string => value.replace(/<(em|strong)1>(.*?)<\/(?:em|strong)1>/g, (_, tag: string, text: string) => (tag === 'em' ? `*${text}*` : `**${text}**`)).replace('{{code1}}', '`npm`')
const taggedEn = 'Read also the <em1>guide</em1> on {{code1}}.'

/** A post's Markdown from paragraphs. */
const post = (title: string, paragraphs: readonly string[]): string => `# ${title}\n\n${paragraphs.map(markdown).join('\n\n')}\n`

/** Write English values into a post's catalog, by Italian value. */
async function translate(root: string, ns: string, english: Record<string, string>): Promise<void> {
  const italian = await readJson(root, `locales/it/${ns}.json`)
  const catalog = await readJson(root, `locales/en/${ns}.json`)
  for (const [key, value] of Object.entries(italian)) if (english[value] !== undefined) catalog[key] = english[value]
  await writeFile(join(root, `locales/en/${ns}.json`), JSON.stringify(catalog, null, 2) + '\n')
}

/** The key of an Italian value in a post's catalog. */
async function keyOf(root: string, ns: string, value: string): Promise<string> {
  const italian = await readJson(root, `locales/it/${ns}.json`)
  return Object.keys(italian).find((key) => italian[key] === value) ?? ''
}

describe('tags', () => {
  test('tagsOf lists openings, void tags and interpolations in order; stripTags leaves the text', () => {
    expect(tagsOf('a <em1>b</em1> <br1/> {{code1}} <strong1>c</strong1>')).toEqual(['em1', 'br1/', '{{code1}}', 'strong1'])
    expect(stripTags('Leggi  <em1>la Guida</em1> su {{code1}}.')).toBe('leggi la guida su .')
  })
  test("mapTags renames the match's tags to the segment's, by position and kind", () => {
    // The English orders the tags differently from its Italian: each keeps its role.
    expect(mapTags('See <em2>this</em2> and <em1>that</em1>', 'Vedi <em1>quello</em1> e <em2>questo</em2>', 'Vedi <em3>quello</em3> e <em4>questo</em4>')).toBe('See <em4>this</em4> and <em3>that</em3>')
    expect(mapTags('Use {{code1}} <br1/>', 'Usa {{code1}} <br1/>', 'Usa {{code2}} <br3/>')).toBe('Use {{code2}} <br3/>')
  })
  test('mapTags refuses when the tags do not agree', () => {
    expect(mapTags('<em1>Note</em1>', '<em1>Nota</em1>', '<strong1>Nota</strong1>')).toBeUndefined()
    expect(mapTags('<em1>Note</em1>', '<em1>Nota</em1>', 'Nota')).toBeUndefined()
    expect(mapTags('{{code1}}', '{{code1}}', '<br1/>')).toBeUndefined()
  })
})

describe('lookup', () => {
  const index = indexMemory([
    {source: disclaimer, target: disclaimerEn, from: 'a.md', key: 'p-1'},
    {source: tagged, target: taggedEn, from: 'a.md', key: 'p-2'},
    {source: 'Un testo del tutto diverso da ogni altro.', target: 'A wholly different text.', from: 'b.md', key: 'p-3', archived: true}
  ])
  test('an exact match scores 100 and comes first; a fuzzy one has its score', () => {
    expect(lookup(index, disclaimer)).toEqual([{kind: 'exact', score: 100, source: disclaimer, target: disclaimerEn, tagsAgree: true, from: 'a.md', key: 'p-1'}])
    const near = lookup(index, disclaimer.replace('datore di lavoro', 'mio datore di lavoro'))
    expect(near).toHaveLength(1)
    expect(near[0]).toMatchObject({kind: 'fuzzy', target: disclaimerEn, from: 'a.md', key: 'p-1'})
    expect(near[0]?.score).toBe(98)
  })
  test('a fuzzy match below the lowest score is not shown, and the lowest score is an option', () => {
    const far = 'Le opinioni di questo articolo sono mie.'
    expect(lookup(index, far)).toEqual([])
    const shown = lookup(index, far, {minScore: 40})
    expect(shown[0]?.key).toBe('p-1')
    expect(shown[0]?.score).toBeLessThan(75)
  })
  test('same text with other tags is fuzzy at most 99, its tags mapped when they agree', () => {
    const other = 'Leggi anche la <em2>guida</em2> su {{code3}}.'
    expect(lookup(index, other)).toEqual([{kind: 'fuzzy', score: 99, source: tagged, target: 'Read also the <em2>guide</em2> on {{code3}}.', tagsAgree: true, from: 'a.md', key: 'p-2'}])
    const disagree = lookup(index, 'Leggi anche la <strong1>guida</strong1> su {{code1}}.')
    expect(disagree[0]).toMatchObject({tagsAgree: false, target: taggedEn})
  })
  test('a segment is never its own suggestion', () => {
    expect(lookup(index, disclaimer, {self: {from: 'a.md', key: 'p-1'}})).toEqual([])
  })
})

describe('lookups kept between runs', () => {
  const queries = [disclaimer, disclaimer.replace('datore di lavoro', 'mio datore di lavoro'), tagged.replace('guida', 'guida completa'), 'Una frase che nessuno ha mai scritto prima.']
  const base: MemoryPair[] = [
    {source: disclaimer.replace('personali', 'soltanto personali'), target: 'Only personal opinions.', from: 'a.md', key: 'p-1'},
    {source: tagged, target: taggedEn, from: 'a.md', key: 'p-2'},
    {source: 'Una frase che nessuno ha mai scritto.', target: 'A sentence nobody ever wrote.', from: 'b.md', key: 'p-3', archived: true}
  ]
  /** The lookups of a run over `pairs` with the cache in `dir`. */
  async function run(dir: string, pairs: MemoryPair[]): Promise<unknown[]> {
    const index = indexMemory(pairs)
    const cache = loadSuggestions(dir, index)
    const answers = queries.map((value) => lookup(index, value))
    await saveSuggestions(cache, index)
    return answers
  }
  const fresh = (pairs: MemoryPair[]): unknown[] => {
    const index = indexMemory(pairs)
    return queries.map((value) => lookup(index, value))
  }
  test('the same memory, one with pairs added, one with a pair changed and one removed: each answers as a fresh search does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ponte-lookups-'))
    try {
      expect(await run(dir, base)).toEqual(fresh(base))
      expect(await run(dir, base)).toEqual(fresh(base))
      // New pairs: an exact match for the disclaimer, a closer one for the tagged paragraph.
      const added = [...base, {source: disclaimer, target: disclaimerEn, from: 'c.md', key: 'p-9'}, {source: tagged.replace('guida', 'guida completa').replace('Leggi', 'Leggete'), target: 'Read the full guide.', from: 'c.md', key: 'p-8'}]
      const withAdded = await run(dir, added)
      expect(withAdded).toEqual(fresh(added))
      expect(withAdded[0]).toEqual([expect.objectContaining({kind: 'exact', target: disclaimerEn})])
      // A pair's English changes, another leaves.
      const changed = added.filter((pair) => pair.key !== 'p-3').map((pair) => (pair.key === 'p-2' ? {...pair, target: 'See the guide on {{code1}}.'} : pair))
      expect(await run(dir, changed)).toEqual(fresh(changed))
      expect(await run(dir, changed)).toEqual(fresh(changed))
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})

describe('translation memory of a project', () => {
  test('exact and fuzzy matches across posts and archives, with their scores', async () => {
    const gone = 'Questo paragrafo verrà cancellato dal post, ma la sua traduzione resta nella memoria.'
    const root = await pool.project({
      'content/it/uno.md': post('Uno', [disclaimer, tagged, 'Solo nel primo post.']),
      'content/it/tre.md': post('Tre', [gone, 'Resta qui.']),
      'content/it/due.md': post('Due', ['Solo nel secondo post.', disclaimer, tagged.replace('guida', 'guida completa'), gone.replace('cancellato', 'tolto')])
    })
    await extract({root})
    await translate(root, 'uno', {[disclaimer]: disclaimerEn, [tagged]: taggedEn, Uno: 'One'})
    await translate(root, 'tre', {[gone]: 'This paragraph will be deleted from the post, but its translation stays in the memory.', 'Resta qui.': 'Stays here.'})
    await extract({root})
    // The paragraph leaves tre.md: its English goes to the archive, and stays in the memory.
    await writeFile(join(root, 'content/it/tre.md'), post('Tre', ['Resta qui.']))
    await extract({root})
    expect(Object.values(await readJson(root, 'locales/en/tre_old.json'))).toEqual(['This paragraph will be deleted from the post, but its translation stays in the memory.'])

    const result = await suggest({root, posts: ['due']})
    const segments = result.posts[0]?.segments ?? []
    const byValue = new Map(segments.map((segment) => [segment.value, segment.suggestions]))
    expect(byValue.get(disclaimer)).toEqual([{kind: 'exact', score: 100, source: disclaimer, target: disclaimerEn, tagsAgree: true, from: 'uno.md', key: await keyOf(root, 'uno', disclaimer)}])
    expect(byValue.get(tagged.replace('guida', 'guida completa'))).toEqual([{kind: 'fuzzy', score: 84, source: tagged, target: taggedEn, tagsAgree: true, from: 'uno.md', key: await keyOf(root, 'uno', tagged)}])
    const archived = byValue.get(gone.replace('cancellato', 'tolto'))
    expect(archived).toHaveLength(1)
    expect(archived?.[0]).toMatchObject({kind: 'fuzzy', score: 92, source: gone, archived: true, from: 'tre.md'})
    // "Solo nel secondo post." and "Due" have nothing close enough.
    expect(byValue.has('Solo nel secondo post.')).toBe(false)
    expect(result.totals).toEqual({pending: 5, suggested: 3, exact: 1})

    // The page's entry point gives the same, by key.
    const forPage = await suggestionsFor(root, 'due.md')
    expect(forPage.get(await keyOf(root, 'due', disclaimer))).toEqual(byValue.get(disclaimer))
    expect([...forPage.keys()]).toHaveLength(3)

    // The memory and its lookups are cached: a second run, and one over damaged cache files, answer the same.
    expect(await suggest({root, posts: ['due']})).toEqual(result)
    const cache = join(root, 'node_modules/.cache/ponte')
    await writeFile(join(cache, 'suggestions.json'), '{"version":3,"pairs":["x"],"made":{"x":[[0,100,0,1]]}}')
    for (const name of await readdir(cache)) {
      if (!name.startsWith('memory-')) continue
      const shard = await readFile(join(cache, name), 'utf8')
      await writeFile(join(cache, name), shard.slice(0, shard.length / 2))
    }
    expect(await suggest({root, posts: ['due']})).toEqual(result)
    // A translator's edit is seen at the next lookup.
    await translate(root, 'uno', {'Solo nel primo post.': 'Only in the first post.'})
    const again = await suggest({root, posts: ['due'], minScore: 70})
    expect(again.posts[0]?.segments.find((segment) => segment.value === 'Solo nel secondo post.')?.suggestions[0]).toMatchObject({target: 'Only in the first post.', score: 70})
  })

  test('an inserted near-duplicate paragraph is missing, with the deleted one as a suggestion, and build never ships it', async () => {
    const paragraphs = [
      'Il primo paragrafo parla di reti sociali e di lavoro.',
      'Il secondo paragrafo racconta una storia di imprese artigiane.',
      'Il terzo paragrafo descrive i vantaggi principali del networking.',
      'Il quarto paragrafo spiega la differenza tra online e offline.',
      'Il quinto paragrafo elenca alcune piattaforme emergenti.'
    ]
    const english = paragraphs.map((_, index) => `English paragraph number ${index + 1}.`)
    const root = await pool.project({'content/it/reti.md': post('Reti', paragraphs)})
    await extract({root})
    await translate(root, 'reti', Object.fromEntries(paragraphs.map((text, index) => [text, english[index] ?? ''])))
    await extract({root})
    // The fourth paragraph is deleted; a near-duplicate of it is inserted at the top,
    // far from its place: matched across the document, so it is not given its key.
    const nearDuplicate = 'Il quarto paragrafo spiega la differenza fra online e offline.'
    await writeFile(join(root, 'content/it/reti.md'), post('Reti', [nearDuplicate, paragraphs[0], paragraphs[1], paragraphs[2], paragraphs[4]] as string[]))
    await extract({root})
    const key = await keyOf(root, 'reti', nearDuplicate)
    expect((await readJson(root, 'locales/en/reti.json'))[key]).toBe('')
    expect(Object.values(await readJson(root, 'locales/en/reti_old.json'))).toEqual([english[3]])
    expect((await status({root})).totals).toMatchObject({segments: 6, translated: 4, stale: 0, suggested: 0, missing: 2})
    const offered = (await suggestionsFor(root, 'reti')).get(key)
    expect(offered?.[0]).toMatchObject({kind: 'fuzzy', target: english[3], archived: true, source: paragraphs[3]})
    expect(offered?.[0]?.score).toBeGreaterThanOrEqual(90)
    await build({root})
    const edition = await readFile(join(root, 'content/en/reti.md'), 'utf8')
    expect(edition).toContain(nearDuplicate)
    expect(edition).not.toContain(english[3])
  })

  test('fill --exact fills only exact matches whose tags agree, marks them for review; accept or an edit confirms them', async () => {
    const twice = 'Una frase tradotta in due modi diversi.'
    const older = disclaimer.replace('personali', 'soltanto personali')
    const root = await pool.project({
      'content/it/uno.md': post('Uno', [disclaimer, tagged, twice]),
      'content/it/due.md': post('Due', [disclaimer, tagged.replace('<em1>guida</em1>', '<strong1>guida</strong1>'), 'Una frase che nessuno ha tradotto.', twice]),
      'content/it/tre.md': post('Tre', [older, tagged]),
      'content/it/quattro.md': post('Quattro', [twice])
    })
    await extract({root})
    await translate(root, 'uno', {[disclaimer]: disclaimerEn, [tagged]: taggedEn, [twice]: 'A sentence translated one way.'})
    await translate(root, 'quattro', {[twice]: 'A sentence translated another way.'})
    await translate(root, 'tre', {[older]: 'My own disclaimer.'})
    await extract({root})
    // tre.md's disclaimer changes: its English is now stale, and fill never touches it.
    await writeFile(join(root, 'content/it/tre.md'), post('Tre', [disclaimer, tagged]))
    await extract({root})

    const refused = await ponte(['fill', '--root', root])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('fill --exact')

    const before = await snapshot(root)
    const filled = await ponte(['fill', '--exact', '--root', root])
    expect(filled.stderr).toBe('')
    expect(filled.code).toBe(0)
    // Two Englishes for the same Italian: left for a translator.
    expect(filled.stdout).toContain('fill: 2 missing translation(s) filled from exact memory matches in 2 post(s), marked suggested until a translator reviews them (`ponte accept`); 1 left with more than one English in the memory\n')
    const due = await readJson(root, 'locales/en/due.json')
    expect(due[await keyOf(root, 'due', disclaimer)]).toBe(disclaimerEn)
    // Other tags: not exact, not filled.
    expect(due[await keyOf(root, 'due', tagged.replace('<em1>guida</em1>', '<strong1>guida</strong1>'))]).toBe('')
    const tre = await readJson(root, 'locales/en/tre.json')
    expect(tre[await keyOf(root, 'tre', disclaimer)]).toBe('My own disclaimer.')
    expect(tre[await keyOf(root, 'tre', tagged)]).toBe(taggedEn)
    // Only the English catalogs and locks changed.
    const after = await snapshot(root)
    expect(Object.keys(after).filter((path) => after[path] !== before[path]).sort()).toEqual(['locales/.ponte/due.lock.json', 'locales/.ponte/tre.lock.json', 'locales/en/due.json', 'locales/en/tre.json'])

    // Counted and reported like stale; build uses them under the default policy.
    const report = await status({root})
    expect(report.totals).toMatchObject({suggested: 2, stale: 1})
    expect(report.posts.find((item) => item.path === 'due.md')?.suggestedKeys).toEqual([await keyOf(root, 'due', disclaimer)])
    const json = JSON.parse((await ponte(['status', '--json', '--root', root])).stdout) as {posts: Array<{path: string; suggested: number; stale: number; missing: number; translated: number; segments: number}>}
    expect(json.posts.find((item) => item.path === 'due.md')).toMatchObject({segments: 5, translated: 0, stale: 0, suggested: 1, missing: 4})
    await ponte(['build', '--root', root])
    const check = await ponte(['check', '--root', root])
    expect(check.code).toBe(0)
    expect(check.stderr).toMatch(/locales\/en\/due\.json:3:3 +warning +"[^"]+" is a suggestion from the translation memory that no translator has reviewed +\[translation-suggested\]/)
    expect((await ponte(['check', '--strict', '--root', root])).code).toBe(1)
    expect(await readFile(join(root, 'content/en/due.md'), 'utf8')).toContain(disclaimerEn)

    // Running fill again changes nothing.
    const settled = await snapshot(root)
    expect((await ponte(['fill', '--exact', '--root', root])).stdout).toContain('fill: 0 missing')
    expect(await snapshot(root)).toEqual(settled)

    // A translator's edit makes one translated; accept confirms another.
    await translate(root, 'due', {[disclaimer]: 'The opinions here are mine alone.'})
    await extract({root})
    expect((await status({root})).posts.find((item) => item.path === 'due.md')).toMatchObject({suggested: 0, translated: 1})
    const accepted = await accept({root, posts: ['tre.md']})
    // (It confirms tre.md's stale translation too, as it always has.)
    expect(accepted.accepted).toEqual([{path: 'tre.md', keys: [await keyOf(root, 'tre', disclaimer), await keyOf(root, 'tre', tagged)]}])
    expect((await status({root})).totals).toMatchObject({suggested: 0, stale: 0})
  })

  test('with stalePolicy fallback, an unreviewed suggestion is not published', async () => {
    const root = await pool.project({
      'ponte.config.json': JSON.stringify({stalePolicy: 'fallback'}),
      'content/it/uno.md': post('Uno', [disclaimer]),
      'content/it/due.md': post('Due', [disclaimer])
    })
    await extract({root})
    await translate(root, 'uno', {[disclaimer]: disclaimerEn})
    await fill({root, exact: true})
    await build({root})
    expect(await readFile(join(root, 'content/en/due.md'), 'utf8')).toContain(disclaimer)
    await accept({root})
    await build({root})
    expect(await readFile(join(root, 'content/en/due.md'), 'utf8')).toContain(disclaimerEn)
  })

  test('suggest through the CLI: text and JSON, unknown post and bad score are usage errors', async () => {
    const root = await pool.project({'content/it/uno.md': post('Uno', [disclaimer]), 'content/it/due.md': post('Due', [disclaimer])})
    await extract({root})
    await translate(root, 'uno', {[disclaimer]: disclaimerEn})
    const text = await ponte(['suggest', 'due.md', '--root', root])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(`  it: ${disclaimer}\n  100% exact: ${disclaimerEn}  (from uno.md#`)
    const json = JSON.parse((await ponte(['suggest', '--json', '--root', root])).stdout) as {totals: unknown}
    // The two headings and due.md's paragraph have no translation; one has a suggestion.
    expect(json.totals).toEqual({pending: 3, suggested: 1, exact: 1})
    expect((await ponte(['suggest', 'nessuno', '--root', root])).code).toBe(2)
    expect((await ponte(['suggest', '--min-score', '101', '--root', root])).code).toBe(2)
  })

  test('suggest --json is written post by post, byte for byte the document of the whole result', async () => {
    const root = await pool.project({
      'content/it/uno.md': post('Uno', [disclaimer, tagged]),
      'content/it/due.md': post('Due', [disclaimer, tagged.replace('guida', 'guida completa')]),
      'content/it/tre.md': post('Tre', [disclaimer])
    })
    await extract({root})
    await translate(root, 'uno', {[disclaimer]: disclaimerEn, [tagged]: taggedEn})
    const streamed = await ponte(['suggest', '--json', '--root', root])
    expect(streamed.code).toBe(0)
    const whole = await suggest({root})
    expect(whole.posts.map((item) => item.path)).toEqual(['due.md', 'tre.md'])
    expect(streamed.stdout).toBe(JSON.stringify(whole, null, 2) + '\n')
    // With no post to show, the list is empty, as JSON.stringify writes it.
    const none = await ponte(['suggest', 'uno.md', '--json', '--min-score', '100', '--root', root])
    expect(none.stdout).toBe(JSON.stringify(await suggest({root, posts: ['uno.md'], minScore: 100}), null, 2) + '\n')
    expect(JSON.parse(none.stdout)).toMatchObject({posts: []})
  })
})
