import {assemblePost} from '../assemble/assemble.js'
import {validateTranslation} from '../assemble/render.js'
import {fingerprint} from '../catalog/keys.js'
import {updateLock, writeLock} from '../catalog/lock.js'
import {writeCatalog} from '../catalog/write-catalog.js'
import {planExtract} from '../project/extract-post.js'
import type {PostPaths} from '../project/paths.js'
import {readPostFiles, readSource, type Project} from '../project/project.js'
import type {Message} from '../report/message.js'

/** A value refused, with why. */
export interface RefusedValue {
  key: string
  ruleId: string
  reason: string
}

/** The catalogs of one post with values applied, ready to be written. */
export interface AppliedValues {
  /** Path → contents of every file of the post (as `extract` would write them). */
  files: Map<string, string>
  /** Keys whose value was applied (it differs from the catalog's). */
  applied: string[]
  refused: RefusedValue[]
  /** Problems that kept the whole post from being touched (a catalog that does not parse…). */
  messages: Message[]
}

/**
 * Apply English values to one post's catalog through the same checks as a translator's
 * edit: the post is extracted first (so keys are current), every value is validated
 * against its segment (`validateTranslation`) and by assembling the edition (a value that
 * would change the structure is refused), and the lock is updated as for an edit. Values
 * marked `suggested` are recorded as a tool's, to be reviewed. Pure apart from reading the
 * post's files.
 *
 * @param project The opened project.
 * @param paths The post's paths.
 * @param values English value by key, and whether it is a suggestion.
 */
export async function applyValues(project: Project, paths: PostPaths, values: ReadonlyMap<string, {value: string; suggested: boolean}>): Promise<AppliedValues> {
  const result: AppliedValues = {files: new Map(), applied: [], refused: [], messages: []}
  const source = await readSource(project.root, paths)
  if (!source.ok) {
    result.messages.push(source.message)
    return result
  }
  const plan = planExtract(paths, source.text, await readPostFiles(project.root, paths), project.config, project.patterns)
  if (plan.refused) {
    result.messages.push(...plan.messages)
    return result
  }
  const indexOf = new Map(plan.keys.map((key, index) => [key, index]))
  const candidates = new Map<number, string>()
  for (const [key, {value}] of values) {
    const index = indexOf.get(key)
    const segment = index === undefined ? undefined : plan.analysis.segments[index]
    if (index === undefined || !segment) {
      result.refused.push({key, ruleId: 'unit-unknown', reason: `${paths.post} has no segment "${key}"`})
      continue
    }
    if (plan.translations.get(key) === value) continue
    const valid = validateTranslation(segment, value)
    if (!valid.ok) {
      result.refused.push({key, ruleId: valid.problem.ruleId, reason: valid.problem.reason})
      continue
    }
    candidates.set(segment.id, value)
  }
  if (candidates.size > 0) {
    // The build's check: a value that would change the edition's structure is refused.
    const {analysis} = plan
    const assembled = assemblePost(analysis.body, analysis.tree, analysis.segments, (segment) => candidates.get(segment.id) ?? plan.translations.get(plan.keys[segment.id] ?? ''), analysis.structure)
    for (const refusal of assembled.refused) {
      if (!candidates.delete(refusal.segment.id)) continue
      result.refused.push({key: plan.keys[refusal.segment.id] ?? '', ruleId: refusal.problem.ruleId, reason: refusal.problem.reason})
    }
  }
  const translations = new Map(plan.translations)
  for (const [id, value] of candidates) {
    const key = plan.keys[id] ?? ''
    translations.set(key, value)
    result.applied.push(key)
  }
  const italian = new Map(plan.keys.map((key, index) => [key, plan.analysis.segments[index]?.value ?? '']))
  const states = plan.keys.map((key) => ({key, value: italian.get(key) ?? '', translation: translations.get(key) ?? ''}))
  const lock = updateLock(plan.lock, states, italian)
  for (const key of result.applied) {
    const entry = lock.entries.get(key)
    const value = translations.get(key) ?? ''
    if (entry && values.get(key)?.suggested) entry.suggested = fingerprint(value)
  }
  result.files = new Map(plan.files)
  result.files.set(paths.targetCatalog, writeCatalog(translations))
  result.files.set(paths.lock, writeLock(lock, paths.source))
  result.messages.push(...plan.messages)
  return result
}
