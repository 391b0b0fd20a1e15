/**
 * Measure the translation memory on a generated project, half translated: how long
 * `ponte suggest` takes to find suggestions for every untranslated segment (the first run
 * builds the memory cache; the next ones read it), and its peak memory. Not a test: figures
 * for docs/memory.md.
 *
 *     node --import tsx scripts/measure-memory.ts [--posts 1000] [--runs 5] [--dir DIR] [--setup-only]
 *
 * `--setup-only` stops after the project is generated, extracted and half translated (kept in
 * `--dir`), so that a large one (10,000 posts: minutes of extract) is made once and timed by hand.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {writeCatalog} from '../src/catalog/write-catalog.js'
import {generateCorpus} from './generate-corpus.js'

const argument = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback)
}
const posts = Number(argument('posts', '1000'))
const runs = Number(argument('runs', '5'))
const given = argument('dir', '')
const setupOnly = process.argv.includes('--setup-only')
const dir = given || mkdtempSync(join(tmpdir(), 'ponte-memory-'))
const bin = join(import.meta.dirname, '..', 'bin', 'ponte.js')

/** Run ponte under /usr/bin/time: wall seconds, peak RSS in MB, and stdout. */
function timed(args: readonly string[]): {seconds: number; megabytes: number; stdout: string} {
  const report = join(dir, '.time')
  const stdout = execFileSync('/usr/bin/time', ['-f', '%e %M', '-o', report, process.execPath, bin, ...args, '--root', dir], {encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: {...process.env, CI: 'true'}})
  const [seconds = '0', kilobytes = '0'] = readFileSync(report, 'utf8').trim().split(/\s+/).slice(-2)
  return {seconds: Number(seconds), megabytes: Math.round(Number(kilobytes) / 1024), stdout}
}

function catalogs(folder: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(folder, {withFileTypes: true})) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) found.push(...catalogs(path))
    else if (entry.name.endsWith('.json') && !entry.name.endsWith('_old.json')) found.push(path)
  }
  return found.sort()
}

await generateCorpus({dir, posts, clean: true})
console.log(`${posts} posts in ${dir}`)
console.log(`extract: ${timed(['extract']).seconds} s`)
// Every second post translated ("EN " before each Italian value keeps its tags valid).
const italian = join(dir, 'locales', 'it')
let translated = 0
catalogs(italian).forEach((file, index) => {
  if (index % 2 !== 0) return
  const values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>
  writeFileSync(join(dir, 'locales', 'en', relative(italian, file)), writeCatalog(Object.entries(values).map(([key, value]) => [key, `EN ${value}`] as const)))
  translated++
})
console.log(`${translated} posts translated; extract again: ${timed(['extract']).seconds} s`)
if (setupOnly) process.exit(0)
const cache = join(dir, 'node_modules', '.cache', 'ponte')
for (const file of readdirSync(cache)) if (/^memory-\d+\.json$|^suggestions\.json$/.test(file)) rmSync(join(cache, file), {force: true})

const results: Array<{seconds: number; megabytes: number}> = []
let totals = ''
for (let run = 0; run <= runs; run++) {
  const result = timed(['suggest'])
  totals = result.stdout.trim().split('\n').pop() ?? ''
  results.push(result)
  console.log(`suggest ${run === 0 ? '(first run, builds the memory and lookups caches)' : `(run ${run})`}: ${result.seconds} s, ${result.megabytes} MB peak`)
}
// A translator revises one English value: the memory changes, and its lookups are completed, not redone.
const edited = join(dir, 'locales', 'en', relative(italian, catalogs(italian)[0] ?? ''))
const values = JSON.parse(readFileSync(edited, 'utf8')) as Record<string, string>
const revised = Object.keys(values).find((key) => values[key])
if (revised !== undefined) values[revised] = `${values[revised] ?? ''} (revised)`
writeFileSync(edited, writeCatalog(Object.entries(values)))
const afterEdit = timed(['suggest'])
console.log(`suggest after one English value changed: ${afterEdit.seconds} s, ${afterEdit.megabytes} MB peak; next run: ${timed(['suggest']).seconds} s`)
const json = timed(['suggest', '--json'])
console.log(`suggest --json: ${json.seconds} s, ${json.megabytes} MB peak, ${Math.round(json.stdout.length / 1e6)} MB of JSON`)
const warm = results.slice(1).map((result) => result.seconds).sort((a, b) => a - b)
console.log(`${totals}; median of ${warm.length} warm runs: ${warm[Math.floor(warm.length / 2)]} s; memory cache ${Math.round(readdirSync(cache).filter((file) => file.startsWith('memory-')).reduce((sum, file) => sum + statSync(join(cache, file)).size, 0) / 1024)} KB`)
const fill = timed(['fill', '--exact'])
console.log(`fill --exact: ${fill.seconds} s, ${fill.megabytes} MB peak (${fill.stdout.trim()})`)
if (!given) rmSync(dir, {recursive: true, force: true})
