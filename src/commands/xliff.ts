import {resolve} from 'node:path'
import {withRunLock} from '../io/run-lock.js'
import {writeExport} from '../io/write-export.js'
import {writeInside} from '../io/write-inside.js'
import {applyValues} from '../memory/apply-values.js'
import {catalogSegments} from '../memory/pending-segments.js'
import {openProject} from '../project/project.js'
import {resolvePath, type PostPaths} from '../project/paths.js'
import {message, sortMessages, type Message} from '../report/message.js'
import {parseValue, stringifyValue} from '../segment/tagged.js'
import type {XliffVersion} from '../xliff/inline-codes.js'
import {readInterchange} from '../xliff/read-interchange.js'
import {readXliff} from '../xliff/read-xliff.js'
import {writeXliff} from '../xliff/write-xliff.js'
import {choosePosts} from './suggest.js'

/** Options of `xliff export`. */
export interface XliffExportOptions {
  root?: string
  /** Posts (paths under content/it); all when empty. */
  posts?: string[]
  /** The file to write (relative to the working directory). */
  out: string
  /** `2.0` (default) or `1.2`. */
  version?: XliffVersion
  /** Missing segments get a copy of the source as target, marked new (for CAT tools that translate targets in place, such as OmegaT). */
  copySource?: boolean
  onWait?: (pid: number) => void
}

/** What `xliff export` wrote. */
export interface XliffExportResult {
  file: string
  posts: number
  units: number
  written: string[]
  messages: Message[]
}

/**
 * Export posts' catalogs as XLIFF for a CAT tool: one unit per segment with the Italian
 * as source and the English (if any) as target with its state. Reads the catalogs as
 * `extract` last wrote them.
 *
 * @param options Root, posts, output file, version.
 */
export async function xliffExport(options: XliffExportOptions): Promise<XliffExportResult> {
  const project = await openProject(options.root ?? '.')
  const chosen = choosePosts(project, options.posts ?? [], 'xliff export')
  const version = options.version ?? '2.0'
  const posts = chosen.map((paths) => ({post: paths.post, segments: catalogSegments(project.root, paths)}))
  const text = writeXliff(posts, version, {source: project.config.sourceLanguage, target: project.config.targetLanguage}, options.copySource ?? false)
  const written = await writeExport(project.root, options.out, text, options.onWait)
  return {file: options.out, posts: posts.length, units: posts.reduce((sum, post) => sum + post.segments.length, 0), written, messages: project.messages}
}

/** Options of `xliff import`. */
export interface XliffImportOptions {
  root?: string
  /** The XLIFF file (relative to the working directory). */
  file: string
  onWait?: (pid: number) => void
}

/** What `xliff import` did. */
export interface XliffImportResult {
  applied: Array<{path: string; keys: string[]}>
  /** Targets left out because they failed validation (each reported with its unit id). */
  refused: number
  written: string[]
  messages: Message[]
}

/**
 * Import the targets of an XLIFF file (2.0 or 1.2) into the English catalogs, through the
 * same validation as a translator's edit. A document that is hostile or does not match the
 * project (a DOCTYPE, an entity, more than 100 MB, an inline code Ponte did not write, a
 * post or unit that does not exist) is refused as a whole and nothing is written; a target
 * that fails validation is reported with its unit id and left out. Targets equal to the
 * catalog's value change nothing; a target whose state asks for review (new, initial,
 * needs-…) is applied as a suggestion, or skipped when it only copies the source.
 *
 * @param options Root and file.
 */
export async function xliffImport(options: XliffImportOptions): Promise<XliffImportResult> {
  const project = await openProject(options.root ?? '.')
  const result: XliffImportResult = {applied: [], refused: 0, written: [], messages: [...project.messages]}
  const file = options.file
  const refuse = (ruleId: string, reason: string, place?: {line?: number | undefined; column?: number | undefined}): XliffImportResult => {
    result.messages.push(message(file, place?.line !== undefined ? {line: place.line, column: place.column ?? 1} : undefined, 'error', ruleId, reason, 'nothing was imported; fix the file (or export it again from Ponte) and import it again'))
    return result
  }
  const read = await readInterchange(resolve(file))
  if (!read.ok) return refuse(read.ruleId, read.reason)
  const document = readXliff(read.text)
  if (!document.ok) return refuse(document.problem.ruleId, document.problem.reason, document.problem)
  const byPost = new Map(project.posts.map((paths) => [paths.post, paths]))
  const wanted = new Map<PostPaths, Map<string, {value: string; suggested: boolean}>>()
  const unitsOf = new Map<PostPaths, Map<string, {italian: string; english: string}>>()
  for (const unit of document.units) {
    const paths = byPost.get(unit.post)
    if (!paths) return refuse('xliff-unit-unknown', `unit "${unit.id}": the file's original "${unit.post}" is not a post of this project (content/${project.config.sourceLanguage}/${unit.post})`)
    if (!unit.target.ok) return refuse('xliff-inline-unknown', `unit "${unit.id}" of ${unit.post}: ${unit.target.reason}`)
    let current = unitsOf.get(paths)
    if (!current) {
      current = new Map(catalogSegments(project.root, paths).map((segment) => [segment.key, {italian: segment.value, english: segment.english}]))
      unitsOf.set(paths, current)
      wanted.set(paths, new Map())
    }
    const known = current.get(unit.id)
    if (known === undefined) return refuse('xliff-unit-unknown', `unit "${unit.id}" is not a segment of ${unit.post} (run \`npm run extract\`, export again, and translate that file)`)
    const {italian, english} = known
    // A new target that copies the source is a segment the CAT tool left untranslated.
    if (unit.review && unit.target.value === italian) continue
    // The same text written with other escapes is the same value: it is left as it is.
    const parsed = parseValue(english)
    if (english === unit.target.value || (parsed.ok && stringifyValue(parsed.nodes) === unit.target.value)) continue
    wanted.get(paths)?.set(unit.id, {value: unit.target.value, suggested: unit.review})
  }
  return withRunLock(
    project.root,
    async () => {
      const plans = []
      for (const [paths, values] of wanted) {
        if (values.size === 0) continue
        const applied = await applyValues(project, paths, values)
        if (applied.messages.some((item) => item.severity === 'error')) {
          result.messages.push(...applied.messages)
          return refuse('xliff-post-refused', `${paths.post} cannot be updated (see above)`)
        }
        const unknown = applied.refused.find((item) => item.ruleId === 'unit-unknown')
        if (unknown) return refuse('xliff-unit-unknown', `unit "${unknown.key}" is not a segment of ${paths.post} any more (its Italian changed since the catalogs were extracted)`)
        for (const item of applied.refused) {
          result.refused++
          result.messages.push(message(file, undefined, 'error', 'xliff-target-invalid', `unit "${item.key}" of ${paths.post}: ${item.reason} (${item.ruleId}); this target was left out`, 'fix the target in the CAT tool and import again'))
        }
        plans.push({paths, applied})
      }
      for (const {paths, applied} of plans) {
        if (applied.applied.length === 0) continue
        for (const [path, content] of applied.files) if (await writeInside(project.root, resolvePath(project.root, path), content)) result.written.push(path)
        result.applied.push({path: paths.post, keys: applied.applied})
      }
      result.messages = sortMessages(result.messages)
      return result
    },
    options.onWait ? {onWait: options.onWait} : {}
  )
}
