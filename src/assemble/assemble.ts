import type {Root} from 'mdast'
import {parseMarkdown, type ParseOptions} from '../parse/parse.js'
import type {Segment} from '../segment/segment.js'
import type {ValueProblem} from '../segment/tagged.js'
import {renderScalar} from './scalar.js'
import {explainStructureChange, renderSegment} from './render.js'
import {compareStructure, structureDigest, verifiedKey} from './structure.js'
import type {VerifiedEditions} from '../cache/verified.js'

/** A translation that was refused, with the reason; the Italian was used instead. */
export interface Refusal {
  segment: Segment
  problem: ValueProblem
}

/** What `assemblePost` did. */
export interface Assembled {
  output: string
  /** Segments whose translation went into the edition. */
  translated: Segment[]
  /** Segments with no translation (or an empty one): the Italian was used. */
  missing: Segment[]
  /** Segments whose translation equals the Italian. */
  same: Segment[]
  refused: Refusal[]
  /** The `verifiedKey` of the edition when this call parsed and verified it (to remember it). */
  verified?: string
}

/**
 * Reassemble a post with translations by splicing into the source: bytes outside
 * translated spans are copied as they are. The result is parsed and compared with the
 * source; a translation that would change the structure is refused (the Italian is used
 * for it) and reported.
 *
 * @param source The post (without BOM).
 * @param tree `parseMarkdown(source)`, or a function that parses it on demand (only a
 *   translated post needs the tree, to verify the edition).
 * @param segments `segmentPost(source, tree, …).segments`.
 * @param translationOf The translator's value for a segment, or `undefined` when missing.
 * @param structure `structureDigest` of the source tree, when known: an edition with the
 *   same digest is verified without the source tree, which is then never parsed.
 * @param verified Editions already verified against a source structure (by `verifiedKey`):
 *   one of them is not parsed again.
 * @param syntax The syntax the source was parsed with (`AnalyzedPost.syntax`): the edition is parsed the same way.
 */
export function assemblePost(
  source: string,
  tree: Root | (() => Root),
  segments: readonly Segment[],
  translationOf: (segment: Segment) => string | undefined,
  structure?: string,
  verified?: VerifiedEditions,
  syntax: ParseOptions = {}
): Assembled {
  const result: Assembled = {output: source, translated: [], missing: [], same: [], refused: []}
  const rendered = new Map<number, string>()
  for (const segment of segments) {
    const translation = translationOf(segment)
    if (translation === undefined || translation.trim() === '') {
      result.missing.push(segment)
      continue
    }
    if (translation === segment.value) {
      result.same.push(segment)
      continue
    }
    rendered.set(segment.id, translation)
  }
  const texts = new Map<number, string>()
  const titles = new Map<number, string>()
  // Titles first: a translated link carries its translated title inside its closing bytes.
  for (const segment of segments) {
    const translation = rendered.get(segment.id)
    if (translation === undefined || segment.context !== 'title') continue
    const outcome = renderSegment(segment, translation, () => undefined)
    if (outcome.ok) titles.set(segment.id, outcome.text)
    else result.refused.push({segment, problem: outcome.problem})
  }
  for (const segment of segments) {
    const translation = rendered.get(segment.id)
    if (translation === undefined || segment.context === 'title') continue
    const outcome = renderSegment(segment, translation, (id) => titles.get(id))
    if (!outcome.ok) {
      result.refused.push({segment, problem: outcome.problem})
      continue
    }
    if (segment.context === 'yaml') {
      const original = source.slice(segment.start, segment.end)
      const scalar = renderScalar(outcome.text, segment.scalarType ?? 'PLAIN', segment.field ?? 'title', original)
      if (scalar === undefined) {
        result.refused.push({segment, problem: {ruleId: 'value-yaml', offset: 0, reason: 'this text cannot be written as a YAML string here', fix: 'report this as a bug in Ponte'}})
        continue
      }
      texts.set(segment.id, scalar)
    } else texts.set(segment.id, outcome.text)
  }
  for (const [id, text] of titles) texts.set(id, text)

  const active = new Set(texts.keys())
  for (let attempt = 0; attempt <= segments.length; attempt++) {
    const output = splice(source, segments, texts, active)
    if (active.size === 0) {
      result.output = output
      break
    }
    // The same bytes verified against the same structure before (by any command): no parse.
    const key = structure !== undefined ? verifiedKey(structure, output) : undefined
    if (key !== undefined && verified?.has(key)) {
      result.output = output
      break
    }
    const edition = parseMarkdown(output, syntax)
    const difference = structure !== undefined && structureDigest(edition) === structure ? undefined : compareStructure(typeof tree === 'function' ? tree() : tree, edition)
    if (!difference) {
      result.output = output
      if (key !== undefined) result.verified = key
      break
    }
    // Refuse the translations inside the first block whose structure changed.
    let culprits = segments.filter((segment) => active.has(segment.id) && segment.start < difference.end && difference.start < segment.end)
    if (culprits.length === 0) culprits = segments.filter((segment) => active.has(segment.id))
    for (const segment of culprits) {
      active.delete(segment.id)
      const explained = explainStructureChange(rendered.get(segment.id) ?? '')
      result.refused.push({
        segment,
        problem: explained ?? {
          ruleId: 'value-structure',
          offset: 0,
          reason: `this translation changes the structure of the post (${difference.reason})`,
          fix: 'write the text without Markdown syntax; report a bug if it is plain text'
        }
      })
    }
  }
  const refused = new Set(result.refused.map((refusal) => refusal.segment.id))
  for (const segment of segments) if (active.has(segment.id) && !refused.has(segment.id)) result.translated.push(segment)
  result.refused.sort((a, b) => a.segment.id - b.segment.id)
  return result
}

function splice(source: string, segments: readonly Segment[], texts: Map<number, string>, active: Set<number>): string {
  const parts: string[] = []
  let cursor = 0
  for (const segment of segments) {
    if (!active.has(segment.id)) continue
    // A title inside a translated link is already part of the link's text.
    if (segment.owner !== undefined && active.has(segment.owner)) continue
    const text = texts.get(segment.id)
    if (text === undefined || segment.start < cursor) continue
    parts.push(source.slice(cursor, segment.start), text)
    cursor = segment.end
  }
  parts.push(source.slice(cursor))
  return parts.join('')
}
