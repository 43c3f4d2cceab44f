// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { safeStorageKeyVault, STORAGE_KEY_BYTES } from '../../src/main/key-vault.js'
import { FakeSafeStorage } from '../fixtures/fake-electron.js'
import { tempDir } from '../fixtures/helpers.js'

describe('safeStorage key vault', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => { ({ dir, cleanup } = await tempDir()) })
  afterEach(async () => { await cleanup() })

  it('generates the key once, keeps it encrypted, and returns the same key afterwards', async () => {
    const safeStorage = new FakeSafeStorage()
    const file = join(dir, 'storage-key.bin')
    const vault = safeStorageKeyVault({ safeStorage, file, platform: 'linux' })
    assert.equal(await vault.load(), undefined)
    const key = await vault.create()
    assert.equal(key.length, STORAGE_KEY_BYTES)
    assert.equal(safeStorage.encryptions, 1)

    const onDisk = await readFile(file)
    assert.ok(!onDisk.includes(Buffer.from(key)), 'the raw key is not on disk')
    assert.ok(!onDisk.includes(Buffer.from(Buffer.from(key).toString('base64'))), 'nor its base64')
    assert.equal((await stat(file)).mode & 0o077, 0, 'only the user can read the file')

    assert.deepEqual(await vault.create(), key, 'create() does not replace an existing key')
    assert.equal(safeStorage.encryptions, 1)
    const reopened = safeStorageKeyVault({ safeStorage, file, platform: 'linux' })
    assert.deepEqual(await reopened.load(), key)
  })

  it('treats a Linux keyring without a secret store as unavailable', async () => {
    const safeStorage = new FakeSafeStorage()
    safeStorage.backend = 'basic_text'
    const vault = safeStorageKeyVault({ safeStorage, file: join(dir, 'k'), platform: 'linux' })
    assert.equal(vault.available(), false)
    await assert.rejects(vault.create(), { name: 'KeychainError' })
    assert.equal(safeStorageKeyVault({ safeStorage, file: join(dir, 'k'), platform: 'darwin' }).available(), true)
    safeStorage.available = false
    assert.equal(safeStorageKeyVault({ safeStorage, file: join(dir, 'k'), platform: 'darwin' }).available(), false)
  })

  it('fails clearly when the keychain cannot decrypt or the file is damaged', async () => {
    const safeStorage = new FakeSafeStorage()
    const file = join(dir, 'storage-key.bin')
    await writeFile(file, 'not encrypted by this keychain')
    const vault = safeStorageKeyVault({ safeStorage, file, platform: 'linux' })
    await assert.rejects(vault.load(), { name: 'KeychainError', message: /could not decrypt/ })
    await writeFile(file, safeStorage.encryptString(Buffer.alloc(7).toString('base64')))
    await assert.rejects(vault.load(), { name: 'KeychainError', message: /damaged/ })
    await vault.remove()
    assert.equal(await vault.load(), undefined)
  })
})
