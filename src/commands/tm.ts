import {basename, resolve} from 'node:path'
import {cacheDirOf} from '../cache/cache-dir.js'
import {withRunLock} from '../io/run-lock.js'
import {writeExport} from '../io/write-export.js'
import {writeInside} from '../io/write-inside.js'
import {pairFrom} from '../memory/memory-pairs.js'
import {importedMemoryPath, readImported, readMemory} from '../memory/read-memory.js'
import {openProject} from '../project/project.js'
import {resolvePath} from '../project/paths.js'
import {message, type Message} from '../report/message.js'
import {version} from '../version.js'
import {readInterchange} from '../xliff/read-interchange.js'
import {readTmx, writeTmx, type TmxUnit} from '../xliff/tmx.js'

/** Options of `tm export`. */
export interface TmExportOptions {
  root?: string
  /** The TMX file to write (relative to the working directory). */
  out: string
  cache?: boolean
  env?: Readonly<Record<string, string | undefined>>
  onWait?: (pid: number) => void
}

/** What `tm export` wrote. */
export interface TmExportResult {
  file: string
  units: number
  written: string[]
  messages: Message[]
}

/**
 * Export the project's translation memory (every reviewed Italian→English pair of every
 * post and archive; not the imported memories) as TMX 1.4, one unit per distinct pair,
 * sorted, so the same project gives the same bytes.
 *
 * @param options Root and output file.
 */
export async function tmExport(options: TmExportOptions): Promise<TmExportResult> {
  const project = await openProject(options.root ?? '.')
  const {pairs} = await readMemory(project, options.cache === false ? undefined : cacheDirOf(project.root, options.env ?? process.env), {pendingOf: () => false})
  const units = new Map<string, TmxUnit>()
  for (let at = 0; at < pairs.length; at++) {
    const source = pairs.sources[at] as string
    const target = pairs.targets[at] as string
    // An imported pair (no key) is not the project's own.
    if (!pairs.keys[at]) continue
    const id = `${source}\u0000${target}`
    if (!units.has(id)) units.set(id, {source, target, from: `${pairFrom(pairs, at)}#${pairs.keys[at] ?? ''}`})
  }
  const sorted = [...units].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, unit]) => unit)
  const text = writeTmx(sorted, {source: project.config.sourceLanguage, target: project.config.targetLanguage}, version)
  const written = await writeExport(project.root, options.out, text, options.onWait)
  return {file: options.out, units: sorted.length, written, messages: project.messages}
}

/** Options of `tm import`. */
export interface TmImportOptions {
  root?: string
  /** The TMX file (relative to the working directory). */
  file: string
  onWait?: (pid: number) => void
}

/** What `tm import` did. */
export interface TmImportResult {
  /** Units in the file in the project's two languages. */
  units: number
  /** Units new to the imported memory. */
  added: number
  written: string[]
  messages: Message[]
}

/**
 * Add an external TMX memory to the project as a suggestion source (never as
 * translations): its units go to `locales/.ponte/imported-memory.json`, which `suggest`
 * and `fill` read. A hostile file is refused as a whole (see `parseXml`).
 *
 * @param options Root and file.
 */
export async function tmImport(options: TmImportOptions): Promise<TmImportResult> {
  const project = await openProject(options.root ?? '.')
  const result: TmImportResult = {units: 0, added: 0, written: [], messages: [...project.messages]}
  const read = await readInterchange(resolve(options.file))
  const refuse = (ruleId: string, reason: string, place?: {line?: number | undefined; column?: number | undefined}): TmImportResult => {
    result.messages.push(message(options.file, place?.line !== undefined ? {line: place.line, column: place.column ?? 1} : undefined, 'error', ruleId, reason, 'nothing was imported; fix the file and import it again'))
    return result
  }
  if (!read.ok) return refuse(read.ruleId, read.reason)
  const tmx = readTmx(read.text, {source: project.config.sourceLanguage, target: project.config.targetLanguage})
  if (!tmx.ok) return refuse(tmx.problem.ruleId, tmx.problem.reason, tmx.problem)
  result.units = tmx.units.length
  if (tmx.skipped > 0) result.messages.push(message(options.file, undefined, 'info', 'tmx-unit-skipped', `${tmx.skipped} unit(s) without both languages or with values Ponte cannot read were skipped`, 'nothing to do'))
  const from = basename(options.file)
  return withRunLock(
    project.root,
    async () => {
      const existing = readImported(project.root)
      const seen = new Set(existing.map((pair) => `${pair.source}\u0000${pair.target}`))
      const units = existing.map((pair) => ({source: pair.source, target: pair.target, from: pair.from}))
      for (const unit of tmx.units) {
        const id = `${unit.source}\u0000${unit.target}`
        if (seen.has(id)) continue
        seen.add(id)
        units.push({source: unit.source, target: unit.target, from})
        result.added++
      }
      units.sort((a, b) => compare(a.source, b.source) || compare(a.target, b.target) || compare(a.from, b.from))
      const text = JSON.stringify({$comment: 'Written by `ponte tm import`: memories used as suggestions, never as translations.', units}, null, 2) + '\n'
      if (await writeInside(project.root, resolvePath(project.root, importedMemoryPath), text)) result.written.push(importedMemoryPath)
      return result
    },
    options.onWait ? {onWait: options.onWait} : {}
  )
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
