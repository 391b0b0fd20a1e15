import {hash} from 'node:crypto'
import type {Nodes, Root} from 'mdast'
import {endOf, startOf} from '../segment/position.js'

const phrasingContainers = new Set(['paragraph', 'heading', 'tableCell', 'emphasis', 'strong', 'delete', 'link', 'linkReference'])

/** Where two trees first differ: the source node's range, and what differs. */
export interface StructureDifference {
  start: number
  end: number
  reason: string
}

/**
 * Compare the structure of an edition with its source: blocks, nesting, list kinds,
 * heading depths, table alignment, code and inline code byte for byte, URLs, identifiers
 * and HTML. Text is ignored; inline markup may be reordered within its parent (a
 * translation may move a link), but not added, dropped or re-nested.
 *
 * @param source The source tree.
 * @param edition The edition's tree.
 * @returns `undefined` when the structure is the same.
 */
export function compareStructure(source: Root, edition: Root): StructureDifference | undefined {
  return compareNode(source, edition)
}

function compareNode(a: Nodes, b: Nodes): StructureDifference | undefined {
  if (signature(a) !== signature(b)) return differ(a, `${describe(a)} became ${describe(b)}`)
  if (!('children' in a) || !('children' in b)) return undefined
  if (phrasingContainers.has(a.type)) {
    const left = a.children.filter((child) => child.type !== 'text').map(deep).sort()
    const right = b.children.filter((child) => child.type !== 'text').map(deep).sort()
    if (left.join('\u0000') !== right.join('\u0000')) return differ(a, `the inline markup of this ${a.type} changed`)
    return undefined
  }
  const count = Math.max(a.children.length, b.children.length)
  for (let index = 0; index < count; index++) {
    const left = a.children[index]
    const right = b.children[index]
    if (!left) return differ(a.children[a.children.length - 1] ?? a, `a ${right ? describe(right) : 'node'} was added`)
    if (!right) return differ(left, `this ${describe(left)} disappeared`)
    const difference = compareNode(left, right)
    if (difference) return difference
  }
  return undefined
}

/**
 * A digest of a tree's structure: two trees have the same digest exactly when
 * `compareStructure` finds no difference between them (`deep` is that comparison written
 * out, and its encoding is unambiguous). Stored with a post's cached analysis, it lets a
 * build verify an edition against its source without parsing the source again.
 *
 * @param tree A parsed post.
 */
export function structureDigest(tree: Root): string {
  return hash('sha256', deep(tree), 'hex').slice(0, 32)
}

/**
 * A string that captures a node's structure (text left out), for comparison and tests.
 *
 * @param node Any mdast node.
 */
export function deep(node: Nodes): string {
  if (node.type === 'text') return 'text'
  const own = signature(node)
  if (!('children' in node)) return own
  let children = node.children.filter((child, index, all) => child.type !== 'text' || all[index - 1]?.type !== 'text').map(deep)
  if (phrasingContainers.has(node.type)) children = children.filter((child) => child !== 'text').sort()
  return `${own}(${children.join(',')})`
}

const verbatim = new Set(['inlineCode', 'html', 'math', 'inlineMath', 'toml'])

// Free text (values, URLs, identifiers) is written as JSON strings, so no value can pass
// for the punctuation `deep` joins signatures with, and equal strings mean equal trees.
const quoted = (value: string | null | undefined): string => (value == null ? String(value) : JSON.stringify(value))

function signature(node: Nodes): string {
  if (verbatim.has(node.type) && 'value' in node) return `${node.type}:${quoted(node.value)}`
  switch (node.type) {
    case 'heading':
      return `heading${node.depth}`
    case 'list':
      return `list:${String(node.ordered)}:${String(node.start)}:${String(node.spread)}`
    case 'listItem':
      return `listItem:${String(node.checked)}:${String(node.spread)}`
    case 'code':
      return `code:${quoted(node.lang)}:${quoted(node.meta)}:${quoted(node.value)}`
    case 'link':
    case 'image':
      return `${node.type}:${quoted(node.url)}`
    case 'linkReference':
    case 'imageReference':
      return `${node.type}:${quoted(node.identifier)}:${node.referenceType}`
    case 'definition':
      return `definition:${quoted(node.identifier)}:${quoted(node.url)}`
    case 'footnoteDefinition':
    case 'footnoteReference':
      return `${node.type}:${quoted(node.identifier)}`
    case 'table':
      return `table:${JSON.stringify(node.align ?? [])}`
    default:
      return node.type
  }
}

function describe(node: Nodes): string {
  return signature(node).split(':')[0] ?? node.type
}

function differ(node: Nodes, reason: string): StructureDifference {
  return {start: startOf(node), end: endOf(node), reason}
}

/**
 * The key under which an edition's verification is remembered: verification is a pure
 * function of the source's structure digest and the edition's bytes (and of Ponte's code,
 * which the record is kept per version of).
 *
 * @param structure `structureDigest` of the source tree.
 * @param edition The edition's bytes (without BOM).
 */
export function verifiedKey(structure: string, edition: string): string {
  return hash('sha256', `${structure}\u0000${edition}`, 'base64url').slice(0, 24)
}
