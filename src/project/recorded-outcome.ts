import type {AnalysisRef} from '../cache/analysis-cache.js'
import type {RecordForm} from '../cache/state-cache.js'
import type {Message} from '../report/message.js'
import type {PostCounts, StaleKey} from './build-post.js'
import type {KeyCounts} from './extract-post.js'
import type {PostOutcome} from './post-task.js'

/**
 * An outcome as the record keeps it: one flat list per post, so that reading the record
 * of 10,000 posts makes a few objects per post, not the dozen a nested object parses to
 * (the record is read by every run; an edit at 10,000 posts spent more time parsing and
 * collecting it than on the post it rebuilt).
 *
 * 0. the state hash;
 * 1. what the signature is of (`0`: no signature);
 * 2. the signature's stamps (`0`: none);
 * 3. whether build wrote an edition: 1, 0, or 2 when the outcome is not a build's;
 * 4. counts `[segments, translated, stale, missing, invalid, suggested]` (`0`: none);
 * 5. where the analysis is cached, `[key, pack, offset, length]` (`0`: nowhere);
 * 6. what is not empty among the findings (`messages`, `stale`, `missing`, `places`) and
 *    extract's `keyCounts` and `refused` (`0`: nothing).
 *
 * The post's path is the record's, and what a run wrote is not recorded.
 */
type Recorded = [string, string | 0, number[] | 0, 0 | 1 | 2, number[] | 0, [string, string, number, number] | 0, Rest | 0]

/** What of an outcome the flat list does not hold. */
interface Rest {
  messages?: Message[]
  stale?: StaleKey[]
  missing?: string[]
  places?: Record<string, {line: number; column: number}>
  keyCounts?: KeyCounts
  refused?: boolean
}

/** How the commands record their outcomes (`readOutcomes`, `writeOutcomes`). */
export const outcomeRecord: RecordForm<PostOutcome> = {encode, decode}

function encode(outcome: PostOutcome): Recorded {
  const {state, signature, hasEdition, counts, analysis} = outcome
  const rest: Rest = {}
  if (outcome.messages.length > 0) rest.messages = outcome.messages
  if (outcome.stale?.length) rest.stale = outcome.stale
  if (outcome.missing?.length) rest.missing = outcome.missing
  if (outcome.places && Object.keys(outcome.places).length > 0) rest.places = outcome.places
  if (outcome.keyCounts) rest.keyCounts = outcome.keyCounts
  if (outcome.refused !== undefined) rest.refused = outcome.refused
  return [
    state ?? '',
    signature ? signature.of : 0,
    signature ? signature.stamps : 0,
    hasEdition === undefined ? 2 : hasEdition ? 1 : 0,
    counts ? [counts.segments, counts.translated, counts.stale, counts.missing, counts.invalid, counts.suggested] : 0,
    analysis ? [analysis.key, analysis.pack, analysis.offset, analysis.length] : 0,
    Object.keys(rest).length > 0 ? rest : 0
  ]
}

function decode(post: string, recorded: unknown): PostOutcome | undefined {
  // Indexed, not destructured: this runs 10,000 times on code that is not yet optimized,
  // where destructuring walks an iterator.
  if (!Array.isArray(recorded) || recorded.length !== 7) return undefined
  const state: unknown = recorded[0]
  const of: unknown = recorded[1]
  const stamps: unknown = recorded[2]
  const edition: unknown = recorded[3]
  const counts: unknown = recorded[4]
  const analysis: unknown = recorded[5]
  const rest: unknown = recorded[6]
  if (typeof state !== 'string' || (edition !== 0 && edition !== 1 && edition !== 2)) return undefined
  if (of === 0 ? stamps !== 0 : typeof of !== 'string' || !numbers(stamps, -1)) return undefined
  if (counts !== 0 && !numbers(counts, 6)) return undefined
  if (analysis !== 0 && !analysisRef(analysis)) return undefined
  if (rest !== 0 && !restOf(rest)) return undefined
  const outcome: PostOutcome = {path: post, messages: rest === 0 ? [] : ((rest as Rest).messages ?? []), written: []}
  if (state !== '') outcome.state = state
  if (of !== 0) outcome.signature = {of: of as string, stamps: stamps as number[]}
  if (edition !== 2) outcome.hasEdition = edition === 1
  if (counts !== 0) {
    const list = counts as number[]
    outcome.counts = {segments: list[0], translated: list[1], stale: list[2], suggested: list[5], missing: list[3], invalid: list[4]} as PostCounts
  }
  if (analysis !== 0) {
    const ref = analysis as [string, string, number, number]
    outcome.analysis = {key: ref[0], pack: ref[1], offset: ref[2], length: ref[3]} satisfies AnalysisRef
  }
  if (rest !== 0) {
    const found = rest as Rest
    if (found.stale) outcome.stale = found.stale
    if (found.missing) outcome.missing = found.missing
    if (found.places) outcome.places = found.places
    if (found.keyCounts) outcome.keyCounts = found.keyCounts
    if (found.refused !== undefined) outcome.refused = found.refused
  }
  return outcome
}

/** A list of numbers (of `length` of them, unless it is -1). */
function numbers(value: unknown, length: number): value is number[] {
  if (!Array.isArray(value) || (length !== -1 && value.length !== length)) return false
  for (let index = 0; index < value.length; index++) if (typeof value[index] !== 'number') return false
  return true
}

function analysisRef(value: unknown): boolean {
  return Array.isArray(value) && value.length === 4 && typeof value[0] === 'string' && typeof value[1] === 'string' && typeof value[2] === 'number' && typeof value[3] === 'number'
}

/**
 * Whether a value is findings as `encode` writes them: only its own fields, none empty,
 * each entry of the right shape. Anything else is damage, and the outcome a miss: a
 * replayed check must never report fewer findings than the run it replays.
 */
function restOf(value: unknown): value is Rest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const rest = value as Record<string, unknown>
  const keys = Object.keys(rest)
  if (keys.length === 0) return false
  for (const key of keys) {
    const field = rest[key]
    const ok =
      key === 'messages' ? nonEmptyListOf(field, isMessage)
      : key === 'stale' ? nonEmptyListOf(field, isStaleKey)
      : key === 'missing' ? nonEmptyListOf(field, (item) => typeof item === 'string')
      : key === 'places' ? isRecord(field) && Object.keys(field).length > 0 && Object.values(field).every(isPlace)
      : key === 'keyCounts' ? isRecord(field) && keyCountFields.every((name) => typeof field[name] === 'number') && Object.keys(field).length === keyCountFields.length
      : key === 'refused' ? typeof field === 'boolean'
      : false
    if (!ok) return false
  }
  return true
}

const keyCountFields = ['segments', 'same', 'edited', 'restored', 'added', 'archived']

function nonEmptyListOf(value: unknown, check: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.length > 0 && value.every(check)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isMessage(value: unknown): boolean {
  if (!isRecord(value) || Object.keys(value).length !== 7) return false
  return typeof value['file'] === 'string' && typeof value['line'] === 'number' && typeof value['column'] === 'number' && (value['severity'] === 'error' || value['severity'] === 'warning' || value['severity'] === 'info') && typeof value['ruleId'] === 'string' && typeof value['reason'] === 'string' && typeof value['fix'] === 'string'
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
