import {hash} from 'node:crypto'
import type {Segment, SegmentKind} from '../segment/segment.js'

const prefixes: Readonly<Record<SegmentKind, string>> = {
  heading: 'h',
  paragraph: 'p',
  'header-cell': 'th',
  cell: 'td',
  title: 't',
  field: 'fm'
}

/**
 * A short fingerprint of a segment's Italian value (8 hex digits of SHA-256).
 *
 * @param value A catalog value.
 */
export function fingerprint(value: string): string {
  return hash('sha256', value, 'hex').slice(0, 8)
}

/**
 * The key a segment gets from its content alone: kind prefix and fingerprint
 * (`p-3f9a1c2b`), or `fm-<field>` for front matter. Content keys do not move when other
 * text is inserted, deleted or moved; a repeated text gets `-2`, `-3` in order.
 *
 * @param segments Segments in document order.
 */
export function contentKeys(segments: readonly Segment[]): string[] {
  const used = new Set<string>()
  const next = new Map<string, number>()
  return segments.map((segment) => uniqueKey(segment.kind === 'field' ? `fm-${segment.field ?? 'field'}` : `${prefixes[segment.kind]}-${fingerprint(segment.value)}`, used, next))
}

/**
 * Make a key unique among `used` by appending `-2`, `-3`…, remembering per base where
 * to continue so many repeats stay linear.
 *
 * @param base The wanted key.
 * @param used Keys taken so far (updated).
 * @param next Next suffix per base (updated).
 */
export function uniqueKey(base: string, used: Set<string>, next: Map<string, number>): string {
  let key = base
  let count = next.get(base) ?? 2
  while (used.has(key)) key = `${base}-${count++}`
  next.set(base, count)
  used.add(key)
  return key
}
