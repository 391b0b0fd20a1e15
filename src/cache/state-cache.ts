import {createHash} from 'node:crypto'
import {mkdir} from 'node:fs/promises'
import {readFileSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readJsonIfValid} from '../io/read-text.js'

/**
 * The fingerprint of everything one post's command reads and writes: when it matches
 * the fingerprint recorded after the last run, the command has nothing to do for it.
 *
 * @param parts The contents of every input and output file (`undefined` when absent),
 *   the configuration and Ponte's version.
 */
export function stateHash(parts: ReadonlyArray<string | undefined>): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part === undefined ? '\u0001absent' : `\u0000${part.length}\u0000${part}`)
  // (Not a slice of the whole digest: a slice keeps its 64-character parent alive in every record entry.)
  return hash.digest().toString('hex', 0, 16)
}

/**
 * How outcomes are kept in a record: `encode` makes the recorded form (plain JSON data),
 * `decode` makes an outcome of it again, or `undefined` when it is not one (a damaged
 * entry is a miss). By default an outcome is recorded as it is.
 */
export interface RecordForm<T> {
  encode: (outcome: T) => unknown
  decode: (post: string, recorded: unknown) => T | undefined
}

function asIs<T>(): RecordForm<T> {
  return {encode: (outcome) => outcome, decode: (_post, recorded) => recorded as T}
}

/**
 * Read the outcomes recorded after a command's last run (post path → outcome with its
 * state hash): the record, with the changes journaled since it was written. A missing or
 * unreadable file is an empty cache, and an entry that does not decode is left out.
 *
 * @param dir The cache folder.
 * @param command `extract` or `build`.
 * @param form How the outcomes are recorded.
 */
export function readOutcomes<T>(dir: string, command: string, form: RecordForm<T> = asIs()): Map<string, T> {
  const outcomes = new Map<string, T>()
  const keep = (post: unknown, recorded: unknown): void => {
    const outcome = typeof post === 'string' ? form.decode(post, recorded) : undefined
    if (outcome !== undefined) outcomes.set(post as string, outcome)
  }
  try {
    const path = join(dir, `${command}-outcomes.json`)
    const base = baseStamp(path)
    // Read in one piece (no stream of chunks to decode and join: at 10,000 posts the
    // record is megabytes); the run reads it while a second thread stamps files. Posts
    // and outcomes are two lists, so no post path becomes a property name.
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<'posts' | 'outcomes', unknown>> | null
    if (!Array.isArray(data?.posts) || !Array.isArray(data.outcomes) || data.posts.length !== data.outcomes.length) return outcomes
    const {posts, outcomes: recorded} = data as {posts: unknown[]; outcomes: unknown[]}
    for (let index = 0; index < posts.length; index++) keep(posts[index], recorded[index])
    const journal = readJournal(dir, command)
    if (base !== undefined && journal?.base === base) {
      for (const post of journal.remove) outcomes.delete(post)
      for (const [post, outcome] of Object.entries(journal.set)) keep(post, outcome)
    }
  } catch {
    // catch: any failure to read or parse the record (absent, unreadable, torn): no record.
    // The cache is derived data; an unusable cache folder is told once (`cacheProblem`).
  }
  return outcomes
}

/**
 * The size of a command's record of outcomes, in bytes (`undefined`: none, so no run can
 * replay it).
 *
 * @param dir The cache folder.
 * @param command `extract` or `build`.
 */
export function recordSize(dir: string, command: string): number | undefined {
  try {
    return statSync(join(dir, `${command}-outcomes.json`)).size
  } catch {
    // catch: any file-system error: a record that cannot be stat'ed cannot be replayed.
    return undefined
  }
}

/** Changes to a record since it was written (outcomes in their recorded form), valid only for the record file they name (`base`). */
interface Journal {
  base: string
  set: Record<string, unknown>
  remove: string[]
}

/** The journal beside a record, when there is one of the right shape (anything else is ignored, and replaced by the next write). */
function readJournal(dir: string, command: string): Journal | undefined {
  const journal = readJsonIfValid(join(dir, `${command}-outcomes.journal.json`)) as Partial<Journal> | null | undefined
  const valid = typeof journal?.base === 'string' && typeof journal.set === 'object' && journal.set !== null && !Array.isArray(journal.set) && Array.isArray(journal.remove)
  return valid ? (journal as Journal) : undefined
}

/** The record file as it is on disk: a rewrite (temp + rename) always changes the inode. */
function baseStamp(path: string): string | undefined {
  const info = statSync(path, {throwIfNoEntry: false})
  return info && `${info.ino}:${info.size}:${info.mtimeMs}`
}

/**
 * Record the outcomes of a run (only those with a state: a post whose files could not all
 * be written is left out, so it is done again next time). When only a few posts changed
 * since the record was written, only they are written, to a journal beside it (at 10,000
 * posts the record is megabytes; an edit changes one entry); once the journal holds more
 * than a sixteenth of the record, the record is rewritten whole.
 *
 * @param dir The cache folder.
 * @param command `extract` or `build`.
 * @param outcomes Post path → outcome.
 * @param previous The outcomes as read (`readOutcomes`), and whether an outcome is the
 *   one recorded for its post; without it the record is rewritten whole.
 * @param form How outcomes are recorded (`encode` is called only for the outcomes
 *   written, so an edit at 10,000 posts encodes one, not 10,000).
 */
export async function writeOutcomes<T extends {state?: string}>(
  dir: string,
  command: string,
  outcomes: ReadonlyArray<readonly [string, T]>,
  previous?: {outcomes: ReadonlyMap<string, T>; same: (post: string, outcome: T) => boolean},
  form: RecordForm<T> = asIs()
): Promise<void> {
  await mkdir(dir, {recursive: true})
  const path = join(dir, `${command}-outcomes.json`)
  const journalPath = join(dir, `${command}-outcomes.journal.json`)
  const base = baseStamp(path)
  if (previous && base !== undefined) {
    const old = readJournal(dir, command)
    const journal: Journal = old?.base === base ? old : {base, set: {}, remove: []}
    const removed = new Set(journal.remove)
    // Recorded posts that are still here: when that is all of them, none was removed, and
    // 10,000 unchanged posts need no set of paths.
    let kept = 0
    // (Indexed: 10,000 steps on code not yet optimized, where `for…of` and destructuring allocate.)
    for (let index = 0; index < outcomes.length; index++) {
      const entry = outcomes[index] as readonly [string, T]
      const post = entry[0]
      const outcome = entry[1]
      if (!outcome.state) continue
      const recorded = previous.outcomes.has(post)
      if (recorded) kept++
      if (recorded && previous.same(post, outcome)) continue
      journal.set[post] = form.encode(outcome)
      removed.delete(post)
    }
    if (kept < previous.outcomes.size) {
      const present = new Set(outcomes.filter(([, outcome]) => outcome.state).map(([post]) => post))
      for (const post of previous.outcomes.keys()) {
        if (present.has(post)) continue
        delete journal.set[post]
        removed.add(post)
      }
    }
    journal.remove = [...removed]
    if (Object.keys(journal.set).length + journal.remove.length <= Math.max(64, previous.outcomes.size / 16)) {
      await writeFileAtomic(journalPath, JSON.stringify(journal) + '\n')
      return
    }
  }
  const kept = outcomes.filter(([, outcome]) => outcome.state)
  const data = {posts: kept.map(([post]) => post), outcomes: kept.map(([, outcome]) => form.encode(outcome))}
  await writeFileAtomic(path, JSON.stringify(data) + '\n')
  rmSync(journalPath, {force: true})
}
