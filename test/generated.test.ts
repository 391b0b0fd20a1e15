import fc from 'fast-check'
import {describe, expect, test} from 'vitest'
import {documents, retext, translatorText} from './support/arbitraries.js'
import {buildString, structureDifference} from './support/pipeline.js'

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
