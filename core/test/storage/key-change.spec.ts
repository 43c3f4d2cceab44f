// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { changeKeySource, openStore } from '../../src/storage/index.js'
import type { KeySource, Store } from '../../src/storage/index.js'
import { passphrase, rawEntries, startFixture, tempDirEach, TEST_LOG_N, text, utf8 } from './fixtures/support.js'

const OLD = 'the old passphrase'
const NEW = 'the new passphrase'

describe('changing the key source', () => {
  const temp = tempDirEach()

  async function open (keySource: KeySource): Promise<Store> {
    return await openStore({ dir: temp.dir, keySource, scryptLogN: TEST_LOG_N })
  }

  /** Whether `keySource` opens the directory, with its data whole. */
  async function opensWith (keySource: KeySource): Promise<boolean> {
    let store: Store
    try {
      store = await open(keySource)
    } catch (err) {
      assert.equal((err as Error).name, 'WrongPassphraseError')
      return false
    }
    try {
      for (let i = 0; i < 50; i++) assert.equal(text(await store.get(['note', i])), `note ${i}`)
      return true
    } finally {
      await store.close()
    }
  }

  async function fill (): Promise<void> {
    const store = await open(passphrase(OLD))
    const tx = store.transaction()
    for (let i = 0; i < 50; i++) tx.put(['note', i], utf8(`note ${i}`))
    await tx.commit()
    await store.close()
  }

  it('refuses the old passphrase once changed, and opens with the new one, data whole', async () => {
    await fill()
    const store = await open(passphrase(OLD))
    await changeKeySource(store, passphrase(NEW), { current: passphrase(OLD), scryptLogN: TEST_LOG_N })
    await store.close()
    assert.equal(await opensWith(passphrase(OLD)), false)
    assert.equal(await opensWith(passphrase(NEW)), true)
  })

  it('refuses a wrong current passphrase with WrongPassphraseError and writes nothing', async () => {
    await fill()
    const before = await rawEntries(temp.dir)
    const store = await open(passphrase(OLD))
    await assert.rejects(changeKeySource(store, passphrase(NEW), { current: passphrase('not the passphrase'), scryptLogN: TEST_LOG_N }), { name: 'WrongPassphraseError' })
    await assert.rejects(changeKeySource(store, passphrase(NEW), { current: { kind: 'host-key', key: new Uint8Array(randomBytes(32)) } }), { name: 'WrongPassphraseError' })
    await store.close()
    assert.deepEqual(await rawEntries(temp.dir), before)
    assert.equal(await opensWith(passphrase(NEW)), false)
    assert.equal(await opensWith(passphrase(OLD)), true)
  })

  for (const when of ['before', 'during', 'after'] as const) {
    it(`leaves one working passphrase when the process is killed ${when} the write of the new key`, async () => {
      await fill()
      const child = startFixture('change-key', [temp.dir, NEW, when], OLD)
      await child.waitFor(l => l === 'open')
      const { signal } = await child.exited
      assert.equal(signal, 'SIGKILL')
      const old = await opensWith(passphrase(OLD))
      const changed = await opensWith(passphrase(NEW))
      assert.notEqual(old, changed, `old opens: ${old}, new opens: ${changed}`)
      if (when === 'before') assert.equal(old, true)
      if (when === 'after') assert.equal(changed, true)
    })
  }
})
