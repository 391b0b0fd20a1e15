import {escapeValueText} from '../catalog/escape.js'
import {parseValue, type TagNode} from '../segment/tagged.js'
import {childrenNamed, escapeXml, parseXml, textOf, type XmlNode, type XmlProblem} from './xml.js'

/** A translation unit of a TMX memory: Italian and English catalog values. */
export interface TmxUnit {
  source: string
  target: string
  /** Where it comes from (`post#key`), kept as a property. */
  from?: string
}

/**
 * Write a TMX 1.4 memory: one `<tu>` per pair, Ponte's tags as inline codes (`<bpt>`/
 * `<ept>` around paired tags, `<ph>` for void ones and interpolations) whose content is
 * the tag as Ponte writes it, so they come back as they were. Same input, same bytes.
 *
 * @param units The pairs, in the order wanted.
 * @param languages Source and target language codes.
 * @param tool The creating tool's version.
 */
export function writeTmx(units: readonly TmxUnit[], languages: {source: string; target: string}, tool: string): string {
  const a = (text: string): string => escapeXml(text, true)
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">', `  <header creationtool="Ponte" creationtoolversion="${a(tool)}" segtype="paragraph" o-tmf="ponte" adminlang="en" srclang="${a(languages.source)}" datatype="plaintext"/>`, '  <body>']
  for (const unit of units) {
    out.push('    <tu>')
    if (unit.from !== undefined) out.push(`      <prop type="x-ponte-from">${escapeXml(unit.from)}</prop>`)
    out.push(`      <tuv xml:lang="${a(languages.source)}"><seg>${tmxInline(unit.source)}</seg></tuv>`, `      <tuv xml:lang="${a(languages.target)}"><seg>${tmxInline(unit.target)}</seg></tuv>`, '    </tu>')
  }
  out.push('  </body>', '</tmx>')
  return out.join('\n') + '\n'
}

function tmxInline(value: string): string {
  const parsed = parseValue(value)
  if (!parsed.ok) return escapeXml(value)
  let pair = 0
  const walk = (nodes: readonly TagNode[]): string => {
    let result = ''
    for (const node of nodes) {
      if (node.type === 'text') result += escapeXml(node.value)
      else if (node.type === 'element') {
        const i = ++pair
        result += `<bpt i="${i}" x="${i}">${escapeXml(`<${node.name}>`)}</bpt>${walk(node.children)}<ept i="${i}">${escapeXml(`</${node.name}>`)}</ept>`
      } else if (node.type === 'void') result += `<ph x="${++pair}">${escapeXml(`<${node.name}/>`)}</ph>`
      else result += `<ph x="${++pair}" type="x-ponte-var">${escapeXml(`{{${node.name}}}`)}</ph>`
    }
    return result
  }
  return walk(parsed.nodes)
}

/** A TMX memory read: its units in the wanted languages, or why the whole file is refused. */
export type ReadTmx = {ok: true; units: TmxUnit[]; skipped: number} | {ok: false; problem: XmlProblem}

/**
 * Read a TMX memory (untrusted: see `parseXml`): the units with a variant in both
 * languages (language codes compared by their primary subtag, `it-IT` is `it`). Inline
 * codes become their native content (Ponte's tags when Ponte wrote them); a unit whose
 * values are not valid catalog values is skipped.
 *
 * @param text The document.
 * @param languages Source and target language codes.
 */
export function readTmx(text: string, languages: {source: string; target: string}): ReadTmx {
  const parsed = parseXml(text)
  if (!parsed.ok) return parsed
  const root = parsed.nodes.find((node): node is Extract<XmlNode, {type: 'element'}> => node.type === 'element')
  if (root?.name !== 'tmx') return {ok: false, problem: {ruleId: 'tmx-not-tmx', reason: `not a TMX document (the root is <${root?.name ?? 'nothing'}>)`}}
  const units: TmxUnit[] = []
  let skipped = 0
  for (const body of childrenNamed(root, 'body')) {
    for (const tu of childrenNamed(body, 'tu')) {
      const variant = (language: string): string | undefined => {
        const tuv = childrenNamed(tu, 'tuv').find((item) => primary(item.attributes.get('xml:lang') ?? item.attributes.get('lang') ?? '') === primary(language))
        const seg = tuv ? childrenNamed(tuv, 'seg')[0] : undefined
        return seg ? valueOf(seg.children) : undefined
      }
      const source = variant(languages.source)
      const target = variant(languages.target)
      if (source === undefined || target === undefined || !source.trim() || !target.trim()) {
        skipped++
        continue
      }
      if (!parseValue(source).ok || !parseValue(target).ok) {
        skipped++
        continue
      }
      const from = childrenNamed(tu, 'prop').find((prop) => prop.attributes.get('type') === 'x-ponte-from')
      units.push(from ? {source, target, from: textOf(from)} : {source, target})
    }
  }
  return {ok: true, units, skipped}
}

/** A `<seg>`'s content as a catalog value: text escaped, inline codes as their native content. */
function valueOf(children: readonly XmlNode[]): string {
  let value = ''
  for (const child of children) {
    if (child.type === 'text') value += escapeValueText(child.value)
    else if (['bpt', 'ept', 'ph', 'it'].includes(child.name)) value += textOf(child)
    else value += valueOf(child.children)
  }
  return value
}

function primary(language: string): string {
  return language.toLowerCase().split(/[-_]/)[0] ?? ''
}
