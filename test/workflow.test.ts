import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, test} from 'vitest'
import {build} from '../src/commands/build.js'
import {extract} from '../src/commands/extract.js'
import {status} from '../src/commands/status.js'
import {makeProject, ponte, readJson, snapshot} from './support/project.js'

// The translator's scenario of the workflow issue, run as an editor and a translator would.
const paragraphs = [
  'Il primo paragrafo parla di reti sociali e di lavoro.',
  'Il secondo paragrafo racconta una storia di imprese artigiane.',
  'Il terzo paragrafo descrive i vantaggi principali del networking.',
  'Il quarto paragrafo spiega la differenza tra online e offline.',
  'Il quinto paragrafo elenca alcune piattaforme emergenti.',
  'Il sesto paragrafo guarda al futuro delle relazioni digitali.',
  'Il settimo paragrafo conclude con qualche consiglio pratico.',
  'L’ottavo paragrafo ringrazia i lettori.'
]
const english = paragraphs.map((_, index) => `English paragraph number ${index + 1}.`)
const post = (items: readonly string[]): string => `---\ntitle: Reti e lavoro\n---\n\n# Un titolo\n\n${items.join('\n\n')}\n`
const it = 'locales/it/blog/reti.json'
const en = 'locales/en/blog/reti.json'
const old = 'locales/en/blog/reti_old.json'

describe('translator workflow', () => {
  test('edits in the Italian never lose a translation', async () => {
    const root = await makeProject({'content/it/blog/reti.md': post(paragraphs)})
    await extract({root})
    const italian = await readJson(root, it)
    const keyOf = (text: string): string => Object.keys(italian).find((key) => italian[key] === text) ?? ''
    const keys = paragraphs.map(keyOf)
    expect(new Set(keys).size).toBe(8)

    // A fully translated post.
    const translated = await readJson(root, en)
    translated['fm-title'] = 'Networks and work'
    translated[keyOf('Un titolo')] = 'A title'
    keys.forEach((key, index) => (translated[key] = english[index] ?? ''))
    await writeFile(join(root, en), JSON.stringify(translated, null, 2) + '\n')
    await build({root})
    expect((await status({root})).totals).toMatchObject({segments: 10, translated: 10, stale: 0, missing: 0})

    // The editor inserts a paragraph at the top, changes a word in the third, deletes the
    // fifth and moves the sixth to the end.
    const edited = [
      'Un paragrafo nuovo in cima al post.',
      paragraphs[0],
      paragraphs[1],
      (paragraphs[2] ?? '').replace('principali', 'fondamentali'),
      paragraphs[3],
      paragraphs[6],
      paragraphs[7],
      paragraphs[5]
    ] as string[]
    await writeFile(join(root, 'content/it/blog/reti.md'), post(edited))
    expect((await ponte(['check', '--root', root])).code).toBe(1)

    await extract({root})
    const italianAfter = await readJson(root, it)
    const englishAfter = await readJson(root, en)
    // Untouched and moved paragraphs keep key and translation.
    for (const index of [0, 1, 3, 5, 6, 7]) {
      const key = keys[index] ?? ''
      expect(italianAfter[key]).toBe(paragraphs[index])
      expect(englishAfter[key]).toBe(english[index])
    }
    // The edited one keeps its key and shows its previous translation, counted stale.
    expect(italianAfter[keys[2] ?? '']).toBe(edited[3])
    expect(englishAfter[keys[2] ?? '']).toBe(english[2])
    const report = await status({root})
    expect(report.totals).toMatchObject({segments: 10, stale: 1, missing: 1})
    expect(report.posts[0]?.staleKeys).toEqual([{key: keys[2], was: paragraphs[2]}])
    // The inserted one is missing; the deleted one's English is parked in _old.json.
    const newKey = Object.keys(italianAfter).find((key) => italianAfter[key] === edited[0]) ?? ''
    expect(englishAfter[newKey]).toBe('')
    expect(await readJson(root, old)).toEqual({[keys[4] ?? '']: english[4]})
    expect(Object.keys(englishAfter)).not.toContain(keys[4])

    const built = await ponte(['build', '--root', root])
    expect(built.code).toBe(0)
    expect((await ponte(['check', '--root', root])).code).toBe(0)
    const strict = await ponte(['check', '--strict', '--root', root])
    expect(strict.code).toBe(1)
    expect(strict.stderr).toContain('translation-stale')
    expect(strict.stderr).toContain('translation-missing')

    // The translator updates the two entries.
    englishAfter[keys[2] ?? ''] = 'English paragraph number 3, revised.'
    englishAfter[newKey] = 'A new paragraph at the top of the post.'
    await writeFile(join(root, en), JSON.stringify(englishAfter, null, 2) + '\n')
    expect((await status({root})).totals).toMatchObject({stale: 0, missing: 0, translated: 10})
    expect((await ponte(['build', '--root', root])).code).toBe(0)
    expect((await ponte(['extract', '--root', root])).code).toBe(0)
    expect((await ponte(['check', '--strict', '--root', root])).code).toBe(0)
    const edition = await readFile(join(root, 'content/en/blog/reti.md'), 'utf8')
    expect(edition).toContain('A new paragraph at the top of the post.\n\nEnglish paragraph number 1.')
    expect(edition).toContain('English paragraph number 3, revised.')
    expect(edition.trimEnd().endsWith('English paragraph number 6.')).toBe(true)

    // Running extract and build again changes no byte.
    const before = await snapshot(root)
    await extract({root})
    await build({root})
    expect(await snapshot(root)).toEqual(before)

    // Restoring the deleted paragraph brings its old translation back.
    await writeFile(join(root, 'content/it/blog/reti.md'), post([...edited, paragraphs[4] ?? '']))
    await extract({root})
    expect((await readJson(root, en))[keys[4] ?? '']).toBe(english[4])
    expect(await readJson(root, old)).toEqual({})
    expect((await status({root})).totals).toMatchObject({stale: 0, missing: 0})
  })
})
