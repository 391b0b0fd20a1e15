import {defaultConfig} from '../config.js'
import {keyPlace, readCatalog, type CatalogEntry} from '../catalog/read-catalog.js'
import {message, type Message} from '../report/message.js'
import {containsTerm, englishForms, italianForms, wordsOf} from './inflect.js'

/** A glossary: Italian terms with the English each must become, or the same term when it is not translated. */
export interface Glossary {
  /** Its file, under the project root (named in the warnings' advice). */
  path: string
  terms: Array<{term: string; english: string; doNotTranslate: boolean; italian: string[][]; expected: string[][]}>
}

/**
 * Read a glossary: i18next-style flat JSON of Italian term → English term; a term whose
 * English is the term itself (`"Ponte": "Ponte"`) is not to be translated.
 *
 * @param text The file's contents.
 * @param path Its path under the project root (default `locales/glossary.json`), for messages.
 */
export function readGlossary(text: string, path = defaultConfig.glossary): {ok: true; glossary: Glossary; messages: Message[]} | {ok: false; messages: Message[]} {
  const read = readCatalog(text, path)
  if (!read.ok) return read
  const terms: Glossary['terms'] = []
  for (const entry of read.entries.values()) {
    if (!entry.key.trim() || !entry.value.trim()) continue
    const doNotTranslate = entry.key === entry.value
    terms.push({
      term: entry.key,
      english: entry.value,
      doNotTranslate,
      // A product name keeps its form; an Italian term matches its plural too.
      italian: wordsOf(entry.key).map((word) => (doNotTranslate ? [word] : italianForms(word))),
      expected: wordsOf(entry.value).map((word, index, all) => (doNotTranslate || index < all.length - 1 ? [word] : englishForms(word)))
    })
  }
  return {ok: true, glossary: {path, terms}, messages: read.messages}
}

/** A translated segment of a post, as the glossary checks it. */
export interface GlossarySegment {
  key: string
  italian: string
  english: string
}

/**
 * The glossary's warnings for a post: a translation of a segment containing a term that
 * does not contain the term's English (`glossary-term`), or that does not keep a term not
 * to be translated (`glossary-do-not-translate`), each at the key's place in the catalog.
 *
 * @param glossary The glossary.
 * @param segments The post's segments with an English value.
 * @param file The English catalog's path.
 * @param catalog The English catalog's text and entries, for places.
 */
export function checkGlossary(glossary: Glossary, segments: readonly GlossarySegment[], file: string, catalog: {text: string; entries: ReadonlyMap<string, CatalogEntry>}): Message[] {
  const messages: Message[] = []
  for (const segment of segments) {
    if (!segment.english.trim()) continue
    const italian = wordsOf(segment.italian)
    const english = wordsOf(segment.english)
    for (const term of glossary.terms) {
      if (!containsTerm(italian, term.italian) || containsTerm(english, term.expected)) continue
      const entry = catalog.entries.get(segment.key)
      const place = entry ? keyPlace(catalog.text, entry) : undefined
      messages.push(
        term.doNotTranslate
          ? message(file, place, 'warning', 'glossary-do-not-translate', `"${segment.key}": "${term.term}" is not to be translated, but the English does not keep it`, `write "${term.term}" as it is (${glossary.path})`)
          : message(file, place, 'warning', 'glossary-term', `"${segment.key}": the Italian has "${term.term}", but the English does not use "${term.english}"`, `use "${term.english}" as ${glossary.path} says, or change the glossary`)
      )
    }
  }
  return messages
}
