import type {Root} from 'mdast'
import type {Config} from '../config.js'
import {maxNesting, nestingDepth} from '../parse/nesting.js'
import {parseMarkdown, splitBom} from '../parse/parse.js'
import type {CompiledPattern} from '../segment/protect.js'
import {segmentPost, type Segment, type SegmentProblem} from '../segment/segment.js'

/** A post parsed and segmented: everything extract, build, status and check need. */
export interface AnalyzedPost {
  bom: string
  body: string
  /** The parsed tree, parsed on first use when the analysis came from the cache. */
  tree: () => Root
  /** `structureDigest` of the tree, when the analysis came from the cache (it was stored with it). */
  structure?: string
  segments: Segment[]
  problems: SegmentProblem[]
  /** Why the post cannot be processed at all (too deeply nested); nothing is written for it. */
  fatal?: SegmentProblem
}

/**
 * Parse and segment one post's text.
 *
 * @param text The post as read (a BOM is split off and kept).
 * @param config Front matter fields.
 * @param patterns Compiled protected patterns.
 */
export function analyzePost(text: string, config: Pick<Config, 'frontMatterFields'>, patterns: readonly CompiledPattern[]): AnalyzedPost {
  const {bom, body} = splitBom(text)
  const nesting = nestingDepth(body)
  if (nesting.depth > maxNesting) {
    return {
      bom,
      body,
      tree: () => ({type: 'root', children: []}),
      segments: [],
      problems: [],
      fatal: {
        ruleId: 'source-too-deep',
        line: nesting.line,
        column: 1,
        reason: `block quotes or lists are nested about ${nesting.depth} levels deep here (Ponte handles up to ${maxNesting}); the post was skipped`,
        fix: 'flatten the nesting; no real post needs it'
      }
    }
  }
  let tree: Root
  try {
    tree = parseMarkdown(body)
  } catch (error) {
    // catch: RangeError only (the parser's stack overflowed on a post too deep): reported on the post.
    if (!(error instanceof RangeError)) throw error
    return {bom, body, tree: () => ({type: 'root', children: []}), segments: [], problems: [], fatal: {ruleId: 'source-too-complex', line: 1, column: 1, reason: 'the Markdown parser ran out of stack on this post; it was skipped', fix: 'simplify deeply nested constructs'}}
  }
  const {segments, problems} = segmentPost(body, tree, config, patterns)
  return {bom, body, tree: () => tree, segments, problems}
}
