import type {Root} from 'mdast'
import type {Config} from '../config.js'
import {parseMarkdown, splitBom} from '../parse/parse.js'
import type {CompiledPattern} from '../segment/protect.js'
import {segmentPost, type Segment, type SegmentProblem} from '../segment/segment.js'

/** A post parsed and segmented: everything extract, build, status and check need. */
export interface AnalyzedPost {
  bom: string
  body: string
  tree: Root
  segments: Segment[]
  problems: SegmentProblem[]
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
  const tree = parseMarkdown(body)
  const {segments, problems} = segmentPost(body, tree, config, patterns)
  return {bom, body, tree, segments, problems}
}
