/**
 * The forms of an Italian word a glossary term matches: itself and its regular plural
 * (`rete` → `reti`, `azienda` → `aziende`, `problema` → `problemi`, `banca` → `banche`,
 * `amico` → `amici`, `lago` → `laghi`, `negozio` → `negozi`). Words ending otherwise (a
 * consonant, an accented vowel: `social`, `città`) do not change.
 *
 * @param word A lowercase word.
 */
export function italianForms(word: string): string[] {
  const stem = word.slice(0, -1)
  if (/(?:c|g)a$/.test(word)) return [word, `${stem}he`]
  if (/(?:c|g)o$/.test(word)) return [word, `${stem}hi`, `${stem}i`]
  if (word.endsWith('io')) return [word, stem]
  if (word.endsWith('a')) return [word, `${stem}e`, `${stem}i`]
  if (word.endsWith('o') || word.endsWith('e')) return [word, `${stem}i`]
  return [word]
}

/**
 * The forms of an English word a glossary term's translation matches: itself and its
 * regular plural (`network` → `networks`, `business` → `businesses`, `company` → `companies`).
 *
 * @param word A lowercase word.
 */
export function englishForms(word: string): string[] {
  if (/[^aeiou]y$/.test(word)) return [word, `${word.slice(0, -1)}ies`]
  if (/(?:s|x|z|ch|sh)$/.test(word)) return [word, `${word}es`]
  return [word, `${word}s`]
}

/**
 * The words of a text, lowercased, tags and interpolations left out; an apostrophe ends a
 * word, so an elided article stands apart (`dell'azienda` → `dell`, `azienda`).
 *
 * @param text A catalog value or a term.
 */
export function wordsOf(text: string): string[] {
  return text.replace(/<[^<>]*>|\{\{[^{}]*\}\}/g, ' ').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
}

/**
 * Whether the words of a text contain a term's words in a row, each in one of its forms.
 *
 * @param words The text's words (`wordsOf`).
 * @param term Each of the term's words with its accepted forms.
 */
export function containsTerm(words: readonly string[], term: ReadonlyArray<readonly string[]>): boolean {
  if (term.length === 0) return false
  for (let start = 0; start + term.length <= words.length; start++) {
    let all = true
    for (let index = 0; index < term.length && all; index++) all = term[index]?.includes(words[start + index] ?? '') ?? false
    if (all) return true
  }
  return false
}
