import type {ProtectedPattern} from '../config.js'
import type {Range} from './inline.js'

/** Compiled protected patterns; compile once per run with `compilePatterns`. */
export interface CompiledPattern {
  name: string
  expression: RegExp
}

/**
 * Compile configured protected patterns (flags `gmu`).
 *
 * @param patterns Patterns from the configuration.
 */
export function compilePatterns(patterns: readonly ProtectedPattern[]): CompiledPattern[] {
  return patterns.map((pattern) => ({name: pattern.name, expression: new RegExp(pattern.pattern, 'gmu')}))
}

/**
 * Find site-generator syntax in the source of one block's inline content. Line prefixes
 * (`> `, indentation) are blanked first so line-anchored patterns match inside
 * containers. A match that fills its line takes the line break before or after it too,
 * so the line structure that Liquid, kramdown and VitePress care about survives.
 *
 * @param source The whole document.
 * @param start Start offset of the block's inline content.
 * @param end End offset of the block's inline content.
 * @param patterns Compiled patterns; earlier patterns win over later overlapping ones.
 */
export function findProtectedRanges(source: string, start: number, end: number, patterns: readonly CompiledPattern[]): Range[] {
  if (patterns.length === 0) return []
  const slice = source.slice(start, end)
  if (!/[{:]/.test(slice)) return []
  const blanked = slice.replace(/(\r\n|\r|\n)([ \t>]*)/g, (_, eol: string, prefix: string) => eol + ' '.repeat(prefix.length))
  const ranges: Range[] = []
  for (const pattern of patterns) {
    pattern.expression.lastIndex = 0
    for (const match of blanked.matchAll(pattern.expression)) {
      let from = match.index
      let to = from + match[0].length
      // Leading blanks belong to the line, not to the syntax.
      while (from < to && (blanked[from] === ' ' || blanked[from] === '\t')) from++
      if (from === to) continue
      if (ranges.some((range) => range.start < start + to && start + from < range.end)) continue
      ranges.push({start: start + from, end: start + to, name: pattern.name})
    }
  }
  return ranges.map((range) => extendToLines(source, range, start, end)).sort((a, b) => a.start - b.start)
}

function extendToLines(source: string, range: Range, blockStart: number, blockEnd: number): Range {
  let before = range.start
  while (before > blockStart && /[ \t>]/.test(source[before - 1] ?? '')) before--
  if (before > blockStart && (source[before - 1] === '\n' || source[before - 1] === '\r')) {
    before--
    if (source[before] === '\n' && source[before - 1] === '\r' && before - 1 > blockStart) before--
    range = {...range, start: before}
  }
  let after = range.end
  while (after < blockEnd && (source[after] === ' ' || source[after] === '\t')) after++
  if (after < blockEnd && (source[after] === '\n' || source[after] === '\r')) {
    after += source[after] === '\r' && source[after + 1] === '\n' ? 2 : 1
    while (after < blockEnd && /[ \t>]/.test(source[after] ?? '')) after++
    range = {...range, end: after}
  }
  return range
}
