import fc from 'fast-check'
import {escapeValueText} from '../../src/catalog/escape.js'

const words = ['ciao', 'mondo', 'perché', 'città', 'più', 'lavoro', 'rete', 'a', 'è', '1.', '#', '+', '-', '>', '*', '_', '`', '[', ']', '(', ')', '!', '|', '<', '&', '{{', '}}', '{%', ':::', '~', '$', '\\', 'www.esempio.it', 'x@y.it', '1)']
const plainWords = ['ciao', 'mondo', 'perché', 'città', 'più', 'lavoro', 'rete', 'dati', 'è']

const word = fc.constantFrom(...plainWords)
const text = fc.array(word, {minLength: 1, maxLength: 5}).map((list) => list.join(' '))

/** Inline Markdown: text with emphasis, strong, links, code, images, HTML and breaks. */
export const inline: fc.Arbitrary<string> = fc.letrec((tie) => ({
  item: fc.oneof(
    {weight: 5, arbitrary: text},
    {weight: 1, arbitrary: text.map((value) => `*${value}*`)},
    {weight: 1, arbitrary: text.map((value) => `_${value}_`)},
    {weight: 1, arbitrary: text.map((value) => `**${value}**`)},
    {weight: 1, arbitrary: text.map((value) => `~~${value}~~`)},
    {weight: 1, arbitrary: fc.tuple(text, fc.constantFrom('https://esempio.it/a', '/b', '#c')).map(([label, url]) => `[${label}](${url})`)},
    {weight: 1, arbitrary: fc.tuple(text, text).map(([label, title]) => `[${label}](/u "${title}")`)},
    {weight: 1, arbitrary: text.map((value) => `\`${value}\``)},
    {weight: 1, arbitrary: text.map((value) => `![${value}](/img.png)`)},
    {weight: 1, arbitrary: fc.constant('<span>')},
    {weight: 1, arbitrary: fc.constant('{{ page.title }}')},
    {weight: 1, arbitrary: fc.constant('[^1]')},
    {weight: 1, arbitrary: fc.constant('https://www.esempio.it')},
    {weight: 1, arbitrary: tie('line').map((value) => `*${value}*`)}
  ),
  line: fc.array(tie('item') as fc.Arbitrary<string>, {minLength: 1, maxLength: 4}).map((items) => items.join(' '))
})).line as fc.Arbitrary<string>

const paragraph = fc.array(inline, {minLength: 1, maxLength: 3}).map((lines) => lines.join('\n'))

/** A Markdown document of nested blocks of every kind. */
export const documents: fc.Arbitrary<string> = fc
  .letrec((tie) => ({
    block: fc.oneof(
      {depthSize: 'small', withCrossShrink: true},
      {weight: 4, arbitrary: paragraph},
      {weight: 1, arbitrary: fc.tuple(fc.integer({min: 1, max: 6}), inline).map(([depth, content]) => `${'#'.repeat(depth)} ${content}`)},
      {weight: 1, arbitrary: fc.tuple(inline, fc.constantFrom('=', '-')).map(([content, marker]) => `${content}\n${marker.repeat(3)}`)},
      {weight: 1, arbitrary: fc.tuple(fc.constantFrom('-', '*', '+', '1.', '3)'), fc.array(tie('block') as fc.Arbitrary<string>, {minLength: 1, maxLength: 3})).map(([marker, items]) => items.map((item, index) => `${/\d/.test(marker) ? marker.replace(/\d+/, String(index + 1)) : marker} ${indent(item, marker.length + 1)}`).join('\n'))},
      {weight: 1, arbitrary: (tie('block') as fc.Arbitrary<string>).map((content) => content.split('\n').map((line) => `> ${line}`).join('\n'))},
      {weight: 1, arbitrary: text.map((value) => '```js\n' + value + '\n```')},
      {weight: 1, arbitrary: fc.tuple(inline, inline).map(([a, b]) => `| ${a.replace(/\|/g, '')} | ${b.replace(/\|/g, '')} |\n| :-- | --: |\n| ${b.replace(/\|/g, '')} | ${a.replace(/\|/g, '')} |`)},
      {weight: 1, arbitrary: fc.constant('<div class="nota">\nciao\n</div>')},
      {weight: 1, arbitrary: inline.map((value) => `[^1]: ${value}`)},
      {weight: 1, arbitrary: fc.constant('---')}
    ),
    document: fc.array(tie('block') as fc.Arbitrary<string>, {minLength: 1, maxLength: 5}).map((blocks) => blocks.join('\n\n') + '\n')
  }))
  .document as fc.Arbitrary<string>

function indent(value: string, width: number): string {
  return value.split('\n').map((line, index) => (index === 0 || line === '' ? line : ' '.repeat(width) + line)).join('\n')
}

/** Arbitrary text a translator could type: Unicode, Markdown metacharacters, tag-like text. */
export const translatorText: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...words), {minLength: 1, maxLength: 8}).map((list) => list.join(' ')),
  fc.string({unit: 'grapheme', minLength: 1, maxLength: 20}),
  fc.string({unit: fc.constantFrom('*', '_', '`', '[', ']', '(', ')', '<', '>', '#', '|', '\\', '!', '&', ' ', 'a', '\n', '~', '$', '{', '}', ':'), minLength: 1, maxLength: 20})
)

/**
 * Replace the text runs of a value (outside tags and interpolations) with translator text,
 * escaped so it is literal.
 *
 * @param value An Italian value.
 * @param pool Texts to use, in turn.
 */
export function retext(value: string, pool: readonly string[]): string {
  let index = 0
  return value.replace(/(<[^<>]*>|\{\{[^{}]*\}\}|&[#\w]+;)|([^<{&]+|[<{&])/g, (_, markup: string | undefined) => {
    if (markup) return markup
    const next = pool[index++ % pool.length] ?? 'x'
    return escapeValueText(next)
  })
}
