import {parseArgs} from 'node:util'
import {accept} from '../commands/accept.js'
import {build} from '../commands/build.js'
import {check} from '../commands/check.js'
import {extract} from '../commands/extract.js'
import {status} from '../commands/status.js'
import {UsageError} from '../project/project.js'
import {parseShard, type Shard} from '../project/shard.js'
import {readFix, UnreadablePath} from '../io/read-text.js'
import {formatGithub, formatText, tally, type ReporterName} from '../report/reporters.js'
import type {Message} from '../report/message.js'
import {commands, flagsOf, helpText, type CommandName} from './flags.js'
import {progressBar} from './progress.js'
import {formatStatus} from './format-status.js'
import {version} from '../version.js'
import {openInBrowser} from './open-browser.js'
import {formatWatchReport} from './format-watch.js'
import type {WatchReport} from '../commands/watch.js'

/** The commands, for a caller that needs to know whether a run is one (`bin/ponte.js`). */
export {commands}

/** Where the CLI prints, and what it knows of its environment. */
export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Readonly<Record<string, string | undefined>>
  /** Whether stderr is a terminal (for the progress bar). */
  isTTY: boolean
}

/**
 * Run the CLI: parse flags, run the command, print, and return the exit code.
 *
 * @param argv Arguments after the executable and script.
 * @param io Output streams and environment.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(helpText())
    return first === undefined ? 2 : 0
  }
  if (first === '--version' || first === '-v') {
    io.stdout(version + '\n')
    return 0
  }
  if (!(first in commands)) {
    io.stderr(`ponte: unknown command "${first}"; the commands are: ${Object.keys(commands).join(', ')}\nRun \`ponte --help\` for usage.\n`)
    return 2
  }
  const command = first as CommandName
  const table = flagsOf(command)
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: command === 'accept' || command === 'suggest' || command === 'fill' || command === 'xliff' || command === 'tm',
      strict: true,
      options: Object.fromEntries(table.map((flag) => [flag.name, {type: flag.type, ...(flag.short ? {short: flag.short} : {}), ...(flag.multiple ? {multiple: true} : {})}]))
    })
  } catch (error) {
    // catch: parseArgs's TypeError for an unknown or malformed flag: a usage error (exit 2).
    io.stderr(`ponte ${command}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}\nValid options: ${table.map((flag) => `--${flag.name}`).join(', ')}\n`)
    return 2
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>
  if (values['help']) {
    io.stdout(helpText(command))
    return 0
  }
  if (values['version'] === true) {
    io.stdout(version + '\n')
    return 0
  }
  const reporterValue = values['json'] ? 'json' : (values['reporter'] as string | undefined) ?? (io.env['GITHUB_ACTIONS'] === 'true' ? 'github' : 'text')
  if (!['text', 'json', 'github'].includes(reporterValue)) {
    io.stderr(`ponte ${command}: --reporter must be one of text, json, github (got "${reporterValue}")\n`)
    return 2
  }
  const reporter = reporterValue as ReporterName
  const root = (values['root'] as string | undefined) ?? '.'
  const quiet = Boolean(values['quiet'])
  const showProgress = reporter === 'text' && !quiet && !values['no-progress'] && io.isTTY && !io.env['CI']
  const progress = showProgress ? progressBar(command, io.stderr) : undefined
  const onProgress = progress ? (done: number, total: number) => progress.update(done, total) : undefined
  const cache = !values['no-cache']
  const onWait = (pid: number): void => io.stderr(`ponte ${command}: waiting for another ponte run (pid ${pid}) on this project to finish…\n`)

  try {
    switch (command) {
      case 'extract': {
        const result = await extract({root, cache, onWait, ...(onProgress ? {onProgress} : {})})
        progress?.done()
        const t = result.totals
        const summary = `extract: ${result.posts.length} post(s), ${t.segments} segments (${t.same} unchanged, ${t.edited} edited, ${t.added} new, ${t.restored} restored; ${t.archived} translations archived); ${result.written.length} file(s) written\n`
        return report(io, reporter, quiet, result.messages, summary, result)
      }
      case 'build': {
        const result = await build({root, cache, onWait, ...shardOf(values), ...(onProgress ? {onProgress} : {})})
        progress?.done()
        const t = result.totals
        const skipped = result.posts.filter((post) => post.skipped).length
        const summary = `build: ${result.posts.length} post(s), ${result.written.length} edition(s) written${skipped ? `, ${skipped} below the threshold` : ''}; ${t.segments} segments: ${t.translated} translated, ${t.stale} stale, ${t.suggested} suggested, ${t.missing} missing and ${t.invalid} invalid (Italian used for missing and invalid)\n`
        return report(io, reporter, quiet, result.messages, summary, result)
      }
      case 'status': {
        const result = await status({root, cache, ...(onProgress ? {onProgress} : {})})
        progress?.done()
        return report(io, reporter, false, result.messages, formatStatus(result), result)
      }
      case 'check': {
        const result = await check({root, cache, strict: Boolean(values['strict']), ...shardOf(values), ...(onProgress ? {onProgress} : {})})
        progress?.done()
        const {errors, warnings} = tally(result.messages)
        const summary = result.ok ? `check: ok (${warnings} warning(s))\n` : `check: ${errors} error(s), ${warnings} warning(s)\n`
        return report(io, reporter, quiet, result.messages, summary, result)
      }
      case 'suggest':
      case 'fill':
      case 'xliff':
      case 'tm': {
        // Loaded only for these commands: the memory and XML code cost the others nothing.
        const {runMemoryCommand} = await import('./memory-commands.js')
        // A report of suggestions, text or JSON, is written post by post (it can run to hundreds of MB).
        const stream = reporter === 'text' && !quiet ? io.stdout : undefined
        const streamJson = reporter === 'json' ? io.stdout : undefined
        return await runMemoryCommand(command, parsed.positionals, values, {root, onWait, ...(stream ? {stream} : {}), ...(streamJson ? {streamJson} : {}), print: (messages, summary, result) => report(io, reporter, quiet, messages, summary, result)})
      }
      case 'accept': {
        const keys = values['key']
        const result = await accept({root, onWait, posts: parsed.positionals, keys: Array.isArray(keys) ? keys : []})
        const count = result.accepted.reduce((sum, post) => sum + post.keys.length, 0)
        return report(io, reporter, quiet, result.messages, `accept: ${count} stale or suggested translation(s) confirmed in ${result.accepted.length} post(s)\n`, result)
      }
      case 'translate': {
        const port = values['port'] === undefined ? undefined : Number(values['port'])
        if (port !== undefined && (!/^\d+$/.test(String(values['port'])) || port > 65535)) {
          io.stderr(`ponte translate: --port must be a number from 0 to 65535 (got "${String(values['port'])}")\n`)
          return 2
        }
        const host = values['host'] as string | undefined
        // Loaded only for this command: the server's code costs the other commands nothing.
        const {translate} = await import('../commands/translate.js')
        const workbench = await translate({root, ...(port !== undefined ? {port} : {}), ...(host ? {host} : {}), onError: (error) => io.stderr(`ponte translate: a request failed: ${error.message}\n`)})
        for (const warning of workbench.warnings) io.stderr(`ponte translate: warning: ${warning}\n`)
        io.stdout(`Translator page: ${workbench.url}\nOpen it in a browser; press Ctrl+C to stop.\n`)
        if (values['open']) openInBrowser(workbench.url, io)
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve())
          process.once('SIGTERM', () => resolve())
        })
        await workbench.close()
        return 0
      }
      case 'watch': {
        // Ctrl-C (or a stop from a process manager) ends the loop once the run going on is over,
        // so no lock or temporary file is left behind.
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve())
          process.once('SIGTERM', () => resolve())
        })
        const {watch} = await import('../commands/watch.js')
        const print = (report: WatchReport): void => {
          const text = formatWatchReport(report, reporter)
          if (text.stdout && !quiet) io.stdout(text.stdout)
          if (text.stderr) io.stderr(text.stderr)
        }
        const watching = await watch({root, cache, onWait, onReport: print})
        await stopped
        await watching.close()
        if (reporter !== 'json') io.stdout('watch: stopped\n')
        return 0
      }
    }
  } catch (error) {
    // catch: UsageError (exit 2) and file-system errors (what and where, exit 2); anything else is a bug and is thrown again.
    progress?.done()
    if (error instanceof UsageError) {
      io.stderr(`ponte ${command}: ${error.message}\n`)
      return 2
    }
    // A file the run needed could not be read (and nothing was written on the strength of it).
    if (error instanceof UnreadablePath) {
      io.stderr(`ponte ${command}: cannot read ${error.path} (${error.code}); ${readFix(error.code)}\n`)
      return 1
    }
    // The file system refused something the run needs (a folder it cannot read, a full disk):
    // what and where, without a stack trace; what was written before stays consistent.
    const failure = error as NodeJS.ErrnoException
    if (typeof failure.code === 'string' && typeof failure.syscall === 'string') {
      io.stderr(`ponte ${command}: cannot ${failure.syscall}${failure.path ? ` ${failure.path}` : ''}: ${failure.code}${fileSystemHint[failure.code] ? `; ${fileSystemHint[failure.code]}` : ''}\n`)
      return 2
    }
    throw error
  }
}

/** The `--shard` option, parsed (a malformed one is a usage error). */
function shardOf(values: Readonly<Record<string, unknown>>): {shard?: Shard} {
  const text = values['shard']
  return typeof text === 'string' ? {shard: parseShard(text)} : {}
}

/** What to do about the file-system errors a run can meet. */
const fileSystemHint: Record<string, string> = {
  EACCES: 'give the user running Ponte access to it',
  EPERM: 'give the user running Ponte access to it',
  ENOSPC: 'free some disk space and run again',
  EROFS: 'the file system is read-only: run Ponte where it can write',
  ENOENT: 'it disappeared during the run: run again',
  ENOTDIR: 'part of this path is a file where Ponte needs a folder: move that file away',
  EISDIR: 'a folder stands where Ponte writes a file: move that folder away'
}

function report(io: Io, reporter: ReporterName, quiet: boolean, messages: readonly Message[], summary: string, result: unknown): number {
  const failed = messages.some((item) => item.severity === 'error')
  if (reporter === 'json') io.stdout(JSON.stringify(result, null, 2) + '\n')
  else if (reporter === 'github') {
    io.stdout(formatGithub(messages))
    io.stdout(summary)
  } else {
    const shown = quiet ? messages.filter((item) => item.severity !== 'info') : messages
    if (shown.length > 0) io.stderr(formatText(shown))
    if (!quiet || failed) io.stdout(summary)
  }
  return failed ? 1 : 0
}
