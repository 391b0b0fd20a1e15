/**
 * Ponte's API: every command of the CLI is a function `run(options) → result` that returns
 * what it did (files written, counts, messages with file:line:column) and never prints.
 *
 * ```js
 * import {build, status} from 'ponte'
 * const {written, messages} = await build({root: 'my-site'})
 * ```
 *
 * @packageDocumentation
 */
import type {Watching, WatchOptions} from './commands/watch.js'

export {accept, type AcceptOptions, type AcceptResult} from './commands/accept.js'
export {build, type BuildOptions, type BuildResult} from './commands/build.js'
export {check, type CheckOptions, type CheckResult} from './commands/check.js'
export {extract, type ExtractOptions, type ExtractResult} from './commands/extract.js'
export {status, type PostStatus, type StatusResult} from './commands/status.js'
export {suggest, type SuggestOptions, type SuggestResult, type SuggestedSegment} from './commands/suggest.js'
export {fill, type FillOptions, type FillResult} from './commands/fill.js'
export {xliffExport, xliffImport, type XliffExportOptions, type XliffExportResult, type XliffImportOptions, type XliffImportResult} from './commands/xliff.js'
export {tmExport, tmImport, type TmExportOptions, type TmExportResult, type TmImportOptions, type TmImportResult} from './commands/tm.js'
export {suggestionsFor, type SuggestionsForOptions} from './memory/suggestions-for.js'
export type {Suggestion} from './memory/match-memory.js'
export type {PostChange, Watching, WatchOptions, WatchReport} from './commands/watch.js'
export type {KeyCounts} from './project/extract-post.js'
export type {PostCounts} from './project/build-post.js'
export type {RunOptions, WriteOptions} from './run/run-command.js'
export type {Message, Severity} from './report/message.js'
export {defaultConfig, type Config, type ProtectedPattern, type StalePolicy} from './config.js'
export {UsageError} from './project/project.js'
export {version} from './version.js'
/** The CLI: `main(argv, io)` returns the exit code (`bin/ponte.js` calls it). */
export {main, commands, type Io} from './cli/main.js'

/**
 * Start the editor's loop (`ponte watch`): extract and build on every save until `close()`.
 * The watcher's code is loaded on the first call, so the other commands start without it.
 *
 * @param options Root, settle time (default 150 ms) and the report callback.
 */
export async function watch(options: WatchOptions): Promise<Watching> {
  const loaded = await import('./commands/watch.js')
  return loaded.watch(options)
}
