// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `node core/dist/bench/search.bench.js`: search over 100,000 messages, against a scan of every
 * message's text measured in the same run (what a search without an index costs).
 */
import { SearchIndex, wordsOf } from '../src/search/index.js'

const MESSAGES = 100_000
const CONVERSATIONS = 200
const VOCABULARY = 20_000
const QUERIES = 200

/** A deterministic generator, so runs compare. */
function random (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const rnd = random(7)
const letters = 'abcdefghijklmnopqrstuvwxyzéü'
const vocabulary = Array.from({ length: VOCABULARY }, () => Array.from({ length: 3 + Math.floor(rnd() * 8) }, () => letters[Math.floor(rnd() * letters.length)]).join(''))
/** Zipf-like: a few words are common, most are rare, as in chat. */
const pick = (): string => vocabulary[Math.floor(VOCABULARY * rnd() ** 3)] as string
const texts = Array.from({ length: MESSAGES }, () => Array.from({ length: 3 + Math.floor(rnd() * 15) }, pick).join(' '))

function percentile (xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * p / 100))] as number
}

const heapBefore = process.memoryUsage().heapUsed
const t0 = performance.now()
const index = new SearchIndex()
texts.forEach((text, i) => { index.put({ id: `m${i}`, conversationId: `c${i % CONVERSATIONS}`, text, sentAt: i }) })
const buildMs = performance.now() - t0
const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20

const kinds: Record<string, () => string> = {
  'one word': () => pick(),
  'two words': () => `${pick()} ${pick()}`,
  'a word and a prefix': () => `${pick()} ${pick().slice(0, 2)}`,
  'a two-letter prefix': () => pick().slice(0, 2)
}

const rows: string[] = []
for (const [kind, make] of Object.entries(kinds)) {
  const indexed: number[] = []
  const scanned: number[] = []
  for (let q = 0; q < QUERIES; q++) {
    const query = make()
    let t = performance.now()
    index.search(query)
    indexed.push(performance.now() - t)
    if (q < 20) {
      const words = wordsOf(query)
      t = performance.now()
      texts.filter(x => { const ws = wordsOf(x); return words.every((w, i) => i === words.length - 1 ? ws.some(v => v.startsWith(w)) : ws.includes(w)) })
      scanned.push(performance.now() - t)
    }
  }
  rows.push(`| ${kind} | ${percentile(indexed, 50).toFixed(2)} | ${percentile(indexed, 99).toFixed(2)} | ${percentile(scanned, 50).toFixed(0)} |`)
}

console.log(`search over ${MESSAGES.toLocaleString('en')} messages in ${CONVERSATIONS} conversations: index built in ${buildMs.toFixed(0)} ms, ${heapMiB.toFixed(0)} MiB of heap`)
console.log('')
console.log('| query | indexed p50 ms | indexed p99 ms | scan of every message p50 ms |')
console.log('| --- | --- | --- | --- |')
for (const r of rows) console.log(r)
console.log('')
console.log('goal: results in ≤ 200 ms')
