import {relative, sep} from 'node:path'
import {watch} from 'chokidar'
import {temporaryPrefix} from '../io/atomic-write.js'

/** One file that changed under the project, as the watcher saw it. */
export interface ProjectChange {
  /** Path relative to the project root, with `/` (`content/it/caffe.md`, `locales/en/caffe.json`). */
  path: string
  event: 'add' | 'change' | 'unlink'
}

/** What a watcher could not keep watching (a folder whose permissions changed, a vanished file). */
export interface WatchProblem {
  path: string
  reason: string
}

/** Options of `watchProject`. */
export interface WatchOptions {
  /** Quiet time before a burst of changes is handed over as one batch, in ms (default 150). */
  settleMs?: number
  /** Called when the watcher loses a path; it goes on watching the rest. */
  onProblem?: (problem: WatchProblem) => void
}

/** A running watcher. */
export interface ProjectWatcher {
  /** Resolves once the initial scan is done and changes are being reported. */
  ready: Promise<void>
  /** Stop watching; pending changes are dropped. */
  close: () => Promise<void>
}

/**
 * Watch a project's Italian posts and its catalogs (`content/<source>/` and `locales/`) and
 * hand over what changed in batches: a burst of saves (an editor's "save all", a `git
 * checkout` of 500 files) becomes one call once the files have been quiet for `settleMs`.
 * Ponte's own temporary files are never reported. The one watcher module shared by
 * `ponte watch` and the translator page.
 *
 * @param root Absolute project root.
 * @param languages The source and target languages (`content/<source>/` is watched; all of `locales/`).
 * @param onBatch Called with the changes of one burst, each path once, in path order.
 * @param options Settle time and problem callback.
 */
export function watchProject(root: string, languages: {sourceLanguage: string}, onBatch: (changes: ProjectChange[]) => void, options: WatchOptions = {}): ProjectWatcher {
  const settleMs = options.settleMs ?? 150
  const pending = new Map<string, ProjectChange['event']>()
  let timer: NodeJS.Timeout | undefined
  const watcher = watch([`${root}${sep}content${sep}${languages.sourceLanguage}`, `${root}${sep}locales`], {
    ignoreInitial: true,
    followSymlinks: false,
    // Ponte's atomic writes create and rename temporary files: only the rename is news.
    ignored: (path: string) => path.includes(temporaryPrefix)
  })
  const flush = (): void => {
    timer = undefined
    if (pending.size === 0) return
    const changes = [...pending].map(([path, event]) => ({path, event})).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    pending.clear()
    onBatch(changes)
  }
  const note = (event: ProjectChange['event']) => (path: string): void => {
    const rel = relative(root, path).split(sep).join('/')
    // An add then a change in one burst is still an add; an unlink then an add is a change.
    const before = pending.get(rel)
    pending.set(rel, before === 'add' && event === 'change' ? 'add' : before === 'unlink' && event === 'add' ? 'change' : event)
    if (timer) clearTimeout(timer)
    timer = setTimeout(flush, settleMs)
  }
  watcher.on('add', note('add')).on('change', note('change')).on('unlink', note('unlink'))
  watcher.on('error', (error: unknown) => {
    const failure = error as NodeJS.ErrnoException
    options.onProblem?.({path: failure.path ? relative(root, failure.path).split(sep).join('/') : '.', reason: failure.code ?? failure.message})
  })
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    ready,
    close: async () => {
      if (timer) clearTimeout(timer)
      pending.clear()
      await watcher.close()
    }
  }
}
