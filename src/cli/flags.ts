/** The commands of the CLI. */
export type CommandName = 'extract' | 'build' | 'status' | 'check' | 'accept' | 'suggest' | 'fill' | 'xliff' | 'tm' | 'watch' | 'translate'

/** One flag: a single table generates `--help` and the parser (as in unified-args). */
export interface Flag {
  name: string
  short?: string
  type: 'boolean' | 'string'
  /** Placeholder of the value in `--help`. */
  value?: string
  /** Allowed values, for string flags. */
  values?: readonly string[]
  description: string
  /** Commands that take it; all when omitted. */
  commands?: readonly CommandName[]
  /** Commands that do not take it (where a flag of the same name means something else). */
  except?: readonly CommandName[]
  multiple?: boolean
}

/** Every flag of every command. */
export const flags: readonly Flag[] = [
  {name: 'root', type: 'string', value: 'DIR', description: 'project root (default: the current directory)'},
  {name: 'reporter', type: 'string', value: 'NAME', values: ['text', 'json', 'github'], description: 'how to print results: text (default), json, or github (workflow annotations; the default when GITHUB_ACTIONS=true)'},
  {name: 'json', type: 'boolean', description: 'print one JSON document (same as --reporter json)'},
  {name: 'strict', type: 'boolean', description: 'fail on stale and missing translations too', commands: ['check']},
  {name: 'shard', type: 'string', value: 'I/N', description: 'work on the I-th of N parts of the posts (a CI matrix); the parts together report what one run reports', commands: ['check', 'build']},
  {name: 'key', type: 'string', value: 'KEY', multiple: true, description: 'confirm only this key (repeatable)', commands: ['accept']},
  {name: 'min-score', type: 'string', value: 'N', description: 'lowest fuzzy match score shown, 0-100 (default 75)', commands: ['suggest']},
  {name: 'limit', type: 'string', value: 'N', description: 'most suggestions per segment (default 5)', commands: ['suggest']},
  {name: 'exact', type: 'boolean', description: 'fill missing translations from exact memory matches only, marked for review (required)', commands: ['fill']},
  {name: 'out', type: 'string', value: 'FILE', description: 'file to write (export)', commands: ['xliff', 'tm']},
  {name: 'version', type: 'string', value: 'V', values: ['1.2', '2.0'], description: 'XLIFF version to export: 2.0 (default) or 1.2', commands: ['xliff']},
  {name: 'copy-source', type: 'boolean', description: 'give missing segments a target copying the source, marked new (for CAT tools that translate targets in place, such as OmegaT)', commands: ['xliff']},
  {name: 'port', type: 'string', value: 'N', description: 'port of the translator page (default 4873, or the next free one; 0: any free port)', commands: ['translate']},
  {name: 'host', type: 'string', value: 'H', description: 'interface to listen on (default 127.0.0.1; anything else is reachable from other machines)', commands: ['translate']},
  {name: 'open', type: 'boolean', description: 'open the page in the default browser', commands: ['translate']},
  {name: 'quiet', short: 'q', type: 'boolean', description: 'print only errors and warnings'},
  {name: 'no-progress', type: 'boolean', description: 'never draw a progress bar'},
  {name: 'no-cache', type: 'boolean', description: 'ignore and do not update the incremental cache (node_modules/.cache/ponte)', commands: ['extract', 'build', 'status', 'check', 'watch']},
  {name: 'help', short: 'h', type: 'boolean', description: 'show this help'},
  {name: 'version', short: 'v', type: 'boolean', description: 'print the version', except: ['xliff']}
]

/** What each command does, for `--help`. */
export const commands: Readonly<Record<CommandName, {usage: string; summary: string}>> = {
  extract: {usage: 'ponte extract [--root DIR]', summary: 'extract Italian posts into locales/it/<post>.json and merge locales/en/<post>.json (never loses a translation)'},
  build: {usage: 'ponte build [--root DIR]', summary: 'write the English editions to content/en/ from the catalogs (Italian where a translation is missing)'},
  status: {usage: 'ponte status [--root DIR] [--json]', summary: 'count segments, translated, stale, missing and invalid translations per post'},
  check: {usage: 'ponte check [--root DIR] [--strict]', summary: 'for CI: fail when catalogs or editions are out of date or a translation is invalid'},
  accept: {usage: 'ponte accept [POST…] [--key KEY]…', summary: 'confirm stale translations that need no change, and reviewed suggestions'},
  suggest: {usage: 'ponte suggest [POST…] [--min-score N] [--limit N]', summary: 'show translation memory matches (exact and fuzzy) for segments without an up-to-date translation'},
  fill: {usage: 'ponte fill --exact [POST…]', summary: 'fill missing translations from exact memory matches, marked suggested until reviewed'},
  xliff: {usage: 'ponte xliff export [POST…] --out FILE [--version 1.2|2.0] [--copy-source]\n       ponte xliff import FILE', summary: 'exchange catalogs with CAT tools as XLIFF (export, or import translated targets through validation)'},
  tm: {usage: 'ponte tm export --out FILE.tmx\n       ponte tm import FILE.tmx', summary: 'export the translation memory as TMX, or import a TMX memory as a suggestion source'},
  watch: {usage: 'ponte watch [--root DIR]', summary: "the editor's loop (npm run dev): on every save in content/it/ or locales/, extract and build what changed; Ctrl-C stops"},
  translate: {usage: 'ponte translate [--root DIR] [--port N] [--host H] [--open]', summary: 'serve the translator page on this machine: posts, side-by-side editing, checks and a live preview'}
}

/**
 * The flags a command takes.
 *
 * @param command A command name.
 */
export function flagsOf(command: CommandName): Flag[] {
  return flags.filter((flag) => (!flag.commands || flag.commands.includes(command)) && !flag.except?.includes(command))
}

/**
 * Render `--help` from the flag table.
 *
 * @param command A command, or `undefined` for the general help.
 */
export function helpText(command?: CommandName): string {
  const lines: string[] = []
  if (command) {
    lines.push(`Usage: ${commands[command].usage}`, '', commands[command].summary, '', 'Options:')
  } else {
    lines.push('Usage: ponte <command> [options]', '', 'Ponte turns Italian Markdown posts into i18next catalogs and English editions.', '', 'Commands:')
    for (const [name, info] of Object.entries(commands)) lines.push(`  ${name.padEnd(9)} ${info.summary}`)
    lines.push('', 'Options:')
  }
  for (const flag of command ? flagsOf(command) : flags) {
    const left = `${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`
    lines.push(`  ${left.padEnd(24)} ${flag.description}${flag.commands && !command ? ` (${flag.commands.join(', ')})` : ''}`)
  }
  lines.push('', 'Exit codes: 0 all good; 1 problems found (invalid translations, out-of-date files); 2 usage or configuration error.')
  return lines.join('\n') + '\n'
}
