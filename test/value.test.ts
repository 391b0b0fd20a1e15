import fc from 'fast-check'
import {describe, expect, test} from 'vitest'
import {escapeValueText, unescapeValueText} from '../src/catalog/escape.js'
import {parseValue, stringifyValue} from '../src/segment/tagged.js'

describe('catalog values', () => {
  test('literal text round-trips through escaping, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom('<', '>', '&', '{', '}', 'a', 'lt;', 'amp;', '#123;', '/', ' ', 'é')}), (text) => {
        const parsed = parseValue(escapeValueText(text))
        expect(parsed.ok).toBe(true)
        if (parsed.ok) expect(stringifyValue(parsed.nodes)).toBe(escapeValueText(text))
        expect(unescapeValueText(escapeValueText(text))).toBe(text)
      })
    )
  })
  test('ordinary text is not escaped', () => {
    expect(escapeValueText('Ricerca & Sviluppo: a < b, {x}')).toBe('Ricerca & Sviluppo: a < b, {x}')
    expect(escapeValueText('<b> e {{x}} e &amp;')).toBe('&lt;b> e &#123;{x}} e &amp;amp;')
  })
  test('tags, interpolations and breaks parse into a tree', () => {
    const parsed = parseValue('Un <em1>bel <a1>link</a1></em1> {{code1}}<br/>fine')
    expect(parsed.ok && stringifyValue(parsed.nodes)).toBe('Un <em1>bel <a1>link</a1></em1> {{code1}}<br/>fine')
  })
  test.each([
    ['<script src=x></script>', 'value-tag-attribute'],
    ['<foo-bar>x</foo-bar>', 'value-tag-unknown'],
    ['<img src=x onerror=alert(1)>', 'value-tag-attribute'],
    ['<em1 class="x">a</em1>', 'value-tag-attribute'],
    ['<em1>a', 'value-tag-unbalanced'],
    ['a</em1>', 'value-tag-unbalanced'],
    ['<em1><a1>a</em1></a1>', 'value-tag-unbalanced'],
    ['{{ nope }', 'value-placeholder-malformed'],
    ['<!-- x -->', 'value-tag-malformed']
  ])('%s is refused (%s)', (value, ruleId) => {
    const parsed = parseValue(value)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.problem.ruleId).toBe(ruleId)
  })
})
