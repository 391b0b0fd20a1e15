import type {CatalogSegment} from '../memory/pending-segments.js'
import {escapeXml} from './xml.js'
import {toXliffInline, type XliffVersion} from './inline-codes.js'

/** One post of an XLIFF document. */
export interface XliffPost {
  /** Path under content/<source>. */
  post: string
  segments: CatalogSegment[]
}

const kinds: Readonly<Record<string, string>> = {p: 'paragraph', h: 'heading', th: 'header-cell', td: 'cell', t: 'title', fm: 'front-matter'}

/**
 * Write posts as an XLIFF document: one file per post (`original` is its path), one unit
 * per segment (`id` is its key), the Italian as source, the English as target with its
 * state (translated; stale and suggested need review; missing: no target; an invalid
 * English is left out and noted), notes giving the post, the kind and the stale Italian.
 * Same input, same bytes.
 *
 * @param posts The posts, in order.
 * @param version `2.0` or `1.2`.
 * @param languages Source and target language codes.
 * @param copySource Give a missing segment a target that copies its source, marked new
 *   (`initial` in 2.0): CAT tools that translate the target in place (OmegaT) need one.
 */
export function writeXliff(posts: readonly XliffPost[], version: XliffVersion, languages: {source: string; target: string}, copySource = false): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']
  const a = (text: string): string => escapeXml(text, true)
  if (version === '2.0') out.push(`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="${a(languages.source)}" trgLang="${a(languages.target)}">`)
  else out.push('<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">')
  posts.forEach((post, index) => {
    if (version === '2.0') out.push(`  <file id="f${index + 1}" original="${a(post.post)}">`)
    else out.push(`  <file original="${a(post.post)}" source-language="${a(languages.source)}" target-language="${a(languages.target)}" datatype="plaintext">`, '    <body>')
    for (const segment of post.segments) out.push(...(version === '2.0' ? unit20(post.post, segment, copySource) : unit12(post.post, segment, copySource)))
    if (version === '1.2') out.push('    </body>')
    out.push('  </file>')
  })
  out.push('</xliff>')
  return out.join('\n') + '\n'
}

function notesOf(post: string, segment: CatalogSegment, target: string | undefined): Array<[string, string]> {
  const notes: Array<[string, string]> = [
    ['post', post],
    ['kind', kinds[segment.key.split('-')[0] ?? ''] ?? 'segment'],
    ['state', target === undefined && segment.english.trim() ? 'invalid' : segment.state]
  ]
  if (segment.was !== undefined) notes.push(['stale-italian', segment.was])
  if (target === undefined && segment.english.trim()) notes.push(['invalid-english', segment.english])
  return notes
}

function unit20(post: string, segment: CatalogSegment, copySource: boolean): string[] {
  const source = toXliffInline(segment.value, '2.0') ?? escapeXml(segment.value)
  const target = segment.english.trim() ? toXliffInline(segment.english, '2.0') : undefined
  const state = target === undefined ? 'state="initial"' : segment.state === 'translated' ? 'state="translated"' : `state="initial" subState="ponte:${segment.state === 'suggested' ? 'suggested' : 'needs-review'}"`
  const lines = [`    <unit id="${escapeXml(segment.key, true)}">`, '      <notes>']
  for (const [category, text] of notesOf(post, segment, target)) lines.push(`        <note category="${category}">${escapeXml(text)}</note>`)
  lines.push('      </notes>', `      <segment ${state}>`, `        <source xml:space="preserve">${source}</source>`)
  if (target !== undefined) lines.push(`        <target xml:space="preserve">${target}</target>`)
  else if (copySource && !segment.english.trim()) lines.push(`        <target xml:space="preserve">${source}</target>`)
  lines.push('      </segment>', '    </unit>')
  return lines
}

function unit12(post: string, segment: CatalogSegment, copySource: boolean): string[] {
  const source = toXliffInline(segment.value, '1.2') ?? escapeXml(segment.value)
  const target = segment.english.trim() ? toXliffInline(segment.english, '1.2') : undefined
  // approved: a translation a translator wrote or confirmed for this very Italian.
  const approved = target !== undefined && segment.state === 'translated' ? ' approved="yes"' : ''
  const lines = [`      <trans-unit id="${escapeXml(segment.key, true)}" resname="${escapeXml(segment.key, true)}"${approved} xml:space="preserve">`, `        <source>${source}</source>`]
  if (target !== undefined) {
    const state = segment.state === 'translated' ? 'state="translated"' : `state="needs-review-translation"${segment.state === 'suggested' ? ' state-qualifier="exact-match"' : ''}`
    lines.push(`        <target ${state}>${target}</target>`)
  } else if (copySource && !segment.english.trim()) lines.push(`        <target state="new">${source}</target>`)
  for (const [category, text] of notesOf(post, segment, target)) lines.push(`        <note from="ponte" annotates="general">${category}: ${escapeXml(text)}</note>`)
  lines.push('      </trans-unit>')
  return lines
}
