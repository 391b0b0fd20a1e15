import {mkdtemp, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {check} from '../src/commands/check.js'
import {extract} from '../src/commands/extract.js'
import {containsTerm, englishForms, italianForms, wordsOf} from '../src/glossary/inflect.js'
import {ponte, projectPool, readJson} from './support/project.js'

const pool = projectPool()
afterAll(pool.removeAll)

describe('inflection', () => {
  test('an Italian term matches its regular plural, and an elided article stands apart', () => {
    expect(italianForms('rete')).toEqual(['rete', 'reti'])
    expect(italianForms('azienda')).toEqual(['azienda', 'aziende', 'aziendi'])
    expect(italianForms('banca')).toEqual(['banca', 'banche'])
    expect(italianForms('lago')).toEqual(['lago', 'laghi', 'lagi'])
    expect(italianForms('negozio')).toEqual(['negozio', 'negozi'])
    expect(italianForms('città')).toEqual(['città'])
    expect(wordsOf("Dell'azienda <em1>e</em1> {{code1}} l’impresa")).toEqual(['dell', 'azienda', 'e', 'l', 'impresa'])
    const term = ['rete', 'sociale'].map(italianForms)
    expect(containsTerm(wordsOf('Le reti sociali sono utili.'), term)).toBe(true)
    expect(containsTerm(wordsOf('Una rete di amici, sociale.'), term)).toBe(false)
  })
  test('an English term matches its regular plural', () => {
    expect(englishForms('network')).toEqual(['network', 'networks'])
    expect(englishForms('company')).toEqual(['company', 'companies'])
    expect(englishForms('business')).toEqual(['business', 'businesses'])
  })
})

describe('check with a glossary', () => {
  const post = `# Le reti sociali

Le aziende usano Ponte e le reti sociali.

Un paragrafo senza termini.

Dell'azienda parla Ponte.
`
  async function project(english: (italian: string) => string): Promise<string> {
    const root = await pool.project({
      'content/it/post.md': post,
      'locales/glossary.json': JSON.stringify({'rete sociale': 'social network', azienda: 'company', Ponte: 'Ponte'}, null, 2) + '\n'
    })
    await extract({root})
    const italian = await readJson(root, 'locales/it/post.json')
    await writeFile(join(root, 'locales/en/post.json'), JSON.stringify(Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, english(value)])), null, 2) + '\n')
    await ponte(['build', '--root', root])
    return root
  }

  test('a translation that follows the glossary gives no warning', async () => {
    const root = await project(
      (italian) =>
        ({
          'Le reti sociali': 'Social networks',
          'Le aziende usano Ponte e le reti sociali.': 'Companies use Ponte and social networks.',
          'Un paragrafo senza termini.': 'A paragraph without terms.',
          "Dell'azienda parla Ponte.": 'Ponte talks about the company.'
        })[italian] ?? ''
    )
    const result = await check({root})
    expect(result.messages).toEqual([])
    expect(result.ok).toBe(true)
  })

  test('a missing English term and a translated product name are warned at the key, with rule ids', async () => {
    const root = await project(
      (italian) =>
        ({
          'Le reti sociali': 'Social media',
          'Le aziende usano Ponte e le reti sociali.': 'Firms use Bridge and social networks.',
          'Un paragrafo senza termini.': 'A paragraph without terms.',
          "Dell'azienda parla Ponte.": 'Ponte talks about the firm.'
        })[italian] ?? ''
    )
    const english = await readJson(root, 'locales/en/post.json')
    const line = (value: string): number => Object.values(english).indexOf(value) + 2
    const result = await ponte(['check', '--root', root])
    expect(result.code).toBe(0)
    const lines = result.stderr.split('\n').filter((item) => item.startsWith('locales/'))
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^locales/en/post\\.json:${line('Social media')}:3 +warning +"h-[0-9a-f]+": the Italian has "rete sociale", but the English does not use "social network" +\\[glossary-term\\]$`)),
      expect.stringMatching(new RegExp(`^locales/en/post\\.json:${line('Firms use Bridge and social networks.')}:3 +warning +"p-[0-9a-f]+": "Ponte" is not to be translated, but the English does not keep it +\\[glossary-do-not-translate\\]$`)),
      expect.stringMatching(new RegExp(`^locales/en/post\\.json:${line('Firms use Bridge and social networks.')}:3 +warning +"p-[0-9a-f]+": the Italian has "azienda", but the English does not use "company" +\\[glossary-term\\]$`)),
      expect.stringMatching(new RegExp(`^locales/en/post\\.json:${line('Ponte talks about the firm.')}:3 +warning +"p-[0-9a-f]+": the Italian has "azienda", but the English does not use "company" +\\[glossary-term\\]$`))
    ])
    // Through the GitHub reporter too, as annotations at the same places.
    const github = await ponte(['check', '--reporter', 'github', '--root', root])
    expect(github.stdout).toContain(`::warning file=locales/en/post.json,line=${line('Social media')},col=3`)
  })

  test('a glossary that is not valid JSON is reported at its place', async () => {
    const root = await pool.project({'content/it/post.md': '# Ciao\n', 'locales/glossary.json': '{\n  "rete": \n}\n'})
    await extract({root})
    const result = await check({root})
    expect(result.messages.find((item) => item.file === 'locales/glossary.json')).toMatchObject({severity: 'error', line: 3})
  })
})

describe('the glossary path is configurable', () => {
  const post = '# Le reti sociali\n\nLe aziende usano Ponte.\n'
  const terms = JSON.stringify({azienda: 'company'}, null, 2) + '\n'
  /** A project whose English says "firms" where its glossary asks for "company". */
  async function project(files: Record<string, string>): Promise<string> {
    const root = await pool.project({'content/it/post.md': post, ...files})
    await extract({root})
    const italian = await readJson(root, 'locales/it/post.json')
    const english = Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, value === 'Le aziende usano Ponte.' ? 'Firms use Ponte.' : 'Social networks']))
    await writeFile(join(root, 'locales/en/post.json'), JSON.stringify(english, null, 2) + '\n')
    await ponte(['build', '--root', root])
    return root
  }

  test('a configured path is read, and the default one is not', async () => {
    const root = await project({
      'ponte.config.json': JSON.stringify({glossary: 'docs/terms.json'}),
      'docs/terms.json': terms,
      // At the default path, a glossary that would warn about "Ponte": not the configured one, so not read.
      'locales/glossary.json': JSON.stringify({Ponte: 'Bridge'})
    })
    const result = await check({root})
    expect(result.messages.map((item) => [item.ruleId, item.file, item.reason, item.fix])).toEqual([
      ['glossary-term', 'locales/en/post.json', expect.stringContaining('the Italian has "azienda", but the English does not use "company"'), 'use "company" as docs/terms.json says, or change the glossary']
    ])
  })

  test('a configured glossary that is not valid JSON is reported at its own place', async () => {
    const root = await project({'ponte.config.json': JSON.stringify({glossary: './docs//terms.json'}), 'docs/terms.json': '{\n  "azienda": \n}\n'})
    const result = await check({root})
    expect(result.messages.find((item) => item.file === 'docs/terms.json')).toMatchObject({severity: 'error', line: 3})
    expect(result.ok).toBe(false)
  })

  test('no file at the default path means no glossary; a configured file that does not exist is a configuration error', async () => {
    const none = await project({})
    expect((await check({root: none})).messages).toEqual([])
    const root = await project({'ponte.config.json': JSON.stringify({glossary: 'docs/glossario.json'})})
    const result = await ponte(['check', '--root', root])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('ponte.config.json: glossary: "docs/glossario.json" does not exist; create it, or remove the field to check without a glossary')
  })

  test.each([
    ['../glossary.json', 'is outside the project root'],
    ['locales/../../glossary.json', 'is outside the project root'],
    ['/etc/glossary.json', 'is an absolute path'],
    ['locales/', 'is a folder, not a file']
  ])('%j is refused with what to do, by every command', async (glossary, why) => {
    const root = await project({})
    await writeFile(join(root, 'ponte.config.json'), JSON.stringify({glossary}))
    for (const command of ['check', 'extract', 'build', 'status']) {
      const result = await ponte([command, '--root', root])
      expect({command, code: result.code}).toEqual({command, code: 2})
      expect(result.stderr).toContain(`ponte.config.json: glossary: "${glossary}" ${why}; give a path inside the project, relative to its root, such as "locales/glossary.json"`)
    }
  })

  test('a glossary that is a link leading outside the project is refused', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'ponte-glossary-'))
    try {
      await writeFile(join(outside, 'terms.json'), terms)
      const root = await project({'ponte.config.json': JSON.stringify({glossary: 'terms.json'})})
      await symlink(join(outside, 'terms.json'), join(root, 'terms.json'))
      const result = await ponte(['check', '--root', root])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('ponte.config.json: glossary: "terms.json" is a link that leads outside the project root')
    } finally {
      await rm(outside, {recursive: true, force: true})
    }
  })
})
