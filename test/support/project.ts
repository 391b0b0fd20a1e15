import {execFile} from 'node:child_process'
import {access, mkdtemp, mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'

/** The real command. */
export const bin = join(import.meta.dirname, '..', '..', 'bin', 'ponte.js')

/** Create a temporary project with the given files (paths relative to its root). */
export async function makeProject(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ponte-test-'))
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), {recursive: true})
    await writeFile(join(root, path), content)
  }
  return root
}

/** Run the real `ponte` command; resolves with its exit code and output. */
export function ponte(args: readonly string[], options: {cwd?: string; env?: Record<string, string>} = {}): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], {cwd: options.cwd ?? process.cwd(), env: {...process.env, CI: 'true', GITHUB_ACTIONS: '', ...options.env}, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0
      resolve({code, stdout, stderr})
    })
  })
}

/** Every project file under a folder (the cache left out), path → contents, for before/after comparisons. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, {withFileTypes: true})) {
      const path = join(folder, entry.name)
      // The incremental cache may change; the project's files must not.
      if (entry.isDirectory() && entry.name === 'node_modules') continue
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile()) result[relative(root, path)] = await readFile(path, 'utf8')
    }
  }
  await walk(root)
  return result
}

/** Read a JSON file of the project. */
export async function readJson(root: string, path: string): Promise<Record<string, string>> {
  return JSON.parse(await readFile(join(root, path), 'utf8')) as Record<string, string>
}

/** Temporary projects that a test file removes when it is done (`afterAll(pool.removeAll)`). */
export function projectPool(): {project: (files: Record<string, string | Buffer>) => Promise<string>; removeAll: () => Promise<void>} {
  const roots: string[] = []
  return {
    async project(files) {
      const root = await makeProject(files)
      roots.push(root)
      return root
    },
    async removeAll() {
      await Promise.all(roots.map((root) => rm(root, {recursive: true, force: true})))
    }
  }
}

/** Whether a path exists. */
export function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false
  )
}

/** A Node stack trace (`    at fn (file:1:2)`): never shown to users. */
export const stackTrace = /^\s+at .+:\d+:\d+\)?$/m

/** The project's files (the cache left out), optionally only those under a folder. */
export async function outputs(root: string, under = ''): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await snapshot(root)).filter(([path]) => path.startsWith(under)))
}
