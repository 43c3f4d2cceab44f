// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { openStore } from '../../src/storage/index.js'
import { passphrase, startFixture, tempDir, TEST_LOG_N, text } from './fixtures/support.js'

describe('durability', () => {
  let dir: string
  let remove: () => Promise<void>

  beforeEach(async () => {
    ({ dir, remove } = await tempDir())
  })

  afterEach(async () => {
    await remove()
  })

  /** Kills a process committing with `mode`; every commit that had resolved is there, whole. */
  async function killWhileCommitting (mode: 'synced' | 'unsynced'): Promise<void> {
    const secret = 'correct horse battery staple'
    const writer = startFixture('commit-loop', [dir, '16', mode], secret)
    await writer.waitFor(l => l === 'open')
    await writer.waitFor(() => writer.lines.length > 400)
    writer.child.kill('SIGKILL')
    const { signal } = await writer.exited
    assert.equal(signal, 'SIGKILL')

    const resolved = writer.lines.filter(l => l.startsWith('committed ')).map(l => Number(l.slice('committed '.length)))
    assert.ok(resolved.length >= 400)
    const store = await openStore({ dir, keySource: passphrase(secret), scryptLogN: TEST_LOG_N })
    try {
      for (const i of resolved) {
        assert.ok(await store.get(['seq', i]) !== undefined, `transaction ${i} resolved but is missing`)
        assert.equal(text(await store.get(['by-name', `tx-${i}`])), String(i))
      }
      // Transactions in flight at the kill are either whole or absent.
      const highest = Math.max(...resolved)
      for (let i = 0; i <= highest + 16; i++) {
        const seq = await store.get(['seq', i])
        const byName = await store.get(['by-name', `tx-${i}`])
        assert.equal(seq === undefined, byName === undefined, `transaction ${i} is half there`)
      }
    } finally {
      await store.close()
    }
  }

  it('keeps every transaction whose commit had resolved when the process was killed, and no half of one', async () => {
    await killWhileCommitting('synced')
  })

  it('keeps unsynced commits that had resolved through a kill too: they are with the operating system', async () => {
    await killWhileCommitting('unsynced')
  })

  it('rejects the commits of a failed write, closes itself, and keeps what had resolved', async () => {
    const secret = 'correct horse battery staple'
    // A real failure: the write-ahead log cannot grow past 256 KiB in the child.
    const writer = startFixture('write-until-full', [dir], secret, 256)
    const { code } = await writer.exited
    assert.equal(code, 0)
    const resolved = writer.lines.filter(l => l.startsWith('committed ')).map(l => Number(l.slice('committed '.length)))
    const outcome = writer.lines.filter(l => !l.startsWith('committed '))
    assert.deepEqual(outcome, ['open', 'failed StorageWriteError', 'then commit StoreClosedError', 'then get StoreClosedError', 'closed'])
    assert.ok(resolved.length > 50, `only ${resolved.length} commits before the limit`)

    const store = await openStore({ dir, keySource: passphrase(secret), scryptLogN: TEST_LOG_N })
    try {
      for (const i of resolved) assert.ok(await store.get(['fill', i]) !== undefined, `commit ${i} resolved but is missing`)
      assert.equal(await store.get(['after', 1]), undefined)
      await store.put(['after', 2], new Uint8Array(1))
    } finally {
      await store.close()
    }
  })
})
