/**
 * Runners for the tools Ponte's benchmark compares itself with: po4a and the Translate Toolkit
 * (md2po/po2md). Each runs over every `root/content/it/**\/*.md` in one of two timed phases:
 *
 * - extract: Markdown → PO;
 * - reassemble: PO with an identity translation (msgstr copied from msgid) → Markdown.
 *
 * Only the tool's own command is timed; writing its configuration and preparing the identity
 * PO files are done before the clock starts. How to install the peers: docs/peers.md.
 */
import {execFile, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {delimiter, dirname, join, relative, sep} from 'node:path'

/** The outcome of one timed phase of one peer. */
export interface PeerResult {
  /** The peer's name: `po4a` or `translate-toolkit`. */
  peer: string
  /** Which phase was timed. */
  phase: 'extract' | 'reassemble'
  /** Wall-clock seconds of the peer's own command (0 when it could not run). */
  seconds: number
  /** Whether the command succeeded and wrote every expected file. */
  ok: boolean
  /** What was run and produced, or why it failed. */
  note?: string
}

/** Whether a peer can run here, as found by {@link detectPeers}. */
export interface PeerInfo {
  /** The peer's name: `po4a` or `translate-toolkit`. */
  name: string
  /** True when the peer's commands were found and answered. */
  available: boolean
  /** The version the peer reported, when it did. */
  version?: string
  /** Why the peer is unavailable, or where it was found. */
  why?: string
}

/** The peers {@link runPeer} knows. */
export type PeerName = 'po4a' | 'translate-toolkit'

/**
 * Where the Translate Toolkit's Debian packages are unpacked when they are not installed (see
 * docs/peers.md); overridden by the `PONTE_TTK_PREFIX` environment variable.
 */
export const DEFAULT_TTK_PREFIX = '/opt/ponte-peers/translate-toolkit'

/** Options po4a's Text module gets: Markdown mode, and only `title` and `description` from the front matter. */
const PO4A_TEXT_OPTIONS = '-o markdown -o yfm_keys=title,description -o yfm_skip_array'

// ---------------------------------------------------------------------------------------------
// Processes

interface RunOutput {
  code: number | null
  stdout: string
  stderr: string
  seconds: number
  error?: string
}

/** Runs a command without a shell, timing it from spawn to exit with `process.hrtime.bigint()`. */
function run(command: string, args: readonly string[], options: {cwd?: string, env?: NodeJS.ProcessEnv} = {}): Promise<RunOutput> {
  return new Promise((resolvePromise: (out: RunOutput) => void): void => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, {cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    let errBytes = 0
    child.stdout.on('data', (chunk: Buffer): void => {
      out.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer): void => {
      // The peers can warn once per string; keep at most 1 MB of it.
      if (errBytes < 1 << 20) err.push(chunk)
      errBytes += chunk.length
    })
    child.on('error', (error: Error): void => {
      resolvePromise({code: null, stdout: '', stderr: '', seconds: 0, error: error.message})
    })
    child.on('close', (code: number | null): void => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      resolvePromise({code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), seconds})
    })
  })
}

/** Runs a short query command (a version check); resolves to its output, or undefined if it failed. */
function query(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolvePromise: (out: string | undefined) => void): void => {
    execFile(command, args, {env: env ?? process.env, timeout: 30_000}, (error: Error | null, stdout: string, stderr: string): void => {
      resolvePromise(error === null ? `${stdout}${stderr}` : undefined)
    })
  })
}

/** The first executable named `name` on PATH, or undefined. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, name)
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

/** The last lines of a command's error output, for a note. */
function tail(text: string, chars = 400): string {
  const trimmed = text.trim()
  return trimmed.length <= chars ? trimmed : `…${trimmed.slice(trimmed.length - chars)}`
}

function failure(out: RunOutput): string {
  if (out.error !== undefined) return out.error
  return `exit code ${String(out.code)}: ${tail(out.stderr || out.stdout)}`
}

// ---------------------------------------------------------------------------------------------
// Files

/** Every file under `dir` whose name ends with `ext`, as sorted paths relative to `dir` with `/` separators. */
async function listFiles(dir: string, ext: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  return entries
    .filter((e): boolean => e.isFile() && e.name.endsWith(ext))
    .map((e): string => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort()
}

/**
 * Turns a PO file's text into an identity translation: every msgstr becomes a copy of its msgid
 * (msgstr[0]/msgstr[1] of msgid/msgid_plural for plurals). The header entry is left as it is;
 * comments, flags, msgctxt and obsolete entries pass through untouched.
 */
export function identityPo(text: string): string {
  const lines = text.split('\n')
  const out: string[] = []
  let msgid: string[] = []
  let plural: string[] = []
  let i = 0
  /** A keyword line and the string lines continuing it. */
  const block = (start: number): string[] => {
    const got = [lines[start] ?? '']
    let j = start + 1
    while (j < lines.length && (lines[j] ?? '').startsWith('"')) got.push(lines[j++] ?? '')
    return got
  }
  const swap = (source: string[], keyword: string, replacement: string): string[] =>
    source.map((line: string, k: number): string => (k === 0 ? replacement + line.slice(keyword.length) : line))
  while (i < lines.length) {
    const line = lines[i] ?? ''
    if (line.startsWith('msgid ')) {
      msgid = block(i)
      plural = []
      out.push(...msgid)
      i += msgid.length
    } else if (line.startsWith('msgid_plural ')) {
      plural = block(i)
      out.push(...plural)
      i += plural.length
    } else if (line.startsWith('msgstr')) {
      // Skip every msgstr / msgstr[n] block of this entry, then write the copies.
      const start = i
      while (i < lines.length && (lines[i] ?? '').startsWith('msgstr')) i += block(i).length
      if (msgid.length === 1 && msgid[0] === 'msgid ""') out.push(...lines.slice(start, i))
      else if (plural.length > 0) out.push(...swap(msgid, 'msgid', 'msgstr[0]'), ...swap(plural, 'msgid_plural', 'msgstr[1]'))
      else out.push(...swap(msgid, 'msgid', 'msgstr'))
    } else {
      out.push(line)
      i += 1
    }
  }
  return out.join('\n')
}

async function writeIdentity(fromDir: string, toDir: string): Promise<number> {
  const files = await listFiles(fromDir, '.po')
  await rm(toDir, {recursive: true, force: true})
  for (const file of files) {
    const target = join(toDir, file)
    await mkdir(dirname(target), {recursive: true})
    await writeFile(target, identityPo(await readFile(join(fromDir, file), 'utf8')))
  }
  return files.length
}

// ---------------------------------------------------------------------------------------------
// Detection

interface TtkCommands {
  md2po: string
  po2md: string
  env: NodeJS.ProcessEnv
  where: string
}

/** Finds md2po/po2md: under PONTE_TTK_PREFIX (or the default prefix) as unpacked Debian packages, else on PATH. */
function findTranslateToolkit(): TtkCommands | undefined {
  const prefix = process.env['PONTE_TTK_PREFIX'] ?? DEFAULT_TTK_PREFIX
  for (const bin of [join(prefix, 'usr', 'bin'), join(prefix, 'bin')]) {
    const md2po = join(bin, 'md2po')
    const po2md = join(bin, 'po2md')
    if (existsSync(md2po) && existsSync(po2md)) {
      const site = join(prefix, 'usr', 'lib', 'python3', 'dist-packages')
      const pythonPath = [site, process.env['PYTHONPATH']].filter((p: string | undefined): p is string => p !== undefined && p !== '').join(delimiter)
      const env: NodeJS.ProcessEnv = existsSync(site) ? {...process.env, PYTHONPATH: pythonPath} : {...process.env}
      return {md2po, po2md, env, where: prefix}
    }
  }
  const md2po = onPath('md2po')
  const po2md = onPath('po2md')
  if (md2po !== undefined && po2md !== undefined) return {md2po, po2md, env: {...process.env}, where: 'PATH'}
  return undefined
}

/** The version of an installed translate-toolkit that lacks md2po, to say so. */
async function oldTranslateToolkitVersion(): Promise<string | undefined> {
  const debian = await query('dpkg-query', ['-W', '-f=${Version}', 'translate-toolkit'])
  if (debian !== undefined && debian.trim() !== '') return `${debian.trim()} (Debian package)`
  const python = await query('python3', ['-c', 'from translate.__version__ import sver; print(sver)'])
  return python?.trim() || undefined
}

/**
 * Finds out which peers can run on this machine and their versions. po4a is looked up on PATH;
 * the Translate Toolkit under `PONTE_TTK_PREFIX` (default {@link DEFAULT_TTK_PREFIX}), then on PATH.
 */
export async function detectPeers(): Promise<PeerInfo[]> {
  const peers: PeerInfo[] = []

  const po4a = onPath('po4a')
  const po4aVersion = po4a === undefined ? undefined : await query(po4a, ['--version'])
  const po4aMatch = /po4a version ([0-9][^\s]*?)\.?\s/.exec(po4aVersion ?? '')
  if (po4a === undefined || po4aVersion === undefined) {
    peers.push({name: 'po4a', available: false, why: po4a === undefined ? 'po4a is not on PATH: apt-get install -y po4a' : 'po4a --version failed'})
  } else if (onPath('msgmerge') === undefined) {
    peers.push({name: 'po4a', available: false, why: 'msgmerge (gettext) is not on PATH, and po4a needs it: apt-get install -y gettext'})
  } else {
    peers.push({name: 'po4a', available: true, ...(po4aMatch?.[1] === undefined ? {} : {version: po4aMatch[1]}), why: po4a})
  }

  const ttk = findTranslateToolkit()
  const ttkVersion = ttk === undefined ? undefined : await query(ttk.md2po, ['--version'], ttk.env)
  const ttkMatch = /md2po ([0-9][^\s]*)/.exec(ttkVersion ?? '')
  if (ttk !== undefined && ttkVersion !== undefined) {
    peers.push({name: 'translate-toolkit', available: true, ...(ttkMatch?.[1] === undefined ? {} : {version: ttkMatch[1]}), why: `md2po and po2md from ${ttk.where}`})
  } else {
    const old = await oldTranslateToolkitVersion()
    const found = ttk === undefined ? '' : ` (md2po was found in ${ttk.where} but \`md2po --version\` failed)`
    const have = old === undefined ? 'translate-toolkit is not installed' : `translate-toolkit ${old} is installed but has no md2po/po2md`
    peers.push({
      name: 'translate-toolkit',
      available: false,
      why: `${have}${found}: Markdown support (md2po/po2md) arrived in translate-toolkit 3.10 and needs mistletoe ≥ 1.1; ` +
        'Debian 12 ships 3.8.4 and mistletoe 0.8.2, PyPI is not reachable here. Unpack Debian 13\'s python3-translate, ' +
        `translate-toolkit and python3-mistletoe in ${DEFAULT_TTK_PREFIX} (docs/peers.md), or pip install "translate-toolkit[markdown]" where PyPI is reachable`
    })
  }
  return peers
}

// ---------------------------------------------------------------------------------------------
// po4a

/*
 * po4a runs once over all the posts, from one generated po4a.cfg listing every post, with one
 * POT and one PO for the whole project (po4a's default, centralised layout). It is by far the
 * fastest realistic use of the tool: on 100 posts here a single run took ~4 s to extract, against
 * ~20 s for one po4a-updatepo process per post (Perl start-up and module loading every time) and
 * ~35 s for po4a's split mode (`$master` in [po4a_paths], one POT per post plus a compendium).
 * Extraction is `po4a --no-translations` (POT and PO only); reassembly is `po4a --no-update`
 * (translated documents only, from the existing PO). `--force` makes po4a redo the work even
 * when its timestamps say the outputs are up to date.
 */

function po4aConfig(files: readonly string[]): string {
  const lines = [
    '[po4a_langs] en',
    '[po4a_paths] po/ponte.pot $lang:po/$lang.po',
    '[options] --master-charset UTF-8 --localized-charset UTF-8 --keep 0',
    ...files.map((file: string): string => `[type: text] content/it/${file} $lang:en/${file} opt:"${PO4A_TEXT_OPTIONS}"`)
  ]
  return lines.join('\n') + '\n'
}

async function po4aPhase(root: string, workDir: string, phase: 'extract' | 'reassemble'): Promise<PeerResult> {
  const source = join(root, 'content', 'it')
  const dir = join(workDir, 'po4a')
  const files = await listFiles(source, '.md')
  const result = (seconds: number, ok: boolean, note: string): PeerResult => ({peer: 'po4a', phase, seconds, ok, note})
  if (files.length === 0) return result(0, false, `no Markdown file under ${source}`)
  const awkward = files.find((f: string): boolean => /[\s"']/.test(f))
  if (awkward !== undefined) return result(0, false, `po4a.cfg cannot name a path with spaces or quotes: ${awkward}`)
  await mkdir(dir, {recursive: true})
  await writeFile(join(dir, 'po4a.cfg'), po4aConfig(files))
  const base = ['--force', '--srcdir', root, '--destdir', dir, 'po4a.cfg']
  const pot = join(dir, 'po', 'ponte.pot')
  const po = join(dir, 'po', 'en.po')

  const extract = async (): Promise<RunOutput> => {
    await rm(join(dir, 'po'), {recursive: true, force: true})
    return run('po4a', ['--no-translations', ...base], {cwd: dir})
  }
  if (phase === 'extract') {
    const out = await extract()
    if (out.code !== 0 || !existsSync(pot) || !existsSync(po)) return result(out.seconds, false, failure(out))
    const msgids = ((await readFile(pot, 'utf8')).match(/^msgid /gm)?.length ?? 1) - 1
    return result(out.seconds, true, `po4a --no-translations: ${files.length} posts → po/ponte.pot and po/en.po, ${msgids} msgids`)
  }

  // Reassembly: extract first when no PO is there yet (not timed), then translate by identity.
  if (!existsSync(po)) {
    const out = await extract()
    if (out.code !== 0 || !existsSync(po)) return result(0, false, `extraction before reassembly failed: ${failure(out)}`)
  }
  await writeFile(po, identityPo(await readFile(po, 'utf8')))
  await rm(join(dir, 'en'), {recursive: true, force: true})
  const out = await run('po4a', ['--no-update', ...base], {cwd: dir})
  const written = (await listFiles(join(dir, 'en'), '.md')).length
  if (out.code !== 0 || written !== files.length) return result(out.seconds, false, `${written}/${files.length} posts written; ${failure(out)}`)
  return result(out.seconds, true, `po4a --no-update: po/en.po (identity) → ${written} posts in en/`)
}

// ---------------------------------------------------------------------------------------------
// Translate Toolkit

/*
 * md2po and po2md each run once over the whole tree: given a directory, they walk it and write
 * one PO per post (or one post per PO) in a mirrored tree, in a single Python process. That is
 * the fastest realistic use; one process per post would pay Python's start-up and imports
 * (~0.3 s) a thousand times.
 */

async function ttkPhase(root: string, workDir: string, phase: 'extract' | 'reassemble'): Promise<PeerResult> {
  const result = (seconds: number, ok: boolean, note: string): PeerResult => ({peer: 'translate-toolkit', phase, seconds, ok, note})
  const ttk = findTranslateToolkit()
  if (ttk === undefined) return result(0, false, 'md2po/po2md not found: see detectPeers() and docs/peers.md')
  const source = join(root, 'content', 'it')
  const dir = join(workDir, 'translate-toolkit')
  const files = await listFiles(source, '.md')
  if (files.length === 0) return result(0, false, `no Markdown file under ${source}`)
  const poDir = join(dir, 'po')

  const extract = async (): Promise<RunOutput> => {
    await rm(poDir, {recursive: true, force: true})
    await mkdir(dir, {recursive: true})
    return run(ttk.md2po, ['--progress=none', '-i', source, '-o', poDir], {cwd: dir, env: ttk.env})
  }
  if (phase === 'extract') {
    const out = await extract()
    const written = (await listFiles(poDir, '.po')).length
    if (out.code !== 0 || written !== files.length) return result(out.seconds, false, `${written}/${files.length} PO files written; ${failure(out)}`)
    return result(out.seconds, true, `md2po -i content/it -o po: ${written} PO files`)
  }

  if ((await listFiles(poDir, '.po')).length !== files.length) {
    const out = await extract()
    if (out.code !== 0) return result(0, false, `extraction before reassembly failed: ${failure(out)}`)
  }
  const poEn = join(dir, 'po-en')
  await writeIdentity(poDir, poEn)
  const enDir = join(dir, 'en')
  await rm(enDir, {recursive: true, force: true})
  await mkdir(enDir, {recursive: true})
  const out = await run(ttk.po2md, ['--progress=none', '-i', poEn, '-t', source, '-o', enDir], {cwd: dir, env: ttk.env})
  const written = (await listFiles(enDir, '.md')).length
  if (out.code !== 0 || written !== files.length) return result(out.seconds, false, `${written}/${files.length} posts written; ${failure(out)}`)
  return result(out.seconds, true, `po2md -i po-en -t content/it -o en: ${written} posts`)
}

/**
 * Runs one timed phase of a peer over every `root/content/it/**\/*.md`, working in
 * `workDir/<peer>/`: `extract` writes PO files, `reassemble` writes Markdown in `en/` from an
 * identity translation (extracting first, untimed, if needed). Never throws for a failing peer:
 * the result says `ok: false` with a note.
 */
export async function runPeer(name: PeerName, root: string, workDir: string, phase: 'extract' | 'reassemble'): Promise<PeerResult> {
  try {
    return name === 'po4a' ? await po4aPhase(root, workDir, phase) : await ttkPhase(root, workDir, phase)
  } catch (error) {
    return {peer: name, phase, seconds: 0, ok: false, note: error instanceof Error ? error.message : String(error)}
  }
}
