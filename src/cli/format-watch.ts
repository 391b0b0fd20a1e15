import type {PostChange, WatchReport} from '../commands/watch.js'
import {formatGithub, formatText, type ReporterName} from '../report/reporters.js'

/**
 * Format one report of the watch loop: a short line per changed post on stdout
 * (`caffe.md: 2 segments new, 1 stale → content/en/caffe.md`), problems with their
 * file:line:column on stderr; with the JSON reporter, the report as one line of JSON.
 *
 * @param report A report of `watch`.
 * @param reporter text, json or github.
 */
export function formatWatchReport(report: WatchReport, reporter: ReporterName): {stdout: string; stderr: string} {
  if (reporter === 'json') return {stdout: JSON.stringify(report) + '\n', stderr: ''}
  switch (report.kind) {
    case 'ready':
      return {stdout: `watch: watching ${report.watching.join(' and ')} (Ctrl-C to stop)\n`, stderr: ''}
    case 'lost':
      return {stdout: '', stderr: `watch: lost ${report.path} (${report.reason}); still watching the rest\n`}
    case 'failed':
      return {stdout: '', stderr: `watch: the run failed: ${report.reason}; the next save runs again\n`}
    case 'run': {
      const problems = reporter === 'github' ? formatGithub(report.messages) : formatText(report.messages)
      return {stdout: report.changes.map(changeLine).join('') + (reporter === 'github' ? problems : ''), stderr: reporter === 'github' ? '' : problems}
    }
  }
}

/** `caffe.md: 2 segments new, 1 changed (1 stale, 2 missing) → content/en/caffe.md` */
function changeLine(change: PostChange): string {
  if (change.cause === 'removed') return `${change.post}: removed\n`
  const parts: string[] = []
  const {extracted, built} = change
  if (change.cause === 'post' && extracted) {
    if (extracted.added) parts.push(`${extracted.added} segment${extracted.added === 1 ? '' : 's'} new`)
    if (extracted.edited) parts.push(`${extracted.edited} changed`)
    if (extracted.restored) parts.push(`${extracted.restored} restored`)
    if (extracted.archived) parts.push(`${extracted.archived} removed`)
    if (parts.length === 0) parts.push('no segment changed')
  }
  if (change.cause === 'catalog' && built) parts.push(`${built.translated} of ${built.segments} translated`)
  const states = built ? (['stale', 'missing', 'invalid'] as const).filter((state) => built[state] > 0).map((state) => `${built[state]} ${state}`) : []
  const edition = change.skipped ? ' (below the threshold: no edition)' : change.edition ? ` → ${change.edition}` : ' (edition unchanged)'
  return `${change.post}: ${parts.join(', ')}${states.length > 0 ? ` (${states.join(', ')})` : ''}${edition}\n`
}
