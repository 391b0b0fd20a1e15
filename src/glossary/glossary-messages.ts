import {readCatalog} from '../catalog/read-catalog.js'
import {readIfExists} from '../io/read-text.js'
import {resolvePath} from '../project/paths.js'
import type {Project} from '../project/project.js'
import type {Message} from '../report/message.js'
import {checkGlossary, readGlossary} from './check-glossary.js'
import {readGlossaryFile} from './glossary-file.js'

/**
 * The glossary's findings over a whole project (`check`): nothing when the project has no
 * glossary; otherwise problems of the glossary file itself and each post's warnings. The
 * glossary is where the configuration says (`readGlossaryFile`).
 *
 * @param project The opened project.
 * @throws UsageError when the configured glossary is outside the root or does not exist.
 */
export function glossaryMessages(project: Project): Message[] {
  const {path, text} = readGlossaryFile(project.root, project.config)
  if (text === undefined) return []
  const read = readGlossary(text, path)
  if (!read.ok) return read.messages
  const messages = [...read.messages]
  if (read.glossary.terms.length === 0) return messages
  for (const paths of project.posts) {
    const italian = readCatalog(readIfExists(resolvePath(project.root, paths.sourceCatalog)) ?? '{}', paths.sourceCatalog)
    const english = readCatalog(readIfExists(resolvePath(project.root, paths.targetCatalog)) ?? '{}', paths.targetCatalog)
    // An unreadable catalog is reported by check's other rules.
    if (!italian.ok || !english.ok) continue
    const segments = [...italian.entries.values()].map((entry) => ({key: entry.key, italian: entry.value, english: english.entries.get(entry.key)?.value ?? ''}))
    messages.push(...checkGlossary(read.glossary, segments, paths.targetCatalog, english))
  }
  return messages
}
