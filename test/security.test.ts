import {describe, expect, test} from 'vitest'
import {buildString, extractString, structureDifference} from './support/pipeline.js'

const post = `---
title: Un titolo
---

# Intestazione

Un paragrafo con *enfasi* e [un link](https://esempio.it).

| a | b |
|---|---|
| uno | due |
`

const attacks = [
  '<script>alert(1)</script>',
  'Testo <img src=x onerror=alert(1)>',
  '<a1 href="javascript:alert(1)">x</a1>',
  '<iframe src="https://evil.example"></iframe>',
  'x <em1>y</em1> <em1>z</em1>',
  '<style>body{display:none}</style>',
  '{{ site.secret }}',
  '{{x9}}'
]

describe('untrusted translations', () => {
  test.each(attacks)('%s never reaches the edition as HTML or markup', (attack) => {
    const {keys} = extractString(post)
    const built = buildString(post, (value, key) => (key === keys[2] || key === keys[0] ? attack : value))
    expect(structureDifference(post, built.edition)).toBeUndefined()
    expect(built.edition).not.toMatch(/<script|<img|<iframe|<style|javascript:/i)
    expect(built.refused.length).toBeGreaterThan(0)
  })

  test('markup typed as text comes out literal, and escaped text is text', () => {
    const built = buildString(post, (value) => (value.startsWith('Un paragrafo') ? '&lt;script>alert(1)&lt;/script> <em1>ok</em1> <a1>ok</a1> # | * _ `' : value))
    expect(built.refused).toEqual([])
    expect(structureDifference(post, built.edition)).toBeUndefined()
    expect(built.edition).toContain('\\<script>alert(1)\\</script>')
  })

  test('a pipe in a table cell stays in its cell', () => {
    const built = buildString(post, (value) => (value === 'uno' ? 'one | two | three' : value))
    expect(built.refused).toEqual([])
    expect(built.edition).toContain('| one \\| two \\| three | due |')
  })

  test('a URL cannot be changed and a javascript: link cannot be added', () => {
    const built = buildString(post, (value) => (value.startsWith('Un paragrafo') ? 'See [here](javascript:alert(1)) and <a1>there</a1> and <em1>x</em1>' : value))
    expect(structureDifference(post, built.edition)).toBeUndefined()
    expect(built.edition).toContain('[there](https://esempio.it)')
    expect(built.edition).not.toMatch(/\]\(javascript:/)
  })

  test('a translation that drops, repeats or re-nests tags is refused with a reason', () => {
    const cases: Array<[string, string]> = [
      ['Only text', 'value-tag-missing'],
      ['<em1>a</em1> <em1>b</em1> <a1>c</a1>', 'value-tag-duplicate'],
      ['<a1><em1>a</em1></a1>', 'value-tag-nesting']
    ]
    for (const [translation, ruleId] of cases) {
      const built = buildString(post, (value) => (value.startsWith('Un paragrafo') ? translation : value))
      expect(built.refused.map((refusal) => refusal.problem.ruleId)).toEqual([ruleId])
      expect(built.edition).toBe(post)
    }
  })
})
