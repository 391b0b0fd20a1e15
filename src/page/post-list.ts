/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type {Api, PostRow} from './api.js'
import {h} from './dom.js'

type Sort = 'work' | 'name' | 'progress'
type Filter = 'all' | 'work' | 'done'

/** Segments that still need a translator: everything but the translated ones. */
function work(post: PostRow): number {
  return post.segments - post.translated
}

/** The list of posts with their progress: sortable, filterable, searchable over Italian and English. */
export class PostList {
  readonly element: HTMLElement
  private posts: PostRow[] = []
  private hits: Map<string, number> | undefined
  private sort: Sort = 'work'
  private filter: Filter = 'all'
  private query = ''
  private searching = 0
  private readonly body = h('tbody')
  private readonly summary = h('p', {className: 'summary', text: 'Counting the segments of every post…', attrs: {'aria-live': 'polite'}})

  constructor(
    private readonly api: Api,
    private readonly open: (path: string) => void
  ) {
    const search = h('input', {className: 'search', attrs: {type: 'search', placeholder: 'Search Italian and English text', 'aria-label': 'Search Italian and English text'}})
    search.addEventListener('input', () => void this.search(search.value))
    const sort = select('Sort', [['work', 'Needs work first'], ['name', 'Name'], ['progress', 'Progress']], (value) => {
      this.sort = value as Sort
      this.render()
    })
    const filter = select('Show', [['all', 'All posts'], ['work', 'Needs work'], ['done', 'Done']], (value) => {
      this.filter = value as Filter
      this.render()
    })
    const head = h('thead', {}, [h('tr', {}, [th('Post'), th('Progress'), th('Translated', 'n'), th('Stale', 'n'), th('Suggested', 'n'), th('Missing', 'n'), th('Invalid', 'n'), th('Segments', 'n')])])
    this.element = h('section', {className: 'post-list', attrs: {'aria-label': 'Posts'}}, [h('div', {className: 'toolbar'}, [search, sort, filter]), this.summary, h('table', {className: 'posts'}, [head, this.body])])
  }

  /** Read the posts again (on start, and when files change). */
  async load(): Promise<void> {
    const {posts} = await this.api.posts()
    this.posts = posts
    if (this.query) await this.search(this.query)
    else this.render()
  }

  private async search(query: string): Promise<void> {
    this.query = query.trim()
    const ticket = ++this.searching
    if (!this.query) {
      this.hits = undefined
      this.render()
      return
    }
    const {posts} = await this.api.search(this.query)
    if (ticket !== this.searching) return
    this.hits = new Map(posts.map((post) => [post.path, post.hits]))
    this.render()
  }

  private render(): void {
    let shown = this.posts.filter((post) => (this.filter === 'work' ? work(post) > 0 : this.filter === 'done' ? work(post) === 0 : true))
    if (this.hits) shown = shown.filter((post) => this.hits?.has(post.path))
    const byName = (a: PostRow, b: PostRow): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
    shown.sort(this.sort === 'name' ? byName : this.sort === 'progress' ? (a, b) => a.percent - b.percent || byName(a, b) : (a, b) => work(b) - work(a) || byName(a, b))
    const total = this.posts.reduce((sum, post) => sum + work(post), 0)
    this.summary.textContent = `${shown.length} of ${this.posts.length} post(s) shown${this.hits ? ` matching “${this.query}”` : ''}; ${total} segment(s) need work in all.`
    this.body.replaceChildren(
      ...shown.map((post) => {
        const link = h('a', {text: post.path, attrs: {href: `#/post/${encodeURIComponent(post.path)}`}})
        const bar = h('span', {className: 'bar', attrs: {role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(post.percent), 'aria-label': `${post.percent}% translated`}}, [h('span', {className: 'bar-fill'})])
        const fill = bar.firstElementChild as HTMLElement
        fill.style.width = `${post.percent}%`
        const row = h('tr', {className: work(post) > 0 ? 'needs-work' : 'done', attrs: {'data-path': post.path}}, [
          h('td', {}, [link, this.hits ? h('span', {className: 'hits', text: ` ${this.hits.get(post.path) ?? 0} match(es)`}) : undefined]),
          h('td', {className: 'progress'}, [bar, h('span', {className: 'percent', text: `${post.percent}%`})]),
          cell(post.translated),
          cell(post.stale, 'stale'),
          cell(post.suggested ?? 0, 'suggested'),
          cell(post.missing, 'missing'),
          cell(post.invalid, 'invalid'),
          cell(post.segments)
        ])
        row.addEventListener('click', (event) => {
          if (event.target !== link) this.open(post.path)
        })
        return row
      })
    )
  }
}

function th(text: string, className = ''): HTMLTableCellElement {
  return h('th', {text, className, attrs: {scope: 'col'}})
}

function cell(count: number, state = ''): HTMLTableCellElement {
  return h('td', {className: `n${count > 0 && state ? ` has-${state}` : ''}`, text: String(count)})
}

function select(label: string, options: ReadonlyArray<readonly [string, string]>, onChange: (value: string) => void): HTMLLabelElement {
  const element = h('select', {}, options.map(([value, text]) => h('option', {text, attrs: {value}})))
  element.addEventListener('change', () => onChange(element.value))
  return h('label', {className: 'select'}, [`${label} `, element])
}
