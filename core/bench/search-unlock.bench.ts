// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `node core/dist/bench/search-unlock.bench.js [MESSAGES]`: what building the search index costs
 * at unlock, from a real encrypted store holding MESSAGES messages (100,000 by default), beside
 * the baseline measured in the same run: one pass over the same messages without indexing them.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLoggers } from '../src/logger.js'
import { Events } from '../src/messenger/context.js'
import { Mutex } from '../src/messenger/lock.js'
import { MessageSearch } from '../src/messenger/message-search.js'
import { messageOrder } from '../src/messenger/records.js'
import { Repositories, State } from '../src/messenger/state.js'
import { openStore } from '../src/storage/index.js'
import type { MessageRecord } from '../src/messenger/records.js'

const MESSAGES = Number(process.argv[2] ?? 100_000)
const CONVERSATIONS = 200
const BATCH = 5000

/** A deterministic generator, so runs compare. */
function random (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const rnd = random(11)
const vocabulary = Array.from({ length: 20_000 }, () => Array.from({ length: 3 + Math.floor(rnd() * 8) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rnd() * 26)]).join(''))
const text = (): string => Array.from({ length: 3 + Math.floor(rnd() * 15) }, () => vocabulary[Math.floor(vocabulary.length * rnd() ** 3)]).join(' ')

const dir = await mkdtemp(join(tmpdir(), 'sotto-search-bench-'))
try {
  const store = await openStore({ dir, keySource: { kind: 'passphrase', passphrase: 'bench passphrase' }, scryptLogN: 10 })
  const repos = new Repositories(new State(store, new Mutex()))
  for (let from = 0; from < MESSAGES; from += BATCH) {
    await repos.state.change(async tx => {
      for (let i = from; i < Math.min(MESSAGES, from + BATCH); i++) {
        const m: MessageRecord = {
          id: i.toString(16).padStart(32, '0'),
          contactId: `contact-${i % CONVERSATIONS}`,
          direction: i % 2 === 0 ? 'in' : 'out',
          text: text(),
          sentAt: 1_767_225_600_000 + i,
          order: messageOrder(i, i % 2 === 0 ? 'in' : 'out'),
          storedAt: 1_767_225_600_000 + i,
          state: 'delivered'
        }
        repos.messages.put(tx, m)
        repos.refs.put(tx, { contactId: m.contactId, sentAt: m.sentAt, order: m.order }, m.id)
      }
    })
  }

  let t = performance.now()
  let count = 0
  for await (const _m of repos.messages.values(['msg'])) count++
  const passMs = performance.now() - t

  const heapBefore = process.memoryUsage().heapUsed
  t = performance.now()
  const search = new MessageSearch({ repos, events: new Events(), log: silentLoggers.forComponent('bench') })
  search.start()
  const found = await search.search(vocabulary[0] as string)
  const buildMs = performance.now() - t
  const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20
  t = performance.now()
  await search.search(`${vocabulary[1] as string} ${(vocabulary[2] as string).slice(0, 2)}`)
  const queryMs = performance.now() - t
  await search.stop()
  await store.close()

  console.log(`search index at unlock over ${count.toLocaleString('en')} stored messages in ${CONVERSATIONS} conversations`)
  console.log('')
  console.log('| step | ms |')
  console.log('| --- | --- |')
  console.log(`| baseline: one pass over the stored messages (read, decrypt, check) | ${passMs.toFixed(0)} |`)
  console.log(`| the same pass building the index, then a first search (${found.length} hits) | ${buildMs.toFixed(0)} |`)
  console.log(`| a later search: a word and a prefix | ${queryMs.toFixed(1)} |`)
  console.log('')
  console.log(`index heap: about ${heapMiB.toFixed(0)} MiB; unlocking does not wait for the build, a search does`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
