import type {Image, ImageReference, Link, LinkReference, Nodes, PhrasingContent, Text} from 'mdast'
import type {Slot, TitleSlot} from './slots.js'
import type {TagNode} from './tagged.js'
import {decodeString} from 'micromark-util-decode-string'
import {mapTextOffsets} from './text-offsets.js'
import {endOf, startOf} from './position.js'

/** A title found inside a segment: it becomes a segment of its own. */
export interface FoundTitle {
  slot: Slot & {title?: TitleSlot}
  title: string
  start: number
  end: number
}

/** A protected range of source offsets, named after the pattern that matched it. */
export interface Range {
  start: number
  end: number
  name: string
}

/** The result of turning a block's inline content into a tagged value. */
export interface Tagged {
  nodes: TagNode[]
  slots: Map<string, Slot>
  titles: FoundTitle[]
}

interface State {
  source: string
  slots: Map<string, Slot>
  counts: Map<string, number>
  titles: FoundTitle[]
  emitted: Set<Range>
}

/**
 * Turn the inline content of one block into a tagged value: text stays text, markup
 * becomes paired tags (`<em1>…</em1>`), and what translators must not touch (code,
 * HTML, URLs, footnote references, site-generator syntax) becomes interpolations
 * (`{{code1}}`) whose source bytes are kept in slots.
 *
 * @param children The block's inline children.
 * @param source The whole document.
 * @param ranges Protected ranges inside the block (see `findProtectedRanges`).
 */
export function tagInline(children: readonly PhrasingContent[], source: string, ranges: readonly Range[]): Tagged {
  const state: State = {source, slots: new Map(), counts: new Map(), titles: [], emitted: new Set()}
  const nodes = tagChildren(state, children, ranges)
  return {nodes, slots: state.slots, titles: state.titles}
}

function tagChildren(state: State, children: readonly PhrasingContent[], input: readonly Range[]): TagNode[] {
  const ranges = settleRanges(children, input)
  const result: TagNode[] = []
  for (const child of children) {
    const start = startOf(child)
    const end = endOf(child)
    const covering = ranges.find((range) => range.start <= start && end <= range.end)
    if (covering) {
      emitRange(state, result, covering)
      continue
    }
    if (child.type === 'text') {
      tagText(state, result, child, ranges)
      continue
    }
    const inner = ranges.filter((range) => start <= range.start && range.end <= end)
    tagNode(state, result, child, inner)
  }
  return result
}

function tagText(state: State, result: TagNode[], node: Text, ranges: readonly Range[]): void {
  const start = startOf(node)
  const end = endOf(node)
  const inside = ranges.filter((range) => range.start < end && start < range.end)
  if (inside.length === 0) {
    pushText(result, node.value)
    return
  }
  const map = mapTextOffsets(node.value, state.source.slice(start, end))
  const indexAt = (offset: number): number => {
    const relative = offset - start
    let index = 0
    while (index < node.value.length && (map[index] ?? 0) < relative) index++
    return index
  }
  let cursor = 0
  for (const range of inside) {
    const from = range.start <= start ? 0 : indexAt(range.start)
    pushText(result, node.value.slice(cursor, from))
    emitRange(state, result, range)
    cursor = range.end >= end ? node.value.length : indexAt(range.end)
  }
  pushText(result, node.value.slice(cursor))
}

function tagNode(state: State, result: TagNode[], node: PhrasingContent, ranges: readonly Range[]): void {
  const source = state.source
  const start = startOf(node)
  const end = endOf(node)
  switch (node.type) {
    case 'emphasis':
    case 'strong':
    case 'delete': {
      const name = nextName(state, node.type === 'emphasis' ? 'em' : node.type === 'strong' ? 'strong' : 'del')
      const first = node.children[0]
      const last = node.children[node.children.length - 1]
      if (!first || !last) return atom(state, result, 'x', source.slice(start, end))
      state.slots.set(name, {
        kind: 'wrap',
        name,
        type: node.type,
        open: source.slice(start, startOf(first)),
        close: source.slice(endOf(last), end)
      })
      result.push({type: 'element', name, children: tagChildren(state, node.children, ranges), offset: 0})
      return
    }
    case 'link':
      return tagLink(state, result, node, ranges)
    case 'linkReference':
      return tagLinkReference(state, result, node, ranges)
    case 'image':
    case 'imageReference':
      return tagImage(state, result, node)
    case 'break': {
      const prefix = /^[ \t>]*/.exec(source.slice(end, end + 200))?.[0] ?? ''
      state.slots.set(`br${state.slots.size}`, {kind: 'break', name: 'br', raw: source.slice(start, end), prefix})
      result.push({type: 'void', name: 'br', offset: 0})
      return
    }
    case 'inlineCode':
      return atom(state, result, 'code', source.slice(start, end))
    case 'inlineMath':
      return atom(state, result, 'math', source.slice(start, end))
    case 'footnoteReference':
      return atom(state, result, 'fn', source.slice(start, end))
    case 'html':
      return atom(state, result, 'html', source.slice(start, end))
    default:
      return atom(state, result, 'x', source.slice(start, end))
  }
}

function tagLink(state: State, result: TagNode[], node: Link, ranges: readonly Range[]): void {
  const source = state.source
  const start = startOf(node)
  const end = endOf(node)
  const first = node.children[0]
  const last = node.children[node.children.length - 1]
  // Autolinks (`<https://…>`, `www.example.com`) show their URL: the text is the URL.
  if (!first || !last || source[start] !== '[') return atom(state, result, 'url', source.slice(start, end))
  const name = nextName(state, 'a')
  const slot: Slot = {kind: 'wrap', name, type: 'link', open: source.slice(start, startOf(first)), close: source.slice(endOf(last), end)}
  findTitle(state, slot, node.title, endOf(last))
  state.slots.set(name, slot)
  result.push({type: 'element', name, children: tagChildren(state, node.children, ranges), offset: 0})
}

function tagLinkReference(state: State, result: TagNode[], node: LinkReference, ranges: readonly Range[]): void {
  const source = state.source
  const start = startOf(node)
  const end = endOf(node)
  const first = node.children[0]
  const last = node.children[node.children.length - 1]
  // In `[text]` and `[text][]` the text is the label: translating it would break the reference.
  if (node.referenceType !== 'full' || !first || !last) return atom(state, result, 'ref', source.slice(start, end))
  const name = nextName(state, 'a')
  state.slots.set(name, {kind: 'wrap', name, type: 'link', open: source.slice(start, startOf(first)), close: source.slice(endOf(last), end)})
  result.push({type: 'element', name, children: tagChildren(state, node.children, ranges), offset: 0})
}

function tagImage(state: State, result: TagNode[], node: Image | ImageReference): void {
  const source = state.source
  const start = startOf(node)
  const end = endOf(node)
  const raw = source.slice(start, end)
  const altEnd = labelEnd(raw)
  const alt = node.alt ?? ''
  if (
    altEnd === undefined ||
    !/[\p{L}\p{N}]/u.test(alt) ||
    (node.type === 'imageReference' && node.referenceType !== 'full')
  ) {
    return atom(state, result, 'img', raw)
  }
  const name = nextName(state, 'img')
  const slot: Slot = {kind: 'image', name, open: raw.slice(0, 2), close: raw.slice(altEnd), alt}
  if (node.type === 'image') findTitle(state, slot, node.title, start + altEnd)
  state.slots.set(name, slot)
  result.push({type: 'element', name, children: [{type: 'text', value: alt}], offset: 0})
}

/** Locate a link or image title inside the closing bytes, so it can be its own segment. */
function findTitle(state: State, slot: Slot & {kind: 'wrap' | 'image'}, title: string | null | undefined, closeStart: number): void {
  if (!title || !/[\p{L}\p{N}]/u.test(title)) return
  const close = slot.close
  const trimmed = close.replace(/\s*\)$/, '')
  if (trimmed.length === close.length) return
  const found = locateTitle(trimmed, title)
  if (!found) return
  slot.title = {before: close.slice(0, found.start), after: close.slice(found.end), quote: found.quote, segment: -1}
  state.titles.push({slot, title, start: closeStart + found.start, end: closeStart + found.end})
}

/**
 * Find the interior of a title that ends `text` (`… "title"`, `'title'` or `(title)`),
 * checking that it decodes to the parsed title.
 *
 * @param text Source bytes that end with the title's closing delimiter.
 * @param title The title as parsed.
 */
export function locateTitle(text: string, title: string): {start: number; end: number; quote: string} | undefined {
  const quote = text[text.length - 1]
  const opener = quote === ')' ? '(' : quote
  if (opener !== '"' && opener !== "'" && opener !== '(') return undefined
  let index = text.length - 2
  while (index >= 0 && !(text[index] === opener && !isEscaped(text, index))) index--
  if (index < 0) return undefined
  const interior = text.slice(index + 1, -1)
  if (decodeString(interior.replace(/(?:\r\n|\r|\n)[ \t>]*/g, '\n')) !== title.replace(/\r\n|\r/g, '\n')) return undefined
  return {start: index + 1, end: text.length - 1, quote: opener}
}

function isEscaped(value: string, index: number): boolean {
  let count = 0
  while (value[index - 1 - count] === '\\') count++
  return count % 2 === 1
}

/** Find the `]` that closes the label of `![…]…`, skipping escapes, nested brackets and code. */
function labelEnd(raw: string): number | undefined {
  let depth = 0
  let index = 2
  while (index < raw.length) {
    const char = raw[index]
    if (char === '\\') index += 2
    else if (char === '`') {
      const run = /^`+/.exec(raw.slice(index))?.[0] ?? '`'
      const close = raw.indexOf(run, index + run.length)
      index = close === -1 ? index + run.length : close + run.length
    } else if (char === '[') {
      depth++
      index++
    } else if (char === ']') {
      if (depth === 0) return index
      depth--
      index++
    } else index++
  }
  return undefined
}

function emitRange(state: State, result: TagNode[], range: Range): void {
  if (state.emitted.has(range)) return
  state.emitted.add(range)
  atom(state, result, range.name, state.source.slice(range.start, range.end))
}

function atom(state: State, result: TagNode[], prefix: string, raw: string): void {
  const name = nextName(state, prefix)
  state.slots.set(name, {kind: 'atom', name, raw})
  result.push({type: 'placeholder', name, offset: 0})
}

function nextName(state: State, prefix: string): string {
  const count = (state.counts.get(prefix) ?? 0) + 1
  state.counts.set(prefix, count)
  return `${prefix}${count}`
}

function pushText(result: TagNode[], value: string): void {
  if (!value) return
  const text = value.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ')
  const previous = result[result.length - 1]
  if (previous?.type === 'text') previous.value += text
  else result.push({type: 'text', value: text})
}

/**
 * Settle protected ranges against one level of siblings: a range may cut through text,
 * but a range that cuts through any other node grows to cover it whole; a range inside
 * an atom (code, HTML) is dropped, as the atom already protects it.
 */
function settleRanges(children: readonly PhrasingContent[], input: readonly Range[]): Range[] {
  let ranges = input.map((range) => ({...range}))
  let changed = true
  while (changed) {
    changed = false
    const kept: Range[] = []
    for (const range of ranges) {
      let drop = false
      for (const child of children) {
        const start = startOf(child)
        const end = endOf(child)
        if (!(start < range.end && range.start < end)) continue
        if (range.start <= start && end <= range.end) continue
        if (child.type === 'text') continue
        const within = start <= range.start && range.end <= end
        if (within && 'children' in child && contentHolds(child, range)) continue
        if (within && !('children' in child)) {
          drop = child.type !== 'image' && child.type !== 'imageReference'
          if (drop) break
        }
        range.start = Math.min(range.start, start)
        range.end = Math.max(range.end, end)
        changed = true
      }
      if (!drop) kept.push(range)
    }
    kept.sort((a, b) => a.start - b.start)
    ranges = []
    for (const range of kept) {
      const previous = ranges[ranges.length - 1]
      if (previous && range.start < previous.end) {
        previous.end = Math.max(previous.end, range.end)
        changed = true
      } else ranges.push(range)
    }
  }
  return ranges
}

function contentHolds(node: Nodes & {children: readonly Nodes[]}, range: Range): boolean {
  const first = node.children[0]
  const last = node.children[node.children.length - 1]
  return Boolean(first && last && startOf(first) <= range.start && range.end <= endOf(last))
}
