// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { performance } from 'node:perf_hooks'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { openStore } from '../../src/storage/index.js'
import type { BatchInfo, Store } from '../../src/storage/index.js'
import { passphrase, tempDir, TEST_LOG_N, text, texts, utf8 } from './fixtures/support.js'

describe('transactions and group commit', () => {
  let dir: string
  let remove: () => Promise<void>
  let store: Store
  let batches: BatchInfo[]

  beforeEach(async () => {
    ({ dir, remove } = await tempDir())
    batches = []
    store = await openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N, onBatch: b => { batches.push(b) } })
  })

  afterEach(async () => {
    await store.close()
    await remove()
  })

  it('reads its own writes first, and the store sees nothing before commit', async () => {
    await store.put(['k', 1], utf8('old'))
    await store.put(['k', 2], utf8('two'))
    const tx = store.transaction()
    tx.put(['k', 1], utf8('new'))
    tx.del(['k', 2])
    tx.put(['k', 3], utf8('three'))
    assert.equal(text(await tx.get(['k', 1])), 'new')
    assert.equal(await tx.get(['k', 2]), undefined)
    assert.deepEqual(await texts(tx.values(['k'])), ['new', 'three'])
    assert.deepEqual(await texts(tx.values(['k'], { reverse: true, limit: 1 })), ['three'])
    assert.equal(text(await store.get(['k', 1])), 'old')
    assert.deepEqual(await texts(store.values(['k'])), ['old', 'two'])

    const committed = tx.commit()
    // Visible to every read from the moment commit is called.
    assert.equal(text(await store.get(['k', 1])), 'new')
    assert.equal(await store.get(['k', 2]), undefined)
    assert.deepEqual(await texts(store.values(['k'])), ['new', 'three'])
    await committed
    assert.deepEqual(await texts(store.values(['k'])), ['new', 'three'])
    assert.throws(() => { tx.put(['k', 4], utf8('x')) }, { name: 'BugError' })
    await assert.rejects(tx.commit(), { name: 'BugError' })
  })

  it('keeps a value it was given even if the caller reuses the buffer', async () => {
    const buffer = utf8('first')
    const committed = store.put(['buf', 1], buffer)
    buffer.set(utf8('XXXXX'))
    assert.equal(text(await store.get(['buf', 1])), 'first')
    await committed
    assert.equal(text(await store.get(['buf', 1])), 'first')
    const read = await store.get(['buf', 1]) ?? assert.fail('missing')
    read.fill(0)
    assert.equal(text(await store.get(['buf', 1])), 'first')
    // A Buffer's own slice() shares memory: the store must copy it all the same.
    const nodeBuffer = Buffer.from('second')
    const pending = store.put(['buf', 2], nodeBuffer)
    nodeBuffer.fill(0x58)
    assert.equal(text(await store.get(['buf', 2])), 'second')
    await pending
  })

  it('keeps a later pending write when an earlier batch with the same key becomes durable', async () => {
    const first = store.put(['race', 1], utf8('a'))
    await new Promise(resolve => setImmediate(resolve))
    // The first batch is in flight: these two are queued behind it, in separate commits.
    const second = store.put(['race', 1], utf8('b'))
    const third = store.del(['race', 2])
    await first
    assert.equal(text(await store.get(['race', 1])), 'b')
    await Promise.all([second, third])
    assert.equal(text(await store.get(['race', 1])), 'b')
    await store.close()
    store = await openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N })
    assert.equal(text(await store.get(['race', 1])), 'b')
  })

  it('applies a transaction atomically and in commit order', async () => {
    const tx1 = store.transaction()
    const tx2 = store.transaction()
    tx1.put(['o', 1], utf8('tx1'))
    tx1.put(['o', 2], utf8('tx1'))
    tx2.put(['o', 2], utf8('tx2'))
    // tx2 commits first, so tx1, committed later, wins on the key both wrote.
    const c2 = tx2.commit()
    const c1 = tx1.commit()
    await Promise.all([c1, c2])
    assert.deepEqual(await texts(store.values(['o'])), ['tx1', 'tx1'])
  })

  it('resolves an empty commit after every earlier commit is durable', async () => {
    let durable = 0
    const first = store.put(['e', 'first'], utf8('v'))
    // The first batch is in flight now: these queue behind it, with the empty commit last.
    await new Promise(resolve => setImmediate(resolve))
    const rest = Array.from({ length: 20 }, (_, i) => {
      const tx = store.transaction()
      tx.put(['e', i], utf8('v'))
      return tx.commit().then(() => { durable++ })
    })
    await store.transaction().commit()
    assert.equal(durable, 20)
    await Promise.all([first, ...rest])
  })

  it('writes one operation per key a batch touches, with the last value, and it survives a reopen', async () => {
    // Twenty commits in one turn rewrite one key (as every send rewrites a session) and each adds one.
    await Promise.all(Array.from({ length: 20 }, async (_, i) => {
      const tx = store.transaction()
      tx.put(['hot'], utf8(`v${i}`))
      tx.put(['cold', i], utf8(`c${i}`))
      if (i === 19) tx.del(['cold', 0])
      await tx.commit()
    }))
    assert.equal(batches.length, 1)
    assert.deepEqual({ commits: batches[0]?.commits, operations: batches[0]?.operations }, { commits: 20, operations: 21 })
    assert.equal(text(await store.get(['hot'])), 'v19')
    await store.close()
    store = await openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N })
    assert.equal(text(await store.get(['hot'])), 'v19')
    assert.deepEqual(await texts(store.values(['cold'])), Array.from({ length: 19 }, (_, i) => `c${i + 1}`))
  })

  it('syncs a batch unless none of its commits asks for it', async () => {
    await store.transaction().commit({ sync: false })
    const tx = store.transaction()
    tx.put(['relaxed'], utf8('r'))
    await tx.commit({ sync: false })
    const both = [store.transaction(), store.transaction()]
    both[0]?.put(['relaxed', 2], utf8('r2'))
    both[1]?.put(['synced'], utf8('s'))
    await Promise.all([both[0]?.commit({ sync: false }), both[1]?.commit()])
    assert.deepEqual(batches.map(b => ({ commits: b.commits, synced: b.synced })), [{ commits: 1, synced: false }, { commits: 2, synced: true }])
    assert.equal(text(await store.get(['relaxed'])), 'r')
  })

  it('coalesces concurrent commits into few synced batches, and reports commit rates', async (t) => {
    const value = new Uint8Array(1024).fill(1)
    const sequential = 300
    let started = performance.now()
    for (let i = 0; i < sequential; i++) await store.put(['seq', i], value)
    const sequentialRate = sequential / ((performance.now() - started) / 1000)
    assert.equal(batches.length, sequential, 'awaited commits cannot be grouped')

    batches = []
    const concurrent = 1000
    started = performance.now()
    await Promise.all(Array.from({ length: concurrent }, async (_, i) => { await store.put(['con', i], value) }))
    const concurrentRate = concurrent / ((performance.now() - started) / 1000)
    assert.equal(batches.reduce((n, b) => n + b.commits, 0), concurrent)
    assert.ok(batches.length <= 10, `1,000 concurrent commits took ${batches.length} batches`)

    // 100 in flight at a time, as a busy messenger would have.
    batches = []
    const total = 3000
    let next = 0
    started = performance.now()
    await Promise.all(Array.from({ length: 100 }, async () => {
      while (next < total) await store.put(['win', next++], value)
    }))
    const windowRate = total / ((performance.now() - started) / 1000)
    assert.ok(batches.length < total / 10, `${total} commits, 100 in flight, took ${batches.length} batches`)
    t.diagnostic(`1 KiB commits/s: sequential awaited ${Math.round(sequentialRate)}, ` +
      `1,000 at once ${Math.round(concurrentRate)}, 100 in flight ${Math.round(windowRate)} ` +
      `(${batches.length} batches, ${Math.round(total / batches.length)} commits per batch)`)
    assert.equal((await texts(store.values(['win']))).length, total)
  })
})
