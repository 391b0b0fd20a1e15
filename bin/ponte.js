#!/usr/bin/env node
// Ponte's command line. It runs a bundle of the TypeScript sources (dist/, built with
// esbuild on first use and whenever a source is newer), which starts in a third of the
// time tsx needs; if bundling is impossible it runs the sources through tsx.
import {fileURLToPath} from 'node:url'
import {setFlagsFromString} from 'node:v8'
import {ensureBundle} from '../scripts/bundle.mjs'

// A V8 heap grows to about four times what is live before a full collection; on a cold
// run over thousands of posts that was 180 MB for 35 MB live on the main thread. Growing by
// 60 % keeps a cold 10,000-post run near 260 MB for a few more, short collections. (A number
// read at each collection, so it is safe to set here; it applies to every thread.)
setFlagsFromString('--heap-growing-percent=60')

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = await ensureBundle(root).catch(() => undefined)
let main
if (bundle) {
  ;({main} = await import(bundle))
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
