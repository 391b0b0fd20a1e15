import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, test} from 'vitest'
import {configSchema} from '../src/project/config-schema.js'
import {loadConfig} from '../src/project/load-config.js'
import {makeProject} from './support/project.js'

describe('configuration', () => {
  test('ponte.schema.json (for editor completion) is the schema Ponte validates with', () => {
    expect(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'ponte.schema.json'), 'utf8'))).toEqual(configSchema)
  })
  test('no file means the defaults', async () => {
    const loaded = await loadConfig(await makeProject({}))
    expect(loaded.ok && loaded.config.threshold).toBe(0)
  })
  test.each([
    [{threshold: 150}, 'threshold: must be <= 100'],
    [{stalePolicy: 'ignore'}, 'stalePolicy: must be equal to one of the allowed values'],
    [{frontMatterFields: 'title'}, 'frontMatterFields: must be array'],
    [{protectedPatterns: [{name: 'Liquid', pattern: 'x'}]}, 'protectedPatterns.0.name: must match pattern'],
    [{colour: 'blue'}, '(top level): must NOT have additional properties "colour"'],
    [{glossary: 5}, 'glossary: must be string'],
    [{glossary: ''}, 'glossary: must NOT have fewer than 1 characters']
  ])('%j is refused naming the field', async (config, expected) => {
    const root = await makeProject({'ponte.config.json': JSON.stringify(config)})
    const loaded = await loadConfig(root)
    expect(loaded.ok).toBe(false)
    if (!loaded.ok) expect(loaded.errors.join('\n')).toContain(`ponte.config.json: ${expected}`)
  })
  test('a file that is not JSON is refused with its line and column', async () => {
    const loaded = await loadConfig(await makeProject({'ponte.config.json': '{\n  "threshold": 50,\n}\n'}))
    expect(loaded.ok).toBe(false)
    if (!loaded.ok) expect(loaded.errors).toEqual(['ponte.config.json:3:1: not valid JSON (property name expected); fix it or delete the file to use the defaults'])
  })
})
