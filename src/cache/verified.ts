import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic-write.js'
import {readJsonIfValid} from '../io/read-text.js'

/**
 * Editions already verified against their source's structure, by `verifiedKey` (a hash of
 * the source's structure digest and the edition's bytes): verification is a pure function
 * of those two, so an edition met again, by any command, needs no parse. Derived data,
 * like the rest of the cache: kept in `verified.json`, dropped whole when Ponte's code
 * changes, and trimmed to the newest keys.
 */
export interface VerifiedEditions {
  has: (key: string) => boolean
}

const file = 'verified.json'

// Read once per run and thread (a worker verifies many posts of one run).
let loaded: {run: string; keys: Set<string>} | undefined

/**
 * The keys of the editions verified so far, read once per run in each thread.
 *
 * @param dir The cache folder.
 * @param run The run's id.
 * @param version Ponte's code version: keys of another version are not trusted.
 */
export function verifiedEditions(dir: string, run: string, version: string): Set<string> {
  if (loaded?.run !== run) loaded = {run, keys: new Set(readKeys(dir, version))}
  return loaded.keys
}

function readKeys(dir: string, version: string): string[] {
  const data = readJsonIfValid(join(dir, file)) as {version?: unknown; keys?: unknown} | undefined
  if (data?.version !== version || !Array.isArray(data.keys)) return []
  return data.keys.filter((key): key is string => typeof key === 'string')
}

/**
 * Add the editions a run verified to the record, keeping the newest `limit` keys (older
 * ones are editions since replaced; losing one costs a parse, never a wrong answer).
 *
 * @param dir The cache folder.
 * @param version Ponte's code version.
 * @param added Keys verified by this run.
 * @param limit How many keys to keep.
 */
export async function recordVerified(dir: string, version: string, added: readonly string[], limit: number): Promise<void> {
  if (added.length === 0) return
  const keys = new Set(readKeys(dir, version))
  for (const key of added) {
    // Moved to the end: the newest are kept.
    keys.delete(key)
    keys.add(key)
  }
  const kept = [...keys].slice(-limit)
  await writeFileAtomic(join(dir, file), JSON.stringify({version, keys: kept}) + '\n')
}
