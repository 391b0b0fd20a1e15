import {open, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, test} from 'vitest'
import {extract} from '../src/commands/extract.js'
import {status} from '../src/commands/status.js'
import {suggest} from '../src/commands/suggest.js'
import {tmExport} from '../src/commands/tm.js'
import {xliffExport, xliffImport} from '../src/commands/xliff.js'
import {parseValue, stringifyValue} from '../src/segment/tagged.js'
import {toXliffInline} from '../src/xliff/inline-codes.js'
import {readXliff} from '../src/xliff/read-xliff.js'
import {readTmx, writeTmx} from '../src/xliff/tmx.js'
import {inline, retext, translatorText} from './support/arbitraries.js'
import {extractString, structureDifference} from './support/pipeline.js'
import {ponte, projectPool, readJson, snapshot} from './support/project.js'

const pool = projectPool()
afterAll(pool.removeAll)

const source = `---
title: Una guida
---

# Come si installa

Installa con \`npm i ponte\`, poi leggi la [guida](https://esempio.it/guida "La guida") e *scrivi*.<br>Fine riga.

Un testo con &lt;tag&gt; letterali, una & commerciale e {{graffe}}.

| Nome | Valore |
|:-----|------:|
| **uno** | due |
`

/** A translated project: every segment but one has English; one is stale. */
async function translatedProject(): Promise<{root: string; keys: Record<string, string>}> {
  const root = await pool.project({'content/it/guida.md': source, 'content/it/altro.md': '# Altro\n\nSolo un paragrafo.\n'})
  await extract({root})
  const italian = await readJson(root, 'locales/it/guida.json')
  const keys = Object.fromEntries(Object.entries(italian).map(([key, value]) => [value, key]))
  const english: Record<string, string> = {}
  for (const [key, value] of Object.entries(italian)) {
    if (value === 'Nome') continue
    english[key] = value === 'Come si installa' ? 'How to install' : value.startsWith('Un testo') ? 'A text with &lt;tag&gt; literals, an & ampersand and {{liquid1}}, &#123;{braces}} &gt; kept.' : `EN ${value}`
  }
  await writeFile(join(root, 'locales/en/guida.json'), JSON.stringify(english, null, 2) + '\n')
  await extract({root})
  // The heading changes: its English is now stale.
  await writeFile(join(root, 'content/it/guida.md'), source.replace('Come si installa', 'Come si installa Ponte'))
  await extract({root})
  return {root, keys}
}

describe('XLIFF', () => {
  test.for(['2.0', '1.2'] as const)('XLIFF %s: export, import of the export changes no byte, export again gives the same bytes', async (version, {expect}) => {
    const {root} = await translatedProject()
    const file = join(root, `out-${version}.xlf`)
    const exported = await ponte(['xliff', 'export', '--version', version, '--out', file, '--root', root])
    expect(exported.stderr).toBe('')
    expect(exported.code).toBe(0)
    expect(exported.stdout).toContain(`xliff export: 11 unit(s) of 2 post(s) written to ${file} (XLIFF ${version})`)
    const xliff = await readFile(file, 'utf8')
    const before = await snapshot(root)
    const imported = await ponte(['xliff', 'import', file, '--root', root])
    expect(imported.stderr).toBe('')
    expect(imported.stdout).toBe('xliff import: 0 translation(s) applied in 0 post(s), 0 refused; 0 file(s) written\n')
    expect(await snapshot(root)).toEqual(before)
    await ponte(['xliff', 'export', '--version', version, '--out', file, '--root', root])
    expect(await readFile(file, 'utf8')).toBe(xliff)
  })

  test('XLIFF 2.0 carries tags as inline codes with their names, states and notes', async () => {
    const {root, keys} = await translatedProject()
    const file = join(root, 'out.xlf')
    await xliffExport({root, out: file, posts: ['guida.md']})
    const xliff = await readFile(file, 'utf8')
    expect(xliff).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="it" trgLang="en">')
    expect(xliff).toContain('<file id="f1" original="guida.md">')
    expect(xliff).not.toContain('altro.md')
    // Tags as <pc>/<ph> carrying their names; literal text escaped for XML.
    expect(xliff).toContain('<source xml:space="preserve">Installa con <ph id="code1" type="other" subType="ponte:var" disp="{{code1}}"/>, poi leggi la <pc id="a1" type="fmt">guida</pc> e <pc id="em1" type="fmt">scrivi</pc>.<ph id="html1" type="other" subType="ponte:var" disp="{{html1}}"/>Fine riga.</source>')
    expect(xliff).toContain('<target xml:space="preserve">A text with &lt;tag&gt; literals, an &amp; ampersand and <ph id="liquid1" type="other" subType="ponte:var" disp="{{liquid1}}"/>, {{braces}} &gt; kept.</target>')
    // States: translated, stale (needs review, with the Italian it was written against), missing (no target).
    const unit = (key: string): string => xliff.slice(xliff.indexOf(`<unit id="${key}">`), xliff.indexOf('</unit>', xliff.indexOf(`<unit id="${key}">`)))
    expect(unit(keys['Come si installa'] ?? '')).toContain('<segment state="initial" subState="ponte:needs-review">')
    expect(unit(keys['Come si installa'] ?? '')).toContain('<note category="stale-italian">Come si installa</note>')
    expect(unit(keys['Nome'] ?? '')).toContain('<segment state="initial">')
    expect(unit(keys['Nome'] ?? '')).not.toContain('<target')
    expect(unit(keys['Nome'] ?? '')).toContain('<note category="kind">header-cell</note>')
    expect(unit('fm-title')).toContain('<segment state="translated">')
  })

  test('an import applies changed targets through validation: invalid ones are reported by unit id and left out, and nothing else changes', async () => {
    const {root, keys} = await translatedProject()
    const file = join(root, 'out.xlf')
    await xliffExport({root, out: file, version: '1.2'})
    let xliff = await readFile(file, 'utf8')
    const nome = keys['Nome'] ?? ''
    const heading = keys['Come si installa'] ?? ''
    const cell = keys['<strong1>uno</strong1>'] ?? ''
    // A translator fills the missing cell, revises the stale heading, and breaks a cell's tag.
    xliff = xliff.replace(`<trans-unit id="${nome}" resname="${nome}" xml:space="preserve">\n        <source>Nome</source>`, `<trans-unit id="${nome}" resname="${nome}" xml:space="preserve">\n        <source>Nome</source>\n        <target state="translated">Name | &lt;b&gt;</target>`)
    xliff = xliff.replace(/(<trans-unit id="h-[^"]+"[^>]*>\s*<source>Come si installa Ponte<\/source>\s*<target )state="needs-review-translation">[^<]*</, '$1state="translated">How to install Ponte<')
    xliff = xliff.replace('<target state="translated">EN <g id="strong1">uno</g></target>', '<target state="translated">EN <g id="em1">uno</g></target>')
    await writeFile(file, xliff)
    const before = await snapshot(root)
    const result = await xliffImport({root, file})
    expect(result.messages).toHaveLength(1)
    expect(result.messages[0]).toMatchObject({file, severity: 'error', ruleId: 'xliff-target-invalid'})
    expect(result.messages[0]?.reason).toMatch(new RegExp(`^unit "${cell}" of guida\\.md: .*em1.* \\(value-tag-[a-z]+\\); this target was left out$`))
    expect(result.refused).toBe(1)
    expect(result.applied).toEqual([{path: 'guida.md', keys: [heading, nome]}])
    const after = await snapshot(root)
    expect(Object.keys(after).filter((path) => after[path] !== before[path]).sort()).toEqual(['locales/.ponte/guida.lock.json', 'locales/en/guida.json'])
    const english = await readJson(root, 'locales/en/guida.json')
    const previous = JSON.parse(before['locales/en/guida.json'] ?? '{}') as Record<string, string>
    // The carried values, and no other value, changed (a "|" and a "<b>" in a cell stay text).
    expect(english[nome]).toBe('Name | &lt;b>')
    expect(english[heading]).toBe('How to install Ponte')
    for (const key of Object.keys(previous)) if (key !== nome && key !== heading) expect(english[key]).toBe(previous[key])
    expect((await status({root})).posts.find((post) => post.path === 'guida.md')).toMatchObject({stale: 0, missing: 0, invalid: 0})
    expect((await ponte(['build', '--root', root])).code).toBe(0)
    const edition = await readFile(join(root, 'content/en/guida.md'), 'utf8')
    expect(structureDifference(source.replace('Come si installa', 'Come si installa Ponte'), edition)).toBeUndefined()
    expect(edition).toContain('| Name \\| \\<b> | EN Valore |')
  })

  test('a target left for review is applied as a suggestion; one that only copies the source is not applied', async () => {
    const {root, keys} = await translatedProject()
    const file = join(root, 'out.xlf')
    await xliffExport({root, out: file, version: '2.0', copySource: true, posts: ['altro.md']})
    let xliff = await readFile(file, 'utf8')
    expect(xliff).toContain('<target xml:space="preserve">Altro</target>')
    xliff = xliff.replace('<target xml:space="preserve">Solo un paragrafo.</target>', '<target xml:space="preserve">Just one paragraph.</target>')
    await writeFile(file, xliff)
    const result = await xliffImport({root, file})
    expect(result.applied.map((post) => post.keys.length)).toEqual([1])
    expect(Object.values(await readJson(root, 'locales/en/altro.json'))).toEqual(['', 'Just one paragraph.'])
    expect((await status({root})).posts.find((post) => post.path === 'altro.md')).toMatchObject({suggested: 1, missing: 1})
    expect(keys).toBeDefined()
  })

  describe('hostile or foreign files are refused whole, with nothing written', () => {
    const cases: Array<[string, (xliff: string) => string, string]> = [
      ['a DOCTYPE', (xliff) => xliff.replace('<xliff', '<!DOCTYPE xliff [<!ENTITY e "boom">]>\n<xliff'), 'xml-doctype'],
      ['an external entity', (xliff) => xliff.replace('<xliff', '<!DOCTYPE x SYSTEM "file:///etc/passwd">\n<xliff'), 'xml-doctype'],
      ['an undeclared entity reference', (xliff) => xliff.replace('Just one paragraph.', 'Just &boom; one.'), 'xml-entity'],
      ['malformed XML', (xliff) => xliff.replace('</xliff>', ''), 'xml-malformed'],
      ['an inline code Ponte does not write', (xliff) => xliff.replace('Just one paragraph.', 'Just <sc id="x1"/>one.'), 'xliff-inline-unknown'],
      ['an inline code with a foreign id', (xliff) => xliff.replace('Just one paragraph.', 'Just <pc id="Script">one</pc>.'), 'xliff-inline-unknown'],
      ['a unit that does not exist', (xliff) => xliff.replace(/<unit id="p-[^"]+">/, '<unit id="p-00000000">'), 'xliff-unit-unknown'],
      ['a file that is not a post', (xliff) => xliff.replace('original="altro.md"', 'original="../../etc/passwd"'), 'xliff-unit-unknown'],
      ['a document that is not XLIFF', () => '<?xml version="1.0"?><html><body>no</body></html>', 'xliff-not-xliff']
    ]
    test.for(cases)('%s', async ([, spoil, ruleId], {expect}) => {
      const root = await pool.project({'content/it/altro.md': '# Altro\n\nSolo un paragrafo.\n'})
      await extract({root})
      const file = join(root, 'in.xlf')
      await xliffExport({root, out: file, copySource: true})
      await writeFile(file, spoil((await readFile(file, 'utf8')).replace('<target xml:space="preserve">Solo un paragrafo.</target>', '<target xml:space="preserve">Just one paragraph.</target>')))
      const before = await snapshot(root)
      const result = await ponte(['xliff', 'import', file, '--root', root])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`[${ruleId}]`)
      expect(result.stderr).toContain('nothing was imported')
      expect(result.stdout).toContain('0 file(s) written')
      expect(await snapshot(root)).toEqual(before)
    })
    test('a file over 100 MB is refused before it is read', async ({expect}) => {
      const root = await pool.project({'content/it/altro.md': '# Altro\n'})
      await extract({root})
      const file = join(root, 'huge.xlf')
      const handle = await open(file, 'w')
      await handle.truncate(100 * 1024 * 1024 + 1)
      await handle.close()
      const before = await snapshot(root)
      delete before['huge.xlf']
      const result = await ponte(['xliff', 'import', file, '--root', root])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('[xml-too-large]')
      const after = await snapshot(root)
      delete after['huge.xlf']
      expect(after).toEqual(before)
    })
  })

  test('usage errors exit 2', async () => {
    const root = await pool.project({'content/it/altro.md': '# Altro\n'})
    expect((await ponte(['xliff', '--root', root])).code).toBe(2)
    expect((await ponte(['xliff', 'export', '--root', root])).stderr).toContain('--out FILE is required')
    expect((await ponte(['xliff', 'export', '--out', 'x.xlf', '--version', '3.0', '--root', root])).code).toBe(2)
    expect((await ponte(['xliff', 'import', '--root', root])).code).toBe(2)
    expect((await ponte(['tm', 'frobnicate', '--root', root])).code).toBe(2)
  })
})

describe('inline codes round-trip', () => {
  // Values of generated Markdown, their text replaced by anything a translator could type.
  // (Control characters too: XML cannot hold them as they are.)
  const values = fc.tuple(inline, fc.array(fc.oneof(translatorText, fc.constant('a\u0001\u000b\u001f b')), {minLength: 1, maxLength: 4})).map(([markdown, pool]) => extractString(`${markdown}\n`).segments.map((segment) => retext(segment.value, pool)))
  const normal = (value: string): string => {
    const parsed = parseValue(value)
    return parsed.ok ? stringifyValue(parsed.nodes) : value
  }
  test.for(['2.0', '1.2'] as const)('through XLIFF %s, any value comes back as the same value', (version) => {
    fc.assert(
      fc.property(values, (list) => {
        for (const value of list) {
          const code = toXliffInline(value, version)
          if (code === undefined) continue
          // Nothing an XML 1.0 reader refuses.
          expect(code).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
          const unit = version === '2.0' ? `<file id="f1" original="a.md"><unit id="k"><segment><source>x</source><target>${code}</target></segment></unit></file>` : `<file original="a.md"><body><trans-unit id="k"><source>x</source><target>${code}</target></trans-unit></body></file>`
          const read = readXliff(`<?xml version="1.0"?><xliff version="${version}">${unit}</xliff>`)
          const target = read.ok ? read.units[0]?.target : undefined
          // A value that is only spaces has no target to read back.
          if (!value.trim()) continue
          expect(target).toEqual({ok: true, value: normal(value)})
        }
      }),
      {numRuns: 150}
    )
  })
  test('through TMX, any pair comes back as the same pair, and is written again byte for byte', () => {
    fc.assert(
      fc.property(values, (list) => {
        // (TMX is written for the memory, whose values come from catalogs: control characters aside.)
        const units = list.filter((value) => value.trim() && parseValue(value).ok && !/[\u0000-\u001f]/.test(value.replace(/[\t\n\r]/g, ''))).map((value) => ({source: value, target: value}))
        const tmx = writeTmx(units, {source: 'it', target: 'en'}, 'test')
        const read = readTmx(tmx, {source: 'it', target: 'en'})
        expect(read.ok && read.units.map((unit) => unit.source)).toEqual(units.map((unit) => normal(unit.source)))
        if (read.ok) expect(writeTmx(read.units, {source: 'it', target: 'en'}, 'test')).toBe(writeTmx(units.map((unit) => ({source: normal(unit.source), target: normal(unit.target)})), {source: 'it', target: 'en'}, 'test'))
      }),
      {numRuns: 150}
    )
  })
})

describe('TMX', () => {
  test('tm export writes every reviewed pair once, sorted; the same project gives the same bytes', async () => {
    const {root} = await translatedProject()
    const file = join(root, 'memory.tmx')
    const result = await tmExport({root, out: file})
    const tmx = await readFile(file, 'utf8')
    // Every translated segment but the stale heading, which is paired with the Italian it was written for.
    expect(result.units).toBe(8)
    expect(tmx).toContain('<tuv xml:lang="it"><seg>Come si installa</seg></tuv>\n      <tuv xml:lang="en"><seg>How to install</seg></tuv>')
    expect(tmx).toContain('<seg>Installa con <ph x="1" type="x-ponte-var">{{code1}}</ph>, poi leggi la <bpt i="2" x="2">&lt;a1&gt;</bpt>guida<ept i="2">&lt;/a1&gt;</ept>')
    await tmExport({root, out: file})
    expect(await readFile(file, 'utf8')).toBe(tmx)
  })

  test('tm import adds an external memory as a suggestion source, never as translations; the values round-trip', async () => {
    const {root: from} = await translatedProject()
    const file = join(from, 'memory.tmx')
    await tmExport({root: from, out: file})
    const root = await pool.project({'content/it/guida.md': source})
    await extract({root})
    const catalogs = await snapshot(root)
    const imported = await ponte(['tm', 'import', file, '--root', root])
    expect(imported.stderr).toBe('')
    expect(imported.stdout).toContain('tm import: 8 unit(s) added as a suggestion source (8 in the file); 1 file(s) written')
    const after = await snapshot(root)
    expect(Object.keys(after).filter((path) => after[path] !== catalogs[path])).toEqual(['locales/.ponte/imported-memory.json'])
    expect((await status({root})).totals).toMatchObject({translated: 0})
    const suggestions = (await suggest({root})).posts[0]?.segments ?? []
    const install = suggestions.find((segment) => segment.value.startsWith('Installa con'))
    expect(install?.suggestions[0]).toMatchObject({kind: 'exact', from: 'memory.tmx', target: `EN ${install?.value}`})
    // A second import adds nothing; exporting this project's memory gives no unit (none is its own).
    expect((await ponte(['tm', 'import', file, '--root', root])).stdout).toContain('0 unit(s) added')
    expect((await tmExport({root, out: join(root, 'own.tmx')})).units).toBe(0)
  })

  test('a hostile TMX is refused with nothing written', async () => {
    const root = await pool.project({'content/it/altro.md': '# Altro\n'})
    const file = join(root, 'bad.tmx')
    await writeFile(file, '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<tmx version="1.4"><body><tu><tuv xml:lang="it"><seg>&b;</seg></tuv><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>\n')
    const before = await snapshot(root)
    const result = await ponte(['tm', 'import', file, '--root', root])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('[xml-doctype]')
    expect(await snapshot(root)).toEqual(before)
  })
})
