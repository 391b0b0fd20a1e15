import type {Root} from 'mdast'
import type {Config} from '../config.js'
import {fillMissingPositions} from '../parse/fill-positions.js'
import {maxNesting, nestingDepth} from '../parse/nesting.js'
import {parseMarkdown, type ParseOptions, splitBom} from '../parse/parse.js'
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
  /** The syntax it was parsed with, which its edition is parsed with too. */
  syntax: ParseOptions
}

/**
 * Parse and segment one post's text.
 *
 * @param text The post as read (a BOM is split off and kept).
 * @param config Front matter fields.
 * @param patterns Compiled protected patterns.
 */
export function analyzePost(text: string, config: Pick<Config, 'frontMatterFields' | 'math'>, patterns: readonly CompiledPattern[]): AnalyzedPost {
  const {bom, body} = splitBom(text)
  const syntax = syntaxOf(config)
  const nesting = nestingDepth(body)
  if (nesting.depth > maxNesting) {
    return {
      bom,
      body,
      tree: () => ({type: 'root', children: []}),
      segments: [],
      problems: [],
      syntax,
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
    tree = parseMarkdown(body, syntax)
    fillMissingPositions(tree, body)
  } catch (error) {
    // catch: RangeError only (the parser's stack overflowed on a post too deep): reported on the post.
    if (!(error instanceof RangeError)) throw error
    return {bom, body, tree: () => ({type: 'root', children: []}), segments: [], problems: [], syntax, fatal: {ruleId: 'source-too-complex', line: 1, column: 1, reason: 'the Markdown parser ran out of stack on this post; it was skipped', fix: 'simplify deeply nested constructs'}}
  }
  const {segments, problems} = segmentPost(body, tree, config, patterns)
  return {bom, body, tree: () => tree, segments, problems, syntax}
}

/**
 * The syntax a configuration has posts parsed with.
 *
 * @param config The `math` setting.
 */
export function syntaxOf(config: Pick<Config, 'math'>): ParseOptions {
  return config.math ? {math: true} : {}
}
