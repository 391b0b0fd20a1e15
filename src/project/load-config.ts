import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {Ajv, type ValidateFunction} from 'ajv'
import {parseTree, printParseErrorCode, type ParseError} from 'jsonc-parser'
import {lineStarts, locate} from '../segment/segment.js'
import {defaultConfig, type Config} from '../config.js'
import {configSchema} from './config-schema.js'
import {glossaryPath, glossaryPathFix} from '../glossary/glossary-path.js'
import {readFix} from '../io/read-text.js'

/** The configuration file name, at the project root. */
export const configFile = 'ponte.config.json'

// Compiled on first use: most projects have no configuration file, and compiling the
// schema is a sixth of the start-up time.
let validator: ValidateFunction | undefined
const validate = (data: unknown): data is Partial<Config> => (validator ??= new Ajv({allErrors: true, strict: true}).compile(configSchema))(data)

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
  } catch (error) {
    // catch: ENOENT only (no configuration: the defaults); a file that exists but cannot be
    // read must not silently become the defaults (other languages, other fields).
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return {ok: true, config: defaultConfig}
    if (typeof code !== 'string') throw error
    return {ok: false, errors: [`${configFile}: cannot be read (${code}); ${readFix(code)}`]}
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    // catch: JSON.parse's SyntaxError, reported with its line and column.
    const errors: ParseError[] = []
    parseTree(text, errors, {disallowComments: true, allowTrailingComma: false})
    const first = errors[0]
    const {line, column} = locate(lineStarts(text), first?.offset ?? 0)
    const what = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'syntax error'
    return {ok: false, errors: [`${configFile}:${line}:${column}: not valid JSON (${what}); fix it or delete the file to use the defaults`]}
  }
  if (!validate(data)) {
    return {
      ok: false,
      errors: (validator?.errors ?? []).map((error) => {
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
  // Every command refuses a glossary outside the project, not only check, which reads it.
  const glossary = glossaryPath(config.glossary).problem
  if (glossary) return {ok: false, errors: [`${configFile}: glossary: ${glossary}; ${glossaryPathFix(defaultConfig.glossary)}`]}
  return {ok: true, config}
}
