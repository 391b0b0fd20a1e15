import {readdirSync, readFileSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, test} from 'vitest'
import {buildString, commonmarkExamples, extractString, hostile, hostilePrefix, structureDifference, upperCase} from './support/pipeline.js'

const gfmPath = join(import.meta.dirname, 'spec', 'gfm-spec.json')
// The examples are inputs of the suite, not optional: a missing or emptied file fails (below), never zero cases that pass.
const gfm: Array<{example: number; section: string; extension: string | null; markdown: string}> = existsSync(gfmPath) ? JSON.parse(readFileSync(gfmPath, 'utf8')) : []
const fixtures = readdirSync(join(import.meta.dirname, 'fixtures'), {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({name: entry.name, markdown: readFileSync(join(import.meta.dirname, 'fixtures', entry.name, 'input.md'), 'utf8')}))

const corpora = [
  {name: 'CommonMark 0.31.2', cases: (await commonmarkExamples()).map((item) => ({name: `example ${item.example} (${item.section})`, markdown: item.markdown}))},
  {name: 'GFM spec', cases: gfm.map((item) => ({name: `example ${item.example} (${item.section})`, markdown: item.markdown}))},
  {name: 'fixtures', cases: fixtures}
]

test('every corpus is there: the GFM spec examples, CommonMark\'s and the fixtures', () => {
  expect(existsSync(gfmPath), `${gfmPath} is missing: restore it from git (test/spec/README.md says where it comes from)`).toBe(true)
  // The GFM spec file holds 673 examples, CommonMark 0.31.2 has 652.
  expect(corpora.map((corpus) => [corpus.name, corpus.cases.length >= (corpus.name === 'fixtures' ? 20 : 600)])).toEqual(corpora.map((corpus) => [corpus.name, true]))
})

for (const corpus of corpora) {
  describe(`${corpus.name}: the three properties on every document`, () => {
    test.each(corpus.cases)('$name', ({markdown}) => {
      // (a) Italian values copied to English rebuild the post byte for byte.
      expect(buildString(markdown, (value) => value).edition).toBe(markdown)
      // (b) Upper-cased text keeps the tree.
      const upper = buildString(markdown, upperCase)
      expect(structureDifference(markdown, upper.edition)).toBeUndefined()
      expect(upper.refused).toEqual([])
      // (c) Block and inline syntax typed by a translator stays literal text.
      const wrapped = buildString(markdown, hostile)
      expect(structureDifference(markdown, wrapped.edition)).toBeUndefined()
      expect(wrapped.refused.map((refusal) => refusal.problem.reason)).toEqual([])
    })
  })
}

describe('the properties are not vacuous', () => {
  test('translations do change the edition', () => {
    const markdown = '# Titolo\n\nUn *paragrafo* con [un link](/x).\n'
    const upper = buildString(markdown, upperCase)
    expect(upper.edition).toBe('# TITOLO\n\nUN *PARAGRAFO* CON [UN LINK](/x).\n')
    const wrapped = buildString(markdown, hostile)
    expect(wrapped.edition).toContain(hostilePrefix.replace('1.', '1\\.'))
    expect(extractString(markdown).segments).toHaveLength(2)
  })
  test('a structural change is detected', () => {
    expect(structureDifference('# a\n', '## a\n')).toBeDefined()
    expect(structureDifference('a *b*\n', 'a b\n')).toBeDefined()
    expect(structureDifference('- a\n', '1. a\n')).toBeDefined()
    expect(structureDifference('`a`\n', '`b`\n')).toBeDefined()
    expect(structureDifference('[a](/x)\n', '[a](/y)\n')).toBeDefined()
    expect(structureDifference('a\n', 'A\n')).toBeUndefined()
  })
})
