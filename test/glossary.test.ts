import {writeFile} from 'node:fs/promises'
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
