import {fill} from '../commands/fill.js'
import {suggest, type SuggestResult} from '../commands/suggest.js'
import {tmExport, tmImport} from '../commands/tm.js'
import {xliffExport, xliffImport} from '../commands/xliff.js'
import {UsageError} from '../project/project.js'
import type {Message} from '../report/message.js'

/** What the CLI hands a memory command besides its flags. */
export interface MemoryCommandIo {
  root: string
  onWait: (pid: number) => void
  /** Print the messages, the summary (or the result as JSON), and return the exit code. */
  print: (messages: readonly Message[], summary: string, result: unknown) => number
  /** Where a text report is written as it is made (post by post), when it is text. */
  stream?: (text: string) => void
  /** Where a JSON report is written as it is made (post by post), when it is JSON. */
  streamJson?: (text: string) => void
}

/**
 * Run `suggest`, `fill`, `xliff export|import` or `tm export|import` from parsed flags.
 *
 * @param command The command.
 * @param positionals Its positional arguments (a subcommand, posts, a file).
 * @param values Its flags.
 * @param io Root, lock-wait callback, printer.
 */
export async function runMemoryCommand(command: 'suggest' | 'fill' | 'xliff' | 'tm', positionals: readonly string[], values: Record<string, string | boolean | string[] | undefined>, io: MemoryCommandIo): Promise<number> {
  const {root, onWait} = io
  switch (command) {
    case 'suggest': {
      const {stream, streamJson} = io
      if (streamJson) return suggestAsJson(root, positionals, values, streamJson)
      const result = await suggest({root, posts: [...positionals], ...numberFlag(values, 'min-score', 0, 100, 'minScore'), ...numberFlag(values, 'limit', 1, 1000, 'limit'), ...(stream ? {onPost: (post: SuggestResult['posts'][number]) => stream(formatPost(post))} : {})})
      return io.print(result.messages, stream ? formatTotals(result) : formatSuggestions(result), result)
    }
    case 'fill': {
      const result = await fill({root, onWait, exact: values['exact'] === true, posts: [...positionals]})
      const count = result.filled.reduce((sum, post) => sum + post.keys.length, 0)
      const summary = `fill: ${count} missing translation(s) filled from exact memory matches in ${result.filled.length} post(s), marked suggested until a translator reviews them (\`ponte accept\`)${result.ambiguous ? `; ${result.ambiguous} left with more than one English in the memory` : ''}\n`
      return io.print(result.messages, summary, result)
    }
    case 'xliff': {
      const [action, ...rest] = positionals
      if (action === 'export') {
        const out = requireOut(values, 'export')
        const version = values['version'] === '1.2' ? '1.2' : values['version'] === undefined || values['version'] === '2.0' ? '2.0' : undefined
        if (version === undefined) throw new UsageError(`export: --version must be 1.2 or 2.0 (got "${String(values['version'])}")`)
        const result = await xliffExport({root, out, version, posts: rest, copySource: values['copy-source'] === true})
        return io.print(result.messages, `xliff export: ${result.units} unit(s) of ${result.posts} post(s) written to ${out} (XLIFF ${version})\n`, result)
      }
      if (action === 'import') {
        const file = single(rest, 'import', 'FILE')
        const result = await xliffImport({root, file, onWait})
        const count = result.applied.reduce((sum, post) => sum + post.keys.length, 0)
        return io.print(result.messages, `xliff import: ${count} translation(s) applied in ${result.applied.length} post(s), ${result.refused} refused; ${result.written.length} file(s) written\n`, result)
      }
      throw new UsageError(`say \`export\` or \`import\` (got ${action === undefined ? 'nothing' : `"${action}"`}); see \`ponte xliff --help\``)
    }
    case 'tm': {
      const [action, ...rest] = positionals
      if (action === 'export') {
        if (rest.length > 0) throw new UsageError(`export: unexpected argument "${rest[0]}"`)
        const out = requireOut(values, 'export')
        const result = await tmExport({root, out})
        return io.print(result.messages, `tm export: ${result.units} translation unit(s) written to ${out}\n`, result)
      }
      if (action === 'import') {
        const file = single(rest, 'import', 'FILE.tmx')
        const result = await tmImport({root, file, onWait})
        return io.print(result.messages, `tm import: ${result.added} unit(s) added as a suggestion source (${result.units} in the file); ${result.written.length} file(s) written\n`, result)
      }
      throw new UsageError(`say \`export\` or \`import\` (got ${action === undefined ? 'nothing' : `"${action}"`}); see \`ponte tm --help\``)
    }
  }
}

function requireOut(values: Record<string, unknown>, command: string): string {
  const out = values['out']
  if (typeof out !== 'string' || !out) throw new UsageError(`${command}: --out FILE is required`)
  return out
}

function single(rest: readonly string[], command: string, name: string): string {
  if (rest.length !== 1 || !rest[0]) throw new UsageError(`${command}: expected one ${name} (got ${rest.length})`)
  return rest[0]
}

function numberFlag<T extends string>(values: Record<string, unknown>, flag: string, min: number, max: number, option: T): Partial<Record<T, number>> {
  const raw = values[flag]
  if (raw === undefined) return {}
  const value = Number(raw)
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < min || value > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max} (got "${String(raw)}")`)
  return {[option]: value} as Partial<Record<T, number>>
}

/**
 * Run `suggest --json`, writing the document post by post: the same bytes as
 * `JSON.stringify(result, null, 2)`, without holding every post's suggestions (hundreds of MB
 * at 10,000 posts) at once.
 *
 * @param root The project root.
 * @param posts The posts asked for.
 * @param values The flags.
 * @param write Where the document goes.
 * @returns The exit code (1 when a message is an error).
 */
async function suggestAsJson(root: string, posts: readonly string[], values: Record<string, string | boolean | string[] | undefined>, write: (text: string) => void): Promise<number> {
  let first = true
  const onPost = (post: SuggestResult['posts'][number]): void => {
    write(`${first ? '{\n  "posts": [\n' : ',\n'}${JSON.stringify(post, null, 2).replace(/^/gm, '    ')}`)
    first = false
  }
  const result = await suggest({root, posts: [...posts], ...numberFlag(values, 'min-score', 0, 100, 'minScore'), ...numberFlag(values, 'limit', 1, 1000, 'limit'), onPost})
  // The rest of the document: what follows `posts`, as JSON.stringify writes it.
  const rest = JSON.stringify({totals: result.totals, messages: result.messages}, null, 2).slice(1)
  write(`${first ? '{\n  "posts": [],' : '\n  ],'}${rest}\n`)
  return result.messages.some((item) => item.severity === 'error') ? 1 : 0
}

/**
 * Render suggestions for people: each segment, its Italian, and its matches best first.
 *
 * @param result What `suggest` found.
 */
export function formatSuggestions(result: SuggestResult): string {
  return result.posts.map(formatPost).join('') + formatTotals(result)
}

/** One post's segments and their suggestions, for people. */
function formatPost(post: SuggestResult['posts'][number]): string {
  const lines: string[] = []
  for (const segment of post.segments) {
    lines.push(`${post.path} ${segment.key} (${segment.state})`, `  it: ${segment.value}`)
    for (const item of segment.suggestions) {
      const origin = item.key === undefined ? item.from : `${item.from}#${item.key}${item.archived ? ', archived' : ''}`
      lines.push(`  ${String(item.score).padStart(3)}% ${item.kind}${item.tagsAgree ? '' : ', tags differ'}: ${item.target}  (from ${origin})`)
    }
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : ''
}

function formatTotals(result: SuggestResult): string {
  const t = result.totals
  return `suggest: ${t.suggested} of ${t.pending} segment(s) without an up-to-date translation have suggestions (${t.exact} exact)\n`
}
