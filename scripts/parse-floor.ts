// The parse floor: read every post and parse it with Ponte's parser configuration, on one
// thread, in one process — what any remark-based pipeline pays before doing any work.
// Usage: node --import tsx scripts/parse-floor.ts ROOT
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import fg from 'fast-glob'
import {parseMarkdown, splitBom} from '../src/parse/parse.js'

const root = process.argv[2] ?? '.'
const base = join(root, 'content', 'it')
const files = (await fg('**/*.md', {cwd: base})).sort()
let bytes = 0
for (const file of files) {
  const text = await readFile(join(base, file), 'utf8')
  bytes += Buffer.byteLength(text)
  parseMarkdown(splitBom(text).body)
}
process.stdout.write(JSON.stringify({files: files.length, bytes}) + '\n')
