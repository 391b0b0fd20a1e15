import type {Message} from './message.js'

/** The output formats of messages. */
export type ReporterName = 'text' | 'json' | 'github'

/**
 * Format messages for people: `file:line:column  severity  reason  [ruleId]`, then the fix.
 *
 * @param messages Sorted messages.
 */
export function formatText(messages: readonly Message[]): string {
  return messages.map((item) => `${item.file}:${item.line}:${item.column}  ${item.severity}  ${item.reason}  [${item.ruleId}]\n    → ${item.fix}\n`).join('')
}

/**
 * Format messages as GitHub Actions workflow commands, so they annotate the file and line.
 *
 * @param messages Sorted messages.
 */
export function formatGithub(messages: readonly Message[]): string {
  const command = {error: 'error', warning: 'warning', info: 'notice'} as const
  return messages
    .map((item) => `::${command[item.severity]} file=${property(item.file)},line=${item.line},col=${item.column},title=${property(`ponte ${item.ruleId}`)}::${data(`${item.reason}. ${item.fix}`)}\n`)
    .join('')
}

function data(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function property(value: string): string {
  return data(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/**
 * Count messages by severity.
 *
 * @param messages Messages.
 */
export function tally(messages: readonly Message[]): {errors: number; warnings: number} {
  return {errors: messages.filter((item) => item.severity === 'error').length, warnings: messages.filter((item) => item.severity === 'warning').length}
}
