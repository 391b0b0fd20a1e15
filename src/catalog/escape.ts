/**
 * How literal text is written in a catalog value, as data: each record says what is
 * escaped, how, and why. Only what would otherwise be read as markup is escaped, so
 * values stay readable: `Ricerca & Sviluppo` and `a < b` are written as they are.
 */
export const valueEscapes: ReadonlyArray<{pattern: RegExp; replace: string; why: string}> = [
  {
    pattern: /&(?=(?:lt|gt|amp|#123|#125);)/g,
    replace: '&amp;',
    why: 'An ampersand that would read as one of the five references Ponte decodes.'
  },
  {
    pattern: /<(?=[A-Za-z/!?])/g,
    replace: '&lt;',
    why: 'A less-than sign before a letter, `/`, `!` or `?` would read as a tag.'
  },
  {
    pattern: /\{(?=\{)/g,
    replace: '&#123;',
    why: 'Two opening braces would read as an interpolation `{{name}}`.'
  }
]

const references: Readonly<Record<string, string>> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&#123;': '{',
  '&#125;': '}'
}

/**
 * Escape literal text for a catalog value.
 *
 * @param text Text as a reader sees it.
 */
export function escapeValueText(text: string): string {
  let result = text
  for (const escape of valueEscapes) result = result.replace(escape.pattern, escape.replace)
  return result
}

/**
 * Decode the five references of a catalog value's text (`&lt;`, `&gt;`, `&amp;`,
 * `&#123;`, `&#125;`); any other `&` is literal.
 *
 * @param text Text between tags of a catalog value.
 */
export function unescapeValueText(text: string): string {
  return text.replace(/&(?:lt|gt|amp|#123|#125);/g, (match) => references[match] ?? match)
}
