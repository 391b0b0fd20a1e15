import type {Root} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import {unified} from 'unified'

// Frozen, so it holds no mutable state: every call parses with the same configuration.
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkFrontmatter, ['yaml', 'toml'])
  .use(remarkMath)
  .freeze()

/**
 * Parse Markdown into mdast with Ponte's one parser configuration: CommonMark, GFM
 * (tables, footnotes, strikethrough, task lists, autolink literals), YAML/TOML front
 * matter and math.
 *
 * @param source Markdown without a byte order mark (see `splitBom`).
 */
export function parseMarkdown(source: string): Root {
  return processor.parse(source)
}

/**
 * Split a leading byte order mark off a document, so offsets match what the parser sees.
 *
 * @param text The document as decoded from disk.
 */
export function splitBom(text: string): {bom: string; body: string} {
  return text.charCodeAt(0) === 0xfeff ? {bom: '\uFEFF', body: text.slice(1)} : {bom: '', body: text}
}
