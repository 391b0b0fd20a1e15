import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {chromium, type Browser, type Locator, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {translate, type Workbench} from '../src/commands/translate.js'
import {ponte, projectPool} from './support/project.js'
import {workbenchProject, translateHeading} from './support/workbench.js'

// The translator page in a real browser (Debian's Chromium, driven by playwright-core; no
// browser download) against the real server on temporary projects. Screenshots go to
// scratch/ (git-ignored).

const candidates = [process.env['PONTE_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
const executablePath = candidates.find((path): path is string => Boolean(path && existsSync(path)))
const inCi = process.env['CI'] === 'true'
if (!executablePath && !inCi) {
  console.warn(
    '\n' +
      '*'.repeat(78) +
      '\n  BROWSER TESTS SKIPPED: no Chromium found (looked for /usr/bin/chromium).\n' +
      '  Install it with:  sudo apt-get install chromium\n' +
      '  (or set PONTE_CHROMIUM=/path/to/chrome). In CI (CI=true) these tests run and fail without it.\n' +
      '*'.repeat(78) +
      '\n'
  )
}

const shots = join(import.meta.dirname, '..', 'scratch', 'workbench')
const pool = projectPool()

describe.skipIf(!executablePath && !inCi)('translator page in Chromium', () => {
  let browser: Browser
  const running: Workbench[] = []

  beforeAll(async () => {
    if (!executablePath) throw new Error('CI=true and no Chromium at /usr/bin/chromium: install it with `apt-get install chromium` (.ci/run does)')
    browser = await chromium.launch({executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']})
    await mkdir(shots, {recursive: true})
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all(running.map((workbench) => workbench.close()))
    await pool.removeAll()
  })

  /** A project with the coffee post, its server, and a page showing it at 1280×800. */
  async function open(prepare?: (root: string) => Promise<void>): Promise<{root: string; page: Page; workbench: Workbench; problems: string[]}> {
    const root = await workbenchProject(pool.project)
    await prepare?.(root)
    const workbench = await translate({root, port: 0})
    running.push(workbench)
    const page = await browser.newPage({viewport: {width: 1280, height: 800}})
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(workbench.url)
    await page.locator('table.posts tbody tr').first().waitFor()
    return {root, page, workbench, problems}
  }

  async function openPost(page: Page): Promise<void> {
    await page.locator('table.posts tbody tr', {hasText: 'caffe.md'}).click()
    await page.locator('.segment').first().waitFor()
    await page.waitForSelector('.post[data-previewed]')
  }

  const row = (page: Page, label: string) => page.locator('.segment', {has: page.locator('.label', {hasText: new RegExp(`^${label}$`)})}).first()

  /** Select a piece of text inside a segment's English field, as a mouse would. */
  /** Type a value into a segment's field, then wrap each of `wrapped` (text, tag) in its tag's chips, as a translator does. */
  async function typeWithChips(page: Page, segment: Locator, key: string, text: string, wrapped: ReadonlyArray<readonly [string, string]>): Promise<void> {
    await segment.locator('.field').click()
    await page.keyboard.type(text)
    for (const [words, tag] of wrapped) {
      await select(page, key, words)
      await segment.locator(`.tag-button[data-tag="${tag}"]`).click()
    }
  }

  async function select(page: Page, key: string, text: string): Promise<void> {
    await page.evaluate(
      ([key, text]) => {
        const field = document.querySelector(`.segment[data-key="${key}"] .field`)
        if (!field) throw new Error(`no field for ${key}`)
        const walker = document.createTreeWalker(field, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = (node.textContent ?? '').indexOf(text)
          if (at < 0) continue
          const range = document.createRange()
          range.setStart(node, at)
          range.setEnd(node, at + text.length)
          window.getSelection()?.removeAllRanges()
          window.getSelection()?.addRange(range)
          return
        }
        throw new Error(`"${text}" is not in the field`)
      },
      [key, text] as const
    )
  }

  const catalog = async (root: string): Promise<Record<string, string>> => JSON.parse(await readFile(join(root, 'locales/en/caffe.json'), 'utf8')) as Record<string, string>

  test('translate a paragraph with a link and emphasis by inserting chips, see the preview, save, build', async () => {
    const {root, page, problems} = await open()
    await page.screenshot({path: join(shots, 'list.png')})
    await expect(page.locator('table.posts tbody tr').first().textContent()).resolves.toContain('caffe.md')
    await openPost(page)
    const paragraph = row(page, 'Paragraph')
    const key = (await paragraph.getAttribute('data-key')) ?? ''
    // The Italian shows its tags as chips around styled text.
    await expect(paragraph.locator('.italian .styled-emphasis').textContent()).resolves.toBe('moka')
    await typeWithChips(page, paragraph, key, 'Made with the moka; read the guide.', [
      ['moka', 'em1'],
      ['the guide', 'a1']
    ])
    const preview = page.frameLocator('iframe[title="English preview"]')
    await preview.locator('em', {hasText: 'moka'}).waitFor()
    await preview.locator('a[href="https://esempio.it/guida"]', {hasText: 'the guide'}).waitFor()
    await page.waitForFunction((key) => document.querySelector(`.segment[data-key="${key}"]`)?.getAttribute('data-state') === 'translated', key)
    await expect(page.locator('iframe[title="English preview"]').getAttribute('sandbox')).resolves.toBe('allow-same-origin')
    // The list item still shows the Italian in the preview, marked.
    await preview.locator('[data-italian] >> text=Acqua fredda').waitFor()
    await page.screenshot({path: join(shots, 'post.png')})
    await page.getByRole('button', {name: 'Save'}).click()
    await paragraph.locator('.notes .saved').waitFor()
    expect((await catalog(root))[key]).toBe('Made with the <em1>moka</em1>; read <a1>the guide</a1>.')
    const built = await ponte(['build', '--root', root])
    expect(built.code).toBe(0)
    expect(await readFile(join(root, 'content/en/caffe.md'), 'utf8')).toContain('Made with the *moka*; read [the guide](https://esempio.it/guida "Guida").')
    // Clicking a block of the preview goes to its segment; Alt+N to the next one to do.
    await preview.locator('h1').click()
    await page.waitForFunction(() => document.activeElement?.closest('.segment')?.querySelector('.label')?.textContent === 'Heading 1')
    await page.keyboard.press('Alt+N')
    await page.waitForFunction(() => document.activeElement?.closest('.segment')?.getAttribute('data-state') === 'missing' && document.activeElement.closest('.segment')?.querySelector('.label')?.textContent !== 'Heading 1')
    await page.setViewportSize({width: 420, height: 800})
    await page.screenshot({path: join(shots, 'post-narrow.png')})
    expect(problems).toEqual([])
  })

  test('a stale segment shows what changed in the Italian and is marked as reviewed', async () => {
    const {root, page} = await open(async (root) => {
      await translateHeading(root, 'caffe', 'The moka pot')
      const postPath = join(root, 'content/it/caffe.md')
      await writeFile(postPath, (await readFile(postPath, 'utf8')).replace('# La moka', '# La moka di casa'))
      expect((await ponte(['extract', '--root', root])).code).toBe(0)
    })
    await openPost(page)
    const heading = row(page, 'Heading 1')
    await expect(heading.getAttribute('data-state')).resolves.toBe('stale')
    await expect(heading.locator('.diff ins').allTextContents()).resolves.toEqual([expect.stringContaining('di casa')])
    await expect(heading.locator('.field').textContent()).resolves.toBe('The moka pot')
    await page.screenshot({path: join(shots, 'stale.png')})
    await heading.getByRole('button', {name: 'Mark as reviewed'}).click()
    await page.waitForFunction(() => document.querySelector('.segment')?.closest('.segments')?.querySelector('.segment[data-state="stale"]') === null)
    const status = await ponte(['status', '--root', root, '--json'])
    expect((JSON.parse(status.stdout) as {posts: Array<{stale: number}>}).posts[0]?.stale).toBe(0)
  })

  test('a value with a wrong tag is flagged while typing and not saved', async () => {
    const {root, page} = await open()
    await openPost(page)
    const paragraph = row(page, 'Paragraph')
    const before = await readFile(join(root, 'locales/en/caffe.json'), 'utf8')
    await paragraph.locator('.field').click()
    await page.keyboard.type('Made with the moka')
    await paragraph.locator('.tag-button[data-tag="em1"]').click()
    await paragraph.locator('.tag-button[data-tag="em1"]').click()
    await paragraph.locator('.tag-button[data-tag="a1"]').click()
    await paragraph.locator('.problem', {hasText: 'appears twice'}).waitFor()
    await expect(paragraph.getAttribute('data-state')).resolves.toBe('invalid')
    await expect(paragraph.locator('.field').getAttribute('aria-invalid')).resolves.toBe('true')
    await page.getByRole('button', {name: 'Save'}).click()
    await page.locator('.status.error', {hasText: 'have problems'}).waitFor()
    expect(await readFile(join(root, 'locales/en/caffe.json'), 'utf8')).toBe(before)
  })

  test('a chip moves by cut and paste, and the field keeps the tags it pasted', async () => {
    const {page, workbench} = await open()
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {origin: workbench.origin})
    await openPost(page)
    const paragraph = row(page, 'Paragraph')
    const key = (await paragraph.getAttribute('data-key')) ?? ''
    await typeWithChips(page, paragraph, key, 'moka guide', [
      ['moka', 'em1'],
      ['guide', 'a1']
    ])
    // Select the emphasis with its two chips, cut it, and paste it after the link.
    await page.evaluate((key) => {
      const field = document.querySelector(`.segment[data-key="${key}"] .field`)
      const chips = field?.querySelectorAll('.chip') ?? []
      const range = document.createRange()
      range.setStartBefore(chips[0] as Node)
      range.setEndAfter(chips[1] as Node)
      window.getSelection()?.removeAllRanges()
      window.getSelection()?.addRange(range)
    }, key)
    await page.keyboard.press('Control+X')
    await page.keyboard.press('End')
    await page.keyboard.type(' ')
    await page.keyboard.press('Control+V')
    // The link now comes first, the emphasis after it.
    await page.waitForFunction(() => {
      const paragraph = document.querySelector<HTMLIFrameElement>('iframe[title="English preview"]')?.contentDocument?.querySelector('p')
      return paragraph?.textContent?.trim() === 'guide moka' && paragraph.querySelector('a + em')?.textContent === 'moka'
    })
    await expect(paragraph.locator('.field .chip').count()).resolves.toBe(4)
    await expect(paragraph.getAttribute('data-state')).resolves.toBe('translated')
  })

  test('hostile values in the catalog on disk are shown as text and run nothing', async () => {
    const payloads = {
      heading: '<img src=x onerror="top.__pwned=1">',
      paragraph: '<script>top.__pwned=1</script> <em1>a</em1> <a1>b</a1>',
      item: '<a1 href="javascript:top.__pwned=1">click</a1>',
      title: 'javascript:top.__pwned=1'
    }
    const {page, problems} = await open(async (root) => {
      const catalogPath = join(root, 'locales/en/caffe.json')
      const values = JSON.parse(await readFile(catalogPath, 'utf8')) as Record<string, string>
      const keys = Object.keys(values)
      values[keys.find((key) => key.startsWith('h-')) ?? ''] = payloads.heading
      values[keys.find((key) => key.startsWith('p-')) ?? ''] = payloads.paragraph
      values[keys.filter((key) => key.startsWith('p-'))[1] ?? ''] = payloads.item
      values['fm-title'] = payloads.title
      await writeFile(catalogPath, JSON.stringify(values, null, 2) + '\n')
    })
    await openPost(page)
    await expect(row(page, 'Heading 1').locator('.field').textContent()).resolves.toBe(payloads.heading)
    // The segment's own tags are chips; the rest is text as typed.
    await expect(row(page, 'Paragraph').locator('.field').textContent()).resolves.toMatch(/^<script>top\.__pwned=1<\/script> ⟨em.*a.*em⟩/)
    await expect(row(page, 'Paragraph').locator('.field .chip').count()).resolves.toBe(4)
    await expect(row(page, 'List item').locator('.field').textContent()).resolves.toBe(payloads.item)
    await expect(row(page, 'Front matter: title').locator('.field').textContent()).resolves.toBe(payloads.title)
    await expect(row(page, 'Heading 1').getAttribute('data-state')).resolves.toBe('invalid')
    const preview = page.frameLocator('iframe[title="English preview"]')
    await preview.locator('h1').waitFor()
    expect(await preview.locator('img, script, [onerror]').count()).toBe(0)
    // Click everything a person might click: nothing runs.
    await preview.locator('a').first().click()
    await row(page, 'List item').locator('.field').click()
    expect(await page.evaluate(() => (window as unknown as {__pwned?: number}).__pwned)).toBeUndefined()
    expect(await page.locator('.segments img, .segments script').count()).toBe(0)
    expect(problems).toEqual([])
  })

  test('a concurrent change of the catalog on disk: the page updates, and a save against it shows both versions', async () => {
    const {root, page} = await open()
    await openPost(page)
    const heading = row(page, 'Heading 1')
    const headingKey = (await heading.getAttribute('data-key')) ?? ''
    await heading.locator('.field').click()
    await page.keyboard.type('The stovetop pot')
    // Meanwhile, git or an editor changes the same value and another one.
    const values = await catalog(root)
    values[headingKey] = 'The moka (from git)'
    values['fm-title'] = 'Coffee'
    await writeFile(join(root, 'locales/en/caffe.json'), JSON.stringify(values, null, 2) + '\n')
    // The untouched field shows the new value; the edited one keeps the translator's text.
    await page.waitForFunction(() => document.querySelector('.segment[data-key="fm-title"] .field')?.textContent === 'Coffee')
    await heading.locator('.notes .disk').waitFor()
    await page.getByRole('button', {name: 'Save'}).click()
    const conflict = heading.locator('.conflict')
    await conflict.waitFor()
    await expect(conflict.locator('.theirs').textContent()).resolves.toBe('The moka (from git)')
    await expect(conflict.locator('.yours').textContent()).resolves.toBe('The stovetop pot')
    await page.screenshot({path: join(shots, 'conflict.png')})
    expect((await catalog(root))[headingKey]).toBe('The moka (from git)')
    await expect(heading.locator('.field').textContent()).resolves.toBe('The stovetop pot')
    // The translator keeps theirs on purpose: saved now.
    await conflict.getByRole('button', {name: 'Keep mine'}).click()
    await heading.locator('.notes .saved').waitFor()
    expect((await catalog(root))[headingKey]).toBe('The stovetop pot')
    expect((await catalog(root))['fm-title']).toBe('Coffee')
  })
})
