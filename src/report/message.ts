/** How serious a message is: errors fail the run (exit 1), warnings and info do not. */
export type Severity = 'error' | 'warning' | 'info'

/** A problem in content, attached to a file and a place: data, not an exception. */
export interface Message {
  /** Path relative to the project root, with `/`. */
  file: string
  line: number
  column: number
  severity: Severity
  /** Stable identifier, e.g. `value-tag-unknown`. */
  ruleId: string
  /** What is wrong. */
  reason: string
  /** What to do about it. */
  fix: string
}

/**
 * Create a message.
 *
 * @param file Path relative to the root.
 * @param place 1-based line and column (defaults 1:1).
 * @param severity `error`, `warning` or `info`.
 * @param ruleId Stable rule identifier.
 * @param reason What is wrong.
 * @param fix What to do.
 */
export function message(
  file: string,
  place: {line: number; column: number} | undefined,
  severity: Severity,
  ruleId: string,
  reason: string,
  fix: string
): Message {
  return {file, line: place?.line ?? 1, column: place?.column ?? 1, severity, ruleId, reason, fix}
}

/**
 * Order messages by file, line and column, so output is the same on every run.
 *
 * @param messages Messages in any order.
 */
export function sortMessages(messages: readonly Message[]): Message[] {
  return [...messages].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)))
}

/**
 * Messages without repeats, first occurrence kept (a finding met twice, by two halves of a
 * check or two runs of a watch batch, is reported once).
 *
 * @param messages Messages in any order.
 */
export function uniqueMessages(messages: readonly Message[]): Message[] {
  const seen = new Set<string>()
  return messages.filter((item) => {
    const id = JSON.stringify(item)
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}
