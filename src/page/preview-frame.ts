/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import {h} from './dom.js'

/**
 * A preview: sanitized HTML from the server shown in a sandboxed frame that runs no script
 * (`sandbox="allow-same-origin"`, without `allow-scripts`, and a CSP of its own with no
 * script source). Being of the same origin lets this page read clicks on its blocks and
 * mark the current one; nothing in the frame can run.
 */
export class PreviewFrame {
  readonly element: HTMLElement
  private readonly frame: HTMLIFrameElement
  private readonly ready: Promise<Document>

  constructor(
    title: string,
    private readonly onBlock: (key: string) => void
  ) {
    this.frame = h('iframe', {title, attrs: {sandbox: 'allow-same-origin', src: '/preview.html', referrerpolicy: 'no-referrer'}})
    this.element = h('figure', {className: 'preview'}, [h('figcaption', {text: title}), this.frame])
    this.ready = new Promise((resolve) => {
      this.frame.addEventListener('load', () => {
        const document = this.frame.contentDocument
        if (!document) return
        document.addEventListener('click', (event) => {
          // Links lead nowhere from a preview; a click shows the segment instead.
          event.preventDefault()
          const target = event.target as Element | null
          const block = target?.closest?.('[data-key]')
          const key = block?.getAttribute('data-key')
          if (key) this.onBlock(key)
        })
        resolve(document)
      })
    })
  }

  /**
   * Show HTML: parsed by an inert DOMParser (nothing runs, nothing loads), then moved into
   * the frame, whose scroll position is kept.
   *
   * @param html Sanitized HTML from the server.
   */
  async show(html: string): Promise<void> {
    const document = await this.ready
    const parsed = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html')
    const scroll = document.scrollingElement?.scrollTop ?? 0
    document.body.replaceChildren(...[...parsed.body.childNodes].map((node) => document.importNode(node, true)))
    if (document.scrollingElement) document.scrollingElement.scrollTop = scroll
  }

  /**
   * Mark the block of the segment being edited.
   *
   * @param key The segment's key.
   */
  mark(key: string): void {
    const document = this.frame.contentDocument
    if (!document) return
    for (const old of document.querySelectorAll('[data-current]')) old.removeAttribute('data-current')
    const block = document.querySelector(`[data-key="${CSS.escape(key)}"]`)
    if (block) {
      block.setAttribute('data-current', 'true')
      // Scrolled inside the frame only (scrollIntoView would scroll the page around it too).
      const box = block.getBoundingClientRect()
      const view = document.scrollingElement
      const height = this.frame.clientHeight
      if (view && (box.top < 0 || box.bottom > height)) view.scrollTop += box.top - height / 3
    }
  }
}
