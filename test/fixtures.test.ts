import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, test} from 'vitest'
import {buildString, extractString, structureDifference} from './support/pipeline.js'

// One folder per construct: input.md, catalog.json (the expected Italian catalog), and
// optionally en.json (a translation) with expected.en.md and expected.messages.json.
// `UPDATE=1 npm test` rewrites the expected files; review them as diffs.
const root = join(import.meta.dirname, 'fixtures')
const update = process.env['UPDATE'] === '1'
const cases = readdirSync(root, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

function expectFile(path: string, actual: string): void {
  if (update || !existsSync(path)) writeFileSync(path, actual)
  expect(actual).toBe(readFileSync(path, 'utf8'))
}

describe('fixtures', () => {
  test.each(cases)('%s', (name) => {
    const folder = join(root, name)
    const input = readFileSync(join(folder, 'input.md'), 'utf8')
    const extracted = extractString(input)
    expectFile(join(folder, 'catalog.json'), JSON.stringify(extracted.catalog, null, 2) + '\n')
    const translationPath = join(folder, 'en.json')
    if (!existsSync(translationPath)) return
    const translations = JSON.parse(readFileSync(translationPath, 'utf8')) as Record<string, string>
    const built = buildString(input, (_, key) => translations[key])
    expectFile(join(folder, 'expected.en.md'), built.edition)
    const messages = built.refused.map((refusal) => ({key: extracted.keys[refusal.segment.id], ruleId: refusal.problem.ruleId, reason: refusal.problem.reason}))
    expectFile(join(folder, 'expected.messages.json'), JSON.stringify(messages, null, 2) + '\n')
    // Only the hostile cases may have refused translations: a good translation always lands.
    if (!name.startsWith('hostile')) expect(messages).toEqual([])
    // Whatever the translation, the edition keeps the structure of the source.
    expect(structureDifference(input, built.edition)).toBeUndefined()
  })
})
