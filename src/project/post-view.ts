import type {Nodes, Root} from 'mdast'
import {diffWords} from 'diff'
import {fingerprint} from '../catalog/keys.js'
import {parseLock, segmentState, updateLock, type SegmentState} from '../catalog/lock.js'
import {readCatalog, type CatalogEntry} from '../catalog/read-catalog.js'
import {writeCatalog} from '../catalog/write-catalog.js'
import type {Config} from '../config.js'
import {validateTranslation} from '../assemble/render.js'
import type {Message} from '../report/message.js'
import type {CompiledPattern} from '../segment/protect.js'
import type {Segment} from '../segment/segment.js'
import type {ValueProblem} from '../segment/tagged.js'
import type {AnalyzedPost} from './analyze.js'
import {planBuild} from './build-post.js'
import {previousEntries, type PostFiles} from './extract-post.js'
import type {PostPaths} from './paths.js'

/** A word of the stale diff: the Italian the English was written against, against the Italian now. */
export interface WordChange {
  text: string
  change: 'same' | 'added' | 'removed'
}

/** What a tag or interpolation of a segment stands for, so the page can show it as a chip. */
export interface TagView {
  /** `em1`, `a1`, `code1`, `br`… */
  name: string
  /** How it is written in a value: `element` (`<a1>…</a1>`), `void` (`<img1/>`, `<br/>`) or `placeholder` (`{{code1}}`). */
  form: 'element' | 'void' | 'placeholder'
  /** What it is: emphasis, strong, delete, link, image, code or other protected text, line break. */
  kind: 'emphasis' | 'strong' | 'delete' | 'link' | 'image' | 'atom' | 'break'
  /** The source it stands for, for a tooltip: the link's destination, the code, the image's alt. */
  detail: string
}

/** One segment as a translator sees it. */
export interface SegmentView {
  key: string
  /** What the segment is, for people: `Paragraph`, `Heading 2`, `List item`, `Table cell`, `Link title`, `Front matter: title`… */
  label: string
  /** The Italian value (tags and interpolations as in the catalog). */
  italian: string
  /** The English value (`''` when there is none). */
  english: string
  state: SegmentState
  /** Why the English is refused (`invalid` only): the same rule and message as `build`. */
  problem?: ValueProblem
  /** Stale only: the Italian the English was written against, when known… */
  was?: string
  /** …and what changed since, word by word. */
  changes?: WordChange[]
  /** 1-based line of the segment in the Italian post. */
  line: number
  /** The segment's tags and interpolations, in the order of the Italian value. */
  tags: TagView[]
}

/** Counts of a post's segments by state. */
export type StateCounts = Record<SegmentState, number> & {segments: number}

/** A post as a translator sees it: its segments, their states, and the English edition it makes. */
export interface PostView {
  path: string
  ns: string
  segments: SegmentView[]
  counts: StateCounts
  /** Fingerprint of the English catalog's bytes as read (`''`: no catalog yet). */
  version: string
  /** Problems of the post or its catalog as a whole (an Italian post too deeply nested, a catalog that is not JSON). */
  messages: Message[]
  /** The English edition `build` would write (the Italian where nothing valid is there yet); `undefined` when the post cannot be built. */
  edition: string | undefined
  /** Per block of the edition in document order (paragraphs, headings, table cells), the key it shows and whether it shows the Italian. */
  blocks: Array<{index: number; key: string; italian: boolean}>
}

/**
 * A post's segments in document order with their Italian, English, state and problems, and
 * the edition they make: what `build` and `status` compute (`planBuild`, `validateTranslation`,
 * `updateLock`, `segmentState`), with the translator's unsaved values laid over the catalog.
 * Pure: reads nothing, writes nothing.
 *
 * @param paths The post's paths.
 * @param text The Italian post.
 * @param files The post's catalogs and lock as on disk.
 * @param config Configuration (the publishing threshold is ignored: a preview always shows the post).
 * @param patterns Compiled protected patterns.
 * @param drafts Unsaved English values by key (default: none).
 * @param analyzed The post already analyzed (`analyzePost(text…)`), to parse it only once.
 */
export function viewPost(paths: PostPaths, text: string, files: PostFiles, config: Config, patterns: readonly CompiledPattern[], drafts: ReadonlyMap<string, string> = new Map(), analyzed?: AnalyzedPost): PostView {
  const read = files.targetCatalog === undefined ? undefined : readCatalog(files.targetCatalog, paths.targetCatalog)
  const onDisk = read?.ok ? read.entries : new Map<string, CatalogEntry>()
  const first = planBuild(paths, text, files, {...config, threshold: 0}, patterns, drafts.size === 0, analyzed)
  // Drafts go through the same reading of the catalog as a saved value would.
  const plan = drafts.size === 0 ? first : planBuild(paths, text, {...files, targetCatalog: catalogWithValues(read?.ok ? files.targetCatalog : undefined, first.keys, drafts)}, {...config, threshold: 0}, patterns, true, first.analysis)
  const english = (key: string): string => drafts.get(key) ?? onDisk.get(key)?.value ?? ''
  const {segments} = plan.analysis
  const previous = previousEntries(files.sourceCatalog, paths.sourceCatalog)
  const lock = updateLock(
    parseLock(files.lock),
    segments.map((segment, index) => ({key: plan.keys[index] ?? '', value: segment.value, translation: english(plan.keys[index] ?? '')})),
    new Map(previous.map((entry) => [entry.key, entry.value]))
  )
  const refused = new Map((plan.assembled?.refused ?? []).map((refusal) => [refusal.segment.id, refusal.problem]))
  const labels = labelSegments(plan.analysis.tree(), segments)
  const counts: StateCounts = {segments: segments.length, translated: 0, stale: 0, suggested: 0, missing: 0, invalid: 0}
  const views = segments.map((segment, index): SegmentView => {
    const key = plan.keys[index] ?? ''
    const value = english(key)
    const problem = value.trim() ? problemOf(segment, value) ?? refused.get(segment.id) : undefined
    const entry = lock.entries.get(key)
    const state = segmentState(entry, value, problem === undefined)
    counts[state]++
    const view: SegmentView = {key, label: labels[index] ?? segment.kind, italian: segment.value, english: value, state, line: segment.line, tags: tagsOf(segment)}
    if (problem) view.problem = problem
    if (state === 'stale' && entry?.was !== undefined) {
      view.was = entry.was
      view.changes = diffWords(entry.was, segment.value).map((part) => ({text: part.value, change: part.added ? 'added' : part.removed ? 'removed' : 'same'}))
    }
    return view
  })
  const messages = [...plan.messages.filter((item) => item.ruleId === 'catalog-syntax' || item.ruleId === 'catalog-not-object' || item.file === paths.source)]
  const showsItalian = new Set(views.filter((view) => view.state === 'missing' || view.state === 'invalid' || (view.state === 'stale' && config.stalePolicy === 'fallback')).map((view) => view.key))
  return {
    path: paths.post,
    ns: paths.ns,
    segments: views,
    counts,
    version: files.targetCatalog === undefined ? '' : fingerprint(files.targetCatalog),
    messages,
    edition: plan.edition,
    blocks: blockKeys(plan.analysis.tree(), segments, plan.keys).map((block) => ({...block, italian: showsItalian.has(block.key)}))
  }
}

/**
 * A catalog file with some values replaced, as a translator's hand-edit would leave it:
 * the entries in their order, edited values in place, keys the file lacks inserted after the
 * key that precedes them in the post; written by `writeCatalog` (as `extract` writes).
 *
 * @param text The catalog as on disk (`undefined`: none yet).
 * @param keys The post's keys in document order.
 * @param values New values by key.
 */
export function catalogWithValues(text: string | undefined, keys: readonly string[], values: ReadonlyMap<string, string>): string {
  const read = text === undefined ? undefined : readCatalog(text, '')
  const entries: Array<[string, string]> = read?.ok ? [...read.entries.values()].map((entry) => [entry.key, values.get(entry.key) ?? entry.value]) : []
  const present = new Set(entries.map(([key]) => key))
  keys.forEach((key, index) => {
    const value = values.get(key)
    if (value === undefined || present.has(key)) return
    let at = 0
    for (let before = index - 1; before >= 0; before--) {
      const found = entries.findIndex(([other]) => other === keys[before])
      if (found >= 0) {
        at = found + 1
        break
      }
    }
    entries.splice(at, 0, [key, value])
    present.add(key)
  })
  return writeCatalog(entries)
}

function tagsOf(segment: Segment): TagView[] {
  return [...segment.slots.values()].map((slot): TagView => {
    if (slot.kind === 'wrap') return {name: slot.name, form: 'element', kind: slot.type, detail: slot.type === 'link' ? slot.close.replace(/^\]\(?/, '').replace(/\)$/, '') : slot.open}
    if (slot.kind === 'image') return {name: slot.name, form: 'element', kind: 'image', detail: slot.close.replace(/^\]\(?/, '').replace(/\)$/, '')}
    if (slot.kind === 'break') return {name: slot.name, form: 'void', kind: 'break', detail: 'line break'}
    return {name: slot.name, form: 'placeholder', kind: 'atom', detail: slot.raw}
  })
}

function problemOf(segment: Segment, value: string): ValueProblem | undefined {
  const valid = validateTranslation(segment, value)
  return valid.ok ? undefined : valid.problem
}

/**
 * The block nodes a segment can stand for, in document order (the same in the source and the
 * edition: structure is kept), with what a reader calls them and the node that holds them in
 * HTML (a tight list item, whose paragraph becomes no `<p>` of its own).
 *
 * @param tree A parsed post.
 */
export function blockNodes(tree: Root): Array<{node: Nodes; label: string; holder: Nodes}> {
  const blocks: Array<{node: Nodes; label: string; holder: Nodes}> = []
  const visit = (node: Nodes, context: string, tightItem: Nodes | undefined): void => {
    if (node.type === 'paragraph') blocks.push({node, label: context || 'Paragraph', holder: tightItem ?? node})
    else if (node.type === 'heading') blocks.push({node, label: `Heading ${node.depth}`, holder: node})
    else if (node.type === 'tableCell') blocks.push({node, label: context, holder: node})
    if (!('children' in node)) return
    if (node.type === 'table') {
      node.children.forEach((row, index) => row.children.forEach((cell) => visit(cell, index === 0 ? 'Table header' : 'Table cell', undefined)))
      return
    }
    if (node.type === 'list') {
      // As mdast-util-to-hast decides: a list is loose when it or any of its items is spread.
      const loose = Boolean(node.spread) || node.children.some((item) => Boolean(item.spread))
      for (const item of node.children) for (const child of item.children) visit(child, 'List item', loose ? undefined : item)
      return
    }
    const inner = node.type === 'blockquote' ? 'Quote' : node.type === 'footnoteDefinition' ? 'Footnote' : context
    for (const child of node.children) visit(child, inner, undefined)
  }
  visit(tree, '', undefined)
  return blocks
}

/** For each segment, the index of the block that holds it (titles: their owner's), or -1 for front matter fields. */
function blockOf(tree: Root, segments: readonly Segment[]): {blocks: ReturnType<typeof blockNodes>; indexes: number[]} {
  const blocks = blockNodes(tree)
  const indexes: number[] = []
  let cursor = 0
  for (const segment of segments) {
    if (segment.kind === 'field') {
      indexes.push(-1)
      continue
    }
    if (segment.kind === 'title') {
      indexes.push(segment.owner === undefined ? -1 : (indexes[segment.owner] ?? -1))
      continue
    }
    while (cursor < blocks.length && (blocks[cursor]?.node.position?.end.offset ?? 0) <= segment.start) cursor++
    indexes.push(cursor < blocks.length ? cursor : -1)
  }
  return {blocks, indexes}
}

function labelSegments(tree: Root, segments: readonly Segment[]): string[] {
  const {blocks, indexes} = blockOf(tree, segments)
  return segments.map((segment, index) => {
    if (segment.kind === 'field') return `Front matter: ${segment.field ?? 'field'}`
    if (segment.kind === 'title') {
      const owner = segment.owner === undefined ? undefined : segments[segment.owner]
      const image = [...(owner?.slots.values() ?? [])].some((slot) => slot.kind === 'image' && slot.title?.segment === segment.id)
      return image ? 'Image title' : 'Link title'
    }
    return blocks[indexes[index] ?? -1]?.label ?? 'Paragraph'
  })
}

function blockKeys(tree: Root, segments: readonly Segment[], keys: readonly string[]): Array<{index: number; key: string}> {
  const {indexes} = blockOf(tree, segments)
  const result: Array<{index: number; key: string}> = []
  segments.forEach((segment, position) => {
    const index = indexes[position] ?? -1
    if (index >= 0 && segment.kind !== 'title') result.push({index, key: keys[position] ?? ''})
  })
  return result
}
