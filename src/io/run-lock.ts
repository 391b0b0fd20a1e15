import {open, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import fg from 'fast-glob'
import {temporaryPrefix} from './atomic-write.js'

/** The lock file that keeps two writing runs on one project from interleaving. */
export const lockFile = '.ponte.lock'

/**
 * Run `task` while holding the project's run lock, so that two `extract` or `build` runs
 * on the same root take turns and end as one run would. A lock left by a process that
 * no longer exists (a killed run) is taken over; temporary files it left are removed.
 *
 * @param root Absolute project root.
 * @param task The writing work.
 * @param options How long to wait for another run (default 10 minutes), whom to tell, and
 *   the folders besides `locales/` and `content/` where runs write (the cache).
 */
export async function withRunLock<T>(root: string, task: () => Promise<T>, options: {timeoutMs?: number; onWait?: ((pid: number) => void) | undefined; alsoClean?: readonly string[]} = {}): Promise<T> {
  const path = join(root, lockFile)
  const deadline = Date.now() + (options.timeoutMs ?? 600_000)
  let told = false
  let delay = 50
  let tookOver = false
  for (;;) {
    const handle = await open(path, 'wx').catch((error: NodeJS.ErrnoException) => {
      // catch: EEXIST only (another run holds the lock); any other error is thrown again.
      if (error.code === 'EEXIST') return undefined
      throw error
    })
    if (handle) {
      await handle.writeFile(JSON.stringify({pid: process.pid}) + '\n')
      await handle.close()
      break
    }
    const owner = await lockOwner(path)
    if (owner === undefined || !isAlive(owner)) {
      // The run that held it is gone: take the lock over (and clean up after it below).
      await rm(path, {force: true})
      tookOver = true
      continue
    }
    if (Date.now() > deadline) throw new Error(`another ponte run (pid ${owner}) holds ${path}; gave up waiting`)
    if (!told) options.onWait?.(owner)
    told = true
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay = Math.min(delay * 2, 1000)
  }
  try {
    // Temporary files exist only while a run holds the lock, so only a run that died
    // holding it (its lock is still there) can have left some: walking every folder on
    // each run would cost seconds at 10,000 posts.
    if (tookOver) await removeTemporaryFiles([join(root, 'locales'), join(root, 'content'), ...(options.alsoClean ?? [])])
    return await task()
  } finally {
    await rm(path, {force: true})
  }
}

/**
 * Remove temporary files that an interrupted run left in the folders where Ponte writes.
 *
 * @param folders Absolute folders (absent ones are skipped).
 * @returns The removed files.
 */
export async function removeTemporaryFiles(folders: readonly string[]): Promise<string[]> {
  const removed: string[] = []
  for (const folder of folders) {
    // fast-glob skips absent folders itself; a folder it cannot read fails the run (its files could not be cleaned).
    const found = await fg(`**/${temporaryPrefix}*`, {cwd: folder, dot: true, onlyFiles: true, followSymbolicLinks: false, absolute: true})
    await Promise.all(found.map((path) => rm(path, {force: true})))
    removed.push(...found)
  }
  return removed
}

async function lockOwner(path: string): Promise<number | undefined> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as {pid?: unknown}
    return typeof data.pid === 'number' ? data.pid : undefined
  } catch (error) {
    // catch: SyntaxError (being written by its owner right now, or torn by a kill: look again
    // shortly) and ENOENT (just released); an unreadable lock is thrown: it cannot be judged.
    if (!(error instanceof SyntaxError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    await new Promise((resolve) => setTimeout(resolve, 100))
    try {
      const data = JSON.parse(await readFile(path, 'utf8')) as {pid?: unknown}
      return typeof data.pid === 'number' ? data.pid : undefined
    } catch (error) {
      // catch: as above: still torn or gone, so its owner is dead.
      if (!(error instanceof SyntaxError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return undefined
    }
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // catch: ESRCH (no such process) and EPERM (it exists, owned by another user).
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
