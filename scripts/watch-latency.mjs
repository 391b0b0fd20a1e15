// Save → edition latency of `ponte watch`: a copy of this repository's project (plus N generated
// posts) is watched, the seed post is saved 9 times, and the time until its English edition holds
// the new sentence is measured (polling every 5 ms). Usage: node scripts/watch-latency.mjs [N]
import {spawn} from 'node:child_process'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
const n = Number(process.argv[2] ?? 0)
const root = mkdtempSync(join(tmpdir(), 'ponte-latency-'))
cpSync(fileURLToPath(new URL('../content/it', import.meta.url)), join(root, 'content/it'), {recursive: true})
cpSync(fileURLToPath(new URL('../locales', import.meta.url)), join(root, 'locales'), {recursive: true})
for (let i = 0; i < n; i++) writeFileSync(join(root, 'content/it', `p${i}.md`), `# Titolo ${i}\n\nUn paragrafo *numero* ${i}.\n\n- uno\n- due\n`)
const child = spawn(process.execPath, [fileURLToPath(new URL('../bin/ponte.js', import.meta.url)), 'watch', '--root', root], {stdio: ['ignore', 'pipe', 'inherit']})
let out = ''
child.stdout.on('data', (d) => (out += d))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
while (!out.includes('watching')) await sleep(20)
const post = join(root, 'content/it/intervista-ivana-pais-social-network.md')
const edition = join(root, 'content/en/intervista-ivana-pais-social-network.md')
const original = readFileSync(post, 'utf8')
const times = []
for (let round = 0; round < 9; round++) {
  const marker = `Frase aggiunta numero ${round}.`
  const t0 = performance.now()
  writeFileSync(post, original + `\n${marker}\n`)
  while (!readFileSync(edition, 'utf8').includes(marker)) await sleep(5)
  times.push(performance.now() - t0)
  await sleep(700)
}
child.kill('SIGINT')
await new Promise((r) => child.once('exit', r))
rmSync(root, {recursive: true, force: true})
times.sort((a, b) => a - b)
console.log(`posts: ${n + 1}; save → edition, 9 saves: median ${times[4].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[8].toFixed(0)} ms`)
