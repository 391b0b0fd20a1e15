// `npm run site`: build the English editions with Ponte, then render the bilingual Hugo site in
// site/ (Italian at /, English under /en/) into public/.
//
//   node scripts/site.mjs [--root DIR] [HUGO FLAGS…]
//
// DIR is the project (default: the current folder); its site/ folder holds the Hugo site, whose
// languages read DIR/content/it and DIR/content/en. Exit code: Ponte's when its build fails,
// 2 when Hugo is not installed, otherwise Hugo's.
import {spawn} from 'node:child_process'
import {resolve, join} from 'node:path'
import {fileURLToPath} from 'node:url'

// `--root DIR` is Ponte's; everything else is handed to Hugo (`npm run site -- --baseURL URL`).
const hugoFlags = []
let rootFlag = '.'
for (let index = 2; index < process.argv.length; index++) {
  const arg = process.argv[index]
  if (arg === '--root') rootFlag = process.argv[++index] ?? '.'
  else if (arg.startsWith('--root=')) rootFlag = arg.slice('--root='.length)
  else hugoFlags.push(arg)
}
const root = resolve(rootFlag)
const bin = fileURLToPath(new URL('../bin/ponte.js', import.meta.url))

/** Run a program with the terminal as its output; resolves with its exit code, or the spawn error. */
function run(command, args) {
  return new Promise((done) => {
    const child = spawn(command, args, {stdio: 'inherit'})
    child.once('error', (error) => done(error))
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)))
  })
}

const built = await run(process.execPath, [bin, 'build', '--root', root])
if (built !== 0) {
  process.exitCode = typeof built === 'number' ? built : 2
} else {
  const hugo = process.env.HUGO ?? 'hugo'
  const args = ['--source', join(root, 'site'), '--destination', join(root, 'public'), '--cleanDestinationDir', '--noBuildLock', ...hugoFlags]
  const rendered = await run(hugo, args)
  if (typeof rendered !== 'number') {
    process.stderr.write(`site: cannot run ${hugo} (${rendered.code ?? rendered.message}). Install Hugo: \`apt-get install hugo\` on Debian and Ubuntu, \`brew install hugo\` on macOS, or a release from https://gohugo.io/installation/ (0.111 or later, extended not needed)\n`)
    process.exitCode = 2
  } else {
    process.exitCode = rendered
    if (rendered === 0) process.stdout.write(`site: ${join(root, 'public')}/index.html (Italian) and ${join(root, 'public', 'en')}/index.html (English)\n`)
  }
}
