import {parseTree, printParseErrorCode, type Node as JsonNode, type ParseError} from 'jsonc-parser'
import {lineStarts, locate} from '../segment/segment.js'
import {message, type Message} from '../report/message.js'

/** One entry of a catalog file, with where its value starts (for messages). */
export interface CatalogEntry {
  key: string
  value: string
  /** Offset of the value's opening quote in the file. */
  offset: number
  /** Offset of the key's opening quote in the file. */
  keyOffset: number
}

/** A parsed catalog: string entries in file order, plus problems with individual entries. */
export type ReadCatalog =
  | {ok: true; entries: Map<string, CatalogEntry>; messages: Message[]; text: string}
  | {ok: false; messages: Message[]}

const forbidden = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Parse a catalog file: a flat JSON object of strings. A file that is not valid JSON, or
 * not an object, fails as a whole (and must be left untouched); a duplicate key, a
 * forbidden key (`__proto__`) or a value that is not a string is reported and skipped.
 * Values live in a `Map`, so no key can pollute a prototype.
 *
 * @param text The file's contents.
 * @param file Its path relative to the root, for messages.
 */
export function readCatalog(text: string, file: string): ReadCatalog {
  const lines = lineStarts(text)
  const at = (offset: number): {line: number; column: number} => locate(lines, offset)
  const errors: ParseError[] = []
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text
  const tree = parseTree(body, errors, {disallowComments: true, allowTrailingComma: false, allowEmptyContent: false})
  if (errors.length > 0 || !tree) {
    const error = errors[0]
    return {
      ok: false,
      messages: [
        message(file, at(error?.offset ?? 0), 'error', 'catalog-syntax', `not valid JSON: ${error ? describeError(printParseErrorCode(error.error)) : 'empty file'}`, 'fix the JSON at this place; Ponte leaves the file untouched until then')
      ]
    }
  }
  if (tree.type !== 'object') {
    return {ok: false, messages: [message(file, at(tree.offset), 'error', 'catalog-not-object', `a catalog must be a JSON object of strings, not ${article(tree.type)}`, 'write {"key": "value", …}')]}
  }
  const entries = new Map<string, CatalogEntry>()
  const messages: Message[] = []
  for (const property of tree.children ?? []) {
    const [keyNode, valueNode] = property.children ?? []
    if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue
    const key = keyNode.value
    if (forbidden.has(key)) {
      messages.push(message(file, at(keyNode.offset), 'error', 'catalog-key-forbidden', `the key "${key}" is not allowed`, 'remove this entry'))
      continue
    }
    if (entries.has(key)) {
      messages.push(message(file, at(keyNode.offset), 'error', 'catalog-key-duplicate', `the key "${key}" appears twice; the first one is used`, 'keep one entry per key'))
      continue
    }
    if (valueNode.type !== 'string' || typeof valueNode.value !== 'string') {
      messages.push(message(file, at(valueNode.offset), 'error', 'catalog-value-type', `the value of "${key}" is ${article(valueNode.type)}, not a string`, 'write the translation as a JSON string'))
      continue
    }
    entries.set(key, {key, value: valueNode.value, offset: valueNode.offset, keyOffset: keyNode.offset})
  }
  return {ok: true, entries, messages, text}
}

/**
 * Line and column in a catalog file of an entry's key.
 *
 * @param text The catalog file.
 * @param entry The entry.
 */
export function keyPlace(text: string, entry: CatalogEntry): {line: number; column: number} {
  return locate(startsOf(text), entry.keyOffset)
}

/**
 * Line and column in a catalog file of a character of a value, given the value's
 * offset and an index into the decoded string (JSON escapes are walked over).
 *
 * @param text The catalog file.
 * @param entry The entry.
 * @param index Index in the decoded value.
 */
export function valuePlace(text: string, entry: CatalogEntry, index: number): {line: number; column: number} {
  let offset = entry.offset + 1
  for (let decoded = 0; decoded < index && offset < text.length; decoded++) {
    if (text[offset] === '\\') offset += text[offset + 1] === 'u' ? 6 : 2
    else offset += 1
  }
  return locate(startsOf(text), offset)
}

let lastStarts: {text: string; starts: number[]} | undefined

/** Line starts of the catalog last asked about: a build places many findings in one catalog. */
function startsOf(text: string): number[] {
  if (lastStarts?.text !== text) lastStarts = {text, starts: lineStarts(text)}
  return lastStarts.starts
}

function article(type: JsonNode['type']): string {
  return type === 'array' || type === 'object' ? `an ${type}` : type === 'null' ? 'null' : `a ${type}`
}

function describeError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}
