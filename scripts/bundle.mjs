// Bundle the CLI and the worker thread into dist/ with esbuild (a dependency of tsx).
// `ensureBundle` rebuilds only when a source file, a patch, package.json or this script is newer
// than the bundle, so a stale bundle never runs.
import {mkdir, readdir, rename, rm, stat} from 'node:fs/promises'
import {join} from 'node:path'

/**
 * Make sure dist/ponte.mjs and dist/worker.mjs are up to date with src/.
 *
 * @param {string} root The package root.
 * @returns {Promise<string>} The file URL of the CLI bundle.
 */
export async function ensureBundle(root) {
  const out = join(root, 'dist', 'ponte.mjs')
  const built = await stat(out).then((info) => info.mtimeMs, () => 0)
  if (built === 0 || (await newestSource(root)) > built) await bundle(root)
  return new URL(`file://${out}`).href
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
  try {
    await build({
      entryPoints: {ponte: join(root, 'src/cli/main.ts'), worker: join(root, 'src/project/worker.ts')},
      outdir: staging,
      outExtension: {'.js': '.mjs'},
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      // Less to parse at every start; names are kept for readable stack traces.
      minifyWhitespace: true,
      minifySyntax: true,
      // jsonc-parser's UMD build resolves files at run time: load it from node_modules.
      external: ['jsonc-parser'],
      banner: {js: "import {createRequire as __ponteRequire} from 'node:module'; const require = __ponteRequire(import.meta.url);"}
    })
    await rename(join(staging, 'worker.mjs'), join(root, 'dist', 'worker.mjs'))
    await rename(join(staging, 'ponte.mjs'), join(root, 'dist', 'ponte.mjs'))
  } finally {
    await rm(staging, {recursive: true, force: true})
  }
}

async function newestSource(root) {
  let newest = 0
  const visit = async (folder) => {
    for (const entry of await readdir(folder, {withFileTypes: true})) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) await visit(path)
      else newest = Math.max(newest, (await stat(path)).mtimeMs)
    }
  }
  await visit(join(root, 'src'))
  // A patch to a dependency (patches/, applied by patch-package on install) changes the bundle too.
  await visit(join(root, 'patches')).catch(() => undefined)
  for (const file of ['package.json', 'package-lock.json', 'scripts/bundle.mjs']) {
    newest = Math.max(newest, await stat(join(root, file)).then((info) => info.mtimeMs, () => 0))
  }
  return newest
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundle(join(new URL('..', import.meta.url).pathname))
  process.stdout.write('bundled dist/ponte.mjs and dist/worker.mjs\n')
}
