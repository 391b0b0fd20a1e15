import {execFile, execFileSync} from 'node:child_process'
import {appendFileSync, chmodSync, cpSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {bin, snapshot, stackTrace} from './support/project.js'

// "Nothing is lost" when the file system says no. Root reads everything, so when the suite
// runs as root (as CI does) every command here runs as an unprivileged user (`nobody`,
// through util-linux's setpriv) on a project that user owns; otherwise as the user running
// the tests, with plain chmod. Each case breaks one thing, runs the commands, and checks the
// message (the path, what to do), the exit code, and that no file of the project changed.

const nobody = 65534
const asRoot = process.getuid?.() === 0
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path))
const usable = !asRoot || setpriv !== undefined
if (!usable) {
  const say = 'permission tests SKIPPED: running as root without util-linux setpriv, so no permission would stop anything. Install it: apt-get install util-linux'
  if (process.env['CI'] === 'true') throw new Error(say)
  console.warn(`\n*** ${say} ***\n`)
}

const made: string[] = []
afterAll(() => {
  for (const path of made) rmSync(path, {recursive: true, force: true})
})

/**
 * The command as the unprivileged user runs it. When that user cannot read this checkout
 * (a clone in a private folder), a readable copy of the package is made once.
 */
const command = ((): string[] => {
  if (!asRoot || !setpriv) return [process.execPath, bin]
  const drop = [setpriv, `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups']
  // The bundle is built (or found up to date) as root first, so the copy holds it.
  execFileSync(process.execPath, [bin, '--version'])
  const readable = (() => {
    try {
      execFileSync(drop[0] as string, [...drop.slice(1), 'test', '-r', bin])
      return true
    } catch {
      // catch: setpriv's non-zero exit: that user cannot read the checkout.
      return false
    }
  })()
  if (readable) return [...drop, process.execPath, bin]
  const copy = mkdtempSync(join(tmpdir(), 'ponte-package-'))
  made.push(copy)
  const checkout = join(bin, '..', '..')
  for (const part of ['bin', 'scripts', 'src', 'dist', 'patches', 'node_modules', 'package.json', 'package-lock.json']) {
    if (existsSync(join(checkout, part))) cpSync(join(checkout, part), join(copy, part), {recursive: true, preserveTimestamps: true})
  }
  chmodSync(copy, 0o755)
  return [...drop, process.execPath, join(copy, 'bin', 'ponte.js')]
})()

function ponteAs(args: readonly string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    const [file, ...rest] = command as [string, ...string[]]
    execFile(file, [...rest, ...args], {cwd: tmpdir(), env: {...process.env, CI: 'true', GITHUB_ACTIONS: '', HOME: tmpdir()}}, (error, stdout, stderr) => {
      resolve({code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr})
    })
  })
}

const seed = 'intervista-ivana-pais-social-network'
const repository = join(bin, '..', '..')

/** Give the project to the unprivileged user (when the tests run as root). */
function own(path: string): void {
  if (!asRoot) return
  lchownSync(path, nobody, nobody)
  for (const entry of readdirSync(path, {withFileTypes: true})) {
    const child = join(path, entry.name)
    if (entry.isDirectory()) own(child)
    else lchownSync(child, nobody, nobody)
  }
}

/** A fresh project owned by the user who runs Ponte: the seed post translated, a second post in a folder, extracted and built. */
async function project(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'ponte-perm-'))
  made.push(root)
  chmodSync(root, 0o755)
  mkdirSync(join(root, 'content/it/blog'), {recursive: true})
  mkdirSync(join(root, 'locales/en'), {recursive: true})
  cpSync(join(repository, 'content/it', `${seed}.md`), join(root, 'content/it', `${seed}.md`))
  cpSync(join(repository, 'locales/en', `${seed}.json`), join(root, 'locales/en', `${seed}.json`))
  writeFileSync(join(root, 'content/it/blog/uno.md'), '# Ciao\n\nUn *paragrafo* breve.\n')
  own(root)
  for (const run of ['extract', 'build']) expect((await ponteAs([run, '--root', root])).code).toBe(0)
  return root
}

interface Case {
  name: string
  /** Set the scene before the project is snapshotted. */
  prepare?: (root: string) => void
  /** Break the project; returns how to put it back (permissions only: contents are compared after). */
  breakIt: (root: string) => () => void
  /** The path the messages must name. */
  path: string
  /** Commands to run, the exit code each must give, and (when not `says`) the words its message must hold. */
  runs: Array<[string, number, string[]?]>
  /** Words the message must hold (the error code, what to do). */
  says: string[]
}

const all: Array<[string, number]> = [
  ['extract', 1],
  ['build', 1],
  ['check', 1],
  ['status', 1]
]
const unreadable = (path: string, mode = 0o000) => (root: string) => {
  const full = join(root, path)
  const before = Number.parseInt(execFileSync('stat', ['-c', '%a', full], {encoding: 'utf8'}).trim(), 8)
  chmodSync(full, mode)
  return () => chmodSync(full, before)
}

const cases: Case[] = [
  {
    name: 'an English catalog that cannot be read',
    breakIt: unreadable(`locales/en/${seed}.json`),
    path: `locales/en/${seed}.json`,
    // The memory's and the interchange's commands, and accept, meet it too.
    runs: [...all, ['accept', 1], ['suggest', 1], ['fill --exact', 1], ['tm export --out exported.tmx', 1], ['xliff export --out exported.xlf', 1]],
    says: ['EACCES', 'read access']
  },
  {name: 'an Italian catalog that cannot be read', breakIt: unreadable(`locales/it/${seed}.json`), path: `locales/it/${seed}.json`, runs: all, says: ['EACCES', 'read access']},
  {name: 'a post lock that cannot be read', breakIt: unreadable(`locales/.ponte/${seed}.lock.json`), path: `locales/.ponte/${seed}.lock.json`, runs: all, says: ['EACCES', 'read access']},
  {name: 'a post that cannot be read', breakIt: unreadable(`content/it/${seed}.md`), path: `content/it/${seed}.md`, runs: all, says: ['EACCES', 'read access']},
  {
    name: 'an edition that cannot be read',
    breakIt: unreadable(`content/en/${seed}.md`),
    path: `content/en/${seed}.md`,
    // extract never reads editions.
    runs: all.filter(([run]) => run !== 'extract'),
    says: ['EACCES', 'read access']
  },
  {name: 'content/it that cannot be read', breakIt: unreadable('content/it'), path: 'content/it', runs: all.map(([run]) => [run, 2]), says: ['EACCES', 'read access', 'No post was read']},
  {name: 'a folder of posts that cannot be read', breakIt: unreadable('content/it/blog'), path: 'content/it/blog', runs: all, says: ['EACCES', 'folder-unreadable']},
  {
    name: 'a ponte.config.json that cannot be read',
    prepare: (root) => {
      writeFileSync(join(root, 'ponte.config.json'), '{"targetLanguage": "en"}\n')
      own(root)
    },
    breakIt: unreadable('ponte.config.json'),
    path: 'ponte.config.json',
    runs: all.map(([run]) => [run, 2]),
    says: ['EACCES', 'read access']
  },
  {
    name: 'a read-only locales/en when extract must write there',
    prepare: (root) => appendFileSync(join(root, 'content/it', `${seed}.md`), '\nUn paragrafo nuovo, aggiunto alla fine.\n'),
    breakIt: unreadable('locales/en', 0o555),
    path: `locales/en/${seed}.json`,
    // build may write the edition of the edited post (that is its job); check reports the catalogs out of date.
    runs: [
      ['extract', 1],
      ['check', 1, ['catalog-outdated']]
    ],
    says: ['cannot be written (EACCES)', 'write access']
  },
  {
    name: 'a catalog replaced by a folder',
    breakIt: (root) => {
      const path = join(root, 'locales/en', `${seed}.json`)
      const text = readFileSync(path)
      rmSync(path)
      mkdirSync(path)
      own(root)
      return () => {
        // Ponte cannot have written into the folder: it must still be empty.
        expect(readdirSync(path)).toEqual([])
        rmdirSync(path)
        writeFileSync(path, text)
      }
    },
    path: `locales/en/${seed}.json`,
    runs: all,
    says: ['EISDIR', 'move the folder away']
  }
]

describe.skipIf(!usable)(`when the file system says no (as ${asRoot ? 'the unprivileged user nobody' : 'this user'})`, () => {
  test.each(cases)('$name: reported with its path, non-zero exit, nothing changed', async ({prepare, breakIt, path, runs, says}) => {
    const root = await project()
    prepare?.(root)
    const before = await snapshot(root)
    const putBack = breakIt(root)
    const results: Array<{run: string; code: number; output: string}> = []
    for (const [run] of runs) {
      // Exports land in the working folder (the system's temporary folder), never in the project.
      const result = await ponteAs([...run.split(' '), '--root', root])
      results.push({run, code: result.code, output: result.stdout + result.stderr})
    }
    putBack()
    for (const [index, [run, code, words]] of runs.entries()) {
      const result = results[index] as {run: string; code: number; output: string}
      expect({run, code: result.code}).toEqual({run, code})
      expect(result.output).toContain(path)
      for (const word of words ?? says) expect(result.output).toContain(word)
      expect(result.output).not.toMatch(stackTrace)
    }
    expect(await snapshot(root)).toEqual(before)
  })

  test('an unreadable cache is a miss, said once, and the run goes on', async () => {
    const root = await project()
    const record = join(root, 'node_modules/.cache/ponte/build-outcomes.json')
    expect(existsSync(record)).toBe(true)
    chmodSync(record, 0o000)
    const result = await ponteAs(['build', '--root', root])
    chmodSync(record, 0o644)
    expect(result.code).toBe(0)
    expect(result.stderr.match(/cache-unreadable/g)).toHaveLength(1)
    expect(result.stderr).toContain('node_modules/.cache/ponte/build-outcomes.json')
  })
})
