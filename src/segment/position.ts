import type {Nodes} from 'mdast'

/**
 * Start offset of a node in its document; parsed trees always have positions.
 *
 * @param node A node from `parseMarkdown`.
 */
export function startOf(node: Nodes): number {
  return node.position?.start.offset ?? 0
}

/**
 * End offset of a node in its document.
 *
 * @param node A node from `parseMarkdown`.
 */
export function endOf(node: Nodes): number {
  return node.position?.end.offset ?? 0
}
