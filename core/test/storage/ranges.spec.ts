// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import { openStore } from '../../src/storage/index.js'
import type { Key, Store } from '../../src/storage/index.js'
import { passphrase, tempDir, TEST_LOG_N, texts, utf8 } from './fixtures/support.js'

describe('key order and ranges', () => {
  let store: Store
  let remove: () => Promise<void>

  before(async () => {
    const temp = await tempDir()
    remove = temp.remove
    store = await openStore({ dir: temp.dir, keySource: passphrase(), scryptLogN: TEST_LOG_N })
  })

  after(async () => {
    await store.close()
    await remove()
  })

  it('iterates number parts in numeric order, across byte and 32-bit boundaries', async () => {
    const numbers = [0, 1, 2, 9, 10, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]
    const tx = store.transaction()
    for (const n of [...numbers].reverse()) tx.put(['num', n], utf8(String(n)))
    await tx.commit()
    assert.deepEqual(await texts(store.values(['num'])), numbers.map(String))
    assert.deepEqual(await texts(store.values(['num'], { reverse: true })), numbers.map(String).reverse())
  })

  it('keeps prefixes apart: spaces, strings and deeper keys', async () => {
    const keys: Array<[Key, string]> = [
      [['msg', 'alice', 1], 'alice-1'],
      [['msg', 'alice', 2], 'alice-2'],
      [['msg', 'alice'], 'alice-self'],
      [['msg', 'alicex', 1], 'alicex-1'],
      [['msg', 'alic', 1], 'alic-1'],
      [['msg', 'bob', 1], 'bob-1'],
      [['msgx', 'alice', 1], 'msgx'],
      [['ms', 'alice', 1], 'ms'],
      [['msg-archive', 'alice', 1], 'archive']
    ]
    const tx = store.transaction()
    for (const [k, v] of keys) tx.put(k, utf8(v))
    await tx.commit()
    assert.deepEqual(await texts(store.values(['msg', 'alice'])), ['alice-self', 'alice-1', 'alice-2'])
    assert.deepEqual(await texts(store.values(['msg', 'alice', 1])), ['alice-1'])
    assert.deepEqual((await texts(store.values(['msg']))).sort(), ['alic-1', 'alice-1', 'alice-2', 'alice-self', 'alicex-1', 'bob-1'])
    assert.deepEqual(await texts(store.values(['msgx'])), ['msgx'])
    assert.deepEqual(await texts(store.values(['ms'])), ['ms'])
    // A string that looks like a number is a different part from the number.
    await store.put(['msg', 'alice', '1'], utf8('alice-string-1'))
    assert.deepEqual(await texts(store.values(['msg', 'alice', 1])), ['alice-1'])
    assert.deepEqual(await texts(store.values(['msg', 'alice', '1'])), ['alice-string-1'])
  })

  it('bounds the first number part after the prefix with gte and lt, in both directions, with a limit', async () => {
    const tx = store.transaction()
    for (let i = 0; i < 20; i++) tx.put(['log', 'c', i * 10], utf8(String(i * 10)))
    tx.put(['log', 'c', 'not-a-number'], utf8('string'))
    tx.put(['log', 'c'], utf8('self'))
    tx.put(['log', 'd', 50], utf8('other'))
    await tx.commit()
    const all = Array.from({ length: 20 }, (_, i) => String(i * 10))
    assert.deepEqual(await texts(store.values(['log', 'c'], { gte: 50, lt: 100 })), ['50', '60', '70', '80', '90'])
    assert.deepEqual(await texts(store.values(['log', 'c'], { gte: 51, lt: 100 })), ['60', '70', '80', '90'])
    assert.deepEqual(await texts(store.values(['log', 'c'], { gte: 50, lt: 100, reverse: true })), ['90', '80', '70', '60', '50'])
    assert.deepEqual(await texts(store.values(['log', 'c'], { gte: 50, lt: 100, reverse: true, limit: 2 })), ['90', '80'])
    assert.deepEqual(await texts(store.values(['log', 'c'], { gte: 150 })), ['150', '160', '170', '180', '190'])
    assert.deepEqual(await texts(store.values(['log', 'c'], { lt: 20 })), ['0', '10'])
    assert.deepEqual(await texts(store.values(['log', 'c'], { lt: 20, reverse: true, limit: 1 })), ['10'])
    assert.deepEqual(await texts(store.values(['log', 'c'], { gte: 100, lt: 100 })), [])
    assert.deepEqual(await texts(store.values(['log', 'c'], { limit: 0 })), [])
    assert.deepEqual(await texts(store.values(['log', 'c'], { limit: 3 })), ['self', '0', '10'])
    // Without bounds: the key itself, the numbers, then string parts.
    assert.deepEqual(await texts(store.values(['log', 'c'])), ['self', ...all, 'string'])
    assert.deepEqual(await texts(store.values(['log', 'c'], { reverse: true })), ['string', ...all.reverse(), 'self'])
  })

  it('treats a malformed key or range as a bug', async () => {
    const bad: Key[] = [['Msg'], ['m sg'], [''], ['a'.repeat(33)], ['x', -1], ['x', 1.5], ['x', 2 ** 53], ['x', Number.NaN], ['x', '\ud800']]
    for (const key of bad) {
      assert.throws(() => { store.transaction().put(key, utf8('v')) }, { name: 'BugError' }, JSON.stringify(key))
      await assert.rejects(store.get(key), { name: 'BugError' })
    }
    await assert.rejects(texts(store.values(['x'], { gte: -1 })), { name: 'BugError' })
    await assert.rejects(texts(store.values(['x'], { limit: -1 })), { name: 'BugError' })
    assert.throws(() => { store.transaction().put(['x'], 'text' as unknown as Uint8Array) }, { name: 'BugError' })
  })
})
