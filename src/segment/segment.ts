import type {Heading, Nodes, Paragraph, PhrasingContent, Root, TableCell} from 'mdast'
import {parseDocument, isMap, isScalar, Scalar} from 'yaml'
import type {Config} from '../config.js'
import {escapeValueText} from '../catalog/escape.js'
import {locateTitle, tagInline} from './inline.js'
import {endOf, startOf} from './position.js'
import {findProtectedRanges, type CompiledPattern} from './protect.js'
import type {Slot} from './slots.js'
import {stringifyValue, type TagNode} from './tagged.js'

/** The kind of a segment; it names its key prefix. */
export type SegmentKind = 'heading' | 'paragraph' | 'header-cell' | 'cell' | 'title' | 'field'

/** How a translation of a segment is serialized. */
export type SegmentContext = 'phrasing' | 'headingAtx' | 'tableCell' | 'title' | 'yaml'

/** One translatable unit of a post: a block's inline content, a title, or a front matter field. */
export interface Segment {
  /** Index in document order. */
  id: number
  kind: SegmentKind
  context: SegmentContext
  /** The catalog value of the Italian text. */
  value: string
  /** The source value as a tree of text, tags and interpolations. */
  nodes: TagNode[]
  /** What each tag and interpolation stands for. */
  slots: Map<string, Slot>
  /** Source range the translation replaces. */
  start: number
  end: number
  /** 1-based line and column of `start`. */
  line: number
  column: number
  /** Heading depth, for `headingAtx`. */
  depth?: number
  /** For titles: the segment whose inline content holds the title. */
  owner?: number
  /** For titles: the delimiter (`"`, `'`, `(`). */
  quote?: string
  /** For front matter fields: the field name and YAML scalar type. */
  field?: string
  scalarType?: string
}

/** A problem found while segmenting (e.g. malformed front matter), at a source offset. */
export interface SegmentProblem {
  ruleId: string
  line: number
  column: number
  reason: string
  fix: string
}

/**
 * Split a parsed post into segments in document order: front matter fields, then every
 * heading, paragraph and table cell that has text to translate, each followed by the
 * link and image titles inside it.
 *
 * @param source The post (without BOM).
 * @param tree `parseMarkdown(source)`.
 * @param config Front matter fields to translate.
 * @param patterns Compiled protected patterns.
 */
export function segmentPost(
  source: string,
  tree: Root,
  config: Pick<Config, 'frontMatterFields'>,
  patterns: readonly CompiledPattern[]
): {segments: Segment[]; problems: SegmentProblem[]} {
  const segments: Segment[] = []
  const problems: SegmentProblem[] = []
  const lines = lineStarts(source)

  const add = (segment: Omit<Segment, 'id' | 'line' | 'column'>): Segment => {
    const {line, column} = locate(lines, segment.start)
    const full: Segment = {...segment, id: segments.length, line, column}
    segments.push(full)
    return full
  }

  const block = (node: Paragraph | Heading | TableCell, kind: SegmentKind, context: SegmentContext): void => {
    const first = node.children[0]
    const last = node.children[node.children.length - 1]
    if (!first || !last) return
    const start = startOf(first)
    const end = endOf(last)
    const ranges = findProtectedRanges(source, start, end, patterns)
    const tagged = tagInline(node.children as PhrasingContent[], source, ranges)
    if (!hasText(tagged.nodes)) return
    const owner = add({
      kind,
      context,
      value: stringifyValue(tagged.nodes),
      nodes: tagged.nodes,
      slots: tagged.slots,
      start,
      end,
      ...(node.type === 'heading' ? {depth: node.depth} : {})
    })
    for (const found of tagged.titles) {
      const nodes: TagNode[] = [{type: 'text', value: found.title}]
      const title = add({
        kind: 'title',
        context: 'title',
        value: escapeValueText(found.title),
        nodes,
        slots: new Map(),
        start: found.start,
        end: found.end,
        owner: owner.id,
        ...(found.slot.title ? {quote: found.slot.title.quote} : {})
      })
      if (found.slot.title) found.slot.title.segment = title.id
    }
  }

  const walk = (node: Nodes, inHeaderRow: boolean): void => {
    switch (node.type) {
      case 'yaml':
        frontMatter(source, node.value, startOf(node), config.frontMatterFields, add, problems, lines)
        return
      case 'paragraph':
        block(node, 'paragraph', 'phrasing')
        return
      case 'heading':
        block(node, 'heading', isAtx(source, node) ? 'headingAtx' : 'phrasing')
        return
      case 'tableCell':
        block(node, inHeaderRow ? 'header-cell' : 'cell', 'tableCell')
        return
      case 'definition': {
        const title = node.title
        if (!title || !/[\p{L}\p{N}]/u.test(title)) return
        const raw = source.slice(startOf(node), endOf(node)).trimEnd()
        const found = locateTitle(raw, title)
        if (!found) return
        add({
          kind: 'title',
          context: 'title',
          value: escapeValueText(title),
          nodes: [{type: 'text', value: title}],
          slots: new Map(),
          start: startOf(node) + found.start,
          end: startOf(node) + found.end,
          quote: found.quote
        })
        return
      }
      case 'table':
        node.children.forEach((row, index) => walk(row, index === 0))
        return
      default:
        if ('children' in node) for (const child of node.children) walk(child, inHeaderRow)
    }
  }
  walk(tree, false)
  return {segments, problems}
}

function frontMatter(
  source: string,
  value: string,
  nodeStart: number,
  fields: readonly string[],
  add: (segment: Omit<Segment, 'id' | 'line' | 'column'>) => Segment,
  problems: SegmentProblem[],
  lines: number[]
): void {
  const contentStart = source.indexOf('\n', nodeStart) + 1
  const document = parseDocument(value, {keepSourceTokens: false, uniqueKeys: false})
  if (document.errors.length > 0) {
    const error = document.errors[0]
    const offset = contentStart + (error?.pos[0] ?? 0)
    problems.push({
      ruleId: 'front-matter-invalid',
      ...locate(lines, offset),
      reason: `front matter is not valid YAML: ${error?.message.split('\n')[0] ?? 'syntax error'}`,
      fix: 'fix the YAML; until then its fields are not translated'
    })
    return
  }
  if (!isMap(document.contents)) return
  for (const item of document.contents.items) {
    const key = isScalar(item.key) ? item.key.value : undefined
    if (typeof key !== 'string' || !fields.includes(key)) continue
    const scalar = item.value
    if (!isScalar(scalar) || typeof scalar.value !== 'string' || !scalar.range) continue
    if (!/[\p{L}\p{N}]/u.test(scalar.value)) continue
    // A block scalar's final line break is YAML's, not the translator's.
    const block = scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED
    const text = block ? scalar.value.replace(/\n$/, '') : scalar.value
    add({
      kind: 'field',
      context: 'yaml',
      value: escapeValueText(text),
      nodes: [{type: 'text', value: text}],
      slots: new Map(),
      start: contentStart + scalar.range[0],
      end: contentStart + scalar.range[1],
      field: key,
      scalarType: scalar.type ?? Scalar.PLAIN
    })
  }
}

function hasText(nodes: readonly TagNode[]): boolean {
  return nodes.some((node) =>
    node.type === 'text' ? /[\p{L}\p{N}]/u.test(node.value) : node.type === 'element' ? hasText(node.children) : false
  )
}

function isAtx(source: string, node: Heading): boolean {
  return /^[ \t]*#/.test(source.slice(startOf(node), startOf(node) + 8))
}

/**
 * Offsets where each line starts, for turning offsets into line and column.
 *
 * @param source A document.
 */
export function lineStarts(source: string): number[] {
  const starts = [0]
  for (let index = 0; index < source.length; index++) {
    const code = source.charCodeAt(index)
    if (code === 10 || (code === 13 && source.charCodeAt(index + 1) !== 10)) starts.push(index + 1)
  }
  return starts
}

/**
 * 1-based line and column of an offset.
 *
 * @param starts `lineStarts(source)`.
 * @param offset An offset into the source.
 */
export function locate(starts: readonly number[], offset: number): {line: number; column: number} {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((starts[middle] ?? 0) <= offset) low = middle
    else high = middle - 1
  }
  return {line: low + 1, column: offset - (starts[low] ?? 0) + 1}
}
