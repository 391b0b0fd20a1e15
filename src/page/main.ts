/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import {Api} from './api.js'
import {h} from './dom.js'
import {PostEditor} from './post-editor.js'
import {PostList} from './post-list.js'

// The page's entry point: the token from the address (`#token=…`, kept for this tab only),
// a router over `#/` (the posts) and `#/post/<path>` (one post), and the stream of changes.

const tokenKey = 'ponte-token'
const fromAddress = /^#token=([\w-]+)$/.exec(location.hash)?.[1]
if (fromAddress) {
  sessionStorage.setItem(tokenKey, fromAddress)
  history.replaceState(null, '', '#/')
}
const token = sessionStorage.getItem(tokenKey)
const live = h('span', {className: 'live', text: 'connecting…', attrs: {role: 'status'}})
const main = h('main')
document.body.append(h('header', {className: 'top'}, [h('a', {className: 'brand', text: 'Ponte · translator page', attrs: {href: '#/'}}), live]), main)

if (!token) {
  main.append(h('p', {className: 'status error', text: 'This page needs the address printed by `npm run translate` (it carries a token). Open that address again.'}))
} else {
  const api = new Api(token)
  let list: PostList | undefined
  let editor: PostEditor | undefined

  const route = async (): Promise<void> => {
    const post = /^#\/post\/(.+)$/.exec(location.hash)?.[1]
    if (editor?.unsaved() && decodeURIComponent(post ?? '') !== editor.path && !confirm('Some values are not saved. Leave this post anyway?')) {
      history.replaceState(null, '', `#/post/${encodeURIComponent(editor.path)}`)
      return
    }
    try {
      if (post) {
        editor = new PostEditor(api, decodeURIComponent(post))
        list = undefined
        main.replaceChildren(editor.element)
        document.title = `${editor.path} · Ponte`
        await editor.load()
      } else {
        editor = undefined
        list = new PostList(api, (path) => (location.hash = `#/post/${encodeURIComponent(path)}`))
        main.replaceChildren(list.element)
        document.title = 'Posts · Ponte'
        await list.load()
      }
    } catch (error) {
      // catch: any failure to load the page's data is shown to the translator, as text.
      main.append(h('p', {className: 'status error', attrs: {role: 'alert'}, text: (error as Error).message}))
    }
  }

  window.addEventListener('hashchange', () => void route())
  window.addEventListener('beforeunload', (event) => {
    if (editor?.unsaved()) event.preventDefault()
  })
  const events = api.events()
  events.addEventListener('ready', () => {
    live.textContent = 'live'
    live.classList.add('on')
  })
  events.addEventListener('error', () => {
    live.textContent = 'reconnecting…'
    live.classList.remove('on')
  })
  events.addEventListener('change', (event) => {
    const {paths} = JSON.parse((event as MessageEvent<string>).data) as {paths: string[]}
    if (list) void list.load()
    if (editor) {
      const ns = editor.path.replace(/\.md$/, '')
      const mine = paths.some((path) => path.endsWith(`/${editor?.path}`) || path.endsWith(`/${ns}.json`) || path.endsWith(`/${ns}.lock.json`))
      if (mine) void editor.reload()
    }
  })
  void route()
}
