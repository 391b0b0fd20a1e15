import {createHash} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/** Ponte's version, from package.json. */
export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version

/**
 * The version plus a fingerprint of the code that runs (the bundle, or the TypeScript
 * sources): part of every cache key, so a cache written by other code is never trusted,
 * release or not.
 */
export const codeVersion: string = `${version}+${codeFingerprint()}`

function codeFingerprint(): string {
  const hash = createHash('sha256')
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.cjs') || here.endsWith('.mjs')) {
    // Bundled: this module is inside the one file that holds all of Ponte's code.
    hash.update(readFileSync(here))
  } else {
    const sources = fileURLToPath(new URL('.', import.meta.url))
    for (const file of (readdirSync(sources, {recursive: true}) as string[]).filter((name) => name.endsWith('.ts')).sort()) hash.update(file).update(readFileSync(sources + file))
  }
  return hash.digest('hex').slice(0, 12)
}
