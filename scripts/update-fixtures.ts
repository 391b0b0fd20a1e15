// Rewrite the expected files of the fixtures (test/fixtures/<case>/) from what Ponte makes
// of them now: `npm run fixtures:update [CASE…]`. Review the result as a diff before
// committing it; the tests themselves never write an expected file.
import {readdirSync, readFileSync, existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fixtureOutputs} from '../test/support/fixture-outputs.js'

const root = join(import.meta.dirname, '..', 'test', 'fixtures')
const wanted = process.argv.slice(2)
const cases = readdirSync(root, {withFileTypes: true})
  .filter((entry) => entry.isDirectory() && (wanted.length === 0 || wanted.includes(entry.name)))
  .map((entry) => entry.name)
  .sort()
const unknown = wanted.filter((name) => !cases.includes(name))
if (unknown.length > 0) {
  process.stderr.write(`fixtures:update: no fixture ${unknown.map((name) => `"${name}"`).join(', ')} under test/fixtures/\n`)
  process.exitCode = 2
} else {
  let changed = 0
  for (const name of cases) {
    for (const [file, content] of fixtureOutputs(join(root, name)).files) {
      const path = join(root, name, file)
      if (existsSync(path) && readFileSync(path, 'utf8') === content) continue
      writeFileSync(path, content)
      process.stdout.write(`wrote test/fixtures/${name}/${file}\n`)
      changed++
    }
  }
  process.stdout.write(`fixtures:update: ${cases.length} fixture(s), ${changed} file(s) written; review them with \`git diff test/fixtures\`\n`)
}
