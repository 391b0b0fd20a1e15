import {realpathSync} from 'node:fs'
import {resolve} from 'node:path'
import {defaultConfig, type Config} from '../config.js'
import {isInside} from '../io/find-posts.js'
import {readIfExists} from '../io/read-text.js'
import {configFile} from '../project/load-config.js'
import {UsageError} from '../project/project.js'
import {glossaryPath, glossaryPathFix} from './glossary-path.js'

/** A project's glossary file: its path under the root, and its text (`undefined`: there is none). */
export interface GlossaryFile {
  path: string
  text: string | undefined
}

/**
 * Read a project's glossary from the path its configuration gives (`glossary`, default
 * `locales/glossary.json`). At the default path, no file means no glossary; a path the
 * configuration names must hold one (a typo would otherwise turn the checks off without a
 * word). A path outside the project root (absolute, through `..`, or a link that leads
 * out) is refused: the glossary is part of the project.
 *
 * @param root Absolute project root.
 * @param config The project's configuration.
 * @throws UsageError for a path outside the root, or a configured file that does not exist.
 */
export function readGlossaryFile(root: string, config: Pick<Config, 'glossary'>): GlossaryFile {
  const configured = config.glossary
  const fix = glossaryPathFix(defaultConfig.glossary)
  const {path, problem} = glossaryPath(configured)
  if (problem) throw new UsageError(`${configFile}: glossary: ${problem}; ${fix}`)
  const absolute = resolve(root, path)
  const text = readIfExists(absolute)
  if (text === undefined) {
    if (path === defaultConfig.glossary) return {path, text}
    throw new UsageError(`${configFile}: glossary: "${configured}" does not exist; create it, or remove the field to check without a glossary`)
  }
  if (!isInside(realpathSync(root), realpathSync(absolute))) throw new UsageError(`${configFile}: glossary: "${configured}" is a link that leads outside the project root; ${fix}`)
  return {path, text}
}
