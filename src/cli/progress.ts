/**
 * A progress bar on a terminal, redrawn at most ten times a second and shown only for
 * runs that last over a second.
 *
 * @param label What is running.
 * @param write Where to draw (stderr).
 */
export function progressBar(label: string, write: (text: string) => void): {update: (done: number, total: number) => void; done: () => void} {
  const started = Date.now()
  let last = 0
  let drawn = false
  return {
    update(done, total) {
      const now = Date.now()
      if (now - started < 1000 || (now - last < 100 && done < total)) return
      last = now
      drawn = true
      const width = 30
      const filled = total === 0 ? width : Math.round((width * done) / total)
      write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`)
    },
    done() {
      if (drawn) write('\r\u001B[2K')
    }
  }
}
