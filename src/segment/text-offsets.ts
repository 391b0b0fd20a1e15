import {decodeNamedCharacterReference} from 'decode-named-character-reference'

const reference = /^&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([A-Za-z][A-Za-z\d]{0,31}));/

/**
 * Map each index of a text node's value to the offset in its source slice where that
 * character comes from, across backslash escapes, character references and the line
 * prefixes (`> `, indentation) that the value leaves out.
 *
 * @param value The text node's value.
 * @param raw The source bytes the node spans.
 * @returns An array of `value.length + 1` offsets into `raw`.
 */
export function mapTextOffsets(value: string, raw: string): number[] {
  const map: number[] = []
  let i = 0
  let j = 0
  while (i < value.length) {
    map[i] = j
    const char = value[i]
    if (j >= raw.length) {
      i++
      continue
    }
    if (raw[j] === char) {
      i++
      j++
      continue
    }
    if (raw[j] === '\\' && raw[j + 1] === char) {
      map[i] = j
      i++
      j += 2
      continue
    }
    if (raw[j] === '&') {
      const match = reference.exec(raw.slice(j, j + 40))
      const decoded = match ? decodeReference(match) : undefined
      if (match && decoded && value.startsWith(decoded, i)) {
        for (let k = 0; k < decoded.length; k++) map[i + k] = j
        i += decoded.length
        j += match[0].length
        continue
      }
    }
    j++
  }
  map[value.length] = raw.length
  return map
}

function decodeReference(match: RegExpExecArray): string | undefined {
  const [, decimal, hex, name] = match
  if (name) {
    const decoded = decodeNamedCharacterReference(name)
    return decoded === false ? undefined : decoded
  }
  const code = Number.parseInt(decimal ?? hex ?? '', decimal ? 10 : 16)
  if (!Number.isFinite(code) || code > 0x10ffff) return '\uFFFD'
  return code === 0 || (code >= 0xd800 && code <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(code)
}
