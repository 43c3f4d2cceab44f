// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { randomBytes } from 'node:crypto'
import { readdir, stat } from 'node:fs/promises'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { changeKeySource, openStore } from '../../src/storage/index.js'
import type { Store } from '../../src/storage/index.js'
import { passphrase, rawEntries, startFixture, tempDir, TEST_LOG_N, text, utf8, withRawDb } from './fixtures/support.js'

describe('openStore', () => {
  let dir: string
  let remove: () => Promise<void>
  const open: Store[] = []

  beforeEach(async () => {
    ({ dir, remove } = await tempDir())
  })

  afterEach(async () => {
    for (const s of open.splice(0)) await s.close()
    await remove()
  })

  async function openWith (keySource = passphrase()): Promise<Store> {
    const store = await openStore({ dir, keySource, scryptLogN: TEST_LOG_N })
    open.push(store)
    return store
  }

  async function closeAll (): Promise<void> {
    for (const s of open.splice(0)) await s.close()
  }

  it('round-trips values and keeps them across a reopen with the right passphrase', async () => {
    const store = await openWith()
    assert.equal(store.schemaVersion, 1)
    await store.put(['contact', 'alice'], utf8('Alice'))
    await store.put(['msg', 'alice', 1], utf8('hello'))
    assert.equal(text(await store.get(['contact', 'alice'])), 'Alice')
    assert.equal(await store.get(['contact', 'bob']), undefined)
    await store.del(['contact', 'alice'])
    assert.equal(await store.get(['contact', 'alice']), undefined)
    await closeAll()

    const again = await openWith()
    assert.equal(again.schemaVersion, 1)
    assert.equal(text(await again.get(['msg', 'alice', 1])), 'hello')
    assert.equal(await again.get(['contact', 'alice']), undefined)
  })

  it('creates the data directory private (0700)', async () => {
    const nested = `${dir}/data/sotto`
    const store = await openStore({ dir: nested, keySource: passphrase(), scryptLogN: TEST_LOG_N })
    open.push(store)
    assert.equal((await stat(nested)).mode & 0o777, 0o700)
    assert.ok((await readdir(`${nested}/db`)).includes('CURRENT'))
  })

  it('refuses a wrong passphrase with a clear error and leaves the data as it was', async () => {
    const store = await openWith()
    await store.put(['secret', 'x'], utf8('kept'))
    await closeAll()
    const before = await rawEntries(dir)

    await assert.rejects(openStore({ dir, keySource: passphrase('wrong'), scryptLogN: TEST_LOG_N }), (err: Error) => {
      assert.equal(err.name, 'WrongPassphraseError')
      assert.match(err.message, /wrong passphrase/)
      return true
    })
    // The failed attempt released the lock and changed nothing.
    assert.deepEqual(await rawEntries(dir), before)
    const again = await openWith()
    assert.equal(text(await again.get(['secret', 'x'])), 'kept')
  })

  it('opens with a host-supplied key, and only with that key', async () => {
    const key = new Uint8Array(randomBytes(32))
    const store = await openWith({ kind: 'host-key', key })
    await store.put(['k', 1], utf8('v'))
    await closeAll()

    const other = new Uint8Array(randomBytes(32))
    await assert.rejects(openStore({ dir, keySource: { kind: 'host-key', key: other } }), { name: 'WrongPassphraseError' })
    await assert.rejects(openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N }), (err: Error) => {
      assert.equal(err.name, 'WrongPassphraseError')
      assert.match(err.message, /keychain/)
      return true
    })
    const again = await openWith({ kind: 'host-key', key })
    assert.equal(text(await again.get(['k', 1])), 'v')
  })

  it('rejects a host key that is not 32 bytes, and an empty passphrase, before touching the disk', async () => {
    const target = `${dir}/never`
    await assert.rejects(openStore({ dir: target, keySource: { kind: 'host-key', key: new Uint8Array(31) } }), { name: 'InvalidInputError' })
    await assert.rejects(openStore({ dir: target, keySource: { kind: 'host-key', key: new Uint8Array(33) } }), { name: 'InvalidInputError' })
    await assert.rejects(openStore({ dir: target, keySource: passphrase('') }), { name: 'InvalidInputError' })
    await assert.rejects(openStore({ dir: target, keySource: passphrase(), scryptLogN: 40 }), { name: 'InvalidInputError' })
    assert.deepEqual(await readdir(dir), [])
  })

  it('refuses a second open of the same directory from this process', async () => {
    await openWith()
    await assert.rejects(openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N }), (err: Error) => {
      assert.equal(err.name, 'DataDirectoryLockedError')
      assert.match(err.message, /in use/)
      return true
    })
    await closeAll()
    await openWith()
  })

  it('refuses to open a directory another process holds, and opens once it lets go', async () => {
    const holder = startFixture('hold-store', [dir], 'correct horse battery staple')
    assert.equal(await holder.waitFor(l => l !== ''), 'open')
    await assert.rejects(openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N }), { name: 'DataDirectoryLockedError' })
    holder.child.stdin.end()
    await holder.waitFor(l => l === 'closed')
    assert.equal((await holder.exited).code, 0)
    await openWith()
  })

  it('lets the other process see the lock too', async () => {
    await openWith()
    const other = startFixture('hold-store', [dir], 'correct horse battery staple')
    assert.equal(await other.waitFor(l => l !== ''), 'DataDirectoryLockedError')
    assert.equal((await other.exited).code, 1)
  })

  it('waits for queued commits on close, then refuses every use with StoreClosedError', async () => {
    const store = await openWith()
    const commits = Array.from({ length: 50 }, async (_, i) => { await store.put(['n', i], utf8(String(i))) })
    const tx = store.transaction()
    tx.put(['late', 1], utf8('x'))
    await store.close()
    await Promise.all(commits)
    await assert.rejects(store.get(['n', 1]), { name: 'StoreClosedError' })
    await assert.rejects(store.put(['n', 1], utf8('y')), { name: 'StoreClosedError' })
    await assert.rejects(tx.commit(), { name: 'StoreClosedError' })
    assert.throws(() => store.transaction(), { name: 'StoreClosedError' })
    await assert.rejects(async () => { for await (const _ of store.values(['n'])) break }, { name: 'StoreClosedError' })
    await store.close()
    open.splice(0)

    const again = await openWith()
    for (let i = 0; i < 50; i++) assert.equal(text(await again.get(['n', i])), String(i))
    assert.equal(await again.get(['late', 1]), undefined)
  })

  it('reports a value moved to another key, or altered, as StorageCorruptError', async () => {
    const store = await openWith()
    await store.put(['a', 'one'], utf8('first'))
    await store.put(['a', 'two'], utf8('second'))
    await store.put(['b', 1], utf8('third'))
    await closeAll()
    await withRawDb(dir, async db => {
      const entries: Array<[Uint8Array, Uint8Array]> = []
      for await (const [k, v] of db.iterator({ gte: utf8('a\0'), lt: utf8('a\x01') })) entries.push([k, v])
      assert.equal(entries.length, 2)
      const [[k1, v1], [k2, v2]] = entries as [[Uint8Array, Uint8Array], [Uint8Array, Uint8Array]]
      // Swap the two values between their keys.
      await db.batch([{ type: 'put', key: k1, value: v2 }, { type: 'put', key: k2, value: v1 }])
      for await (const [k, v] of db.iterator({ gte: utf8('b\0'), lt: utf8('b\x01') })) {
        v[v.length - 1] = (v[v.length - 1] ?? 0) ^ 1
        await db.put(k, v)
      }
    })
    const again = await openWith()
    await assert.rejects(again.get(['a', 'one']), { name: 'StorageCorruptError' })
    await assert.rejects(again.get(['b', 1]), { name: 'StorageCorruptError' })
    await assert.rejects(async () => { for await (const _ of again.values(['a'])) break }, { name: 'StorageCorruptError' })
  })

  it('reports an altered meta record as StorageCorruptError, a newer format as UnsupportedSchemaError', async () => {
    await openWith()
    await closeAll()
    const metaKey = utf8('\0sotto-meta')
    let original: Uint8Array = new Uint8Array(0)
    await withRawDb(dir, async db => {
      original = (await db.get(metaKey)) ?? assert.fail('no meta record')
      const meta = JSON.parse(text(original) ?? '') as { schemaVersion: number }
      meta.schemaVersion = 7
      await db.put(metaKey, utf8(JSON.stringify(meta)))
    })
    await assert.rejects(openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N }), { name: 'StorageCorruptError' })
    await withRawDb(dir, async db => {
      const meta = JSON.parse(text(original) ?? '') as { format: number }
      meta.format = 2
      await db.put(metaKey, utf8(JSON.stringify(meta)))
    })
    await assert.rejects(openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N }), { name: 'UnsupportedSchemaError' })
    await withRawDb(dir, async db => { await db.put(metaKey, original) })
    await openWith()
  })

  it('refuses a database that has data but no meta record', async () => {
    const store = await openWith()
    await store.put(['x', 1], utf8('y'))
    await closeAll()
    await withRawDb(dir, async db => { await db.del(utf8('\0sotto-meta')) })
    const before = await rawEntries(dir)
    await assert.rejects(openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N }), { name: 'StorageCorruptError' })
    assert.deepEqual(await rawEntries(dir), before)
  })

  it('changes the key source by re-wrapping the data key: passphrase to host key and back', async () => {
    const store = await openWith()
    await store.put(['k', 'v'], utf8('value'))
    const before = (await rawEntries(dir).catch(() => [])).length
    assert.equal(before, 0, 'the raw database cannot be read while the store holds the lock')
    const hostKey = new Uint8Array(randomBytes(32))
    await changeKeySource(store, { kind: 'host-key', key: hostKey })
    assert.equal(text(await store.get(['k', 'v'])), 'value')
    await closeAll()

    await assert.rejects(openStore({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N }), { name: 'WrongPassphraseError' })
    const viaHost = await openWith({ kind: 'host-key', key: hostKey })
    assert.equal(text(await viaHost.get(['k', 'v'])), 'value')
    await changeKeySource(viaHost, passphrase('a new passphrase'), { scryptLogN: TEST_LOG_N })
    await closeAll()

    await assert.rejects(openStore({ dir, keySource: { kind: 'host-key', key: hostKey } }), { name: 'WrongPassphraseError' })
    const viaNew = await openWith(passphrase('a new passphrase'))
    assert.equal(text(await viaNew.get(['k', 'v'])), 'value')
  })
})
