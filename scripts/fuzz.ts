// Long fuzzing run: generated Markdown (every construct, nested) × generated translations
// (arbitrary Unicode, Markdown metacharacters, tag-like text). Checks that identity
// translations are byte-identical, that the structure is always kept, and that nothing
// throws. Usage: npm run fuzz [-- --runs 20000] [--seed N]
import {parseArgs} from 'node:util'
import fc from 'fast-check'
import {documents, retext, translatorText} from '../test/support/arbitraries.js'
import {buildString, structureDifference} from '../test/support/pipeline.js'

const {values} = parseArgs({options: {runs: {type: 'string', default: '20000'}, seed: {type: 'string'}}})
const runs = Number(values.runs)
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed)
const started = Date.now()
let refused = 0
let count = 0
console.log(`fuzz: ${runs} runs, seed ${seed}`)
fc.assert(
  fc.property(documents, fc.array(translatorText, {minLength: 1, maxLength: 6}), fc.constantFrom('\n', '\r\n'), (document, pool, eol) => {
    const markdown = document.replace(/\n/g, eol)
    if (buildString(markdown, (value) => value).edition !== markdown) throw new Error('identity translation is not byte-identical')
    const built = buildString(markdown, (value) => retext(value, pool))
    const difference = structureDifference(markdown, built.edition)
    if (difference) throw new Error(`structure changed: ${difference}`)
    if (built.refused.length > 0) refused++
    if (++count % 1000 === 0) process.stdout.write(`  ${count} documents, ${((Date.now() - started) / 1000).toFixed(0)} s\n`)
  }),
  {numRuns: runs, seed}
)
console.log(`fuzz: ok — ${count} documents in ${((Date.now() - started) / 1000).toFixed(1)} s; ${refused} had a translation refused (the Italian used, structure kept)`)
