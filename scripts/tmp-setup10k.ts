import fg from 'fast-glob'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {execFileSync} from 'node:child_process'
import {generateCorpus} from './generate-corpus.js'
const root = process.argv[2] as string
await generateCorpus({dir: root, posts: Number(process.argv[3] ?? 10000), seed: 42, clean: true})
execFileSync(process.execPath, ['--single-threaded-gc', join(import.meta.dirname, '../bin/ponte.js'), 'extract'], {cwd: root, stdio: 'inherit'})
const upper = (value: string): string => value.split(/(<[^>]*>|\{\{[^}]*\}\}|&[#\w]+;)/).map((part, index) => (index % 2 === 1 ? part : part.toUpperCase())).join('')
for (const file of await fg('**/*.json', {cwd: join(root, 'locales/it')})) {
  const italian = JSON.parse(await readFile(join(root, 'locales/it', file), 'utf8')) as Record<string, string>
  await writeFile(join(root, 'locales/en', file), JSON.stringify(Object.fromEntries(Object.entries(italian).map(([key, value]) => [key, upper(value)])), null, 2) + '\n')
}
console.log('ready')
