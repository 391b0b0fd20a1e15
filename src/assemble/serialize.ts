import type {Heading, Nodes, Paragraph, PhrasingContent} from 'mdast'
import {gfmToMarkdown} from 'mdast-util-gfm'
import {defaultHandlers, type Handle, type Options, type State, type Unsafe} from 'mdast-util-to-markdown'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkStringify from 'remark-stringify'
import {unified, type Processor} from 'unified'

/** Source bytes copied as they are (code, HTML, URLs, site-generator syntax). */
export interface RawNode {
  type: 'ponteRaw'
  value: string
}

/** Markup whose delimiters are copied from the source around translated content (links). */
export interface WrapNode {
  type: 'ponteWrap'
  open: string
  close: string
  children: PhrasingContent[]
}

/** The phrasing a translation is rebuilt into before serializing. */
export type OutputPhrasing = PhrasingContent | RawNode | WrapNode

/**
 * Characters a translator types that Ponte escapes beyond what mdast-util-to-markdown
 * already does, as data: each with why.
 */
export const extraUnsafe: readonly (Unsafe & {why: string})[] = [
  {character: '{', after: '[{%:#<]', inConstruct: 'phrasing', why: 'A brace before `{`, `%`, `:`, `#` or `<` would become Liquid, Hugo or kramdown syntax.'},
  {atBreak: true, character: ':', after: '::', why: 'Three colons at the start of a line open a VitePress or markdown-it container.'},
  {character: '$', inConstruct: 'phrasing', why: 'Dollars delimit math (remark-math).'},
  {character: '~', inConstruct: 'phrasing', why: 'Tildes delimit strikethrough (GFM).'}
]

const cellUnsafe: Unsafe = {character: '|', inConstruct: 'phrasing'}

const gfm = gfmToMarkdown()
const baseDelete = gfm.extensions?.find((extension) => extension.handlers?.['delete'])?.handlers?.['delete']

/**
 * Serialize translated phrasing as the content of a paragraph (also a setext heading or a
 * table cell) or of an ATX heading: the same escaping rules the enclosing construct needs.
 *
 * @param children Rebuilt phrasing.
 * @param context `phrasing`, `tableCell` or `headingAtx`.
 * @param depth Heading depth, for `headingAtx`.
 */
export function serializePhrasing(children: readonly OutputPhrasing[], context: 'phrasing' | 'tableCell' | 'headingAtx', depth = 1): string {
  const processor = context === 'tableCell' ? cellProcessor : phrasingProcessor
  if (context === 'headingAtx') {
    const heading = {type: 'heading', depth, children} as unknown as Heading
    const text = processor.stringify(heading).replace(/\n$/, '')
    return text.replace(/^#{1,6} ?/, '')
  }
  const paragraph = {type: 'paragraph', children} as unknown as Paragraph
  return processor.stringify(paragraph).replace(/\n$/, '')
}

/**
 * A remark plugin, used after the syntax plugins: the serializers they registered
 * (`toMarkdownExtensions`) merged into one, as `toMarkdown` would merge them on every call
 * (nested extensions first, in order; later handlers win; unsafe patterns and joins
 * appended). A segment is serialized with one merge instead of a dozen, and the unsafe
 * patterns, being the same objects every time, keep the regular expressions compiled for them.
 */
function mergeSerializers(this: Processor): undefined {
  const data = this.data()
  const merged: Options & {handlers: NonNullable<Options['handlers']>; unsafe: Unsafe[]; join: NonNullable<Options['join']>} = {handlers: {}, unsafe: [], join: []}
  const add = (extension: Options): void => {
    for (const nested of extension.extensions ?? []) add(nested)
    for (const [key, value] of Object.entries(extension)) {
      if (key === 'extensions' || value === undefined) continue
      if (key === 'unsafe' || key === 'join') merged[key].push(...(value as never[]))
      else if (key === 'handlers') Object.assign(merged.handlers, value)
      else (merged as unknown as Record<string, unknown>)[key] = value
    }
  }
  for (const extension of data.toMarkdownExtensions ?? []) {
    // Front matter only opens a document, and a translated segment never does (Ponte writes
    // front matter values itself, into the source's own lines): its serializer is left out.
    // With it, every segment cost 10 % more (measured), and its fence escapes (`+++` at a line
    // start) would change what a translator's text becomes.
    if (extension.handlers && ('yaml' in extension.handlers || 'toml' in extension.handlers)) continue
    add(extension)
  }
  data.toMarkdownExtensions = [merged]
  return undefined
}

function raw(node: RawNode): string {
  return node.value
}
raw.peek = (node: RawNode): string => node.value.charAt(0)

function wrap(node: WrapNode, _: unknown, state: State, info: Parameters<Handle>[3]): string {
  const exit = state.enter('label')
  const value = state.containerPhrasing(node as never, {...info, before: node.open.slice(-1), after: node.close.charAt(0)})
  exit()
  return node.open + value + node.close
}
wrap.peek = (node: WrapNode): string => node.open.charAt(0)

type MarkedNode = {data?: {ponteMarker?: string; ponteSize?: number}}
type AttentionHandle = Handle & {attention?: (node: never, state: State) => unknown; peek?: Handle}

/** Serialize emphasis and strong with the marker the source used (`*` or `_`). */
function withSourceMarker(base: AttentionHandle, key: 'emphasis' | 'strong'): AttentionHandle {
  const run = <T>(node: MarkedNode, state: State, fn: () => T): T => {
    const marker = node.data?.ponteMarker
    if (marker !== '*' && marker !== '_') return fn()
    const saved = state.options[key]
    state.options[key] = marker
    try {
      return fn()
    } finally {
      state.options[key] = saved
    }
  }
  const handle = ((node: MarkedNode, parent: never, state: State, info: never) =>
    run(node, state, () => base(node as never, parent, state, info))) as AttentionHandle
  handle.attention = (node: never, state: State) => run(node as MarkedNode, state, () => base.attention?.(node, state))
  handle.peek = ((node: MarkedNode, parent: never, state: State, info: never) =>
    run(node, state, () => (base.peek ?? base)(node as never, parent, state, info))) as Handle
  return handle
}

/** Serialize strikethrough with the tilde count the source used (`~` or `~~`). */
function deleteWithSourceSize(): AttentionHandle {
  const base = baseDelete as AttentionHandle
  const handle = ((node: never, parent: never, state: State, info: never) => base(node, parent, state, info)) as AttentionHandle
  handle.attention = (node: never) => ({
    construct: 'strikethrough',
    markers: ['~'],
    sizes: (node as MarkedNode).data?.ponteSize === 1 ? [1, 2] : [2, 1]
  })
  handle.peek = (() => '~') as unknown as Handle
  return handle
}

/** Text right after a line break (a hard break or an atom that ends a line) starts a line. */
function text(node: never, parent: {children: Array<{type: string; value?: string}>} | undefined, state: State, info: Parameters<Handle>[3]): string {
  const index = state.indexStack[state.indexStack.length - 1] ?? 0
  const previous = parent?.children[index - 1]
  const startsLine = previous?.type === 'ponteRaw' && /\n[ \t>]*$/.test(previous.value ?? '')
  return defaultHandlers.text(node, parent as never, state, startsLine ? {...info, before: '\n'} : info)
}

const handlers = {
  text,
  ponteRaw: raw,
  ponteWrap: wrap,
  emphasis: withSourceMarker(defaultHandlers.emphasis as AttentionHandle, 'emphasis'),
  strong: withSourceMarker(defaultHandlers.strong as AttentionHandle, 'strong'),
  delete: deleteWithSourceSize()
}

const phrasingUnsafe: Unsafe[] = extraUnsafe.map(({why: _why, ...pattern}) => pattern)

/**
 * remark-stringify's options for translated text, set here once: Ponte's handlers (source
 * markers, raw atoms, wrapped links), ATX headings and fenced code, and the escapes of the
 * enclosing construct. The serializers of GFM and math come from their remark plugins; front
 * matter's plugin makes the processor know the syntax the parser knows (parse.ts), and its
 * serializer is left out (`mergeSerializers`).
 */
function stringifier(unsafe: Unsafe[]): Processor<undefined, undefined, undefined, Nodes, string> {
  return unified()
    .use(remarkStringify, {unsafe, handlers: handlers as unknown as Options['handlers'], setext: false, fences: true})
    .use(remarkGfm)
    .use(remarkMath)
    .use(remarkFrontmatter, ['yaml', 'toml'])
    .use(mergeSerializers)
    .freeze() as unknown as Processor<undefined, undefined, undefined, Nodes, string> // remark-stringify serializes any mdast node, not only a root
}

const phrasingProcessor = stringifier(phrasingUnsafe)
// In a table cell a pipe would end the cell: escaped wherever it is.
const cellProcessor = stringifier([...phrasingUnsafe, cellUnsafe])

/**
 * Escape a translated image alt text so it stays text inside `![…]`.
 *
 * @param alt Plain text.
 */
export function escapeAlt(alt: string): string {
  return alt.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ').replace(/[\\[\]*_`<>&!~|${}]/g, '\\$&')
}

/**
 * Escape a translated title for its delimiters (`"…"`, `'…'`, `(…)`).
 *
 * @param title Plain text.
 * @param quote The opening delimiter.
 */
export function escapeTitle(title: string, quote: string): string {
  const special = quote === '(' ? /[\\()]|&(?=[#A-Za-z])/g : quote === "'" ? /[\\']|&(?=[#A-Za-z])/g : /[\\"]|&(?=[#A-Za-z])/g
  return title.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ').replace(special, '\\$&')
}
