import {readFile} from 'node:fs/promises'
import {lineStarts, locate} from '../segment/segment.js'
import {planBuild, type PostCounts} from '../project/build-post.js'
import {planExtract} from '../project/extract-post.js'
import {analyzePost} from '../project/analyze.js'
import {openProject, readPostFiles, readSource} from '../project/project.js'
import {resolvePath} from '../project/paths.js'
import {message, sortMessages, type Message} from '../report/message.js'
import {add, zero} from './build.js'

/** Options of `check`. */
export interface CheckOptions {
  root?: string
  /** Fail (exit 1) on stale and missing translations too. */
  strict?: boolean
  onProgress?: (done: number, total: number) => void
}

/** What `check` found. */
export interface CheckResult {
  ok: boolean
  totals: PostCounts
  messages: Message[]
}

/**
 * Check, without writing anything, that catalogs are up to date with the posts, that
 * editions are up to date with the catalogs, and that every translation is valid.
 * Stale and missing translations are warnings, errors with `strict`.
 *
 * @param options Root, strictness and progress callback.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const project = await openProject(options.root ?? '.')
  const messages: Message[] = [...project.messages]
  const totals = zero()
  const soft = options.strict ? 'error' : 'warning'
  let done = 0
  for (const paths of project.posts) {
    const source = await readSource(project.root, paths)
    if (!source.ok) {
      messages.push(source.message)
      options.onProgress?.(++done, project.posts.length)
      continue
    }
    const files = await readPostFiles(project.root, paths)
    const analysis = analyzePost(source.text, project.config, project.patterns)
    const extracted = planExtract(paths, source.text, files, project.config, project.patterns, analysis)
    if (analysis.fatal) {
      messages.push(...extracted.messages)
      options.onProgress?.(++done, project.posts.length)
      continue
    }
    if (extracted.refused) messages.push(...extracted.messages)
    for (const [path, content] of extracted.files) {
      const current = await readFile(resolvePath(project.root, path), 'utf8').catch(() => undefined)
      if (current !== content) {
        messages.push(message(path, undefined, 'error', 'catalog-outdated', current === undefined ? `missing: ${paths.source} has not been extracted` : `out of date with ${paths.source}`, 'run `npm run extract` and commit the result'))
      }
    }
    const built = planBuild(paths, source.text, files, project.config, project.patterns, true, analysis)
    messages.push(...built.messages)
    add(totals, built.counts)
    if (built.edition !== undefined) {
      const current = await readFile(resolvePath(project.root, paths.edition), 'utf8').catch(() => undefined)
      if (current !== built.edition) {
        messages.push(message(paths.edition, undefined, 'error', 'edition-outdated', current === undefined ? 'missing' : `out of date with ${paths.targetCatalog}`, 'run `npm run build` and commit the result'))
      }
    }
    const catalog = files.targetCatalog ?? ''
    const starts = lineStarts(catalog)
    const place = (key: string): {line: number; column: number} | undefined => {
      const index = catalog.indexOf(`${JSON.stringify(key)}:`)
      return index === -1 ? undefined : locate(starts, index)
    }
    for (const item of built.stale) {
      messages.push(message(paths.targetCatalog, place(item.key), soft, 'translation-stale', `"${item.key}" is stale: its Italian changed${item.was !== undefined ? ` (it was: ${JSON.stringify(item.was)})` : ''}`, `update the translation, or confirm it with \`ponte accept ${paths.post}\``))
    }
    if (built.counts.missing > 0) {
      const missing = built.missing
      messages.push(message(paths.targetCatalog, place(missing[0] ?? ''), soft, 'translation-missing', `${built.counts.missing} of ${built.counts.segments} segments have no translation${missing.length ? ` (first: "${missing[0]}")` : ''}`, 'translate them; the Italian is used until then'))
    }
    options.onProgress?.(++done, project.posts.length)
  }
  const sorted = sortMessages(messages)
  return {ok: !sorted.some((item) => item.severity === 'error'), totals, messages: sorted}
}
