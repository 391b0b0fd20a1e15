import fc from 'fast-check'
import {describe, expect, test} from 'vitest'
import {compareStructure, structureDigest} from '../src/assemble/structure.js'
import {parseMarkdown} from '../src/parse/parse.js'
import {documents, retext, translatorText} from './support/arbitraries.js'
import {buildString, commonmarkExamples, hostileSuffix, structureDifference} from './support/pipeline.js'

/** Whether the digest and the full comparison agree on two documents (same structure or not). */
function digestAgrees(a: string, b: string): boolean {
  const left = parseMarkdown(a)
  const right = parseMarkdown(b)
  return (structureDigest(left) === structureDigest(right)) === (compareStructure(left, right) === undefined)
}

// A bounded run here; `npm run fuzz` runs the same properties for much longer.
const runs = Number(process.env['FUZZ_RUNS'] ?? 150)

describe('generated documents', () => {
  test('identity translations rebuild every document byte for byte', () => {
    fc.assert(
      fc.property(documents, fc.constantFrom('\n', '\r\n'), (document, eol) => {
        const markdown = document.replace(/\n/g, eol)
        expect(buildString(markdown, (value) => value).edition).toBe(markdown)
      }),
      {numRuns: runs}
    )
  })

  test('the structure digest is equal exactly when the structure comparison finds no difference', () => {
    fc.assert(
      fc.property(documents, documents, fc.array(translatorText, {minLength: 1, maxLength: 6}), fc.nat(), (a, b, pool, at) => {
        // Unrelated documents; the same one with new text (same structure); with raw syntax spliced in (usually not).
        const lines = a.split('\n')
        const line = at % lines.length
        lines[line] = `${lines[line] ?? ''}${pool[0] ?? ''}${hostileSuffix}`
        for (const other of [b, buildString(a, (value) => retext(value, pool)).edition, lines.join('\n')]) expect(digestAgrees(a, other)).toBe(true)
      }),
      {numRuns: runs}
    )
  })

  test('the structure digest agrees with the comparison on every pair of neighbouring CommonMark examples', async () => {
    const examples = await commonmarkExamples()
    let same = 0
    for (let index = 1; index < examples.length; index++) {
      const a = examples[index - 1]?.markdown ?? ''
      const b = examples[index]?.markdown ?? ''
      expect(digestAgrees(a, b), `examples ${index} and ${index + 1}`).toBe(true)
      if (compareStructure(parseMarkdown(a), parseMarkdown(b)) === undefined) same++
    }
    // Both answers occur: the check is not one-sided.
    expect(same).toBeGreaterThan(0)
  })

  test('arbitrary translator text never changes the structure', () => {
    fc.assert(
      fc.property(documents, fc.array(translatorText, {minLength: 1, maxLength: 6}), (markdown, pool) => {
        const built = buildString(markdown, (value) => retext(value, pool))
        expect(structureDifference(markdown, built.edition)).toBeUndefined()
      }),
      {numRuns: runs}
    )
  })
})
