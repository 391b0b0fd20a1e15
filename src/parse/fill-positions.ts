import type {Nodes, Parent, Root} from 'mdast'

/**
 * Give positions to the nodes the parser made without them. GFM's autolink literals are
 * found in two passes, and the second (mdast-util-gfm-autolink-literal's transform, for a
 * `www.` or `http://` the tokenizer could not see, such as one right after raw HTML) splits
 * a text node into text and links that have no position. Ponte copies source bytes by
 * offset, so a node without one would be copied as nothing. The nodes of such a run come
 * from one text node whose characters are the source's: they are laid end to end over the
 * gap their neighbours leave. Where their text does not fill the gap exactly (an escape or
 * a character reference inside), the run keeps no positions and the segment is refused
 * rather than spliced wrongly.
 *
 * @param tree A parsed tree (changed in place).
 * @param source The Markdown it was parsed from.
 */
export function fillMissingPositions(tree: Root, source: string): void {
  const visit = (parent: Parent): void => {
    const children = parent.children as Nodes[]
    let index = 0
    while (index < children.length) {
      if ((children[index] as Nodes).position) {
        const child = children[index] as Nodes
        if ('children' in child) visit(child)
        index++
        continue
      }
      let end = index
      while (end < children.length && !(children[end] as Nodes).position) end++
      // At the edges, the parent's own bounds: its markers, if any, make the text check fail, so no position is guessed.
      const from = index === 0 ? parent.position?.start.offset : children[index - 1]?.position?.end.offset
      const to = end === children.length ? parent.position?.end.offset : children[end]?.position?.start.offset
      if (from !== undefined && to !== undefined) place(children.slice(index, end), from, to, source)
      index = end
    }
  }
  visit(tree)
}

/** Lay a run of nodes end to end over `source[from, to)`, when their text is exactly that. */
function place(run: readonly Nodes[], from: number, to: number, source: string): void {
  const texts = run.map(textOf)
  if (texts.some((text) => text === undefined) || texts.join('') !== source.slice(from, to)) return
  let offset = from
  run.forEach((node, index) => {
    const length = (texts[index] as string).length
    setPosition(node, offset, offset + length, source)
    if ('children' in node) for (const child of node.children as Nodes[]) setPosition(child, offset, offset + length, source)
    offset += length
  })
}

function textOf(node: Nodes): string | undefined {
  if (node.type === 'text') return node.value
  if (node.type === 'link' && node.children.length === 1 && node.children[0]?.type === 'text') return node.children[0].value
  return undefined
}

function setPosition(node: Nodes, start: number, end: number, source: string): void {
  node.position = {start: point(source, start), end: point(source, end)}
}

function point(source: string, offset: number): {line: number; column: number; offset: number} {
  let line = 1
  let lineStart = 0
  for (let at = source.indexOf('\n'); at !== -1 && at < offset; at = source.indexOf('\n', at + 1)) {
    line++
    lineStart = at + 1
  }
  return {line, column: offset - lineStart + 1, offset}
}
