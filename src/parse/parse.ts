import type {Root} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import {unified} from 'unified'

/** The syntax a site's renderer reads beyond CommonMark, GFM and front matter. */
export interface ParseOptions {
  /** `$…$` and `$$…$$` as math (remark-math); off by default, as in GFM, Hugo's Goldmark and kramdown. */
  math?: boolean
}

// Frozen, so they hold no mutable state: every call parses with the same configuration.
const base = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml'])
const processors = {plain: base().freeze(), math: base().use(remarkMath).freeze()}

/**
 * Parse Markdown into mdast with Ponte's parser configuration: CommonMark, GFM (tables,
 * footnotes, strikethrough, task lists, autolink literals), YAML/TOML front matter, and
 * math when the site renders it. The structure Ponte protects is the one the site's
 * renderer sees: a `$` in ordinary text is text unless math is on.
 *
 * @param source Markdown without a byte order mark (see `splitBom`).
 * @param options The syntax the site reads (default: no math).
 */
export function parseMarkdown(source: string, options: ParseOptions = {}): Root {
  return (options.math ? processors.math : processors.plain).parse(source)
}

/**
 * Split a leading byte order mark off a document, so offsets match what the parser sees.
 *
 * @param text The document as decoded from disk.
 */
export function splitBom(text: string): {bom: string; body: string} {
  return text.charCodeAt(0) === 0xfeff ? {bom: '\uFEFF', body: text.slice(1)} : {bom: '', body: text}
}
