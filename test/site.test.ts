import {execFile, spawnSync} from 'node:child_process'
import {cp, mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {parse as parseYaml} from 'yaml'
import {exists, ponte, projectPool} from './support/project.js'

// `npm run site` on a temporary project: the seed post with its English catalog and a few
// generated posts, translated, rendered by the real Hugo with the site in site/; then the
// generated HTML is read back. A Chromium screenshot of one page in each language goes to
// scratch/ (kept out of git) for a person to look at.

const repo = join(import.meta.dirname, '..')
const seed = 'intervista-ivana-pais-social-network'
const hugo = programOr('hugo', ['version'], 'hugo')
// With CI=true a missing browser fails the test instead of skipping it.
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => spawnSync(path, ['--version']).status === 0) ?? (process.env['CI'] === 'true' ? '/usr/bin/chromium' : undefined)

/** Whether a Debian program runs; when it does not, say loudly how to get it (and fail in CI). */
function programOr(command: string, args: string[], debianPackage: string): boolean {
  const found = spawnSync(command, args).status === 0
  if (!found && process.env['CI'] !== 'true') {
    process.stderr.write(`\n!!! ${command} is not installed: the tests of test/site.test.ts that need it are SKIPPED. Install it with \`apt-get install ${debianPackage}\` (with CI=true they run and fail).\n\n`)
  }
  return found || process.env['CI'] === 'true'
}

const pool = projectPool()
afterAll(pool.removeAll)

const posts: Record<string, string> = {
  'content/it/caffe.md': `---
title: "Il caffè all'italiana"
date: 2024-03-05T08:30:00+01:00
slug: caffe-italiano
aliases:
  - vecchio-caffe/
tags: [caffè, bevande]
draft: false
---

Il **caffè** è un rito: si beve *in piedi*, al banco, in [un bar](https://example.org/bar "Bar") qualsiasi.

## Come si prepara

1. Si macina il caffè.
2. Si riempie la \`moka\` con acqua.
   - Non oltre la valvola.
   - Senza pressare la polvere.

> Il caffè è un piacere, se non è buono che piacere è?

\`\`\`sh
echo "codice non tradotto"
\`\`\`

| Tipo | Acqua |
| :--- | ----: |
| Espresso | 30 ml |
| Lungo | 50 ml |

![Una tazzina](/img/tazzina.jpg)

Testo con <abbr title="Denominazione">DOC</abbr> e una nota[^1].

[^1]: La nota a piè di pagina.
`,
  'content/it/viaggi/treno.md': `---
title: In treno da Milano a Roma
date: 2023-11-20
tags:
  - viaggi
---

Il treno parte alle **otto**.  
Arriva a Roma alle undici.

- Prima classe
- Seconda classe
`,
  'content/it/bozza.md': `---
title: Una bozza
date: 2024-01-01
draft: true
---

Questo articolo non è pronto.
`
}

/** A translator's English for the generated posts' Italian values. */
const english: Record<string, string> = {
  "Il caffè all'italiana": 'Coffee the Italian way',
  'Il <strong1>caffè</strong1> è un rito: si beve <em1>in piedi</em1>, al banco, in <a1>un bar</a1> qualsiasi.': '<strong1>Coffee</strong1> is a ritual: you drink it <em1>standing</em1>, at the counter, in <a1>any bar</a1>.',
  Bar: 'Bar',
  'Come si prepara': 'How it is made',
  'Si macina il caffè.': 'Grind the coffee.',
  'Si riempie la {{code1}} con acqua.': 'Fill the {{code1}} with water.',
  'Non oltre la valvola.': 'Not above the valve.',
  'Senza pressare la polvere.': 'Without pressing the grounds.',
  'Il caffè è un piacere, se non è buono che piacere è?': 'Coffee is a pleasure; if it is not good, what pleasure is it?',
  Tipo: 'Kind',
  Acqua: 'Water',
  Espresso: 'Espresso',
  '30 ml': '30 ml',
  Lungo: 'Long',
  '50 ml': '50 ml',
  '<img1>Una tazzina</img1>': '<img1>A small cup</img1>',
  'Testo con {{html1}}DOC{{html2}} e una nota{{fn1}}.': 'Text with {{html1}}DOC{{html2}} and a note{{fn1}}.',
  'La nota a piè di pagina.': 'The footnote.',
  'In treno da Milano a Roma': 'By train from Milan to Rome',
  'Il treno parte alle <strong1>otto</strong1>.<br/>Arriva a Roma alle undici.': 'The train leaves at <strong1>eight</strong1>.<br/>It reaches Rome at eleven.',
  'Prima classe': 'First class',
  'Seconda classe': 'Second class',
  'Una bozza': 'A draft',
  'Questo articolo non è pronto.': 'This post is not ready.'
}

/** A temporary project with the seed post translated, the generated posts translated, and the Hugo site. */
async function siteProject(): Promise<string> {
  const root = await pool.project({
    ...posts,
    [`content/it/${seed}.md`]: await readFile(join(repo, 'content/it', `${seed}.md`)),
    [`locales/en/${seed}.json`]: await readFile(join(repo, 'locales/en', `${seed}.json`))
  })
  await cp(join(repo, 'site'), join(root, 'site'), {recursive: true, filter: (path) => !/[/\\](resources|\.hugo_build\.lock)$/.test(path)})
  const extracted = await ponte(['extract', '--root', root])
  expect(extracted.code, extracted.stderr).toBe(0)
  for (const ns of ['caffe', 'viaggi/treno', 'bozza']) {
    const italian = JSON.parse(await readFile(join(root, 'locales/it', `${ns}.json`), 'utf8')) as Record<string, string>
    const translated = Object.fromEntries(
      Object.entries(italian).map(([key, value]) => {
        const text = english[value]
        if (text === undefined) throw new Error(`no English in the test for ${JSON.stringify(value)}`)
        return [key, text]
      })
    )
    await writeFile(join(root, 'locales/en', `${ns}.json`), JSON.stringify(translated, null, 2) + '\n')
  }
  return root
}

/** Run `npm run site`'s script on a project. */
function site(root: string): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repo, 'scripts/site.mjs'), '--root', root], {env: {...process.env, CI: 'true'}}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr})
    })
  })
}

/** Every page Hugo wrote under a folder (`index.html` files), as paths relative to it, `en/` left out. */
async function pagesUnder(folder: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(folder, {withFileTypes: true, recursive: true})) {
    if (entry.isFile() && entry.name === 'index.html') found.push(relative(folder, join(entry.parentPath, entry.name)).split('\\').join('/'))
  }
  return found.filter((path) => !path.startsWith('en/')).sort()
}

const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])

/**
 * The element tree of a page's article, text and attributes left out: `article(h1,time,…)`.
 * Hugo's HTML is well formed, so a tag scanner is enough.
 */
function articleShape(html: string): string {
  const article = /<article>[\s\S]*<\/article>/.exec(html)?.[0]
  if (!article) throw new Error('no <article> in the page')
  const stack: string[][] = [[]]
  for (const match of article.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    const [, closing, rawName] = match
    const name = (rawName ?? '').toLowerCase()
    if (closing) {
      const children = stack.pop() ?? []
      const parent = stack[stack.length - 1]
      if (!parent) throw new Error(`unbalanced </${name}>`)
      parent.push(`${name}(${children.join(',')})`)
    } else if (voidElements.has(name)) stack[stack.length - 1]?.push(name)
    else stack.push([])
  }
  return stack[0]?.join(',') ?? ''
}

/** The paths the language switch links to (decoded, as the files are named). */
function translationLinks(html: string): string[] {
  return [...html.matchAll(/<a class="translation" href="([^"]+)"/g)].map((match) => decodeURI(match[1] ?? ''))
}

/** The front matter fields Hugo reads. */
async function hugoFields(root: string, path: string): Promise<Record<string, unknown>> {
  const text = await readFile(join(root, path), 'utf8')
  const data = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '') as Record<string, unknown>
  return {date: data['date'], draft: data['draft'], slug: data['slug'], aliases: data['aliases'], tags: data['tags']}
}

describe.skipIf(!hugo)('npm run site (Hugo)', () => {
  let root = ''
  let pages: string[] = []

  test('renders both languages into public/', async () => {
    root = await siteProject()
    const result = await site(root)
    expect(result.code, result.stderr).toBe(0)
    pages = await pagesUnder(join(root, 'public'))
    // The seed post, the two published posts (one at its slug), and the home page; not the draft.
    expect(pages).toEqual(expect.arrayContaining([`${seed}/index.html`, 'caffe-italiano/index.html', 'viaggi/treno/index.html', 'index.html']))
    expect(pages.some((path) => path.startsWith('bozza'))).toBe(false)
    expect(await exists(join(root, 'public/en/caffe-italiano/index.html'))).toBe(true)
    // The alias of the front matter is a redirect page in each language (written without a
    // leading slash: Hugo 0.111 puts an absolute alias of both languages at one URL).
    expect(await readFile(join(root, 'public/vecchio-caffe/index.html'), 'utf8')).toContain('url=https://example.org/caffe-italiano/"')
    expect(await readFile(join(root, 'public/en/vecchio-caffe/index.html'), 'utf8')).toContain('url=https://example.org/en/caffe-italiano/"')
  })

  test('every Italian page has its English page, which links back, with the same HTML structure', async () => {
    const articles = []
    for (const page of pages) {
      const italian = await readFile(join(root, 'public', page), 'utf8')
      // Redirects (aliases, and /it/ to /) are no pages of their own.
      if (italian.includes('http-equiv="refresh"')) continue
      const url = '/' + page.replace(/index\.html$/, '')
      const [english, ...more] = translationLinks(italian)
      // Tag pages of Italian tags have no English counterpart; every post and list does.
      if (page.startsWith('tags/') && english === undefined) continue
      expect(more, page).toEqual([])
      expect(english, `${page} has no link to its English page`).toBe(`/en${url}`)
      const englishHtml = await readFile(join(root, 'public', `en${url}`, 'index.html'), 'utf8')
      expect(translationLinks(englishHtml), `${english} links back`).toEqual([url])
      expect(englishHtml).toContain('<html lang="en">')
      if (italian.includes('<article>')) {
        expect(articleShape(englishHtml), page).toBe(articleShape(italian))
        articles.push(page)
      }
    }
    expect(articles.sort()).toEqual(['caffe-italiano/index.html', `${seed}/index.html`, 'viaggi/treno/index.html'])
    // The structure compared is the real one (a table, a nested list, a footnote, raw HTML).
    const coffee = articleShape(await readFile(join(root, 'public/caffe-italiano/index.html'), 'utf8'))
    for (const part of ['table(thead(tr(th(),th()))', 'ol(li(),li(code(),ul(li(),li())))', 'blockquote(p())', 'pre(code(', 'abbr()', 'sup(a())']) expect(coffee).toContain(part)
    const english = await readFile(join(root, 'public/en/caffe-italiano/index.html'), 'utf8')
    expect(english).toContain('Coffee the Italian way')
    expect(english).toContain('<strong>Coffee</strong> is a ritual')
  })

  test('the front matter Hugo reads is the same in the English editions', async () => {
    for (const path of ['caffe.md', 'viaggi/treno.md', 'bozza.md', `${seed}.md`]) {
      const italian = await hugoFields(root, `content/it/${path}`)
      expect(await hugoFields(root, `content/en/${path}`), path).toEqual(italian)
    }
    expect(await hugoFields(root, 'content/en/caffe.md')).toMatchObject({slug: 'caffe-italiano', aliases: ['vecchio-caffe/'], tags: ['caffè', 'bevande'], draft: false})
    expect(await hugoFields(root, 'content/en/bozza.md')).toMatchObject({draft: true})
    // Dates reach the page as they were written.
    expect(await readFile(join(root, 'public/en/caffe-italiano/index.html'), 'utf8')).toContain('<time datetime="2024-03-05">')
  })

  test.skipIf(!chromium)('Chromium shows one Italian and one English page (screenshots in scratch/)', async () => {
    const {chromium: browserType} = await import('playwright-core')
    const browser = await browserType.launch({executablePath: chromium ?? '', args: ['--no-sandbox']})
    try {
      const page = await browser.newPage({viewport: {width: 900, height: 1100}})
      await mkdir(join(repo, 'scratch'), {recursive: true})
      for (const [language, url] of [['it', `${seed}/index.html`], ['en', `en/${seed}/index.html`]] as const) {
        await page.goto('file://' + join(root, 'public', url))
        expect(await page.locator('html').getAttribute('lang')).toBe(language)
        await expect.poll(() => page.locator('article h1').textContent()).toContain(language === 'en' ? 'Italian special: exploring' : 'Italian special: post solo in italiano')
        await page.screenshot({path: join(repo, 'scratch', `site-${language}.png`), fullPage: false})
      }
    } finally {
      await browser.close()
    }
  })
})

if (!chromium && process.env['CI'] !== 'true') {
  process.stderr.write('\n!!! chromium is not installed: the screenshot test of test/site.test.ts is SKIPPED. Install it with `apt-get install chromium`.\n\n')
}
