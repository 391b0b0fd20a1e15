/**
 * Serialize a catalog: a flat JSON object, keys in the given (document) order,
 * two-space indentation, `\n` line endings and a final newline, so the same entries
 * always give the same bytes.
 *
 * @param entries Key–value pairs in order.
 */
export function writeCatalog(entries: Iterable<readonly [string, string]>): string {
  const lines: string[] = []
  for (const [key, value] of entries) lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}`)
  return lines.length === 0 ? '{}\n' : `{\n${lines.join(',\n')}\n}\n`
}
