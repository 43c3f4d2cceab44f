// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createMessenger, restoreBackup } from '../../src/messenger/index.js'
import { rawEntries } from '../storage/fixtures/support.js'
import { introduce, nextEvent, startMessenger, tempDir, testOptions } from './helpers.js'
import type { Messenger } from '../../src/messenger/index.js'

const RECOVERY = 'a recovery passphrase'

describe('restoring a backup: the restored installation takes over, the old one is refused', () => {
  const dirs: Array<{ dir: string, cleanup(): Promise<void> }> = []
  let alice: Messenger
  let bob: Messenger
  let restored: Messenger | undefined
  let bobAtAlice: string
  let aliceAtBob: string
  let file: Uint8Array

  before(async () => {
    for (let i = 0; i < 3; i++) dirs.push(await tempDir())
    alice = await startMessenger(dirs[0]!.dir, 'Alice')
    bob = await startMessenger(dirs[1]!.dir, 'Bob')
    ;({ bobAtAlice, aliceAtBob } = await introduce(alice, bob))
    const m = await alice.send(bobAtAlice, 'before the backup')
    await alice.waitForState(m.id, ['delivered'], 20_000)
    const shown = nextEvent(alice, 'message')
    await bob.send(aliceAtBob, 'an answer before the backup')
    await shown
    file = await alice.exportBackup({ passphrase: RECOVERY, scryptLogN: 10 })
  })
  after(async () => {
    for (const m of [restored, alice, bob]) await m?.stop()
    for (const d of dirs) await d.cleanup()
  })

  it('refuses a wrong recovery passphrase with WrongBackupPassphraseError, writing nothing', async () => {
    const target = join(dirs[2]!.dir, 'wrong')
    await assert.rejects(restoreBackup({ file, recoveryPassphrase: 'not the recovery passphrase', dataDir: target, keySource: testOptions(target, 'Alice').keySource, scryptLogN: 10 }),
      { name: 'WrongBackupPassphraseError' })
    await assert.rejects(rawEntries(target), 'no database was made')
  })

  it('refuses to restore into a data directory that is not empty', async () => {
    const target = join(dirs[2]!.dir, 'taken')
    await restoreBackup({ file, recoveryPassphrase: RECOVERY, dataDir: target, keySource: testOptions(target, 'Alice').keySource, scryptLogN: 10 })
    await assert.rejects(restoreBackup({ file, recoveryPassphrase: RECOVERY, dataDir: target, keySource: testOptions(target, 'Alice').keySource, scryptLogN: 10 }),
      { name: 'DataDirectoryNotEmptyError' })
    await writeFile(join(dirs[2]!.dir, 'a file'), 'x')
    await assert.rejects(restoreBackup({ file, recoveryPassphrase: RECOVERY, dataDir: dirs[2]!.dir, keySource: testOptions(target, 'Alice').keySource, scryptLogN: 10 }),
      { name: 'DataDirectoryNotEmptyError' })
  })

  it('messages both ways with the restored installation; Bob refuses the old one and sees no safety-number change', async () => {
    const before = await bob.contact(aliceAtBob)
    const target = join(dirs[2]!.dir, 'restored')
    const summary = await restoreBackup({ file, recoveryPassphrase: RECOVERY, dataDir: target, keySource: testOptions(target, 'Alice').keySource, scryptLogN: 10 })
    assert.deepEqual({ ...summary, userId: undefined }, { userId: undefined, installation: 2, contacts: 1, messages: 2 })

    // The old installation keeps running and sends after the backup was made.
    const late = await alice.send(bobAtAlice, 'the old installation, after the backup')
    assert.equal((await alice.waitForState(late.id, ['delivered'], 20_000)).state, 'delivered')

    const moved = nextEvent(bob, 'contact', c => c.id === aliceAtBob && c.peerId !== before.peerId)
    restored = await createMessenger(testOptions(target, 'Alice'))
    assert.deepEqual(restored.installation(), { number: 2 })
    assert.notEqual(restored.identity().peerId, alice.identity().peerId)
    assert.equal(restored.identity().userId, alice.identity().userId)
    const atBob = await moved
    assert.equal(atBob.peerId, restored.identity().peerId)
    assert.equal(atBob.safetyNumber, before.safetyNumber)
    assert.equal(atBob.identityChanged, false)

    const toRestored = nextEvent(restored, 'message', m => m.text === 'to the restored installation')
    const fromBob = await bob.send(aliceAtBob, 'to the restored installation')
    assert.equal((await toRestored).id, fromBob.id)
    const toBob = nextEvent(bob, 'message', m => m.text === 'from the restored installation')
    const sent = await restored.send(bobAtAlice, 'from the restored installation')
    assert.equal((await toBob).id, sent.id)
    assert.equal((await restored.waitForState(sent.id, ['delivered'], 20_000)).state, 'delivered')

    // The old installation's envelopes are refused now.
    const refused = await alice.send(bobAtAlice, 'the old installation, after the move')
    const settled = await alice.waitForState(refused.id, ['delivered'], 20_000)
    assert.equal(settled.state, 'failed')

    const bobTexts = (await bob.history(aliceAtBob)).map(m => m.text)
    assert.deepEqual(bobTexts, ['before the backup', 'an answer before the backup', 'the old installation, after the backup', 'to the restored installation', 'from the restored installation'])
    const restoredHistory = await restored.history(bobAtAlice)
    assert.deepEqual(restoredHistory.map(m => m.text), ['before the backup', 'an answer before the backup', 'to the restored installation', 'from the restored installation'])
    const original = await alice.history(bobAtAlice)
    assert.deepEqual(restoredHistory.slice(0, 2).map(m => m.id), original.slice(0, 2).map(m => m.id), 'history ids are kept')
    assert.equal((await bob.contact(aliceAtBob)).safetyNumber, before.safetyNumber)
  })
})
