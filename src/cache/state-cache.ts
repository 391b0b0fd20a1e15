import {createHash} from 'node:crypto'
import {mkdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic-write.js'

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
  return hash.digest('hex').slice(0, 32)
}

/**
 * Read the outcomes recorded after a command's last run (post path → outcome with its
 * state hash). A missing or unreadable file is an empty cache.
 *
 * @param dir The cache folder.
 * @param command `extract` or `build`.
 */
export async function readOutcomes<T>(dir: string, command: string): Promise<Map<string, T>> {
  try {
    const data = JSON.parse(await readFile(join(dir, `${command}-outcomes.json`), 'utf8')) as Record<string, T>
    return new Map(Object.entries(data))
  } catch {
    return new Map()
  }
}

/**
 * Record the outcomes of a run (only those with a state: a post whose files could not all
 * be written is left out, so it is done again next time).
 *
 * @param dir The cache folder.
 * @param command `extract` or `build`.
 * @param outcomes Post path → outcome.
 */
export async function writeOutcomes<T extends {state?: string}>(dir: string, command: string, outcomes: Iterable<readonly [string, T]>): Promise<void> {
  const data: Record<string, T> = {}
  for (const [post, outcome] of outcomes) if (outcome.state) data[post] = outcome
  await mkdir(dir, {recursive: true})
  await writeFileAtomic(join(dir, `${command}-outcomes.json`), JSON.stringify(data) + '\n')
}
