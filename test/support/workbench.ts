import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {expect} from 'vitest'
import {ponte} from './project.js'

/** The post the translator page's tests work on: front matter, a heading, a paragraph with emphasis and a titled link, a list and a table. */
export const workbenchPost = `---
title: Il caffè
---

# La moka

Si prepara con la *moka* e si legge [la guida](https://esempio.it/guida "Guida").

- Acqua fredda
- Caffè macinato

| Tazza | Tempo |
|-------|-------|
| una   | \`5 min\` |
`

/** A project with the coffee post, extracted by the real command. */
export async function workbenchProject(create: (files: Record<string, string>) => Promise<string>): Promise<string> {
  const root = await create({'content/it/caffe.md': workbenchPost})
  const extracted = await ponte(['extract', '--root', root])
  expect(extracted.code).toBe(0)
  return root
}

/**
 * Translate the post's heading in its English catalog (as a translator's hand edit) and
 * extract again, so the lock records the translation.
 *
 * @param root The project.
 * @param post The post's namespace (`caffe`).
 * @param english The heading's English.
 * @returns The heading's key.
 */
export async function translateHeading(root: string, post: string, english: string): Promise<string> {
  const catalogPath = join(root, 'locales/en', `${post}.json`)
  const values = JSON.parse(await readFile(catalogPath, 'utf8')) as Record<string, string>
  const heading = Object.keys(values).find((key) => key.startsWith('h-')) ?? ''
  values[heading] = english
  await writeFile(catalogPath, JSON.stringify(values, null, 2) + '\n')
  expect((await ponte(['extract', '--root', root])).code).toBe(0)
  return heading
}
