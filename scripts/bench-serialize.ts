// Serialization of translated segments, measured alone: 1,000 generated posts are analysed
// once, then every segment is rendered with an English value (the Italian upper-cased, tags
// kept) — validation, rebuilding the phrasing and serializing it — several times over.
// Prints the median, min and max of the rounds. Usage: node --import tsx scripts/bench-serialize.ts [--posts 1000] [--rounds 9]
import {parseArgs} from 'node:util'
import {renderSegment} from '../src/assemble/render.js'
import {defaultConfig} from '../src/config.js'
import {analyzePost} from '../src/project/analyze.js'
import {compilePatterns} from '../src/segment/protect.js'
import type {Segment} from '../src/segment/segment.js'
import {generatePost} from './generate-corpus.js'

const {values} = parseArgs({options: {posts: {type: 'string', default: '1000'}, rounds: {type: 'string', default: '9'}}})
const patterns = compilePatterns(defaultConfig.protectedPatterns)
const work: Array<{segment: Segment; english: string}> = []
for (let index = 0; index < Number(values.posts); index++) {
  const analysis = analyzePost(generatePost(42, index).text, defaultConfig, patterns)
  for (const segment of analysis.segments) {
    const english = segment.value.replace(/(<[^<>]*>|\{\{[^{}]*\}\}|&[#\w]+;)|([^<{&]+|[<{&])/g, (_, markup: string | undefined, text: string) => markup ?? text.toUpperCase())
    if (english !== segment.value) work.push({segment, english})
  }
}
const titleOf = (): undefined => undefined
// CPU time as well as wall time: on a shared machine, time spent waiting for a core is not the code's.
const wall: number[] = []
const cpu: number[] = []
let characters = 0
for (let round = 0; round < Number(values.rounds); round++) {
  const started = performance.now()
  const startedCpu = process.cpuUsage()
  characters = 0
  for (const {segment, english} of work) {
    const rendered = renderSegment(segment, english, titleOf)
    if (rendered.ok) characters += rendered.text.length
  }
  const used = process.cpuUsage(startedCpu)
  cpu.push((used.user + used.system) / 1000)
  wall.push(performance.now() - started)
}
const summary = (times: number[]): string => {
  const sorted = [...times].sort((a, b) => a - b)
  return `median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms (min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)})`
}
console.log(`${work.length} segments rendered (${characters} characters), ${wall.length} rounds: wall ${summary(wall)}, CPU ${summary(cpu)}`)
