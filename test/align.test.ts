import {describe, expect, test} from 'vitest'
import {alignKeys, similarity, type PreviousEntry} from '../src/catalog/align.js'
import {fingerprint} from '../src/catalog/keys.js'
import {extractString} from './support/pipeline.js'

const doc = (paragraphs: readonly string[]): string => paragraphs.join('\n\n') + '\n'
const base = [
  'Alfa è il primo paragrafo del documento di prova.',
  'Beta racconta qualcosa di diverso su un altro tema.',
  'Gamma descrive i vantaggi principali del metodo.',
  'Delta spiega la differenza tra due approcci.',
  'Epsilon chiude il documento con una conclusione.'
]

function previousOf(paragraphs: readonly string[]): PreviousEntry[] {
  const {keys, segments} = extractString(doc(paragraphs))
  return segments.map((segment, index) => ({key: keys[index] ?? '', value: segment.value}))
}

function align(before: readonly string[], after: readonly string[], archived = new Map<string, string>()) {
  const previous = previousOf(before)
  const {segments} = extractString(doc(after))
  const result = alignKeys(segments, previous, archived)
  const keyOf = (text: string): string | undefined => previous.find((entry) => entry.value === text)?.key
  return {result, keyOf, previous}
}

describe('alignKeys', () => {
  test('an insertion moves no other key', () => {
    const {result, keyOf} = align(base, ['Un paragrafo tutto nuovo in cima.', ...base])
    expect(result.keys.slice(1)).toEqual(base.map(keyOf))
    expect(result.origins).toEqual(['new', 'same', 'same', 'same', 'same', 'same'])
  })
  test('a deletion moves no other key and reports the removed entry', () => {
    const {result, keyOf} = align(base, [base[0], base[1], base[3], base[4]] as string[])
    expect(result.keys).toEqual([base[0], base[1], base[3], base[4]].map((text) => keyOf(text ?? '')))
    expect(result.removed.map((entry) => entry.value)).toEqual([base[2]])
  })
  test('a move keeps the key', () => {
    const moved = [base[1], base[2], base[3], base[4], base[0]] as string[]
    const {result, keyOf} = align(base, moved)
    expect(result.keys).toEqual(moved.map(keyOf))
    expect(result.origins.every((origin) => origin === 'same')).toBe(true)
  })
  test('an edit keeps the key of the paragraph it replaces', () => {
    const edited = [...base]
    edited[2] = 'Gamma descrive i vantaggi fondamentali del metodo.'
    const {result, keyOf} = align(base, edited)
    expect(result.keys[2]).toBe(keyOf(base[2] ?? ''))
    expect(result.origins[2]).toBe('edited')
    expect(result.previous.get(2)).toBe(base[2])
  })
  test('an edit next to an insertion and a deletion still finds its entry', () => {
    const edited = ['Nuovo paragrafo.', base[0], 'Beta racconta qualcosa di nuovo su un altro tema.', base[3], base[4]] as string[]
    const {result, keyOf} = align(base, edited)
    expect(result.keys[2]).toBe(keyOf(base[1] ?? ''))
    expect(result.removed.map((entry) => entry.value)).toEqual([base[2]])
  })
  test('a split keeps the key on the more similar half; the other half is new', () => {
    const split = [base[0], 'Beta racconta qualcosa di diverso.', 'Su un altro tema, poi.', base[2], base[3], base[4]] as string[]
    const {result, keyOf} = align(base, split)
    expect(result.keys[1]).toBe(keyOf(base[1] ?? ''))
    expect(result.origins[2]).toBe('new')
  })
  test('a merge keeps one key and removes the other', () => {
    const merged = [base[0], `${base[1]} ${base[2]}`, base[3], base[4]] as string[]
    const {result} = align(base, merged)
    expect(result.origins[1]).toBe('edited')
    expect(result.removed).toHaveLength(1)
  })
  test('duplicate paragraphs pair up in order and keep distinct keys', () => {
    const twice = [base[0], base[1], base[0]] as string[]
    const {result, previous} = align(twice, [base[1], base[0], base[0]] as string[])
    expect(new Set(result.keys).size).toBe(3)
    expect(result.keys[1]).toBe(previous[0]?.key)
    expect(result.keys[2]).toBe(previous[2]?.key)
  })
  test('a text that comes back takes its archived key', () => {
    const archived = new Map([[fingerprint(base[2] ?? ''), 'p-archived']])
    const {result} = align([base[0], base[1]] as string[], [base[0], base[1], base[2]] as string[], archived)
    expect(result.keys[2]).toBe('p-archived')
    expect(result.origins[2]).toBe('restored')
  })
  test('unrelated new text never steals a key', () => {
    const {result} = align(base, [...base.slice(0, 2), 'Completamente diverso, senza parole in comune: xyz.', ...base.slice(2)])
    expect(result.origins[2]).toBe('new')
  })
  test('similarity is 1 for equal text and low for unrelated text', () => {
    expect(similarity('ciao mondo', 'ciao mondo')).toBe(1)
    expect(similarity('ciao <em1>mondo</em1>', 'ciao mondo')).toBeGreaterThan(0.9)
    expect(similarity('abc', 'xyz')).toBe(0)
  })
})
