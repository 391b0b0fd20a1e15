import {XMLParser, XMLValidator} from 'fast-xml-parser'

/** An element or a text of an XML document, with references decoded. */
export type XmlNode = {type: 'element'; name: string; attributes: Map<string, string>; children: XmlNode[]} | {type: 'text'; value: string}

/** Why an XML document was refused. */
export interface XmlProblem {
  ruleId: string
  reason: string
  line?: number
  column?: number
}

/** The largest interchange file read (XLIFF, TMX): larger ones are refused before parsing. */
export const maxXmlBytes = 100 * 1024 * 1024

const predefined: Readonly<Record<string, string>> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"}

/**
 * Parse an untrusted XML document (XLIFF, TMX): a document type declaration is refused
 * (no entity can be declared, so none is expanded), the parser's own entity processing is
 * off, and only the five predefined references and character references are decoded;
 * any other reference is refused.
 *
 * @param text The document.
 */
export function parseXml(text: string): {ok: true; nodes: XmlNode[]} | {ok: false; problem: XmlProblem} {
  const doctype = /<!DOCTYPE|<!ENTITY/i.exec(text)
  if (doctype) return {ok: false, problem: {ruleId: 'xml-doctype', reason: 'the file has a document type declaration (<!DOCTYPE or <!ENTITY): refused, as entities could expand or reach outside the file', ...placeOf(text, doctype.index)}}
  const valid = XMLValidator.validate(text, {allowBooleanAttributes: false})
  if (valid !== true) return {ok: false, problem: {ruleId: 'xml-malformed', reason: `not well-formed XML: ${valid.err.msg}`, line: valid.err.line, column: valid.err.col}}
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    cdataPropName: '#cdata'
  })
  const raw = parser.parse(text) as unknown
  try {
    return {ok: true, nodes: convert(raw)}
  } catch (error) {
    // catch: ReferenceProblem only (an entity or reference the file may not use): refused with its reason.
    if (error instanceof ReferenceProblem) return {ok: false, problem: {ruleId: 'xml-entity', reason: error.message}}
    throw error
  }
}

class ReferenceProblem extends Error {}

function convert(raw: unknown): XmlNode[] {
  const nodes: XmlNode[] = []
  if (!Array.isArray(raw)) return nodes
  for (const item of raw as unknown[]) {
    if (typeof item !== 'object' || item === null) continue
    const record = item as Record<string, unknown>
    for (const name of Object.keys(record)) {
      if (name === ':@') continue
      if (name === '#text') nodes.push({type: 'text', value: decode(String(record[name]))})
      else if (name === '#cdata') {
        // CDATA text is literal: no references inside.
        for (const child of Array.isArray(record[name]) ? (record[name] as unknown[]) : []) {
          const value = (child as Record<string, unknown>)['#text']
          if (value !== undefined) nodes.push({type: 'text', value: String(value)})
        }
      } else if (name !== '#comment') {
        const attributes = new Map<string, string>()
        const found = record[':@']
        if (typeof found === 'object' && found !== null) for (const [key, value] of Object.entries(found)) attributes.set(key, decode(String(value)))
        nodes.push({type: 'element', name, attributes, children: convert(record[name])})
      }
    }
  }
  return nodes
}

function decode(text: string): string {
  return text.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new ReferenceProblem(`a bare "&" in "${excerpt(text)}": write &amp;`)
    const replaced = Object.hasOwn(predefined, name) ? predefined[name] : undefined
    if (replaced !== undefined) return replaced
    const code = /^#x[0-9a-fA-F]+$/.test(name) ? parseInt(name.slice(2), 16) : /^#\d+$/.test(name) ? parseInt(name.slice(1), 10) : undefined
    if (code === undefined) throw new ReferenceProblem(`the entity "&${name};" is not one of XML's five: refused (Ponte expands no entity)`)
    // Control characters XML 1.0 cannot hold are accepted as references (Ponte's XLIFF 1.2 writes them so); NUL never.
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) throw new ReferenceProblem(`"&${name};" is not a character`)
    return String.fromCodePoint(code)
  })
}

function excerpt(text: string): string {
  return text.length > 40 ? text.slice(0, 40) + '…' : text
}

function placeOf(text: string, offset: number): {line: number; column: number} {
  const before = text.slice(0, offset).split('\n')
  return {line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1}
}

/**
 * Escape text for XML content (`&`, `<`, `>`; `"` too in attributes).
 *
 * @param text Plain text.
 * @param attribute Whether it goes in an attribute value.
 */
export function escapeXml(text: string, attribute = false): string {
  let result = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  if (attribute) result = result.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
  // A carriage return in content would be normalized away by any XML reader.
  else result = result.replace(/\r/g, '&#13;')
  return result
}

/**
 * The child elements of a node with a given name.
 *
 * @param node An element.
 * @param name The children's name.
 */
export function childrenNamed(node: XmlNode, name: string): Array<Extract<XmlNode, {type: 'element'}>> {
  if (node.type !== 'element') return []
  return node.children.filter((child): child is Extract<XmlNode, {type: 'element'}> => child.type === 'element' && child.name === name)
}

/**
 * The whole text of a node (its texts and its descendants').
 *
 * @param node A node.
 */
export function textOf(node: XmlNode): string {
  return node.type === 'text' ? node.value : node.children.map(textOf).join('')
}
