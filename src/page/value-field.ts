/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import {escapeValueText} from '../catalog/escape.js'
import {parseValue, type TagNode} from '../segment/tagged.js'
import type {TagView} from '../project/post-view.js'
import {h} from './dom.js'

/** How a tag is written in a value, for each chip: `<a1>`, `</a1>`, `<br/>`, `{{code1}}`. */
type Token = {tag: TagView; part: 'open' | 'close' | 'void' | 'placeholder'}

const symbols: Record<TagView['kind'], string> = {emphasis: 'em', strong: 'b', delete: 's', link: 'link', image: 'img', atom: 'code', break: '↵'}

/** The text a value's token is written as. */
function tokenText({tag, part}: Token): string {
  return part === 'open' ? `<${tag.name}>` : part === 'close' ? `</${tag.name}>` : part === 'void' ? `<${tag.name}/>` : `{{${tag.name}}}`
}

/**
 * A chip: a tag or interpolation shown as a small non-editable label (what it stands for, with
 * its source in a tooltip). It carries the token it is written as.
 *
 * @param token The tag and which part of it.
 */
export function chip(token: Token): HTMLSpanElement {
  const {tag, part} = token
  const label = tag.kind === 'atom' ? short(tag.detail) : part === 'close' ? `${symbols[tag.kind]}⟩` : part === 'open' ? `⟨${symbols[tag.kind]}` : symbols[tag.kind]
  return h('span', {className: `chip chip-${tag.kind} chip-${part}`, text: label, title: `${tag.name}: ${tag.detail}`, attrs: {'data-token': tokenText(token), contenteditable: 'false', draggable: 'true'}})
}

function short(text: string): string {
  return text.length > 32 ? `${text.slice(0, 31)}…` : text
}

/**
 * Show a value as text and chips, read-only, with the text inside emphasis, strong and links
 * styled as they will read (the Italian side). A value that does not parse is shown as it is.
 *
 * @param value A catalog value.
 * @param tags The segment's tags.
 */
export function renderReadOnly(value: string, tags: readonly TagView[]): HTMLElement {
  const parsed = parseValue(value)
  const holder = h('span', {className: 'value'})
  if (!parsed.ok) {
    holder.textContent = value
    return holder
  }
  const visit = (nodes: readonly TagNode[], into: HTMLElement): void => {
    for (const node of nodes) {
      const tag = node.type === 'text' ? undefined : tags.find((item) => item.name === node.name)
      if (node.type === 'text') into.append(document.createTextNode(node.value))
      else if (!tag) into.append(document.createTextNode(node.type === 'placeholder' ? `{{${node.name}}}` : `<${node.name}>`))
      else if (node.type === 'element') {
        const styled = h('span', {className: `styled styled-${tag.kind}`})
        into.append(chip({tag, part: 'open'}), styled, chip({tag, part: 'close'}))
        visit(node.children, styled)
      } else into.append(chip({tag, part: node.type === 'void' ? 'void' : 'placeholder'}))
    }
  }
  visit(parsed.nodes, holder)
  for (const item of holder.querySelectorAll('[contenteditable]')) item.removeAttribute('contenteditable')
  for (const item of holder.querySelectorAll('[draggable]')) item.removeAttribute('draggable')
  return holder
}

/** An editable English value: text the translator types, and chips they insert and move. */
export class ValueField {
  readonly element: HTMLDivElement
  /** Whether the translator changed it since it was last set. */
  edited = false
  private original = ''
  private dragged: HTMLElement | undefined

  constructor(
    private readonly tags: readonly TagView[],
    private readonly onInput: () => void
  ) {
    this.element = h('div', {className: 'field', attrs: {contenteditable: 'true', role: 'textbox', 'aria-multiline': 'false', spellcheck: 'true', lang: 'en'}})
    this.element.addEventListener('input', () => this.changed())
    this.element.addEventListener('paste', (event) => this.paste(event))
    this.element.addEventListener('copy', (event) => this.copy(event, false))
    this.element.addEventListener('cut', (event) => this.copy(event, true))
    this.element.addEventListener('dragstart', (event) => {
      const target = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.chip') : null
      this.dragged = target ?? undefined
      if (target) event.dataTransfer?.setData('text/plain', target.dataset['token'] ?? '')
    })
    this.element.addEventListener('dragover', (event) => event.preventDefault())
    this.element.addEventListener('drop', (event) => this.drop(event))
    // A caret never rests inside a chip (Chrome puts it there after a chip that ends the field).
    const keepCaretOut = (): void => {
      const selection = window.getSelection()
      if (!selection || selection.rangeCount === 0 || !selection.isCollapsed) return
      const node = selection.anchorNode
      const inside = (node instanceof Element ? node : node?.parentElement)?.closest('.chip')
      if (!inside || !this.element.contains(inside)) return
      const caret = document.createRange()
      caret.setStartAfter(inside)
      caret.collapse(true)
      this.select(caret)
    }
    // selectionchange comes late: text typed right away at a caret inside a chip is put after it here.
    this.element.addEventListener('beforeinput', (event) => {
      const node = window.getSelection()?.anchorNode
      const inside = (node instanceof Element ? node : node?.parentElement)?.closest('.chip')
      if (event.inputType !== 'insertText' || event.data === null || !inside || !this.element.contains(inside)) return
      event.preventDefault()
      const range = this.selection()
      range.deleteContents()
      const text = document.createTextNode(event.data)
      range.insertNode(text)
      const caret = document.createRange()
      caret.setStartAfter(text)
      caret.collapse(true)
      this.select(caret)
      this.changed()
    })
    this.element.addEventListener('focus', () => document.addEventListener('selectionchange', keepCaretOut))
    this.element.addEventListener('blur', () => document.removeEventListener('selectionchange', keepCaretOut))
    this.element.addEventListener('keydown', (event) => {
      // One line: Enter moves on (handled by the page), it never adds a block.
      if (event.key === 'Enter') event.preventDefault()
      // End goes after the last chip, never into it.
      if (event.key === 'End' && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault()
        const caret = document.createRange()
        caret.selectNodeContents(this.element)
        caret.collapse(false)
        this.select(caret)
      }
    })
  }

  /** Show a value (from disk or the server), forgetting edits. */
  set(value: string): void {
    this.original = value
    this.edited = false
    this.element.replaceChildren(...this.nodesOf(value))
  }

  /** The value as it would be written in the catalog. */
  value(): string {
    return this.edited ? serialize(this.element.childNodes) : this.original
  }

  /**
   * Insert a tag at the caret: an element tag around the selection (or empty, with the caret
   * inside), a placeholder or line break at the caret.
   *
   * @param tag The tag.
   */
  insert(tag: TagView): void {
    const range = this.selection()
    if (tag.form === 'element') {
      const open = chip({tag, part: 'open'})
      const close = chip({tag, part: 'close'})
      const end = range.cloneRange()
      end.collapse(false)
      end.insertNode(close)
      range.collapse(true)
      range.insertNode(open)
      const caret = document.createRange()
      if (range.collapsed && open.nextSibling === close) caret.setStartAfter(open)
      else caret.setStartAfter(close)
      caret.collapse(true)
      this.select(caret)
    } else {
      const node = chip({tag, part: tag.form === 'void' ? 'void' : 'placeholder'})
      range.deleteContents()
      range.insertNode(node)
      const caret = document.createRange()
      caret.setStartAfter(node)
      caret.collapse(true)
      this.select(caret)
    }
    this.changed()
  }

  /** How many times each tag's token appears in the field (to show which are used). */
  usage(): Map<string, number> {
    const counts = new Map<string, number>()
    for (const item of this.element.querySelectorAll<HTMLElement>('.chip')) {
      const name = /^<\/?([a-z]+\d*)|^\{\{([a-z]+\d*)/.exec(item.dataset['token'] ?? '')
      const tag = name?.[1] ?? name?.[2]
      if (tag && !(item.dataset['token'] ?? '').startsWith('</')) counts.set(tag, (counts.get(tag) ?? 0) + 1)
    }
    return counts
  }

  private changed(): void {
    this.edited = true
    this.onInput()
  }

  private nodesOf(value: string): Node[] {
    const parsed = parseValue(value)
    // A value that does not parse (a wrong tag typed in an editor, HTML) is shown as the text it is.
    if (!parsed.ok) return [document.createTextNode(value)]
    const nodes: Node[] = []
    const visit = (items: readonly TagNode[]): void => {
      for (const node of items) {
        if (node.type === 'text') {
          nodes.push(document.createTextNode(node.value))
          continue
        }
        const tag = this.tags.find((item) => item.name === node.name)
        if (!tag) {
          nodes.push(document.createTextNode(node.type === 'placeholder' ? `{{${node.name}}}` : node.type === 'void' ? `<${node.name}/>` : `<${node.name}>`))
          if (node.type === 'element') {
            visit(node.children)
            nodes.push(document.createTextNode(`</${node.name}>`))
          }
        } else if (node.type === 'element') {
          nodes.push(chip({tag, part: 'open'}))
          visit(node.children)
          nodes.push(chip({tag, part: 'close'}))
        } else nodes.push(chip({tag, part: node.type === 'void' ? 'void' : 'placeholder'}))
      }
    }
    visit(parsed.nodes)
    return nodes
  }

  /** Pasted text: the segment's own tags written out (`<a1>`, `{{code1}}`) become chips again. */
  private paste(event: ClipboardEvent): void {
    event.preventDefault()
    const text = event.clipboardData?.getData('text/plain') ?? ''
    const fragment = document.createDocumentFragment()
    for (const part of text.replace(/\r?\n/g, ' ').split(/(<\/?[a-z]+\d*\/?>|\{\{[a-z]+\d*\}\})/)) {
      if (!part) continue
      const token = this.tokenOf(part)
      fragment.append(token ? chip(token) : document.createTextNode(part))
    }
    const range = this.selection()
    range.deleteContents()
    const last = fragment.lastChild
    range.insertNode(fragment)
    if (last) {
      const caret = document.createRange()
      caret.setStartAfter(last)
      caret.collapse(true)
      this.select(caret)
    }
    this.changed()
  }

  private tokenOf(text: string): Token | undefined {
    const match = /^<(\/?)([a-z]+\d*)(\/?)>$|^\{\{([a-z]+\d*)\}\}$/.exec(text)
    if (!match) return undefined
    const tag = this.tags.find((item) => item.name === (match[2] ?? match[4]))
    if (!tag) return undefined
    const part: Token['part'] = match[4] ? 'placeholder' : match[1] ? 'close' : match[3] ? 'void' : 'open'
    return tokenText({tag, part}) === text ? {tag, part} : undefined
  }

  /** Copy and cut write the tags out, so a paste brings the chips back. */
  private copy(event: ClipboardEvent, cut: boolean): void {
    const selection = window.getSelection()
    if (!selection || selection.rangeCount === 0) return
    const range = selection.getRangeAt(0)
    event.preventDefault()
    event.clipboardData?.setData('text/plain', [...range.cloneContents().childNodes].map(raw).join(''))
    if (cut) {
      range.deleteContents()
      this.changed()
    }
  }

  /** A chip dropped inside the field moves there. */
  private drop(event: DragEvent): void {
    event.preventDefault()
    const moved = this.dragged
    this.dragged = undefined
    const at = document.caretRangeFromPoint?.(event.clientX, event.clientY)
    if (!moved || !at || !this.element.contains(at.startContainer)) return
    moved.remove()
    at.insertNode(moved)
    this.changed()
  }

  private selection(): Range {
    const selection = window.getSelection()
    if (selection && selection.rangeCount > 0) {
      const range = selection.getRangeAt(0)
      if (this.element.contains(range.startContainer) && this.element.contains(range.endContainer)) {
        // A caret inside a chip (Chrome puts it there after a chip that ends the field) goes after it.
        const chipOf = (node: Node): Element | null | undefined => (node instanceof Element ? node : node.parentElement)?.closest('.chip')
        const start = chipOf(range.startContainer)
        if (start && this.element.contains(start)) range.setStartAfter(start)
        const end = chipOf(range.endContainer)
        if (end && this.element.contains(end)) range.setEndAfter(end)
        return range
      }
    }
    const range = document.createRange()
    range.selectNodeContents(this.element)
    range.collapse(false)
    return range
  }

  private select(range: Range): void {
    const selection = window.getSelection()
    selection?.removeAllRanges()
    selection?.addRange(range)
  }
}

/** Text as the field holds it → a catalog value: text escaped as the catalog writes it, chips as their tokens. */
function serialize(nodes: Iterable<ChildNode>): string {
  let value = ''
  for (const node of nodes) {
    if (node.nodeType === Node.TEXT_NODE) value += escapeValueText(node.textContent ?? '')
    else if (node instanceof HTMLElement && node.dataset['token'] !== undefined) value += node.dataset['token']
    else if (node instanceof HTMLElement && node.tagName !== 'BR') value += serialize(node.childNodes)
  }
  return value
}

/** What the clipboard gets: text as it is, chips written out. */
function raw(node: ChildNode): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? ''
  if (node instanceof HTMLElement && node.dataset['token'] !== undefined) return node.dataset['token']
  return [...node.childNodes].map(raw).join('')
}
