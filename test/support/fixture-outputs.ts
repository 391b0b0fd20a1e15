import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {defaultConfig, type Config} from '../../src/config.js'
import {buildString, extractString} from './pipeline.js'

/** What Ponte makes of one fixture folder, file name → contents: what its expected files must hold. */
export interface FixtureOutputs {
  files: Map<string, string>
  /** Refused translations, as recorded in expected.messages.json. */
  messages: Array<{key: string | undefined; ruleId: string; reason: string}>
  /** The input and the edition, when the fixture has a translation. */
  input: string
  edition: string | undefined
}

/**
 * Run the pipeline on a fixture: input.md → catalog.json; with en.json, also
 * expected.en.md and expected.messages.json. A `config.json` in the folder holds
 * `ponte.config.json` fields for the case (`{"math": true}`).
 *
 * @param folder The fixture's folder.
 */
export function fixtureOutputs(folder: string): FixtureOutputs {
  const input = readFileSync(join(folder, 'input.md'), 'utf8')
  const config = fixtureConfig(folder)
  const extracted = extractString(input, config)
  const files = new Map([['catalog.json', JSON.stringify(extracted.catalog, null, 2) + '\n']])
  const translationPath = join(folder, 'en.json')
  if (!existsSync(translationPath)) return {files, messages: [], input, edition: undefined}
  const translations = JSON.parse(readFileSync(translationPath, 'utf8')) as Record<string, string>
  const built = buildString(input, (_, key) => translations[key], config)
  const messages = built.refused.map((refusal) => ({key: extracted.keys[refusal.segment.id], ruleId: refusal.problem.ruleId, reason: refusal.problem.reason}))
  files.set('expected.en.md', built.edition)
  files.set('expected.messages.json', JSON.stringify(messages, null, 2) + '\n')
  return {files, messages, input, edition: built.edition}
}

/**
 * The configuration a fixture runs with: the defaults, and its `config.json` when it has one.
 *
 * @param folder The fixture's folder.
 */
export function fixtureConfig(folder: string): Config {
  const path = join(folder, 'config.json')
  return existsSync(path) ? {...defaultConfig, ...(JSON.parse(readFileSync(path, 'utf8')) as Partial<Config>)} : defaultConfig
}
