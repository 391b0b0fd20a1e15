import type {Heading, Paragraph, PhrasingContent} from 'mdast'
import {gfmToMarkdown} from 'mdast-util-gfm'
import {mathToMarkdown} from 'mdast-util-math'
import {defaultHandlers, toMarkdown, type Handle, type Options, type State, type Unsafe} from 'mdast-util-to-markdown'

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
  const options = context === 'tableCell' ? cellOptions : phrasingOptions
  if (context === 'headingAtx') {
    const heading = {type: 'heading', depth, children} as unknown as Heading
    const text = toMarkdown(heading, options).replace(/\n$/, '')
    return text.replace(/^#{1,6} ?/, '')
  }
  const paragraph = {type: 'paragraph', children} as unknown as Paragraph
  return toMarkdown(paragraph, options).replace(/\n$/, '')
}

/**
 * The extensions merged into one, as `toMarkdown` merges them on every call (nested
 * extensions first, in order; later handlers win; unsafe patterns and joins appended):
 * a segment is serialized with one merge instead of a dozen, and the unsafe patterns,
 * being the same objects every time, keep the regular expressions compiled for them.
 */
function flatten(extensions: readonly Options[], own: Options): Options {
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
  for (const extension of extensions) add(extension)
  add(own)
  return merged
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
const ownOptions = (unsafe: Unsafe[]): Options => ({unsafe, handlers: handlers as unknown as Options['handlers'], setext: false, fences: true})
const phrasingOptions = flatten([gfm, mathToMarkdown()], ownOptions(phrasingUnsafe))
const cellOptions = flatten([gfm, mathToMarkdown()], ownOptions([...phrasingUnsafe, cellUnsafe]))

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
