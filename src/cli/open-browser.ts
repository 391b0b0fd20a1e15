import {spawn} from 'node:child_process'

/**
 * Open an address in the default browser (`xdg-open`, `open`, or `start`); when none can be
 * started, say so: the address is printed anyway.
 *
 * @param url The address.
 * @param io Where to say it failed.
 */
export function openInBrowser(url: string, io: {stderr: (text: string) => void}): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url]
  try {
    const child = spawn(command ?? 'xdg-open', args, {detached: true, stdio: 'ignore'})
    child.on('error', () => io.stderr(`ponte translate: could not start a browser (${command}); open the address above yourself\n`))
    child.unref()
  } catch {
    // catch: spawn's synchronous errors (no such program): the page still runs; say so.
    io.stderr(`ponte translate: could not start a browser; open the address above yourself\n`)
  }
}
