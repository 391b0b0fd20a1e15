import {parseValue, stringifyValue, type TagNode} from '../segment/tagged.js'
import {escapeXml, type XmlNode} from './xml.js'

/** The XLIFF versions Ponte writes. */
export type XliffVersion = '1.2' | '2.0'

/**
 * A catalog value as XLIFF content: text escaped, Ponte's tags as inline codes carrying
 * their names, so CAT tools protect them: `<pc>`/`<ph>` in 2.0, `<g>`/`<x>` in 1.2; an
 * interpolation `{{name}}` is a placeholder marked as Ponte's variable.
 *
 * @param value A catalog value.
 * @param version The XLIFF version.
 * @returns The content, or `undefined` when the value does not parse (an invalid translation).
 */
export function toXliffInline(value: string, version: XliffVersion): string | undefined {
  const parsed = parseValue(value)
  return parsed.ok ? inline(parsed.nodes, version) : undefined
}

function inline(nodes: readonly TagNode[], version: XliffVersion): string {
  let result = ''
  for (const node of nodes) {
    const id = node.type === 'text' ? '' : escapeXml(node.name, true)
    if (node.type === 'text') result += text(node.value, version)
    else if (node.type === 'element') result += version === '2.0' ? `<pc id="${id}" type="fmt">${inline(node.children, version)}</pc>` : `<g id="${id}">${inline(node.children, version)}</g>`
    else if (node.type === 'void') result += version === '2.0' ? `<ph id="${id}" type="fmt"/>` : `<x id="${id}"/>`
    else result += version === '2.0' ? `<ph id="${id}" type="other" subType="ponte:var" disp="{{${id}}}"/>` : `<x id="${id}" ctype="x-ponte-var" equiv-text="{{${id}}}"/>`
  }
  return result
}

/** Text for XLIFF content: characters XML cannot hold are `<cp hex="…"/>` in 2.0 (its way for them), references in 1.2. */
function text(value: string, version: XliffVersion): string {
  return escapeXml(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (char) => {
    const code = char.charCodeAt(0)
    return version === '2.0' ? `<cp hex="${code.toString(16).toUpperCase().padStart(4, '0')}"/>` : `&#${code};`
  })
}

/**
 * XLIFF content (a `<source>` or `<target>`'s children) as a catalog value: inline codes
 * back to Ponte's tags by their ids. Codes Ponte does not write (`<sc>`, `<bpt>`, `<ph>`
 * of 1.2…) are refused; annotations (`<mrk>`) are unwrapped.
 *
 * @param children The element's children.
 * @param version The document's XLIFF version.
 */
export function fromXliffInline(children: readonly XmlNode[], version: XliffVersion): {ok: true; value: string} | {ok: false; reason: string} {
  try {
    return {ok: true, value: stringifyValue(nodesOf(children, version))}
  } catch (error) {
    // catch: InlineProblem only (an inline code Ponte did not write): the unit is reported and left out.
    if (error instanceof InlineProblem) return {ok: false, reason: error.message}
    throw error
  }
}

class InlineProblem extends Error {}

const namePattern = /^[a-z]+\d*$/

function nodesOf(children: readonly XmlNode[], version: XliffVersion): TagNode[] {
  const nodes: TagNode[] = []
  const text = (value: string): void => {
    const last = nodes[nodes.length - 1]
    if (last?.type === 'text') last.value += value
    else nodes.push({type: 'text', value})
  }
  for (const child of children) {
    if (child.type === 'text') {
      text(child.value)
      continue
    }
    const {name} = child
    if (name === 'mrk') {
      for (const node of nodesOf(child.children, version)) node.type === 'text' ? text(node.value) : nodes.push(node)
      continue
    }
    if (version === '2.0' && name === 'cp') {
      const hex = child.attributes.get('hex') ?? ''
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) throw new InlineProblem(`<cp hex="${hex}"> is not a character`)
      text(String.fromCodePoint(parseInt(hex, 16)))
      continue
    }
    const id = child.attributes.get('id') ?? ''
    const paired = version === '2.0' ? 'pc' : 'g'
    const single = version === '2.0' ? 'ph' : 'x'
    if (name !== paired && name !== single) throw new InlineProblem(`the inline code <${name}> is not one Ponte writes (only <${paired}> and <${single}>, with the ids of the source)`)
    if (!namePattern.test(id)) throw new InlineProblem(`the inline code <${name} id="${id}"> does not carry one of Ponte's tag names`)
    if (name === paired) nodes.push({type: 'element', name: id, children: nodesOf(child.children, version), offset: 0})
    else {
      if (child.children.length > 0) throw new InlineProblem(`<${name} id="${id}"> has content; it must be empty`)
      const variable = version === '2.0' ? child.attributes.get('subType') === 'ponte:var' : child.attributes.get('ctype') === 'x-ponte-var'
      nodes.push(variable ? {type: 'placeholder', name: id, offset: 0} : {type: 'void', name: id, offset: 0})
    }
  }
  return nodes
}
