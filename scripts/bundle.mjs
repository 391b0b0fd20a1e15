// Bundle the CLI and the worker thread into dist/ with esbuild (a dependency of tsx).
// `ensureBundle` rebuilds only when a source file, a patch, package.json or this script is newer
// than the bundle, so a stale bundle never runs. `loadBundle` runs the CLI bundle with V8's code
// cache, so a run does not compile again what the last one compiled.
import {createHash, randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {mkdir, rename, rm, stat} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {basename, dirname, join} from 'node:path'
import {Script} from 'node:vm'

/**
 * Make sure dist/ponte.cjs and dist/worker.mjs are up to date with src/.
 *
 * @param {string} root The package root.
 * @returns {Promise<string>} The path of the CLI bundle.
 */
export async function ensureBundle(root) {
  const out = join(root, 'dist', 'ponte.cjs')
  // An installed package has no sources of the bundle: it was built when the package was
  // packed (prepack), and the package's folder may be read-only.
  if (!existsSync(join(root, 'src', 'index.ts'))) return out
  const built = await stat(out).then((info) => info.mtimeMs, () => 0)
  if (built === 0 || (await newestSource(root)) > built) await bundle(root)
  return out
}

/**
 * Run the CLI bundle and return its exports, with V8's code cache: the functions the last
 * run compiled are read from `dist/ponte.cjs.<hash>.cache` instead of compiled again (at
 * 10,000 posts, a tenth of an edit's time was compiling). The cache is named after a hash
 * of the bundle, because V8 checks only a source's length before trusting its cache; V8
 * rejects a cache made by another Node or with other flags, and a rejected or missing cache
 * is written again once the run is over (`keepCompiled`), when it holds what the run used.
 *
 * @param {string} file The CLI bundle (`ensureBundle`).
 * @returns {{exports: {main: Function, commands: Record<string, unknown>}, keepCompiled: () => void}}
 */
export function loadBundle(file) {
  const source = readFileSync(file, 'utf8')
  const folder = codeCacheFolder(dirname(dirname(file)))
  const cache = join(folder, `${basename(file)}.${createHash('sha256').update(source).digest('hex').slice(0, 16)}.cache`)
  let cachedData
  try {
    cachedData = readFileSync(cache)
  } catch {
    // catch: any read error: no code cache (or none readable) only costs compiling.
    cachedData = undefined
  }
  // The wrapper Node gives a CommonJS module, on one line, so line numbers stay those of the file.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename: file, cachedData})
  const module = {exports: {}}
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
  const keepCompiled = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return
    // A cache that cannot be written only costs a compile next time.
    try {
      mkdirSync(folder, {recursive: true})
      const temporary = `${cache}.${process.pid}.${randomBytes(4).toString('hex')}`
      writeFileSync(temporary, script.createCachedData())
      renameSync(temporary, cache)
      // Caches of earlier bundles are never read again.
      const name = basename(file)
      for (const old of readdirSync(folder)) if (old.startsWith(`${name}.`) && old.endsWith('.cache') && join(folder, old) !== cache) rmSync(join(folder, old), {force: true})
    } catch {
      // catch: any file-system error: a folder that cannot be written, or another run removed a file first.
    }
  }
  return {exports: module.exports, keepCompiled}
}

/**
 * Where the code cache is kept: beside the bundle in a checkout; for a package installed in a
 * site (`<site>/node_modules/ponte`), in the site's `node_modules/.cache/ponte/code`, because
 * an installed package never writes into its own folder.
 *
 * @param root The package root.
 */
export function codeCacheFolder(root) {
  return basename(dirname(root)) === 'node_modules' ? join(dirname(root), '.cache', 'ponte', 'code') : join(root, 'dist')
}

/**
 * Build the bundles, writing them atomically (concurrent first runs are safe).
 *
 * @param {string} root The package root.
 */
export async function bundle(root) {
  const {build} = await import('esbuild')
  const staging = join(root, 'dist', `.staging-${process.pid}-${Date.now()}`)
  await mkdir(staging, {recursive: true})
  const common = {
    outdir: staging,
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    // Less to parse at every start; names are kept for readable stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    // jsonc-parser's UMD build resolves files at run time: load it from node_modules.
    // esbuild runs its own binary (the translator page bundles its script at start): never bundled.
    external: ['jsonc-parser', 'esbuild']
  }
  try {
    // Both builds end before the staging folder is removed, even when one fails.
    const settled = await Promise.allSettled([
      // The CLI as a CommonJS script, which V8 can cache compiled (`loadBundle`).
      build({
        ...common,
        // The API (src/index.ts: the commands as functions, and the CLI's main), which is
        // also what `import … from 'ponte'` loads.
        entryPoints: {ponte: join(root, 'src/index.ts')},
        outExtension: {'.js': '.cjs'},
        format: 'cjs',
        define: {'import.meta.url': '__ponteUrl'},
        banner: {js: "const __ponteUrl = require('node:url').pathToFileURL(__filename).href;"}
      }),
      // The worker thread as a module (a thread is started from its URL).
      build({
        ...common,
        entryPoints: {worker: join(root, 'src/run/worker.ts')},
        outExtension: {'.js': '.mjs'},
        format: 'esm',
        banner: {js: "import {createRequire as __ponteRequire} from 'node:module'; const require = __ponteRequire(import.meta.url);"}
      })
    ])
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason
    await rename(join(staging, 'worker.mjs'), join(root, 'dist', 'worker.mjs'))
    await rename(join(staging, 'ponte.cjs'), join(root, 'dist', 'ponte.cjs'))
    // The module bundle of earlier versions.
    await rm(join(root, 'dist', 'ponte.mjs'), {force: true})
  } finally {
    await rm(staging, {recursive: true, force: true})
  }
}

/** The newest modification time among what the bundle is made of. (Synchronous: every run checks it, and sixty stats cost less than sixty event-loop round trips.) */
async function newestSource(root) {
  let newest = 0
  const visit = (folder) => {
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) visit(path)
      else newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  visit(join(root, 'src'))
  // A patch to a dependency (patches/, applied by patch-package on install) changes the bundle too.
  try {
    visit(join(root, 'patches'))
  } catch {
    // catch: any error reading patches/: no patches (an installed package has none).
  }
  for (const file of ['package.json', 'package-lock.json', 'scripts/bundle.mjs']) {
    newest = Math.max(newest, statSync(join(root, file), {throwIfNoEntry: false})?.mtimeMs ?? 0)
  }
  return newest
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundle(join(new URL('..', import.meta.url).pathname))
  process.stdout.write('bundled dist/ponte.cjs and dist/worker.mjs\n')
}
