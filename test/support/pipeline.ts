import {assemblePost, type Assembled} from '../../src/assemble/assemble.js'
import {compareStructure, structureDigest} from '../../src/assemble/structure.js'
import {contentKeys} from '../../src/catalog/keys.js'
import {defaultConfig, type Config} from '../../src/config.js'
import {parseMarkdown, splitBom, type ParseOptions} from '../../src/parse/parse.js'
import {analyzePost} from '../../src/project/analyze.js'
import {compilePatterns} from '../../src/segment/protect.js'
import type {Segment} from '../../src/segment/segment.js'

/** A post extracted in memory: its segments, keys and Italian catalog. */
export interface Extracted {
  segments: Segment[]
  keys: string[]
  catalog: Record<string, string>
}

/** Extract a Markdown string in memory, as `extract` would on a first run. */
export function extractString(markdown: string, config: Config = defaultConfig): Extracted {
  const analysis = analyzePost(markdown, config, compilePatterns(config.protectedPatterns))
  const keys = contentKeys(analysis.segments)
  const catalog: Record<string, string> = {}
  analysis.segments.forEach((segment, index) => {
    catalog[keys[index] ?? ''] = segment.value
  })
  return {segments: analysis.segments, keys, catalog}
}

/**
 * Build a Markdown string in memory with a translation function of (Italian value, key).
 * Editions are verified against the source's structure digest, as a build after `extract`
 * verifies them (the source tree is consulted only to locate a difference).
 */
export function buildString(
  markdown: string,
  translate: (value: string, key: string, segment: Segment) => string | undefined,
  config: Config = defaultConfig
): Assembled & {edition: string} {
  const analysis = analyzePost(markdown, config, compilePatterns(config.protectedPatterns))
  const keys = contentKeys(analysis.segments)
  const assembled = assemblePost(analysis.body, analysis.tree, analysis.segments, (segment) => translate(segment.value, keys[segment.id] ?? '', segment), structureDigest(analysis.tree()), undefined, analysis.syntax)
  return {...assembled, edition: analysis.bom + assembled.output}
}

/** Where the structure of two documents differs, or `undefined` when it is the same. */
export function structureDifference(source: string, edition: string, syntax: ParseOptions = {}): string | undefined {
  const difference = compareStructure(parseMarkdown(splitBom(source).body, syntax), parseMarkdown(splitBom(edition).body, syntax))
  return difference?.reason
}

/** Upper-case the text of a value outside tags, interpolations and references (property b). */
export function upperCase(value: string): string {
  return value.replace(/(<[^<>]*>|\{\{[^{}]*\}\}|&[#\w]+;)|([^<{&]+|[<{&])/g, (_, markup: string | undefined, text: string) => markup ?? text.toUpperCase())
}

/** Text that prepends block syntax and appends inline syntax (property c). */
export const hostilePrefix = '1. # > + '
export const hostileSuffix = ' *a* _b_ `c` [d](e) | ~~h~~ ![f](g)'

/** Wrap a value in Markdown syntax that must come out as literal text (property c). */
export function hostile(value: string): string {
  return hostilePrefix + value + hostileSuffix
}

/** The CommonMark 0.31.2 examples, tabs restored. */
export async function commonmarkExamples(): Promise<Array<{example: number; section: string; markdown: string}>> {
  const {createRequire} = await import('node:module')
  const require = createRequire(import.meta.url)
  const spec = require('commonmark-spec') as {tests: Array<{markdown: string; number: number; section: string}>}
  return spec.tests.map((test) => ({example: test.number, section: test.section, markdown: test.markdown.replace(/→/g, '\t')}))
}
