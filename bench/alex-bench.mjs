// alex over the same posts, timed in-process (startup excluded), for text-vs-alex.
// Usage: node alex-bench.mjs FILE... ; prints one JSON line.
import {readFileSync} from 'node:fs'
import {markdown} from 'alex'

const files = process.argv.slice(2)
const texts = files.map((f) => readFileSync(f, 'utf8'))
markdown('Warm-up: the chairman said it was crazy.') // load alex's lists, as we load our models
const start = process.hrtime.bigint()
let messages = 0
for (const text of texts) messages += markdown(text).messages.length
const seconds = Number(process.hrtime.bigint() - start) / 1e9
console.log(JSON.stringify({files: files.length, seconds, messages}))
