// `npm pack` / `npm publish` (prepack): build what the installed package runs, since it never
// builds anything itself (its folder may be read-only): the bundles in dist/ and the type
// declarations of the API in dist/types/.
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import {bundle} from './bundle.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
await bundle(root)
rmSync(new URL('../dist/types', import.meta.url), {recursive: true, force: true})
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {cwd: root, stdio: 'inherit'})
process.stdout.write('prepack: dist/ponte.cjs, dist/worker.mjs and dist/types/ built\n')
