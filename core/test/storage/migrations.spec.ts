// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { openStore, storeMigrations } from '../../src/storage/index.js'
import type { Migration, OpenStoreOptions } from '../../src/storage/index.js'
import { passphrase, rawEntries, tempDir, TEST_LOG_N, text, texts, utf8 } from './fixtures/support.js'

describe('schema migrations', () => {
  let dir: string
  let remove: () => Promise<void>
  let runs: number[]

  beforeEach(async () => {
    ({ dir, remove } = await tempDir())
    runs = []
  })

  afterEach(async () => {
    await remove()
  })

  const toUpperCase: Migration = {
    version: 2,
    description: 'contact names in upper case, under a new space',
    async migrate (tx) {
      runs.push(2)
      for (const id of ['alice', 'bob']) {
        const name = await tx.get(['contact', id])
        if (name === undefined) continue
        tx.put(['contact-v2', id], utf8((text(name) ?? '').toUpperCase()))
        tx.del(['contact', id])
      }
      // Reads inside a migration see its own writes.
      assert.equal(await tx.get(['contact', 'alice']), undefined)
      tx.put(['settings', 'migrated'], utf8('yes'))
    }
  }

  const failing: Migration = {
    version: 3,
    description: 'fails half way',
    migrate (tx) {
      runs.push(3)
      tx.put(['settings', 'half'], utf8('done'))
      throw new Error('migration 3 failed')
    }
  }

  const options = (migrations?: readonly Migration[]): OpenStoreOptions =>
    ({ dir, keySource: passphrase(), scryptLogN: TEST_LOG_N, ...(migrations === undefined ? {} : { migrations }) })

  it('starts today at schema 1 with no migrations', async () => {
    assert.deepEqual(storeMigrations, [])
    const store = await openStore(options())
    assert.equal(store.schemaVersion, 1)
    await store.close()
  })

  it('runs a pending migration once, atomically with the new version', async () => {
    let store = await openStore(options())
    await store.put(['contact', 'alice'], utf8('Alice'))
    await store.put(['contact', 'bob'], utf8('Bob'))
    await store.close()

    store = await openStore(options([toUpperCase]))
    assert.equal(store.schemaVersion, 2)
    assert.deepEqual(runs, [2])
    assert.deepEqual((await texts(store.values(['contact-v2']))).sort(), ['ALICE', 'BOB'])
    assert.deepEqual(await texts(store.values(['contact'])), [])
    await store.close()

    store = await openStore(options([toUpperCase]))
    assert.equal(store.schemaVersion, 2)
    assert.deepEqual(runs, [2])
    assert.equal(text(await store.get(['settings', 'migrated'])), 'yes')
    await store.close()
  })

  it('leaves the directory as it was when a migration throws', async () => {
    let store = await openStore(options([toUpperCase]))
    await store.put(['contact', 'alice'], utf8('Alice'))
    await store.close()
    const before = await rawEntries(dir)

    await assert.rejects(openStore(options([toUpperCase, failing])), /migration 3 failed/)
    assert.deepEqual(await rawEntries(dir), before)
    store = await openStore(options([toUpperCase]))
    assert.equal(store.schemaVersion, 2)
    assert.equal(await store.get(['settings', 'half']), undefined)
    await store.close()
  })

  it('refuses a directory at a newer schema than this code knows, and leaves it untouched', async () => {
    let store = await openStore(options())
    await store.put(['contact', 'alice'], utf8('Alice'))
    await store.close()
    store = await openStore(options([toUpperCase]))
    await store.close()
    const before = await rawEntries(dir)

    await assert.rejects(openStore(options()), (err: Error) => {
      assert.equal(err.name, 'UnsupportedSchemaError')
      assert.match(err.message, /schema 2.*up to 1/)
      return true
    })
    assert.deepEqual(await rawEntries(dir), before)
    store = await openStore(options([toUpperCase]))
    assert.equal(text(await store.get(['contact-v2', 'alice'])), 'ALICE')
    await store.close()
  })

  it('creates a new directory at the latest version without running anything', async () => {
    const ok: Migration = { version: 3, description: 'no-op', migrate: () => { runs.push(3) } }
    const store = await openStore(options([toUpperCase, ok]))
    assert.equal(store.schemaVersion, 3)
    assert.deepEqual(runs, [])
    await store.close()
  })

  it('treats a list of migrations that is not 2, 3, 4, … as a bug', async () => {
    await assert.rejects(openStore(options([failing])), { name: 'BugError' })
    await assert.rejects(openStore(options([toUpperCase, toUpperCase])), { name: 'BugError' })
  })
})
