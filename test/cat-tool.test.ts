import {execFile} from 'node:child_process'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {structureDifference} from './support/pipeline.js'
import {ponte, projectPool, readJson} from './support/project.js'

// A real CAT tool, not written here, reads Ponte's XLIFF and TMX and gives back translated
// XLIFF that Ponte imports: OmegaT (Debian package `omegat`) headless in console mode, and
// the Translate Toolkit (`translate-toolkit`). Each test looks for its program; when it is
// missing it is skipped with a loud message, except in CI, where .ci/run installs it.

const pool = projectPool()
afterAll(pool.removeAll)

/** Run a program; resolves with its exit code and output. */
function run(program: string, args: readonly string[], env: Record<string, string> = {}): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(program, [...args], {env: {...process.env, ...env}, timeout: 240_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr})
    })
  })
}

/** Whether a program is on the PATH; when it is not, say so loudly (and fail in CI). */
async function available(program: string, pkg: string): Promise<boolean> {
  const found = (await run('sh', ['-c', `command -v ${program}`])).code === 0
  if (!found && process.env['CI'] !== 'true') {
    console.warn(`\n${'!'.repeat(78)}\n!! ${program} is not installed: the CAT-tool test that needs it is SKIPPED.\n!! Install it with: apt-get install ${pkg}\n${'!'.repeat(78)}\n`)
  }
  return found || process.env['CI'] === 'true'
}

const translated = `---
title: Guida all'installazione
---

# Leggi anche

Installa con \`npm i ponte\`, poi apri la *guida* e il [sito](https://esempio.it/ponte "Il sito").

Le opinioni espresse sono personali.
`
const untranslated = `---
title: Una seconda guida
---

# Leggi anche

Prima di tutto, esegui \`npx ponte extract\` e leggi la **documentazione** su [questa pagina](https://esempio.it/docs).

Le opinioni espresse sono personali.

| Comando | Effetto |
|:--------|--------:|
| \`build\` | scrive le *edizioni* |
`

/** A project with one post translated and one not. */
async function project(): Promise<string> {
  const root = await pool.project({'content/it/prima.md': translated, 'content/it/seconda.md': untranslated})
  await ponte(['extract', '--root', root])
  const italian = await readJson(root, 'locales/it/prima.json')
  const english: Record<string, string> = {
    "Guida all'installazione": 'Installation guide',
    'Leggi anche': 'Read also',
    'Installa con {{code1}}, poi apri la <em1>guida</em1> e il <a1>sito</a1>.': 'Install with {{code1}}, then open the <em1>guide</em1> and the <a1>site</a1>.',
    'Il sito': 'The site',
    'Le opinioni espresse sono personali.': 'The opinions expressed are personal.'
  }
  const catalog = Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, english[value] ?? '']))
  await writeFile(join(root, 'locales/en/prima.json'), JSON.stringify(catalog, null, 2) + '\n')
  await ponte(['extract', '--root', root])
  return root
}

/** The edition must parse to the same tree as its source, with the inline markup in place. */
async function expectEdition(root: string, post: string): Promise<string> {
  const edition = await readFile(join(root, 'content/en', post), 'utf8')
  expect(structureDifference(await readFile(join(root, 'content/it', post), 'utf8'), edition)).toBeUndefined()
  return edition
}

describe('OmegaT', () => {
  test('OmegaT translates Ponte XLIFF 1.2 with Ponte TMX as its memory; the import builds editions with their structure and markup intact', async () => {
    if (!(await available('omegat', 'omegat'))) return
    const root = await project()
    const omegat = join(root, 'omegat-project')
    for (const folder of ['source', 'target', 'tm/auto', 'glossary', 'dictionary', 'omegat', 'home']) await mkdir(join(omegat, folder), {recursive: true})
    await writeFile(
      join(omegat, 'omegat.project'),
      `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>it</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneItalianTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
`
    )
    // Ponte's side: the untranslated post as XLIFF 1.2 (targets to translate in place), and
    // the whole project's memory as TMX in tm/auto, which OmegaT applies by itself.
    const exported = await ponte(['xliff', 'export', 'seconda.md', '--version', '1.2', '--copy-source', '--out', join(omegat, 'source/seconda.xlf'), '--root', root])
    expect(exported.code).toBe(0)
    expect((await ponte(['tm', 'export', '--out', join(omegat, 'tm/auto/ponte.tmx'), '--root', root])).code).toBe(0)
    // The translator's work in OmegaT's editor, as OmegaT saves it: its own tag shortcuts
    // (<g0>, <x1/>…) stand for Ponte's inline codes.
    const work: Array<[string, string]> = [
      ['Una seconda guida', 'A second guide'],
      [
        'Prima di tutto, esegui <x0/> e leggi la <g1>documentazione</g1> su <g2>questa pagina</g2>.',
        'First of all, run <x0/> and read the <g1>documentation</g1> on <g2>this page</g2>.'
      ],
      ['Comando', 'Command'],
      ['Effetto', 'Effect'],
      ['scrive le <g0>edizioni</g0>', 'writes the <g0>editions</g0>']
    ]
    const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    await writeFile(
      join(omegat, 'omegat/project_save.tmx'),
      `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" creationtoolversion="3.6.0" segtype="paragraph" srclang="it"/>
  <body>
${work.map(([it, en]) => `    <tu>\n      <tuv lang="it"><seg>${escape(it)}</seg></tuv>\n      <tuv lang="en"><seg>${escape(en)}</seg></tuv>\n    </tu>`).join('\n')}
  </body>
</tmx>
`
    )
    const translatedByOmegat = await run('omegat', ['--mode=console-translate', omegat], {HOME: join(omegat, 'home')})
    expect(translatedByOmegat.stdout + translatedByOmegat.stderr).toContain('Translated document created')
    expect(translatedByOmegat.code).toBe(0)
    const output = await readFile(join(omegat, 'target/seconda.xlf'), 'utf8')
    // OmegaT put Ponte's inline codes back, and took the exact matches from Ponte's TMX.
    expect(output).toContain('<target state="new">First of all, run <x id="code1" ctype="x-ponte-var" equiv-text="{{code1}}"/> and read the <g id="strong1">documentation</g> on <g id="a1">this page</g>.</target>')
    expect(output).toContain('<target state="new">Read also</target>')
    expect(output).toContain('<target state="new">The opinions expressed are personal.</target>')

    const imported = await ponte(['xliff', 'import', join(omegat, 'target/seconda.xlf'), '--root', root])
    expect(imported.stderr).toBe('')
    expect(imported.code).toBe(0)
    // Every segment (the code-only cell is no segment): three from Ponte's TMX, four from the translator.
    expect(imported.stdout).toContain('xliff import: 7 translation(s) applied in 1 post(s), 0 refused')
    const status = JSON.parse((await ponte(['status', '--json', '--root', root])).stdout) as {posts: Array<{path: string; suggested: number; missing: number}>}
    // Targets OmegaT marks "new" are applied for review: suggested, and published under the default stale policy.
    expect(status.posts.find((post) => post.path === 'seconda.md')).toMatchObject({suggested: 7, missing: 0})

    expect((await ponte(['build', '--root', root])).code).toBe(0)
    const edition = await expectEdition(root, 'seconda.md')
    expect(edition).toContain('First of all, run `npx ponte extract` and read the **documentation** on [this page](https://esempio.it/docs).')
    expect(edition).toContain('| `build` | writes the *editions* |')
    expect(edition).toContain('title: A second guide')
    await expectEdition(root, 'prima.md')
    expect((await ponte(['check', '--root', root])).code).toBe(0)
  }, 300_000)
})

describe('Translate Toolkit', () => {
  // The toolkit reads Ponte's XLIFF, but its PO round trip (xliff2po, po2xliff) drops inline
  // codes and renumbers units, so OmegaT above is the tool a translator would use.
  test("pocount counts Ponte's XLIFF 1.2 by state and xliff2po reads its units, stale ones as fuzzy", async () => {
    if (!(await available('pocount', 'translate-toolkit'))) return
    const root = await project()
    // prima.md's heading changes: its English becomes stale.
    await writeFile(join(root, 'content/it/prima.md'), translated.replace('# Leggi anche', '# Leggi anche questo'))
    await ponte(['extract', '--root', root])
    const folder = join(root, 'toolkit')
    await mkdir(folder, {recursive: true})
    const xlf = join(folder, 'all.xlf')
    expect((await ponte(['xliff', 'export', '--version', '1.2', '--out', xlf, '--root', root])).code).toBe(0)
    const counted = await run('pocount', ['--csv', xlf])
    expect(counted.code).toBe(0)
    // Translated, fuzzy (the stale heading), untranslated (messages, words), total.
    expect(counted.stdout.split('\n')[1]).toMatch(/^[^,]+,\s*4, \d+, \d+, 1, 3, 7, 26, 12, \d+\s*$/)
    const po = join(folder, 'all.po')
    expect((await run('xliff2po', [xlf, po])).code).toBe(0)
    const text = await readFile(po, 'utf8')
    expect(text).toContain('#, fuzzy\nmsgid "Leggi anche questo"\nmsgstr "Read also"')
    expect(text).toContain('msgid "Le opinioni espresse sono personali."\nmsgstr "The opinions expressed are personal."')
    expect(text).toContain('msgid "Una seconda guida"\nmsgstr ""')
  }, 120_000)
})
