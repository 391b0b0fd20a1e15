import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import fc from 'fast-check'
import type {EditMap} from 'micromark-util-edit-map'
import {describe, expect, test} from 'vitest'

// Ponte patches micromark-util-edit-map (patches/, applied on install): `consume` no longer
// copies the events before the first edit, which made posts with many lists quadratic.
// The patched method must still apply edits exactly as splicing them one by one would,
// in both builds of the package: the bundle uses index.js, the tests dev/index.js.

type Event = Parameters<EditMap['consume']>[0][number]
const folder = join(import.meta.dirname, '..', 'node_modules', 'micromark-util-edit-map')
const builds = ['index.js', 'dev/index.js']

describe.each(builds)('patched EditMap.consume (%s)', (file) => {
  test('applies any set of edits like splicing from the last to the first', async () => {
    const {EditMap} = (await import(pathToFileURL(join(folder, file)).href)) as {EditMap: new () => EditMap}
    fc.assert(
      fc.property(
        fc.integer({min: 0, max: 60}),
        fc.uniqueArray(fc.record({at: fc.nat(60), remove: fc.nat(3), add: fc.nat(3)}), {selector: (edit) => edit.at, maxLength: 6}),
        (length, generated) => {
          const events = Array.from({length}, (_, index) => `e${index}` as unknown as Event)
          const added = (at: number, count: number): Event[] => Array.from({length: count}, (_, index) => `n${at}.${index}` as unknown as Event)
          // Edits fall inside the list and do not overlap, as in micromark.
          const edits = generated.filter((edit) => edit.at <= length).map((edit) => ({...edit, remove: Math.min(edit.remove, length - edit.at)}))
          const sorted = [...edits].sort((a, b) => a.at - b.at)
          if (sorted.some((edit, index) => index > 0 && (sorted[index - 1] as {at: number; remove: number}).at + (sorted[index - 1] as {remove: number}).remove > edit.at)) return
          const expected = [...events]
          for (const edit of [...sorted].reverse()) expected.splice(edit.at, edit.remove, ...added(edit.at, edit.add))
          const map = new EditMap()
          // Added in the generated order: the map sorts them itself.
          for (const edit of edits) map.add(edit.at, edit.remove, added(edit.at, edit.add))
          map.consume(events)
          expect(events).toEqual(expected)
        }
      ),
      {numRuns: 500}
    )
  })

  test('the events before the first edit are neither read nor moved (the patch runs: it is what keeps many lists linear)', async () => {
    const {EditMap} = (await import(pathToFileURL(join(folder, file)).href)) as {EditMap: new () => EditMap}
    const length = 1000
    const first = 900
    const events = Array.from({length}, (_, index) => `e${index}` as unknown as Event)
    // Every read or write of a position before the first edit is counted; the unpatched
    // method copies the whole list (`events.slice()`) and pushes it back, touching all 900.
    let touched = 0
    const watched = new Proxy(events, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property) && Number(property) < first) touched++
        return Reflect.get(target, property, receiver) as unknown
      },
      set(target, property, value, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property) && Number(property) < first) touched++
        return Reflect.set(target, property, value, receiver)
      }
    })
    const map = new EditMap()
    map.add(first, 2, ['n1' as unknown as Event])
    map.add(950, 0, ['n2' as unknown as Event])
    map.consume(watched)
    expect(touched).toBe(0)
    expect(events).toHaveLength(length - 2 + 2)
    expect(events.slice(first - 1, first + 2)).toEqual(['e899', 'n1', 'e902'])
    expect(events.indexOf('n2' as unknown as Event)).toBe(950 - 1)
  })
})
