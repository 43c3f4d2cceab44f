// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { compactStore, openStore } from '../../src/storage/index.js'
import type { Store } from '../../src/storage/index.js'
import { filesHolding, passphrase, storedEntries, tempDirEach, TEST_LOG_N, utf8 } from './fixtures/support.js'

describe('compaction', () => {
  const temp = tempDirEach()

  const open = async (): Promise<Store> => await openStore({ dir: temp.dir, keySource: passphrase(), scryptLogN: TEST_LOG_N })

  /** Writes a marker and other values, and reads the marker's stored key and sealed value back. */
  async function writeMarker (): Promise<{ key: Uint8Array, value: Uint8Array }> {
    const store = await open()
    await store.put(['msg', 'the-marker'], utf8('a marker message that must not linger'))
    await store.close()
    const [marker] = await storedEntries(temp.dir)
    assert.ok(marker !== undefined)
    const again = await open()
    const tx = again.transaction()
    for (let i = 0; i < 200; i++) tx.put(['other', i], utf8(`value ${i}`))
    await tx.commit()
    await again.close()
    return marker
  }

  it('without compaction, a deleted value lingers in the database files', async () => {
    const marker = await writeMarker()
    const store = await open()
    await store.del(['msg', 'the-marker'])
    await store.close()
    assert.deepEqual(await storedEntries(temp.dir).then(e => e.length), 200)
    assert.notDeepEqual(await filesHolding(temp.dir, marker.value), [], 'the control: level keeps a deleted value until a compaction')
  })

  it('after compaction, the deleted value is in no file of the database, nor its key once opened again', async () => {
    const marker = await writeMarker()
    const store = await open()
    await store.del(['msg', 'the-marker'])
    await compactStore(store)
    assert.equal(await store.get(['other', 7]).then(v => v?.length), 'value 7'.length)
    await store.close()
    assert.deepEqual(await filesHolding(temp.dir, marker.value), [])
    // The key (a keyed hash of the id) may stay in the MANIFEST as the bound of a table that is no
    // more, until the next opening writes a fresh MANIFEST.
    assert.deepEqual((await filesHolding(temp.dir, marker.key)).filter(f => !f.startsWith('MANIFEST-')), [])
    await (await open()).close()
    assert.deepEqual(await filesHolding(temp.dir, marker.key), [])
    assert.deepEqual(await filesHolding(temp.dir, marker.value), [])
    assert.equal((await storedEntries(temp.dir)).length, 200)
  })
})
