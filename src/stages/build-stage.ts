import {planBuild, type PostCounts, type StaleKey} from '../project/build-post.js'
import type {Stage} from '../run/stage.js'

/** What build found for a post besides its messages. */
export interface BuildFacts {
  counts: PostCounts
  /** Whether the post has an edition (false: below the publishing threshold, or not parsed). */
  hasEdition: boolean
  /** Stale and suggested keys. */
  stale: StaleKey[]
  /** The first key with no translation, if any (`counts.missing` has the number). */
  missing: string[]
  /** Where the stale keys and the first missing key stand in the English catalog, so a replayed check need not read it. */
  places: Record<string, {line: number; column: number}>
}

/**
 * Build: the English edition of the post, each segment resolved through i18next (English,
 * falling back to Italian), spliced into the source and verified against its structure.
 */
export const buildStage: Stage<BuildFacts> = {
  name: 'build',
  reads: ['source', 'sourceCatalog', 'targetCatalog', 'lock', 'edition'],
  plan: ({paths, files, config, patterns, analysis, verified}) => {
    const plan = planBuild(paths, files.source, files, config, patterns, true, analysis, verified)
    const facts: BuildFacts = {counts: plan.counts, hasEdition: plan.edition !== undefined, stale: plan.stale, missing: plan.missing.slice(0, 1), places: plan.places}
    return {
      result: {messages: plan.messages, refused: false, facts},
      outputs: plan.edition === undefined ? new Map() : new Map([[paths.edition, plan.edition]]),
      verified: plan.assembled?.verified
    }
  },
  facts: {encode, decode}
}

/** `[hasEdition, [segments, translated, stale, missing, invalid, suggested], {stale?, missing?, places?} | 0]`: a few objects per post, for a record read by every run. */
type Recorded = [0 | 1, number[], Partial<Pick<BuildFacts, 'stale' | 'missing' | 'places'>> | 0]

function encode(facts: BuildFacts): Recorded {
  const {counts} = facts
  const rest: Partial<Pick<BuildFacts, 'stale' | 'missing' | 'places'>> = {}
  if (facts.stale.length > 0) rest.stale = facts.stale
  if (facts.missing.length > 0) rest.missing = facts.missing
  if (Object.keys(facts.places).length > 0) rest.places = facts.places
  return [facts.hasEdition ? 1 : 0, [counts.segments, counts.translated, counts.stale, counts.missing, counts.invalid, counts.suggested], Object.keys(rest).length > 0 ? rest : 0]
}

function decode(recorded: unknown): BuildFacts | undefined {
  if (!Array.isArray(recorded) || recorded.length !== 3) return undefined
  const edition: unknown = recorded[0]
  const list: unknown = recorded[1]
  const rest: unknown = recorded[2]
  if ((edition !== 0 && edition !== 1) || !Array.isArray(list) || list.length !== 6 || !list.every((item) => typeof item === 'number')) return undefined
  const counts = {segments: list[0], translated: list[1], stale: list[2], missing: list[3], invalid: list[4], suggested: list[5]} as PostCounts
  const facts: BuildFacts = {counts, hasEdition: edition === 1, stale: [], missing: [], places: {}}
  if (rest === 0) return facts
  if (!isRecord(rest) || Object.keys(rest).length === 0) return undefined
  for (const key of Object.keys(rest)) {
    const field = rest[key]
    if (key === 'stale' && nonEmptyListOf(field, isStaleKey)) facts.stale = field as StaleKey[]
    else if (key === 'missing' && nonEmptyListOf(field, (item) => typeof item === 'string')) facts.missing = field as string[]
    else if (key === 'places' && isRecord(field) && Object.keys(field).length > 0 && Object.values(field).every(isPlace)) facts.places = field as BuildFacts['places']
    else return undefined
  }
  return facts
}

function nonEmptyListOf(value: unknown, check: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.length > 0 && value.every(check)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isStaleKey(value: unknown): boolean {
  if (!isRecord(value) || typeof value['key'] !== 'string') return false
  for (const key of Object.keys(value)) {
    if (key === 'key') continue
    if (key === 'was' ? typeof value[key] !== 'string' : key === 'suggested' ? typeof value[key] !== 'boolean' : true) return false
  }
  return true
}

function isPlace(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 2 && typeof value['line'] === 'number' && typeof value['column'] === 'number'
}
