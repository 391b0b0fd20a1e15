import {cp, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {build} from '../../src/commands/build.js'
import {extract} from '../../src/commands/extract.js'
import {snapshot} from './project.js'

/** A cold run of extract and build on a copy, without any cache: the reference output of a project. */
export async function cold(root: string): Promise<Record<string, string>> {
  const copy = await mkdtemp(join(tmpdir(), 'ponte-cold-'))
  await cp(root, copy, {recursive: true, filter: (source) => !source.includes('node_modules')})
  await extract({root: copy, cache: false})
  await build({root: copy, cache: false})
  const files = await snapshot(copy)
  await rm(copy, {recursive: true, force: true})
  return files
}
