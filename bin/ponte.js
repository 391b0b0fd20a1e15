#!/usr/bin/env node
// Ponte's command line. It runs a bundle of the TypeScript sources (dist/, built with
// esbuild on first use and whenever a source is newer, and run with V8's code cache), which
// starts in a third of the time tsx needs; if bundling is impossible it runs the sources
// through tsx.
import {fileURLToPath} from 'node:url'
import {ensureBundle, loadBundle} from '../scripts/bundle.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = await ensureBundle(root).then(loadBundle, () => undefined)
let main
if (bundle) {
  ;({main} = bundle.exports)
} else {
  const {register} = await import('tsx/esm/api')
  register()
  ;({main} = await import('../src/cli/main.ts'))
}
// A reader that stops early (`ponte status --json | head`) closes the pipe: the rest of the
// output has nowhere to go, which is no fault of the run (its exit code still says how it went).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
  })
}
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY)
})
// The code cache is written by a run over posts, whose compiled code is worth keeping
// (not by `--version` or `--help`, which compile almost nothing).
if (bundle && Object.hasOwn(bundle.exports.commands, process.argv[2] ?? '')) bundle.keepCompiled()
