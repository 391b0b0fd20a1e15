import {parse, Scalar} from 'yaml'

/**
 * Write a translated front matter value as a YAML scalar that keeps the source's style
 * where it can (plain stays plain, single quotes stay single) and always reads back as
 * exactly the translated string; block scalars become double-quoted.
 *
 * @param text The translated value.
 * @param type The source scalar's type (`PLAIN`, `QUOTE_SINGLE`, …).
 * @param field The field name, to check the candidate in context.
 * @param original The source bytes of the scalar (its trailing line break is kept).
 */
export function renderScalar(text: string, type: string, field: string, original: string): string | undefined {
  const trailing = /(?:\r?\n)*$/.exec(original)?.[0] ?? ''
  const candidates: string[] = []
  const oneLine = !/[\r\n\u2028\u2029]/.test(text)
  if (type === Scalar.PLAIN && oneLine) candidates.push(text)
  if (type === Scalar.QUOTE_SINGLE && oneLine) candidates.push(`'${text.replace(/'/g, "''")}'`)
  if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) {
    // Keep the block style: its header line, and its indentation for every line of text.
    const header = /^[|>][^\r\n]*/.exec(original)?.[0] ?? '|'
    const eol = /\r\n/.test(original) ? '\r\n' : '\n'
    const indent = /(?:\r?\n)([ \t]+)\S/.exec(original)?.[1] ?? '  '
    const lines = text.split('\n')
    if (lines.every((line) => line === '' || !/^\s/.test(line))) {
      const block = header + eol + lines.map((line) => (line ? indent + line : '')).join(eol)
      if (readsBack(field, block.replace(/\r\n/g, '\n') + '\n', text, true)) return block + (trailing || eol)
    }
  }
  candidates.push(JSON.stringify(text).replace(/[\u2028\u2029\u0085]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`))
  for (const candidate of candidates) {
    if (readsBack(field, candidate, text)) return candidate + trailing
  }
  return undefined
}

function readsBack(field: string, candidate: string, text: string, block = false): boolean {
  try {
    const value: unknown = parse(`${JSON.stringify(field)}: ${candidate}\n`, {uniqueKeys: true, maxAliasCount: 0})
    const read = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined
    const expected = block && typeof read === 'string' ? read.replace(/\n$/, '') : read
    return expected === text && Object.keys(value as object).length === 1
  } catch {
    // catch: the YAML parser's errors: a candidate that does not parse does not read back.
    return false
  }
}
