import {mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, test} from 'vitest'
import {findPosts} from '../src/io/find-posts.js'

/** A folder dated far in the past: its stamp can be trusted (nothing changed in it "just now"). */
function settle(folder: string, seconds: number): void {
  const when = new Date(Date.UTC(2020, 0, 1) + seconds * 1000)
  utimesSync(folder, when, when)
}

function tree(): {root: string; base: string; cache: string} {
  const root = mkdtempSync(join(tmpdir(), 'ponte-listing-'))
  const base = join(root, 'content', 'it')
  mkdirSync(base, {recursive: true})
  return {root, base, cache: join(root, 'node_modules', '.cache', 'ponte')}
}

const listingOf = (cache: string): {folders: Record<string, {racy: boolean; posts: string[]}>} => JSON.parse(readFileSync(join(cache, 'posts-it.json'), 'utf8'))

/** Change the listing as if the last run had found a post that is not there. */
function plant(cache: string, folder: string, name: string): void {
  const listing = listingOf(cache)
  listing.folders[folder]?.posts.push(name)
  writeFileSync(join(cache, 'posts-it.json'), JSON.stringify(listing))
}

describe('the posts found, kept between runs', () => {
  // Names a post tree may hold: posts, hidden files and folders, other extensions, case.
  const name = fc.constantFrom('a', 'b', 'c.md', 'd.md', '.h.md', '.hidden', 'E.MD', 'f.markdown', 'g.md.txt', 'x y.md', 'àè.md')
  const step = fc.oneof(
    fc.record({op: fc.constant('file' as const), path: fc.array(name, {minLength: 1, maxLength: 3})}),
    fc.record({op: fc.constant('folder' as const), path: fc.array(name, {minLength: 1, maxLength: 3})}),
    fc.record({op: fc.constant('remove' as const), path: fc.array(name, {minLength: 1, maxLength: 3})}),
    fc.record({op: fc.constant('rename' as const), path: fc.array(name, {minLength: 1, maxLength: 3}), to: name})
  )

  test('after any changes to the tree, the listing walked from the cache is what fast-glob finds afresh', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(step, {minLength: 1, maxLength: 4}), {minLength: 1, maxLength: 4}), async (rounds) => {
        const {root, base, cache} = tree()
        try {
          let clock = 0
          for (const round of rounds) {
            for (const change of round) {
              const target = join(base, ...change.path)
              try {
                if (change.op === 'file') {
                  mkdirSync(dirname(target), {recursive: true})
                  writeFileSync(target, '# Post\n')
                } else if (change.op === 'folder') mkdirSync(target, {recursive: true})
                else if (change.op === 'remove') rmSync(target, {recursive: true, force: true})
                else renameSync(target, join(dirname(target), change.to))
              } catch {
                // A change the tree does not allow (a file where a folder is needed…) is skipped.
              }
            }
            // Every folder dated in the past, each run at a different time: the cache is trusted
            // and must still see each change.
            clock += 10
            const settleAll = (folder: string): void => {
              for (const entry of readdirSync(folder, {withFileTypes: true})) if (entry.isDirectory()) settleAll(join(folder, entry.name))
              settle(folder, clock)
            }
            settleAll(base)
            const fresh = await findPosts(root, 'it')
            expect(await findPosts(root, 'it', cache)).toEqual(fresh)
            // And again from the listing just written, with nothing changed.
            expect(await findPosts(root, 'it', cache)).toEqual(fresh)
          }
        } finally {
          rmSync(root, {recursive: true, force: true})
        }
      }),
      {numRuns: 60}
    )
  })

  test('a folder whose stamp matches is not read again; one changed, or changed too recently to trust, is', async () => {
    const {root, base, cache} = tree()
    mkdirSync(join(base, 'viaggi'))
    writeFileSync(join(base, 'viaggi', 'roma.md'), '# Roma\n')
    settle(join(base, 'viaggi'), 1)
    settle(base, 1)
    expect((await findPosts(root, 'it', cache)).posts).toEqual(['viaggi/roma.md'])
    expect(listingOf(cache).folders['viaggi']?.racy).toBe(false)
    // The cache is what answers: a post planted in the listing of an unchanged folder is
    // "found" (which shows the folder was not read).
    plant(cache, 'viaggi', 'piantato.md')
    expect((await findPosts(root, 'it', cache)).posts).toEqual(['viaggi/piantato.md', 'viaggi/roma.md'])
    // A post added to the folder changes its stamp: the folder is read again.
    writeFileSync(join(base, 'viaggi', 'milano.md'), '# Milano\n')
    expect((await findPosts(root, 'it', cache)).posts).toEqual(['viaggi/milano.md', 'viaggi/roma.md'])
    // That folder changed just now: it is marked racy, and read again next time even though
    // its stamp matches (a second change in the same clock tick could keep it).
    expect(listingOf(cache).folders['viaggi']?.racy).toBe(true)
    plant(cache, 'viaggi', 'piantato.md')
    expect((await findPosts(root, 'it', cache)).posts).toEqual(['viaggi/milano.md', 'viaggi/roma.md'])
    rmSync(root, {recursive: true, force: true})
  })

  test('a tree with a link that may be a post is walked by fast-glob with its link checks, every time', async () => {
    const {root, base, cache} = tree()
    const elsewhere = mkdtempSync(join(tmpdir(), 'ponte-elsewhere-'))
    writeFileSync(join(elsewhere, 'fuori.md'), '# Fuori\n')
    writeFileSync(join(base, 'dentro.md'), '# Dentro\n')
    symlinkSync(join(elsewhere, 'fuori.md'), join(base, 'collegato.md'))
    symlinkSync(join(base, 'dentro.md'), join(base, 'stesso.md'))
    settle(base, 1)
    for (let run = 0; run < 2; run++) {
      // A link to a file inside the root is a post; one that leads out is reported.
      expect(await findPosts(root, 'it', cache)).toEqual({posts: ['dentro.md', 'stesso.md'], outside: ['collegato.md'], unreadable: []})
      expect(() => readFileSync(join(cache, 'posts-it.json'))).toThrow()
    }
    rmSync(root, {recursive: true, force: true})
    rmSync(elsewhere, {recursive: true, force: true})
  })
})

