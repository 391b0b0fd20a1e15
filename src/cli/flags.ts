/** The commands of the CLI. */
export type CommandName = 'extract' | 'build' | 'status' | 'check' | 'accept' | 'watch'

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
  multiple?: boolean
}

/** Every flag of every command. */
export const flags: readonly Flag[] = [
  {name: 'root', type: 'string', value: 'DIR', description: 'project root (default: the current directory)'},
  {name: 'reporter', type: 'string', value: 'NAME', values: ['text', 'json', 'github'], description: 'how to print results: text (default), json, or github (workflow annotations; the default when GITHUB_ACTIONS=true)'},
  {name: 'json', type: 'boolean', description: 'print one JSON document (same as --reporter json)'},
  {name: 'strict', type: 'boolean', description: 'fail on stale and missing translations too', commands: ['check']},
  {name: 'key', type: 'string', value: 'KEY', multiple: true, description: 'confirm only this key (repeatable)', commands: ['accept']},
  {name: 'quiet', short: 'q', type: 'boolean', description: 'print only errors and warnings'},
  {name: 'no-progress', type: 'boolean', description: 'never draw a progress bar'},
  {name: 'no-cache', type: 'boolean', description: 'ignore and do not update the incremental cache (node_modules/.cache/ponte)', commands: ['extract', 'build', 'status', 'check', 'watch']},
  {name: 'help', short: 'h', type: 'boolean', description: 'show this help'},
  {name: 'version', short: 'v', type: 'boolean', description: 'print the version'}
]

/** What each command does, for `--help`. */
export const commands: Readonly<Record<CommandName, {usage: string; summary: string}>> = {
  extract: {usage: 'ponte extract [--root DIR]', summary: 'extract Italian posts into locales/it/<post>.json and merge locales/en/<post>.json (never loses a translation)'},
  build: {usage: 'ponte build [--root DIR]', summary: 'write the English editions to content/en/ from the catalogs (Italian where a translation is missing)'},
  status: {usage: 'ponte status [--root DIR] [--json]', summary: 'count segments, translated, stale, missing and invalid translations per post'},
  check: {usage: 'ponte check [--root DIR] [--strict]', summary: 'for CI: fail when catalogs or editions are out of date or a translation is invalid'},
  accept: {usage: 'ponte accept [POST…] [--key KEY]…', summary: 'confirm stale translations that need no change'},
  watch: {usage: 'ponte watch [--root DIR]', summary: "the editor's loop (npm run dev): on every save in content/it/ or locales/, extract and build what changed; Ctrl-C stops"}
}

/**
 * The flags a command takes.
 *
 * @param command A command name.
 */
export function flagsOf(command: CommandName): Flag[] {
  return flags.filter((flag) => !flag.commands || flag.commands.includes(command))
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
