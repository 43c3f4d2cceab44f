// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createMessenger } from '@sotto/core'
import { createDesktopService } from '../../src/main/desktop-service.js'
import { safeStorageKeyVault } from '../../src/main/key-vault.js'
import { FakeSafeStorage } from '../fixtures/fake-electron.js'
import { tempDir, value } from '../fixtures/helpers.js'
import type { DesktopService } from '../../src/main/desktop-service.js'
import type { KeyVault } from '../../src/main/key-vault.js'
import type { AppStatus, Result, SecurityView } from '../../src/shared/contract.js'

const OLD = 'the first passphrase'
const NEW = 'the second passphrase'

function errorName (result: Result<unknown>): string {
  assert.equal(result.ok, false, 'expected an error')
  return (result as { ok: false, error: { name: string } }).error.name
}

/** The value of a call answering the app's status. */
const status = (result: Result<unknown>): AppStatus => value(result) as AppStatus
/** The value of a call answering how the data is protected. */
const security = (result: Result<unknown>): SecurityView => value(result) as SecurityView

/** The desktop config's key mode. */
async function keyMode (dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, 'desktop.json'), 'utf8')) as { keyMode: string }).keyMode
}

describe('DesktopService: changing the passphrase and the keychain, on a real messenger', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let vault: KeyVault
  const services: DesktopService[] = []
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir())
    vault = safeStorageKeyVault({ safeStorage: new FakeSafeStorage(), file: join(dir, 'storage-key.bin'), platform: 'linux' })
  })
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop()
    await cleanup()
  })

  /** A service over core's messenger in `dir`, started. */
  async function start (): Promise<DesktopService> {
    const service = createDesktopService({
      dataDir: dir,
      createMessenger,
      keyVault: vault,
      messengerOptions: { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, scryptLogN: 10 }
    })
    services.push(service)
    await service.start()
    return service
  }

  async function restart (service: DesktopService): Promise<DesktopService> {
    await service.stop()
    return await start()
  }

  it('changes the passphrase: a wrong current one is refused and changes nothing; then only the new one unlocks', async () => {
    let service = await start()
    const { identity } = status(await service.dispatch('setup', { name: 'Ada', relays: [], passphrase: OLD }))
    assert.equal(errorName(await service.dispatch('changeKeySource', { current: 'not the passphrase', passphrase: NEW })), 'WrongPassphraseError')
    assert.equal(errorName(await service.dispatch('changeKeySource', { passphrase: NEW })), 'PassphraseRequiredError')
    assert.equal(errorName(await service.dispatch('changeKeySource', { current: OLD, passphrase: 'short' })), 'InvalidPayloadError')
    service = await restart(service)
    assert.equal(status(await service.dispatch('unlock', { passphrase: OLD })).phase, 'ready', 'nothing was changed')

    assert.deepEqual(security(await service.dispatch('changeKeySource', { current: OLD, passphrase: NEW })), { keyMode: 'passphrase', keychainAvailable: true, passphraseProvided: false })
    service = await restart(service)
    assert.equal(status(await service.dispatch('status', undefined)).phase, 'locked')
    assert.equal(errorName(await service.dispatch('unlock', { passphrase: OLD })), 'WrongPassphraseError')
    const unlocked = status(await service.dispatch('unlock', { passphrase: NEW }))
    assert.equal(unlocked.phase, 'ready')
    assert.equal(unlocked.identity?.peerId, identity?.peerId)
  })

  it('moves the key into the keychain and back behind a passphrase', async () => {
    let service = await start()
    status(await service.dispatch('setup', { name: 'Ada', relays: [], passphrase: OLD }))
    assert.equal(errorName(await service.dispatch('changeKeySource', { current: NEW, keychain: true })), 'WrongPassphraseError')
    assert.equal(await vault.load(), undefined, 'no key is left in the keychain after a refusal')
    assert.equal(security(await service.dispatch('changeKeySource', { current: OLD, keychain: true })).keyMode, 'keychain')
    assert.equal(await keyMode(dir), 'host-key')
    service = await restart(service)
    assert.equal(status(await service.dispatch('status', undefined)).phase, 'ready', 'opened by the keychain alone')

    assert.equal(security(await service.dispatch('changeKeySource', { passphrase: NEW })).keyMode, 'passphrase')
    assert.equal(await keyMode(dir), 'passphrase')
    assert.equal(await vault.load(), undefined, 'the keychain no longer holds the key')
    service = await restart(service)
    assert.equal(status(await service.dispatch('unlock', { passphrase: NEW })).phase, 'ready')
  })

  it('opens after a switch cut short before the config was written, and records the mode that opened it', async () => {
    let service = await start()
    status(await service.dispatch('setup', { name: 'Ada', relays: [], passphrase: OLD }))
    security(await service.dispatch('changeKeySource', { current: OLD, keychain: true }))
    await service.stop()
    // The config as it was before the switch: the store is already wrapped for the keychain.
    const config = JSON.parse(await readFile(join(dir, 'desktop.json'), 'utf8')) as Record<string, unknown>
    await writeFile(join(dir, 'desktop.json'), JSON.stringify({ ...config, keyMode: 'passphrase' }))
    service = await start()
    assert.equal(status(await service.dispatch('status', undefined)).phase, 'ready')
    assert.equal(await keyMode(dir), 'host-key')

    security(await service.dispatch('changeKeySource', { passphrase: NEW }))
    await service.stop()
    await writeFile(join(dir, 'desktop.json'), JSON.stringify({ ...config, keyMode: 'host-key' }))
    await vault.create()
    service = await start()
    assert.equal(status(await service.dispatch('status', undefined)).phase, 'locked', 'the keychain no longer opens it: the passphrase is asked for')
    assert.equal(status(await service.dispatch('unlock', { passphrase: NEW })).phase, 'ready')
    assert.equal(await keyMode(dir), 'passphrase')
    assert.equal(await vault.load(), undefined)
  })
})

describe('DesktopService: moving to a new computer, on a real messenger', () => {
  let dir: string
  let cleanup: () => Promise<void>
  const services: DesktopService[] = []
  beforeEach(async () => { ({ dir, cleanup } = await tempDir()) })
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop()
    await cleanup()
  })

  /** A service over core's messenger in `<dir>/<name>`, started, with a keychain. */
  async function start (name: string): Promise<{ service: DesktopService, vault: KeyVault, dataDir: string }> {
    const dataDir = join(dir, name)
    const vault = safeStorageKeyVault({ safeStorage: new FakeSafeStorage(), file: join(dir, `${name}-key.bin`), platform: 'linux' })
    const service = createDesktopService({ dataDir, createMessenger, keyVault: vault, messengerOptions: { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, scryptLogN: 10 } })
    services.push(service)
    await service.start()
    return { service, vault, dataDir }
  }

  it('exports a backup into the data folder and restores it on another computer; a wrong recovery passphrase writes nothing', async () => {
    const old = await start('old')
    const { identity } = status(await old.service.dispatch('setup', { name: 'Ada', relays: [], passphrase: OLD }))
    assert.equal(errorName(await old.service.dispatch('exportBackup', { passphrase: 'short', history: true })), 'InvalidPayloadError')
    const { file, bytes } = value(await old.service.dispatch('exportBackup', { passphrase: 'the recovery passphrase', history: true })) as { file: string, bytes: number }
    assert.equal(dirname(file), join(old.dataDir, 'backups'))
    assert.equal((await stat(file)).size, bytes)
    assert.equal((await stat(file)).mode & 0o077, 0)
    const backup = (await readFile(file)).toString('base64')

    const next = await start('new')
    assert.equal(errorName(await next.service.dispatch('restoreBackup', { file: backup, recoveryPassphrase: 'not the recovery passphrase' })), 'WrongBackupPassphraseError')
    assert.deepEqual(await readdir(next.dataDir).catch(() => []), [], 'nothing written')
    assert.equal(await next.vault.load(), undefined, 'no key left in the keychain')
    assert.equal(status(await next.service.dispatch('status', undefined)).phase, 'setup')

    const restored = status(await next.service.dispatch('restoreBackup', { file: backup, recoveryPassphrase: 'the recovery passphrase' }))
    assert.equal(restored.phase, 'ready')
    assert.equal(restored.identity?.userId, identity?.userId)
    assert.notEqual(restored.identity?.peerId, identity?.peerId)
    assert.equal(await keyMode(next.dataDir), 'host-key')
    assert.equal(errorName(await next.service.dispatch('restoreBackup', { file: backup, recoveryPassphrase: 'the recovery passphrase' })), 'WrongPhaseError')
  })
})
