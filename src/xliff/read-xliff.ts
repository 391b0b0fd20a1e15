import {childrenNamed, parseXml, type XmlNode, type XmlProblem} from './xml.js'
import {fromXliffInline, type XliffVersion} from './inline-codes.js'

/** A unit of an XLIFF document with a target, as Ponte reads it back. */
export interface XliffUnit {
  /** The post (the file's `original`). */
  post: string
  /** The unit's id: the segment's key. */
  id: string
  /** The target as a catalog value, or why it cannot be one. */
  target: {ok: true; value: string} | {ok: false; reason: string}
  /** Whether the target's state asks for review (`initial`, `new`, `needs-*`): applied as a suggestion. */
  review: boolean
}

/** A document read: its units with targets, or why the whole document is refused. */
export type ReadXliff = {ok: true; version: XliffVersion; units: XliffUnit[]} | {ok: false; problem: XmlProblem}

/**
 * Read an XLIFF 2.0 or 1.2 document (untrusted: see `parseXml`): every unit that has a
 * non-empty target, in document order. Units without a target are skipped; a document
 * that is not XLIFF is refused.
 *
 * @param text The document.
 */
export function readXliff(text: string): ReadXliff {
  const parsed = parseXml(text)
  if (!parsed.ok) return parsed
  const root = parsed.nodes.find((node): node is Extract<XmlNode, {type: 'element'}> => node.type === 'element')
  const versionText = root?.name === 'xliff' ? root.attributes.get('version') : undefined
  if (!root || (versionText !== '2.0' && versionText !== '1.2' && versionText !== '2.1')) {
    return {ok: false, problem: {ruleId: 'xliff-not-xliff', reason: `not an XLIFF 1.2 or 2.0 document (the root is <${root?.name ?? 'nothing'}${versionText ? ` version="${versionText}"` : ''}>)`}}
  }
  const version: XliffVersion = versionText === '1.2' ? '1.2' : '2.0'
  const units: XliffUnit[] = []
  for (const file of childrenNamed(root, 'file')) {
    const post = file.attributes.get('original')
    if (post === undefined) return {ok: false, problem: {ruleId: 'xliff-unit-unknown', reason: '<file> without an original attribute: Ponte cannot tell which post it is'}}
    const containers = version === '2.0' ? [file, ...descendants(file, 'group')] : [...childrenNamed(file, 'body'), ...childrenNamed(file, 'body').flatMap((body) => descendants(body, 'group'))]
    for (const container of containers) {
      for (const unit of childrenNamed(container, version === '2.0' ? 'unit' : 'trans-unit')) {
        const id = unit.attributes.get('id') ?? ''
        const found = version === '2.0' ? target20(unit) : target12(unit)
        if (found) units.push({post, id, target: fromXliffInline(found.children, version), review: found.review})
      }
    }
  }
  return {ok: true, version, units}
}

function descendants(node: XmlNode, name: string): Array<Extract<XmlNode, {type: 'element'}>> {
  const found: Array<Extract<XmlNode, {type: 'element'}>> = []
  for (const child of childrenNamed(node, name)) found.push(child, ...descendants(child, name))
  return found
}

/** A 2.0 unit's target: its segments' targets joined (Ponte writes one segment per unit; a tool may split it). */
function target20(unit: XmlNode): {children: XmlNode[]; review: boolean} | undefined {
  if (unit.type !== 'element') return undefined
  const children: XmlNode[] = []
  let any = false
  let review = false
  for (const part of unit.children) {
    if (part.type !== 'element' || (part.name !== 'segment' && part.name !== 'ignorable')) continue
    const target = childrenNamed(part, 'target')[0]
    const source = childrenNamed(part, 'source')[0]
    if (target) {
      any = true
      children.push(...target.children)
      if (part.name === 'segment' && part.attributes.get('state') === 'initial') review = true
    } else if (source && part.name === 'ignorable') children.push(...source.children)
    else if (part.name === 'segment') return undefined
  }
  return any && children.some((child) => child.type === 'element' || child.value.trim()) ? {children, review} : undefined
}

function target12(unit: XmlNode): {children: XmlNode[]; review: boolean} | undefined {
  const target = childrenNamed(unit, 'target')[0]
  if (!target || !target.children.some((child) => child.type === 'element' || child.value.trim())) return undefined
  const state = target.attributes.get('state') ?? ''
  return {children: target.children, review: state === 'new' || state.startsWith('needs-')}
}
