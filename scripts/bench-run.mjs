// Runs the real `ponte` command (bin/ponte.js) and, at exit, writes the peak resident set
// size of the whole process (worker threads included) to stderr, for the benchmark.
import {writeSync} from 'node:fs'

process.on('exit', () => writeSync(2, `\nPONTE_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`))
await import('../bin/ponte.js')
