import {escapeValueText, unescapeValueText} from '../catalog/escape.js'

/** A node of a parsed catalog value. */
export type TagNode =
  | {type: 'text'; value: string}
  | {type: 'element'; name: string; children: TagNode[]; offset: number}
  | {type: 'void'; name: string; offset: number}
  | {type: 'placeholder'; name: string; offset: number}

/** A problem in a catalog value, at an offset in the value string. */
export interface ValueProblem {
  ruleId: string
  offset: number
  reason: string
  fix: string
}

/** The result of parsing a value. */
export type ParsedValue = {ok: true; nodes: TagNode[]} | {ok: false; problem: ValueProblem}

const tagPattern = /<(\/?)([A-Za-z][\w:.-]*)([^<>]*?)(\/?)>/y
const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/y
const namePattern = /^[a-z]+\d*$/

/**
 * Parse a catalog value (`Il <strong1>social</strong1> {{code1}}`) into a tree of text,
 * tags and interpolations. Anything tag-like that is not a well-formed Ponte tag is an
 * error, never text: that is what keeps HTML out of the editions.
 *
 * @param value The value, as written by a translator.
 */
export function parseValue(value: string): ParsedValue {
  const root: TagNode[] = []
  const stack: Array<{name: string; children: TagNode[]; offset: number}> = []
  let children = root
  let text = ''
  let index = 0

  const flush = (): void => {
    if (text) children.push({type: 'text', value: unescapeValueText(text)})
    text = ''
  }

  while (index < value.length) {
    const char = value[index]
    if (char === '<' && /[A-Za-z/!?]/.test(value[index + 1] ?? '')) {
      tagPattern.lastIndex = index
      const match = tagPattern.exec(value)
      if (!match) {
        return fail('value-tag-malformed', index, `\`${excerpt(value, index)}\` looks like a tag but is not one`, 'write `&lt;` for a literal `<`')
      }
      const [whole, slash, name = '', attributes = '', selfClosing] = match
      if (!namePattern.test(name)) {
        return fail('value-tag-unknown', index, `\`<${slash}${name}>\` is not a tag of this segment (HTML cannot be written in a translation)`, 'keep only the tags of the Italian value; write `&lt;` for a literal `<`')
      }
      if (attributes.trim()) {
        return fail('value-tag-attribute', index, `tag \`<${name}>\` has attributes \`${attributes.trim()}\`; tags cannot carry attributes`, 'write the tag exactly as in the Italian value')
      }
      flush()
      if (slash) {
        const open = stack.pop()
        if (!open || open.name !== name) {
          return fail('value-tag-unbalanced', index, open ? `\`</${name}>\` closes \`<${open.name}>\`` : `\`</${name}>\` has no opening tag`, 'close tags in the reverse order they were opened')
        }
        children = stack.length > 0 ? (stack[stack.length - 1]?.children ?? root) : root
      } else if (selfClosing) {
        children.push({type: 'void', name, offset: index})
      } else {
        const element: TagNode = {type: 'element', name, children: [], offset: index}
        children.push(element)
        stack.push({name, children: element.children, offset: index})
        children = element.children
      }
      index += whole.length
      continue
    }
    if (char === '{' && value[index + 1] === '{') {
      placeholderPattern.lastIndex = index
      const match = placeholderPattern.exec(value)
      if (!match || !namePattern.test(match[1] ?? '')) {
        return fail('value-placeholder-malformed', index, `\`${excerpt(value, index)}\` is not an interpolation of this segment`, 'keep `{{name}}` as in the Italian value; write `&#123;{` for a literal `{{`')
      }
      flush()
      children.push({type: 'placeholder', name: match[1] ?? '', offset: index})
      index += match[0].length
      continue
    }
    text += char
    index++
  }
  const open = stack.pop()
  if (open) {
    return fail('value-tag-unbalanced', open.offset, `\`<${open.name}>\` is never closed`, `add \`</${open.name}>\``)
  }
  flush()
  return {ok: true, nodes: root}
}

/**
 * Serialize a tree of tags back into a value string, escaping its text (the inverse of
 * `parseValue`).
 *
 * @param nodes Nodes whose text is plain (unescaped).
 */
export function stringifyValue(nodes: readonly TagNode[]): string {
  let result = ''
  for (const node of nodes) {
    if (node.type === 'text') result += escapeValueText(node.value)
    else if (node.type === 'void') result += `<${node.name}/>`
    else if (node.type === 'placeholder') result += `{{${node.name}}}`
    else result += `<${node.name}>${stringifyValue(node.children)}</${node.name}>`
  }
  return result
}

function fail(ruleId: string, offset: number, reason: string, fix: string): ParsedValue {
  return {ok: false, problem: {ruleId, offset, reason, fix}}
}

function excerpt(value: string, index: number): string {
  const slice = value.slice(index, index + 24)
  return slice.length < value.length - index ? slice + '…' : slice
}
