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
