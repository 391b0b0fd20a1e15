import type {PhrasingContent} from 'mdast'
import type {Segment} from '../segment/segment.js'
import type {Slot} from '../segment/slots.js'
import {parseValue, type TagNode, type ValueProblem} from '../segment/tagged.js'
import {escapeAlt, escapeTitle, serializePhrasing, type OutputPhrasing} from './serialize.js'

/** The Markdown (or YAML) text for one translated segment, or why the translation is refused. */
export type Rendered = {ok: true; text: string} | {ok: false; problem: ValueProblem}

/** The longest translation accepted for a segment, whatever its Italian (ten times the Italian is always allowed). */
const maxValueLength = 100_000

/**
 * Check a translation against its segment: not absurdly longer than the Italian, the same
 * tags and interpolations, each once, nested as in the Italian; text only inside image
 * alts and titles.
 *
 * @param segment The Italian segment.
 * @param translation The translator's value.
 */
export function validateTranslation(segment: Segment, translation: string): {ok: true; nodes: TagNode[]} | {ok: false; problem: ValueProblem} {
  const limit = Math.max(maxValueLength, 10 * segment.value.length)
  if (translation.length > limit) {
    return refuse('value-too-long', 0, `the value is ${translation.length.toLocaleString('en')} characters long, more than the ${limit.toLocaleString('en')} allowed for this segment`, 'shorten it (a translation may be at most ten times the Italian, or 100,000 characters)')
  }
  const parsed = parseValue(translation)
  if (!parsed.ok) return parsed
  if (segment.context === 'title' || segment.context === 'yaml') {
    const markup = findMarkup(parsed.nodes)
    if (markup) {
      return refuse('value-tag-unknown', markup.offset, `${describe(markup)} cannot appear in a ${segment.context === 'yaml' ? 'front matter field' : 'title'}`, 'write plain text; `&lt;` for a literal `<`, `&#123;{` for a literal `{{`')
    }
    return {ok: true, nodes: parsed.nodes}
  }
  const expected = parents(segment.nodes)
  const seen = new Map<string, string>()
  let breaks = 0
  let problem: ValueProblem | undefined
  const visit = (nodes: readonly TagNode[], parent: string): void => {
    for (const node of nodes) {
      if (problem || node.type === 'text') continue
      if (node.type === 'void' && node.name === 'br') {
        breaks++
        if (parent !== '' && !expected.breakParents.has(parent)) problem = wrongParent(node, parent)
        continue
      }
      const slot = segment.slots.get(node.name)
      const want = slot ? (slot.kind === 'atom' ? 'placeholder' : 'element') : undefined
      if (!slot || want !== node.type) {
        problem = {
          ruleId: node.type === 'placeholder' ? 'value-placeholder-unknown' : 'value-tag-unknown',
          offset: node.offset,
          reason: `${describe(node)} is not part of this segment${slot ? ` (the Italian has it as ${slot.kind === 'atom' ? `{{${node.name}}}` : `<${node.name}>…</${node.name}>`})` : ''}`,
          fix: `use only ${listNames(segment)}; write \`&lt;\` for a literal \`<\``
        }
        return
      }
      if (seen.has(node.name)) {
        problem = {ruleId: 'value-tag-duplicate', offset: node.offset, reason: `${describe(node)} appears twice`, fix: 'keep each tag and interpolation exactly once'}
        return
      }
      seen.set(node.name, parent)
      if (expected.parent.get(node.name) !== parent) {
        problem = wrongParent(node, parent, expected.parent.get(node.name))
        return
      }
      if (node.type === 'element') {
        if (slot.kind === 'image' && node.children.some((child) => child.type !== 'text')) {
          problem = {ruleId: 'value-tag-nested', offset: node.offset, reason: `the alt text in <${node.name}> must be plain text`, fix: 'remove the tags inside it'}
          return
        }
        visit(node.children, node.name)
      }
    }
  }
  visit(parsed.nodes, '')
  if (problem) return {ok: false, problem}

  for (const name of expected.parent.keys()) {
    if (!seen.has(name)) {
      const slot = segment.slots.get(name)
      return refuse('value-tag-missing', translation.length, `${slot?.kind === 'atom' ? `{{${name}}}` : `<${name}>…</${name}>`} is missing`, 'keep every tag and interpolation of the Italian value (move them, but do not drop them)')
    }
  }
  if (breaks !== expected.breaks) {
    return refuse('value-tag-missing', translation.length, `the Italian has ${expected.breaks} line break(s) <br/>, the translation ${breaks}`, 'keep the same number of <br/>')
  }
  return {ok: true, nodes: parsed.nodes}
}

/**
 * Render a translated segment as the text that replaces its source range.
 *
 * @param segment The Italian segment.
 * @param translation The translator's value (already known to differ from the Italian).
 * @param titleOf Translated titles of links and images inside the segment, by segment id.
 */
export function renderSegment(segment: Segment, translation: string, titleOf: (id: number) => string | undefined): Rendered {
  const valid = validateTranslation(segment, translation)
  if (!valid.ok) return valid
  if (segment.context === 'title') return {ok: true, text: escapeTitle(plain(valid.nodes), segment.quote ?? '"')}
  if (segment.context === 'yaml') return {ok: true, text: plain(valid.nodes)}
  const breaks = [...segment.slots.values()].filter((slot) => slot.kind === 'break')
  const children = rebuild(separateBareUrls(valid.nodes, segment.slots), segment.slots, breaks, titleOf)
  return {ok: true, text: serializePhrasing(children, segment.context, segment.depth)}
}

function rebuild(nodes: readonly TagNode[], slots: Map<string, Slot>, breaks: Slot[], titleOf: (id: number) => string | undefined): OutputPhrasing[] {
  const result: OutputPhrasing[] = []
  for (const node of nodes) {
    if (node.type === 'text') {
      result.push({type: 'text', value: node.value.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ')})
      continue
    }
    if (node.type === 'void') {
      const slot = breaks.shift()
      if (slot?.kind === 'break') result.push({type: 'ponteRaw', value: slot.raw + slot.prefix})
      continue
    }
    const slot = slots.get(node.name)
    if (!slot) continue
    if (slot.kind === 'atom') {
      result.push({type: 'ponteRaw', value: slot.raw})
    } else if (slot.kind === 'image') {
      const alt = node.type === 'element' ? plain(node.children) : slot.alt
      result.push({type: 'ponteRaw', value: slot.open + escapeAlt(alt) + closeWithTitle(slot, titleOf)})
    } else if (slot.kind === 'wrap' && node.type === 'element') {
      const children = rebuild(node.children, slots, breaks, titleOf) as PhrasingContent[]
      if (slot.type === 'link') {
        result.push({type: 'ponteWrap', open: slot.open, close: closeWithTitle(slot, titleOf), children})
      } else {
        const data = {ponteMarker: slot.open.charAt(0), ponteSize: slot.open.length}
        result.push({type: slot.type, data, children} as PhrasingContent)
      }
    }
  }
  return result
}

/**
 * Keep a bare URL (`https://…`, `www.…`, an e-mail address) apart from the text around
 * it: GFM would otherwise stretch the link over the translator's neighbouring words. A
 * space is added only where the neighbour is not already a space or closing punctuation.
 */
function separateBareUrls(nodes: readonly TagNode[], slots: ReadonlyMap<string, Slot>): TagNode[] {
  const tree = structuredClone(nodes) as TagNode[]
  const flat: Array<{node: TagNode; list: TagNode[]; index: number}> = []
  const walk = (list: TagNode[]): void => {
    list.forEach((node, index) => {
      flat.push({node, list, index})
      if (node.type === 'element') walk(node.children)
    })
  }
  walk(tree)
  const inserts: Array<{list: TagNode[]; index: number}> = []
  flat.forEach((item, position) => {
    const slot = item.node.type === 'placeholder' ? slots.get(item.node.name) : undefined
    if (slot?.kind !== 'atom' || !/^url\d+$/.test(slot.name) || slot.raw.startsWith('<')) return
    // Raw HTML ends a bare URL, and GFM finds one right after a tag as it did in the Italian:
    // no space there (it would show in the page); the structure check has the last word.
    const isHtml = (node: TagNode | undefined): boolean => node?.type === 'placeholder' && /^html\d+$/.test(node.name)
    const next = flat[position + 1]
    if (next && !isHtml(next.node) && !(next.node.type === 'text' && /^[.,:;!?)"'\]]*(?:\s|$)/.test(next.node.value))) {
      if (next.node.type === 'text') next.node.value = ' ' + next.node.value
      else inserts.push({list: item.list, index: item.index + 1})
    }
    const previous = flat[position - 1]
    if (previous && previous.list === item.list && previous.index === item.index - 1) {
      if (previous.node.type === 'text' && !/[\s(]$/.test(previous.node.value)) previous.node.value += ' '
      else if (previous.node.type !== 'text' && !isHtml(previous.node)) inserts.push({list: item.list, index: item.index})
    }
  })
  for (const insert of inserts.sort((a, b) => b.index - a.index)) insert.list.splice(insert.index, 0, {type: 'text', value: ' '})
  return tree
}

function closeWithTitle(slot: Slot & {kind: 'wrap' | 'image'}, titleOf: (id: number) => string | undefined): string {
  if (!slot.title) return slot.close
  const title = titleOf(slot.title.segment)
  return title === undefined ? slot.close : slot.title.before + title + slot.title.after
}

function parents(nodes: readonly TagNode[]): {parent: Map<string, string>; breaks: number; breakParents: Set<string>} {
  const parent = new Map<string, string>()
  const breakParents = new Set<string>()
  let breaks = 0
  const visit = (list: readonly TagNode[], owner: string): void => {
    for (const node of list) {
      if (node.type === 'text') continue
      if (node.type === 'void' && node.name === 'br') {
        breaks++
        breakParents.add(owner)
        continue
      }
      parent.set(node.name, owner)
      if (node.type === 'element') visit(node.children, node.name)
    }
  }
  visit(nodes, '')
  return {parent, breaks, breakParents}
}

function plain(nodes: readonly TagNode[]): string {
  return nodes.map((node) => (node.type === 'text' ? node.value : node.type === 'element' ? plain(node.children) : '')).join('')
}

// What GFM's autolink literal extension links in text: `www.` domains, http(s) URLs and e-mail addresses.
const autolinkLiteral = /(?:^|[^\p{L}\p{N}])(www\.[\p{L}\p{N}_-]+\.[\p{L}\p{N}_.-]*[\p{L}\p{N}_-]|https?:\/\/[^\s<]*[^\s<?!.,:*_~]|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[\w-]*[\p{L}\p{N}])/u

/**
 * Why a valid translation changed the structure, when a likely cause is known: a bare
 * URL or e-mail address that GFM turned into a link.
 *
 * @param translation The translator's value.
 */
export function explainStructureChange(translation: string): ValueProblem | undefined {
  const parsed = parseValue(translation)
  const link = parsed.ok ? findAutolinkLiteral(parsed.nodes) : undefined
  if (!link) return undefined
  return {
    ruleId: 'value-autolink',
    offset: Math.max(0, translation.indexOf(link)),
    reason: `\`${link}\` would become a link (GFM turns bare URLs and e-mail addresses into links)`,
    fix: 'reuse the URL interpolations of the Italian value ({{url1}}…), or write the address so it is not linked (e.g. "info at example.com")'
  }
}

function findAutolinkLiteral(nodes: readonly TagNode[]): string | undefined {
  for (const node of nodes) {
    if (node.type === 'text') {
      const match = autolinkLiteral.exec(node.value)
      if (match?.[1]) return match[1]
    } else if (node.type === 'element') {
      const found = findAutolinkLiteral(node.children)
      if (found) return found
    }
  }
  return undefined
}

function findMarkup(nodes: readonly TagNode[]): Exclude<TagNode, {type: 'text'}> | undefined {
  for (const node of nodes) if (node.type !== 'text') return node
  return undefined
}

function describe(node: TagNode): string {
  if (node.type === 'placeholder') return `{{${node.name}}}`
  if (node.type === 'void') return `<${node.name}/>`
  if (node.type === 'element') return `<${node.name}>`
  return 'text'
}

function wrongParent(node: TagNode, parent: string, want?: string): ValueProblem {
  const where = (name: string | undefined): string => (name ? `inside <${name}>` : 'outside any tag')
  return {
    ruleId: 'value-tag-nesting',
    offset: 'offset' in node ? node.offset : 0,
    reason: `${describe(node)} is ${where(parent)}, but the Italian has it ${where(want)}`,
    fix: 'tags may move, but must stay nested as in the Italian value'
  }
}

function listNames(segment: Segment): string {
  const names = [...segment.slots.values()].filter((slot) => slot.kind !== 'break').map((slot) => (slot.kind === 'atom' ? `{{${slot.name}}}` : `<${slot.name}>`))
  if ([...segment.slots.values()].some((slot) => slot.kind === 'break')) names.push('<br/>')
  return names.length > 0 ? names.join(', ') : 'plain text (this segment has no tags)'
}

function refuse(ruleId: string, offset: number, reason: string, fix: string): {ok: false; problem: ValueProblem} {
  return {ok: false, problem: {ruleId, offset, reason, fix}}
}
