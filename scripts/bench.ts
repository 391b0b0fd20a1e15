// Ponte's benchmark: generates seeded corpora of realistic Italian posts, measures every
// phase as the median of several runs (min and max too), the parse floor, peak RSS and
// MB/s, and runs po4a and the Translate Toolkit side by side on the same corpus.
// Usage: npm run bench [-- --posts 1000,10000] [--runs 5] [--no-peers] [--peers-up-to 1000] [--keep]
import {spawn} from 'node:child_process'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {availableParallelism, cpus, tmpdir, totalmem} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import fg from 'fast-glob'
import {generateCorpus} from './generate-corpus.js'
import {detectPeers, runPeer, type PeerName} from './peers.js'

const {values} = parseArgs({
  options: {
    posts: {type: 'string', default: '1000'},
    runs: {type: 'string', default: '5'},
    'no-peers': {type: 'boolean', default: false},
    // po4a needs about 80 s per 1,000 posts and phase: at 10,000 posts five runs take hours.
    'peers-up-to': {type: 'string', default: '1000'},
    keep: {type: 'boolean', default: false},
    dir: {type: 'string', default: join(tmpdir(), 'ponte-bench')}
  }
})
const sizes = (values.posts ?? '1000').split(',').map(Number)
const runs = Math.max(1, Number(values.runs))
const here = new URL('.', import.meta.url).pathname
const runner = join(here, 'bench-run.mjs')
// Ponte runs as `npm run build` runs it: with the Node options its npm scripts give
// (`node --single-threaded-gc bin/ponte.js build`). The floor gets the same options, so
// it is the same process model.
const nodeOptions = (JSON.parse(await readFile(join(here, '..', 'package.json'), 'utf8')) as {scripts: Record<string, string>}).scripts['build']?.match(/^node((?: --[\w-]+(?:=\S+)?)*) bin\/ponte\.js/)?.[1]?.trim().split(' ').filter(Boolean) ?? []

interface Sample {
  seconds: number
  rssMB: number
}

interface Figure {
  phase: string
  median: number
  min: number
  max: number
  rssMB: number
}

function run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<{seconds: number; rssMB: number; code: number; stderr: string; stdout: string}> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, {env: {...process.env, CI: 'true', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const rss = /PONTE_MAX_RSS_KB=(\d+)/.exec(stderr)
      resolve({seconds, rssMB: rss ? Number(rss[1]) / 1024 : 0, code: code ?? 1, stderr, stdout})
    })
  })
}

async function ponte(command: string, root: string): Promise<Sample> {
  const result = await run(process.execPath, [...nodeOptions, runner, command, '--root', root, '--quiet'])
  if (result.code > 1) throw new Error(`ponte ${command} failed:\n${result.stderr}`)
  return {seconds: result.seconds, rssMB: result.rssMB}
}

function figure(phase: string, samples: readonly Sample[]): Figure {
  const seconds = samples.map((sample) => sample.seconds).sort((a, b) => a - b)
  return {phase, median: seconds[Math.floor(seconds.length / 2)] ?? 0, min: seconds[0] ?? 0, max: seconds[seconds.length - 1] ?? 0, rssMB: Math.max(...samples.map((sample) => sample.rssMB))}
}

async function reset(root: string): Promise<void> {
  for (const path of ['locales', 'content/en', 'node_modules', '.ponte.lock']) await rm(join(root, path), {recursive: true, force: true})
}

/** Forget what build did (its editions and its cache records), keeping extract's work. */
async function resetBuild(root: string): Promise<void> {
  await rm(join(root, 'content/en'), {recursive: true, force: true})
  const cache = join(root, 'node_modules/.cache/ponte')
  // Build's records, and the editions it verified (any command's), so the next build is cold.
  for (const name of await fg(['build-*', 'check-*', 'verified.json'], {cwd: cache})) await rm(join(cache, name), {force: true})
}

/**
 * Fill every English catalog with a stand-in translation of each Italian value ("EN " and
 * the Italian, tags and placeholders kept), as a translator's finished work would.
 */
async function translateEverything(root: string): Promise<void> {
  for (const file of await fg('**/*.json', {cwd: join(root, 'locales/it')})) {
    const italian = JSON.parse(await readFile(join(root, 'locales/it', file), 'utf8')) as Record<string, string>
    const english = Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, `EN ${value}`]))
    await writeFile(join(root, 'locales/en', file), JSON.stringify(english, null, 2) + '\n')
  }
}

/** Upper-case the text of a value, keeping its tags, interpolations and character references. */
function upperCase(value: string): string {
  return value
    .split(/(<[^>]*>|\{\{[^}]*\}\}|&[#\w]+;)/)
    .map((part, index) => (index % 2 === 1 ? part : part.toUpperCase()))
    .join('')
}

/** Write every English catalog as the upper-cased Italian (plus `suffix`), as translators' finished work arriving. */
async function translateUpper(root: string, suffix = ''): Promise<void> {
  for (const file of await fg('**/*.json', {cwd: join(root, 'locales/it')})) {
    const italian = JSON.parse(await readFile(join(root, 'locales/it', file), 'utf8')) as Record<string, string>
    const english = Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, upperCase(value) + suffix]))
    await writeFile(join(root, 'locales/en', file), JSON.stringify(english, null, 2) + '\n')
  }
}

/**
 * The everyday runs of a translated site: a cold extract + build of translated catalogs,
 * check right after build and again, a translator's edit of one value then build, and
 * every catalog arriving at once with one post edited, then extract + build.
 */
async function translatedWorkload(root: string, posts: readonly string[]): Promise<Figure[]> {
  await reset(root)
  await ponte('extract', root)
  await translateUpper(root)
  const cold: Sample[] = []
  const checkAfterBuild: Sample[] = []
  const checkAgain: Sample[] = []
  for (let index = 0; index < runs; index++) {
    await rm(join(root, 'node_modules'), {recursive: true, force: true})
    await rm(join(root, 'content/en'), {recursive: true, force: true})
    const extracted = await ponte('extract', root)
    const built = await ponte('build', root)
    cold.push({seconds: extracted.seconds + built.seconds, rssMB: Math.max(extracted.rssMB, built.rssMB)})
    checkAfterBuild.push(await ponte('check', root))
    checkAgain.push(await ponte('check', root))
  }
  const first = posts[0]
  const catalog = first ? join(root, 'locales/en', first.replace(/\.md$/, '.json')) : undefined
  let edits = 0
  const oneValue = await repeat(runs, async () => {
    if (!catalog) return
    const values = JSON.parse(await readFile(catalog, 'utf8')) as Record<string, string>
    const key = Object.keys(values).find((name) => name.startsWith('fm-title')) ?? Object.keys(values)[0]
    if (key) values[key] = `Edited title ${++edits}`
    await writeFile(catalog, JSON.stringify(values, null, 2) + '\n')
  }, () => ponte('build', root))
  const post = first ? join(root, 'content/it', first) : undefined
  const original = post ? await readFile(post, 'utf8') : ''
  const arrive = await repeat(runs, async () => {
    await translateUpper(root, ` ${++edits}`)
    if (post) await writeFile(post, original.trimEnd() + `\n\nUna frase aggiunta, numero ${edits}.\n`)
  }, async () => {
    const extracted = await ponte('extract', root)
    const built = await ponte('build', root)
    return {seconds: extracted.seconds + built.seconds, rssMB: Math.max(extracted.rssMB, built.rssMB)}
  })
  if (post) await writeFile(post, original)
  return [
    figure('translated: cold extract + build', cold),
    figure('translated: check after build', checkAfterBuild),
    figure('translated: check again', checkAgain),
    figure('translated: 1 value, build', oneValue),
    figure('catalogs arrive + 1 post: ex+bu', arrive)
  ]
}

async function repeat(times: number, before: () => Promise<void>, task: () => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = []
  for (let index = 0; index < times; index++) {
    await before()
    samples.push(await task())
  }
  return samples
}

const line = (cells: readonly string[], widths: readonly number[]): string => cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join('  ')

console.log(`Ponte benchmark — ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${nodeOptions.length ? ` ${nodeOptions.join(' ')}` : ''}, ${runs} runs per figure (median [min–max])`)
const peers = values['no-peers'] ? [] : await detectPeers()
for (const peer of peers) console.log(`peer ${peer.name}: ${peer.available ? `available${peer.version ? ` (${peer.version})` : ''}` : `skipped — ${peer.why ?? 'not available'}`}`)

for (const size of sizes) {
  const root = join(values.dir ?? tmpdir(), `corpus-${size}`)
  await mkdir(root, {recursive: true})
  const corpus = await generateCorpus({dir: root, posts: size, seed: 42, clean: true})
  const megabytes = corpus.bytes / 1e6
  console.log(`\n## ${size} posts, ${megabytes.toFixed(1)} MB (seed 42) in ${root}`)

  const floorSamples = await repeat(runs, async () => undefined, async () => {
    const result = await run(process.execPath, [...nodeOptions, '--import', 'tsx', join(here, 'parse-floor.ts'), root])
    return {seconds: result.seconds, rssMB: 0}
  })
  const floor = figure('parse floor (1 thread)', floorSamples)

  const extractSamples: Sample[] = []
  const buildSamples: Sample[] = []
  for (let index = 0; index < runs; index++) {
    await reset(root)
    extractSamples.push(await ponte('extract', root))
    buildSamples.push(await ponte('build', root))
  }
  const total = extractSamples.map((sample, index) => ({seconds: sample.seconds + (buildSamples[index]?.seconds ?? 0), rssMB: Math.max(sample.rssMB, buildSamples[index]?.rssMB ?? 0)}))
  const noopBuild = await repeat(runs, async () => undefined, () => ponte('build', root))
  const noopCheck = await repeat(runs, async () => undefined, () => ponte('check', root))
  const posts = (await fg('**/*.md', {cwd: join(root, 'content', 'it')})).sort()
  const first = posts[0] ? join(root, 'content', 'it', posts[0]) : undefined
  const original = first ? await readFile(first, 'utf8') : ''
  let edit = 0
  const editBuild = await repeat(runs, async () => {
    if (first) await writeFile(first, original.replace(/\n\n/, `\n\nModifica numero ${++edit}.\n\n`))
  }, () => ponte('build', root))
  if (first) await writeFile(first, original)

  // The runs above build untranslated posts (the Italian is copied): every post translated,
  // a cold build also renders each translation and parses each edition to verify its structure.
  await translateEverything(root)
  const translatedBuild = await repeat(runs, () => resetBuild(root), () => ponte('build', root))

  const figures = [floor, figure('cold extract', extractSamples), figure('cold build (after extract)', buildSamples), figure('cold extract + build', total), figure('no-op build', noopBuild), figure('no-op check', noopCheck), figure('build after editing 1 post', editBuild), figure('cold build, all translated', translatedBuild)]
  const widths = [30, 9, 19, 9, 9, 9]
  console.log(line(['phase', 'median s', 'min–max s', '× floor', 'MB/s', 'peak RSS'], widths))
  for (const item of figures) {
    console.log(line([item.phase, item.median.toFixed(2), `${item.min.toFixed(2)}–${item.max.toFixed(2)}`, (item.median / floor.median).toFixed(2), (megabytes / item.median).toFixed(1), item.rssMB ? `${item.rssMB.toFixed(0)} MB` : '—'], widths))
  }

  // The translated workload, as a site lives it (every segment translated: upper case, tags kept).
  const translated = await translatedWorkload(root, posts)
  console.log(`\nTranslated site, ${size} posts:`)
  console.log(line(['phase', 'median s', 'min–max s', '× floor', 'MB/s', 'peak RSS'], widths))
  for (const item of translated) {
    console.log(line([item.phase, item.median.toFixed(2), `${item.min.toFixed(2)}–${item.max.toFixed(2)}`, (item.median / floor.median).toFixed(2), (megabytes / item.median).toFixed(1), item.rssMB ? `${item.rssMB.toFixed(0)} MB` : '—'], widths))
  }

  if (size > Number(values['peers-up-to']) && peers.some((item) => item.available)) console.log(`peers: skipped at ${size} posts (--peers-up-to ${values['peers-up-to']})`)
  for (const peer of peers.filter((item) => item.available && size <= Number(values['peers-up-to']))) {
    const work = join(values.dir ?? tmpdir(), `peer-${peer.name}-${size}`)
    const phases: Record<string, number[]> = {extract: [], reassemble: []}
    for (let index = 0; index < runs; index++) {
      await rm(work, {recursive: true, force: true})
      await mkdir(work, {recursive: true})
      for (const phase of ['extract', 'reassemble'] as const) {
        const result = await runPeer(peer.name as PeerName, root, work, phase)
        if (!result.ok) throw new Error(`${peer.name} ${phase} failed: ${result.note ?? ''}`)
        phases[phase]?.push(result.seconds)
      }
    }
    const median = (list: number[]): number => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0
    const peerExtract = median(phases['extract'] ?? [])
    const peerReassemble = median(phases['reassemble'] ?? [])
    const ours = figure('', total).median
    console.log(`${peer.name}: extract ${peerExtract.toFixed(2)} s, reassemble ${peerReassemble.toFixed(2)} s, total ${(peerExtract + peerReassemble).toFixed(2)} s — Ponte/peer: extract ${(figure('', extractSamples).median / peerExtract).toFixed(3)}, build/reassemble ${(figure('', buildSamples).median / peerReassemble).toFixed(3)}, total ${(ours / (peerExtract + peerReassemble)).toFixed(3)} (Ponte ${((peerExtract + peerReassemble) / ours).toFixed(1)}× faster)`)
  }
  if (!values.keep) await rm(root, {recursive: true, force: true})
}
