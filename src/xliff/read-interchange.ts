import {statSync} from 'node:fs'
import {readText} from '../io/read-text.js'
import {maxXmlBytes} from './xml.js'

/**
 * Read an interchange file (XLIFF, TMX) given by the user: refused before reading when
 * larger than 100 MB, and read as strict UTF-8.
 *
 * @param path Absolute path.
 */
export async function readInterchange(path: string): Promise<{ok: true; text: string} | {ok: false; ruleId: string; reason: string}> {
  const stats = statSync(path, {throwIfNoEntry: false})
  if (!stats) return {ok: false, ruleId: 'file-missing', reason: 'no such file'}
  if (!stats.isFile()) return {ok: false, ruleId: 'file-missing', reason: 'not a file'}
  if (stats.size > maxXmlBytes) return {ok: false, ruleId: 'xml-too-large', reason: `${stats.size.toLocaleString('en')} bytes, more than the ${maxXmlBytes.toLocaleString('en')} Ponte reads: refused before parsing`}
  const read = await readText(path)
  if (!read.ok) return {ok: false, ruleId: 'xml-encoding', reason: `${read.reason} (first bad byte at offset ${read.offset})`}
  return {ok: true, text: read.text.charCodeAt(0) === 0xfeff ? read.text.slice(1) : read.text}
}
