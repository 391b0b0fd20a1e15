#!/usr/bin/env node
// Ponte's command line: TypeScript runs through tsx, so no build step is needed after `npm ci`.
import {register} from 'tsx/esm/api'

register()
const {main} = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY)
})
