import {readFileSync} from 'node:fs'
import fg from 'fast-glob'
import {describe, expect, test} from 'vitest'

// Every `catch` in Ponte's sources says which errors it may absorb and why, in a comment
// that starts with `catch:` on the line before it, its own line, or the two after. A new
// catch-all without a reason fails this test: an error swallowed without a decision is how
// an unreadable catalog once became an empty one.

/** The places in a source text where a catch has no `catch:` reason near it (1-based lines). */
function unexplainedCatches(text: string): number[] {
  const lines = text.split('\n')
  const found: number[] = []
  lines.forEach((line, index) => {
    const code = line.replace(/\/\/.*$/, '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""')
    if (!/(?:\bcatch\s*[({]|\.catch\s*\()/.test(code)) return
    const near = lines.slice(Math.max(0, index - 1), index + 3)
    if (!near.some((other) => /\/\/\s*catch:\s*\S/.test(other))) found.push(index + 1)
  })
  return found
}

describe('every catch gives its reason', () => {
  test('the check finds a catch-all without a reason, and accepts one with', () => {
    expect(unexplainedCatches('try {\n  read()\n} catch {\n  return undefined\n}\n')).toEqual([3])
    expect(unexplainedCatches('const x = await read().catch(() => undefined)\n')).toEqual([1])
    expect(unexplainedCatches('try {\n  read()\n} catch (error) {\n  // catch: ENOENT only (absent).\n  if (code(error) !== "ENOENT") throw error\n}\n')).toEqual([])
    expect(unexplainedCatches('// catch: any write error: a cache only costs time.\nawait write().catch(() => undefined)\n')).toEqual([])
    // A word in a string or a comment is no catch.
    expect(unexplainedCatches('const s = "catch (me)"\n// we catch nothing here\n')).toEqual([])
  })

  test('in every source file', async () => {
    const files = await fg(['src/**/*.{ts,mts,mjs,js}', 'bin/**/*.js', 'scripts/bundle.mjs'], {cwd: new URL('..', import.meta.url).pathname, absolute: true})
    expect(files.length).toBeGreaterThan(40)
    const unexplained = files.flatMap((file) => unexplainedCatches(readFileSync(file, 'utf8')).map((line) => `${file.replace(/^.*?\/(src|bin|scripts)\//, '$1/')}:${line}`))
    expect(unexplained).toEqual([])
  })
})
