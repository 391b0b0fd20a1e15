import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, test} from 'vitest'
import {fixtureConfig, fixtureOutputs} from './support/fixture-outputs.js'
import {structureDifference} from './support/pipeline.js'

// One folder per construct: input.md, catalog.json (the expected Italian catalog), and
// optionally en.json (a translation) with expected.en.md and expected.messages.json.
// The test never writes an expected file: `npm run fixtures:update` rewrites them, to be
// reviewed as diffs. A missing expected file fails.
const root = join(import.meta.dirname, 'fixtures')
const cases = readdirSync(root, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

function expectFile(path: string, actual: string): void {
  if (!existsSync(path)) expect.fail(`${path} is missing: run \`npm run fixtures:update\` and review the diff`)
  expect(actual).toBe(readFileSync(path, 'utf8'))
}

describe('fixtures', () => {
  test.each(cases)('%s', (name) => {
    const folder = join(root, name)
    const made = fixtureOutputs(folder)
    for (const [file, content] of made.files) expectFile(join(folder, file), content)
    if (made.edition === undefined) return
    // Only the hostile cases may have refused translations: a good translation always lands.
    if (!name.startsWith('hostile')) expect(made.messages).toEqual([])
    // Whatever the translation, the edition keeps the structure of the source.
    expect(structureDifference(made.input, made.edition, fixtureConfig(folder).math ? {math: true} : {})).toBeUndefined()
  })

  test('there are fixtures, and each has an input and its expected catalog', () => {
    expect(cases.length).toBeGreaterThan(20)
    for (const name of cases) expect([name, existsSync(join(root, name, 'input.md')), existsSync(join(root, name, 'catalog.json'))]).toEqual([name, true, true])
  })
})
