import type {StatusResult} from '../commands/status.js'

/**
 * Render the status as a table for people.
 *
 * @param result The status.
 */
export function formatStatus(result: StatusResult): string {
  const header = ['post', 'segments', 'translated', 'stale', 'suggested', 'missing', 'invalid', '%']
  const rows = result.posts.map((post) => [post.path, post.segments, post.translated, post.stale, post.suggested, post.missing, post.invalid, post.percent.toFixed(1)].map(String))
  const t = result.totals
  rows.push([`total (${t.posts} posts)`, t.segments, t.translated, t.stale, t.suggested, t.missing, t.invalid, t.percent.toFixed(1)].map(String))
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: readonly string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd()
  return [line(header), ...rows.slice(0, -1).map(line), '-'.repeat(widths.reduce((sum, width) => sum + width + 2, -2)), line(rows[rows.length - 1] ?? [])].join('\n') + '\n'
}
