import type {Element, ElementContent, Root as HastRoot} from 'hast'
import type {Root} from 'mdast'
import rehypeSanitize, {defaultSchema, type Options as SanitizeSchema} from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {parseMarkdown, splitBom, type ParseOptions} from '../parse/parse.js'
import {blockNodes, type PostView} from '../project/post-view.js'

/**
 * GitHub's sanitizing schema, plus the two attributes the page reads to tie a block to its
 * segment: `data-key` (a key, nothing else) and `data-italian` (the block shows the Italian).
 */
const schema: SanitizeSchema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    '*': [...(defaultSchema.attributes?.['*'] ?? []), ['dataKey', /^[\w-]+$/], ['dataItalian', 'true']]
  }
}

// Front matter is not Markdown to render: its translated fields are shown in a header instead.
const processor = unified()
  .use(remarkRehype, {handlers: {yaml: () => undefined, toml: () => undefined}})
  .use(rehypeSanitize, schema)
  .use(rehypeStringify)
  .freeze()

/**
 * Render a post's edition as sanitized HTML for the preview: remark-rehype, then
 * rehype-sanitize (no script, no event handler, no `javascript:` URL survives), then
 * rehype-stringify. Each block carries the key of its segment, and marks where the Italian
 * stands in for a missing or refused translation; front matter fields come first, as text.
 *
 * @param view The post's view (`viewPost`), with its edition.
 * @param italian Render the Italian post instead (no translation at all).
 * @param source The Italian post, for `italian`.
 * @param syntax The syntax the site reads (`math`), as the post was parsed.
 */
export function renderPreview(view: PostView, italian = false, source = '', syntax: ParseOptions = {}): string {
  const markdown = italian ? source : view.edition
  if (markdown === undefined) return ''
  const tree: Root = parseMarkdown(splitBom(markdown).body, syntax)
  const blocks = blockNodes(tree)
  for (const block of view.blocks) {
    const target = blocks[block.index]?.holder
    if (!target) continue
    target.data = {...target.data, hProperties: {dataKey: block.key, ...(block.italian && !italian ? {dataItalian: 'true'} : {})}}
  }
  const hast = processor.runSync(tree) as HastRoot
  const fields = view.segments.filter((segment) => segment.label.startsWith('Front matter: '))
  if (fields.length > 0) {
    const rows: ElementContent[] = []
    for (const field of fields) {
      const shown = italian || field.state === 'missing' || field.state === 'invalid' ? field.italian : field.english
      rows.push(element('dt', {}, [{type: 'text', value: field.label.slice('Front matter: '.length)}]))
      rows.push(element('dd', {dataKey: field.key, ...(shown === field.italian && !italian ? {dataItalian: 'true'} : {})}, [{type: 'text', value: shown}]))
    }
    hast.children.unshift(element('dl', {className: ['ponte-front-matter']}, rows))
  }
  return processor.stringify(hast)
}

function element(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return {type: 'element', tagName, properties, children}
}
