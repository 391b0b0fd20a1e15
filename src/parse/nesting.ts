/** The deepest container nesting Ponte parses; real posts stay far below it. */
export const maxNesting = 100

/**
 * Estimate the deepest nesting of block quotes and lists in a document from its line
 * prefixes, without parsing: the parser's time and stack grow with nesting, so a
 * pathological post is refused before it is parsed.
 *
 * @param source A Markdown document.
 * @returns The estimated depth and the 1-based line where it occurs.
 */
export function nestingDepth(source: string): {depth: number; line: number} {
  let deepest = {depth: 0, line: 1}
  let line = 0
  // The container prefix of a line: blanks, `>` and list markers, in any sequence.
  const prefix = /^(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))*/
  for (const text of source.split(/\r\n|\r|\n/)) {
    line++
    const lead = prefix.exec(text)?.[0] ?? ''
    if (!lead) continue
    let quotes = 0
    let markers = 0
    let columns = 0
    for (const match of lead.matchAll(/>|[-*+]|\d{1,9}[.)]|\t| /g)) {
      const token = match[0]
      if (token === '>') quotes++
      else if (token === ' ') columns++
      else if (token === '\t') columns += 4
      else markers++
    }
    // Each list level indents its content by at least two columns.
    const depth = quotes + markers + (markers > 0 ? Math.floor(columns / 2) : 0)
    if (depth > deepest.depth) deepest = {depth, line}
  }
  return deepest
}
