import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {Ajv} from 'ajv'
import {defaultConfig, type Config} from '../config.js'
import {configSchema} from './config-schema.js'

/** The configuration file name, at the project root. */
export const configFile = 'ponte.config.json'

const ajv = new Ajv({allErrors: true, strict: true})
const validate = ajv.compile(configSchema)

/**
 * Read `ponte.config.json` (optional), validate it against the schema and complete it
 * with defaults. Errors name the file and the bad field.
 *
 * @param root Absolute project root.
 */
export async function loadConfig(root: string): Promise<{ok: true; config: Config} | {ok: false; errors: string[]}> {
  let text: string
  try {
    text = await readFile(join(root, configFile), 'utf8')
  } catch {
    return {ok: true, config: defaultConfig}
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return {ok: false, errors: [`${configFile}: not valid JSON: ${(error as Error).message}`]}
  }
  if (!validate(data)) {
    return {
      ok: false,
      errors: (validate.errors ?? []).map((error) => {
        const field = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(top level)'
        const extra = error.keyword === 'additionalProperties' ? ` "${String((error.params as {additionalProperty?: string}).additionalProperty)}"` : ''
        return `${configFile}: ${field}: ${error.message ?? 'invalid'}${extra}`
      })
    }
  }
  const config = {...defaultConfig, ...(data as Partial<Config>)}
  if (config.sourceLanguage === config.targetLanguage) {
    return {ok: false, errors: [`${configFile}: targetLanguage: must differ from sourceLanguage ("${config.sourceLanguage}")`]}
  }
  return {ok: true, config}
}
