/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type {SegmentView} from '../project/post-view.js'
import {ApiError, type Api, type PostData} from './api.js'
import {h} from './dom.js'
import {PreviewFrame} from './preview-frame.js'
import {renderReadOnly, ValueField} from './value-field.js'

const stateNames: Record<SegmentView['state'], string> = {translated: 'translated', stale: 'stale', suggested: 'suggested', missing: 'missing', invalid: 'invalid'}

/** One segment on the page: its view from the server, the value it was loaded with, and its field. */
interface Row {
  view: SegmentView
  /** The English value on disk when this field was loaded or last saved: what an edit is made against. */
  base: string
  field: ValueField
  element: HTMLElement
  badge: HTMLElement
  problem: HTMLElement
  notes: HTMLElement
  italian: HTMLElement
  palette: HTMLElement
}

/** A post: its segments side by side, checks as the translator types, the live preview, saving. */
export class PostEditor {
  readonly element: HTMLElement
  private rows = new Map<string, Row>()
  private order: string[] = []
  private current: string | undefined
  private previewing = false
  private previewAgain = false
  private readonly list = h('div', {className: 'segments'})
  private readonly counts = h('p', {className: 'counts', attrs: {'aria-live': 'polite'}})
  private readonly status = h('p', {className: 'status', attrs: {role: 'status', 'aria-live': 'polite'}})
  private readonly english = new PreviewFrame('English preview', (key) => this.focus(key))
  private readonly italian = new PreviewFrame('Italian', (key) => this.focus(key))
  private readonly italianToggle: HTMLButtonElement
  private readonly saveButton: HTMLButtonElement

  constructor(
    private readonly api: Api,
    readonly path: string
  ) {
    this.saveButton = h('button', {className: 'primary', text: 'Save', title: 'Save the changed values (Ctrl+S)', on: {click: () => void this.save()}})
    this.italianToggle = h('button', {text: 'Italian beside', title: 'Show the Italian post rendered beside the English', attrs: {'aria-pressed': 'false'}, on: {click: () => void this.toggleItalian()}})
    const next = h('button', {text: 'Next to do', title: 'Next segment that is missing, stale, suggested or invalid (Alt+N)', on: {click: () => this.nextToDo()}})
    const bar = h('div', {className: 'post-bar'}, [
      h('a', {className: 'back', text: '← All posts', attrs: {href: '#/'}}),
      h('h1', {text: path}),
      h('div', {className: 'actions'}, [next, this.italianToggle, this.saveButton]),
      this.counts,
      this.status
    ])
    const previews = h('div', {className: 'previews'}, [this.english.element, this.italian.element])
    this.italian.element.hidden = true
    const help = h('p', {className: 'shortcuts', text: 'Keys: Enter or Alt+↓ next segment · Alt+↑ previous · Alt+N next to do · Alt+1…9 insert the n-th tag · Ctrl+S save · click a block in the preview to go to its segment'})
    this.element = h('section', {className: 'post', attrs: {'aria-label': path}}, [bar, h('div', {className: 'post-main'}, [h('div', {className: 'segments-pane'}, [this.list, help]), h('aside', {className: 'preview-pane', attrs: {'aria-label': 'Preview'}}, [previews])])])
    this.element.addEventListener('keydown', (event) => this.key(event))
  }

  /** Load the post from the server. */
  async load(): Promise<void> {
    const data = await this.api.post(this.path)
    this.build(data)
    this.preview()
    void this.suggest()
  }

  /** Show the translation memory's matches under the segments that need work; a click puts one in the field. */
  private async suggest(): Promise<void> {
    // catch: any failure of the memory: no suggestions shown; the segments work without them.
    const {suggestions} = await this.api.suggestions(this.path).catch(() => ({suggestions: {}}))
    for (const [key, found] of Object.entries(suggestions)) {
      const row = this.rows.get(key)
      if (!row || found.length === 0) continue
      const list = h('ul', {className: 'memory', attrs: {'aria-label': 'Translation memory'}})
      for (const suggestion of found.slice(0, 3)) {
        const use = h('button', {text: 'Use', title: `From ${suggestion.from}${suggestion.tagsAgree ? '' : '; its tags differ from this segment: check them'}`, attrs: {type: 'button'}})
        use.addEventListener('click', () => {
          row.field.set(suggestion.target)
          row.field.edited = true
          this.edited(key)
        })
        list.append(h('li', {}, [h('span', {className: 'score', text: suggestion.kind === 'exact' ? 'exact' : `${suggestion.score}%`}), h('span', {className: 'target'}, [renderReadOnly(suggestion.target, row.view.tags)]), use]))
      }
      row.notes.prepend(list)
    }
  }

  /** Whether some values were changed and not saved. */
  unsaved(): number {
    return [...this.rows.values()].filter((row) => row.field.edited && row.field.value() !== row.base).length
  }

  /** The files on disk changed: show the new values where nothing was edited; keep edits (their save is checked against disk). */
  async reload(): Promise<void> {
    const data = await this.api.post(this.path)
    const keys = data.segments.map((segment) => segment.key)
    let changed = 0
    if (keys.join('\n') !== this.order.join('\n')) {
      changed++
      const drafts = new Map([...this.rows].filter(([, row]) => row.field.edited).map(([key, row]) => [key, {value: row.field.value(), base: row.base}]))
      this.build(data, drafts)
    } else {
      for (const view of data.segments) {
        const row = this.rows.get(view.key)
        if (!row) continue
        if (row.view.italian !== view.italian) {
          row.italian.replaceChildren(renderReadOnly(view.italian, view.tags))
          changed++
        }
        row.view = view
        if (!row.field.edited) {
          if (row.base !== view.english) changed++
          row.base = view.english
          row.field.set(view.english)
        } else if (view.english !== row.base) {
          changed++
          this.note(row, 'disk', `Changed on disk since you started editing: “${view.english}”. Saving will ask which to keep.`)
        }
        this.show(row, view)
      }
    }
    // The page's own saves come back as changes too: only news is worth saying.
    if (changed > 0) this.say('Files changed on disk; the page shows them.')
    this.preview()
  }

  private build(data: PostData, drafts = new Map<string, {value: string; base: string}>()): void {
    this.rows.clear()
    this.order = data.segments.map((segment) => segment.key)
    this.list.replaceChildren(...data.segments.map((view, index) => this.row(view, index, drafts.get(view.key))))
    this.showCounts(data)
    for (const message of data.messages) this.say(`${message.file}:${message.line}:${message.column}: ${message.reason}`, true)
  }

  private row(view: SegmentView, index: number, draft?: {value: string; base: string}): HTMLElement {
    const field = new ValueField(view.tags, () => this.edited(view.key))
    field.set(draft?.value ?? view.english)
    if (draft) field.edited = true
    field.element.setAttribute('aria-label', `English for ${view.label} ${index + 1}`)
    field.element.addEventListener('focus', () => this.focused(view.key))
    const badge = h('span', {className: 'badge'})
    const problem = h('p', {className: 'problem', attrs: {'aria-live': 'polite'}})
    const notes = h('div', {className: 'notes'})
    const italian = h('div', {className: 'italian', attrs: {lang: 'it'}}, [renderReadOnly(view.italian, view.tags)])
    const palette = h('div', {className: 'palette'})
    view.tags.forEach((tag, position) => {
      const button = h('button', {className: `tag-button chip-${tag.kind}`, text: `${position < 9 ? `${position + 1} ` : ''}${tag.kind === 'atom' ? tag.detail.slice(0, 24) : tag.kind}`, title: `Insert ${tag.name} (${tag.detail})${position < 9 ? `, Alt+${position + 1}` : ''}`, attrs: {type: 'button', 'data-tag': tag.name, tabindex: '-1'}})
      // The field keeps its selection: the tag goes around it.
      button.addEventListener('mousedown', (event) => event.preventDefault())
      button.addEventListener('click', () => {
        field.element.focus()
        field.insert(tag)
      })
      palette.append(button)
    })
    const copy = h('button', {className: 'copy', text: 'Copy Italian', title: 'Start from the Italian value, tags included', attrs: {type: 'button', tabindex: '-1'}})
    copy.addEventListener('mousedown', (event) => event.preventDefault())
    copy.addEventListener('click', () => {
      const current = this.rows.get(view.key)
      if (!current) return
      field.set(current.view.italian)
      field.edited = true
      this.edited(view.key)
    })
    palette.append(copy)
    const element = h('article', {className: 'segment', attrs: {'data-key': view.key}}, [
      h('header', {}, [h('span', {className: 'label', text: view.label}), badge, h('span', {className: 'key', text: view.key})]),
      h('div', {className: 'pair'}, [italian, h('div', {className: 'english'}, [field.element, palette, problem, notes])])
    ])
    const row: Row = {view, base: draft?.base ?? view.english, field, element, badge, problem, notes, italian, palette}
    this.rows.set(view.key, row)
    this.show(row, view)
    return element
  }

  /** Show a segment's state, problem and stale diff. */
  private show(row: Row, view: SegmentView): void {
    row.element.dataset['state'] = view.state
    row.badge.textContent = stateNames[view.state]
    row.problem.textContent = view.problem ? `${view.problem.reason}: ${view.problem.fix}` : ''
    row.problem.hidden = !view.problem
    row.field.element.setAttribute('aria-invalid', String(view.state === 'invalid'))
    const usage = row.field.usage()
    for (const button of row.palette.querySelectorAll<HTMLElement>('[data-tag]')) button.classList.toggle('used', (usage.get(button.dataset['tag'] ?? '') ?? 0) > 0)
    for (const old of row.notes.querySelectorAll('.stale, .suggested')) old.remove()
    if (view.state === 'stale') {
      const diff = h('p', {className: 'diff', attrs: {lang: 'it'}}, (view.changes ?? []).map((part) => (part.change === 'same' ? part.text : h(part.change === 'added' ? 'ins' : 'del', {text: part.text}))))
      const reviewed = h('button', {text: 'Mark as reviewed', title: 'The English needs no change for the new Italian (ponte accept)', attrs: {type: 'button'}, on: {click: () => void this.accept(row)}})
      row.notes.append(h('div', {className: 'stale'}, [h('p', {text: view.was === undefined ? 'The Italian changed since this was translated (the earlier text is not known).' : 'The Italian changed since this was translated:'}), view.was === undefined ? undefined : diff, reviewed]))
    } else if (view.state === 'suggested') {
      const accept = h('button', {text: 'Accept suggestion', title: 'Confirm the suggested English (ponte accept)', attrs: {type: 'button'}, on: {click: () => void this.accept(row)}})
      row.notes.append(h('div', {className: 'suggested'}, [h('p', {text: 'A tool suggested this English; no translator has confirmed it.'}), accept]))
    }
  }

  private edited(key: string): void {
    const row = this.rows.get(key)
    if (row) {
      row.element.classList.toggle('unsaved', row.field.value() !== row.base)
      for (const old of row.notes.querySelectorAll('.saved')) old.remove()
    }
    this.preview()
  }

  /** Ask the server to check the values and render the edition; one request at a time, the latest values win. */
  private preview(): void {
    if (this.previewing) {
      this.previewAgain = true
      return
    }
    this.previewing = true
    const values: Record<string, string> = {}
    for (const [key, row] of this.rows) if (row.field.edited) values[key] = row.field.value()
    this.api
      .preview(this.path, values)
      .then(async (data) => {
        for (const view of data.segments) {
          const row = this.rows.get(view.key)
          if (row) this.show(row, {...view, italian: row.view.italian})
        }
        this.showCounts(data)
        await this.english.show(data.html)
        if (this.current) this.english.mark(this.current)
        this.element.dataset['previewed'] = String(Number(this.element.dataset['previewed'] ?? '0') + 1)
      })
      // catch: any failure of the preview is told on the page; editing goes on.
      .catch((error: unknown) => this.say(`Preview failed: ${(error as Error).message}`, true))
      .finally(() => {
        this.previewing = false
        if (this.previewAgain) {
          this.previewAgain = false
          this.preview()
        }
      })
  }

  private showCounts(data: PostData): void {
    const c = data.counts
    const unsaved = this.unsaved()
    this.counts.textContent = `${c.segments} segments: ${c.translated} translated · ${c.stale} stale · ${c.suggested} suggested · ${c.missing} missing · ${c.invalid} invalid${unsaved ? ` · ${unsaved} unsaved` : ''}`
  }

  /** Save every changed value that passes the checks; refused and conflicting ones stay on the page. */
  async save(): Promise<void> {
    const changed = [...this.rows.values()].filter((row) => row.field.edited && row.field.value() !== row.base)
    const ready = changed.filter((row) => row.element.dataset['state'] !== 'invalid')
    const held = changed.length - ready.length
    if (ready.length === 0) {
      this.say(held ? `Nothing saved: ${held} value(s) have problems; fix them first.` : 'Nothing to save.', held > 0)
      return
    }
    this.saveButton.disabled = true
    try {
      const data = await this.api.save(
        this.path,
        ready.map((row) => ({key: row.view.key, value: row.field.value(), base: row.base}))
      )
      for (const key of data.saved) {
        const row = this.rows.get(key)
        if (!row) continue
        const value = row.field.value()
        row.base = value
        row.field.edited = false
        row.field.set(value)
        row.element.classList.remove('unsaved')
        for (const old of row.notes.querySelectorAll('.conflict, .disk')) old.remove()
        this.note(row, 'saved', 'Saved')
      }
      this.say(`Saved ${data.saved.length} value(s) to the English catalog.${held ? ` ${held} value(s) with problems were not saved.` : ''}`, held > 0)
      for (const view of data.segments) {
        const row = this.rows.get(view.key)
        if (row && !row.field.edited) this.show(row, view)
      }
      this.showCounts(data)
      this.preview()
    } catch (error) {
      // catch: a refused save (409 conflict, 422 invalid, network) is shown on the fields; nothing is lost.
      this.refused(error)
    } finally {
      this.saveButton.disabled = false
    }
  }

  private refused(error: unknown): void {
    if (!(error instanceof ApiError)) {
      this.say(`Not saved: ${(error as Error).message}`, true)
      return
    }
    const conflicts = error.body['conflicts']
    if (error.status === 409 && Array.isArray(conflicts)) {
      for (const conflict of conflicts as Array<{key: string; yours: string; theirs: string}>) {
        const row = this.rows.get(conflict.key)
        if (row) this.conflict(row, conflict.yours, conflict.theirs)
      }
    }
    this.say(`Not saved: ${error.message}`, true)
  }

  /** Both versions of a value changed on disk while it was edited here: the translator picks one. */
  private conflict(row: Row, yours: string, theirs: string): void {
    for (const old of row.notes.querySelectorAll('.conflict, .disk')) old.remove()
    const keepMine = h('button', {text: 'Keep mine', attrs: {type: 'button'}})
    const takeTheirs = h('button', {text: 'Use the version on disk', attrs: {type: 'button'}})
    const box = h('div', {className: 'conflict', attrs: {role: 'alert'}}, [
      h('p', {className: 'conflict-title', text: 'This value was changed on disk since you loaded it. Both versions:'}),
      h('dl', {}, [h('dt', {text: 'On disk'}), h('dd', {className: 'theirs', text: theirs}), h('dt', {text: 'Yours (not saved)'}), h('dd', {className: 'yours', text: yours})]),
      keepMine,
      takeTheirs
    ])
    keepMine.addEventListener('click', () => {
      row.base = theirs
      box.remove()
      void this.save()
    })
    takeTheirs.addEventListener('click', () => {
      row.base = theirs
      row.field.set(theirs)
      row.element.classList.remove('unsaved')
      box.remove()
      this.preview()
    })
    row.notes.append(box)
  }

  private async accept(row: Row): Promise<void> {
    try {
      const data = await this.api.accept(this.path, row.view.key)
      this.say(data.accepted.length ? 'Marked as reviewed.' : 'Nothing to mark: it is no longer stale.')
      await this.reload()
    } catch (error) {
      // catch: a refused "mark as reviewed" is told on the page.
      this.say(`Not marked: ${(error as Error).message}`, true)
    }
  }

  private note(row: Row, kind: 'saved' | 'disk', text: string): void {
    for (const old of row.notes.querySelectorAll(`.${kind}`)) old.remove()
    row.notes.append(h('p', {className: kind, text}))
  }

  private say(text: string, problem = false): void {
    this.status.textContent = text
    this.status.classList.toggle('error', problem)
  }

  private async toggleItalian(): Promise<void> {
    const on = this.italian.element.hidden
    this.italian.element.hidden = !on
    this.italianToggle.setAttribute('aria-pressed', String(on))
    this.element.classList.toggle('with-italian', on)
    if (on) await this.italian.show((await this.api.preview(this.path, {}, true)).html)
  }

  /** Go to a segment (from the preview, or the keyboard). */
  focus(key: string): void {
    const row = this.rows.get(key)
    if (!row) return
    row.element.scrollIntoView({block: 'center'})
    row.field.element.focus()
  }

  private focused(key: string): void {
    this.current = key
    for (const row of this.rows.values()) row.element.classList.toggle('current', row.view.key === key)
    this.english.mark(key)
    this.italian.mark(key)
  }

  private move(step: number): void {
    const index = this.current === undefined ? -1 : this.order.indexOf(this.current)
    const next = this.order[Math.min(Math.max(index + step, 0), this.order.length - 1)]
    if (next) this.focus(next)
  }

  private nextToDo(): void {
    const start = this.current === undefined ? -1 : this.order.indexOf(this.current)
    for (let step = 1; step <= this.order.length; step++) {
      const key = this.order[(start + step) % this.order.length]
      const state = key ? this.rows.get(key)?.element.dataset['state'] : undefined
      if (key && state !== 'translated') {
        this.focus(key)
        return
      }
    }
    this.say('Every segment of this post is translated.')
  }

  private key(event: KeyboardEvent): void {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault()
      void this.save()
    } else if (event.altKey && event.key === 'ArrowDown') {
      event.preventDefault()
      this.move(1)
    } else if (event.altKey && event.key === 'ArrowUp') {
      event.preventDefault()
      this.move(-1)
    } else if (event.altKey && event.code === 'KeyN') {
      event.preventDefault()
      this.nextToDo()
    } else if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && event.target instanceof HTMLElement && event.target.classList.contains('field')) {
      event.preventDefault()
      this.move(1)
    } else if (event.altKey && /^Digit[1-9]$/.test(event.code) && this.current) {
      const row = this.rows.get(this.current)
      const tag = row?.view.tags[Number(event.code.slice(5)) - 1]
      if (row && tag && document.activeElement === row.field.element) {
        event.preventDefault()
        row.field.insert(tag)
      }
    }
  }
}
