// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Moving to a new computer through `sotto-relay` (a child process): Alice backs up, restores into a
 * fresh data directory, and the old installation keeps running and sending. Then messaging works
 * both ways between the restored Alice and Bob (directly and through the relay while one is
 * offline), Bob sees no safety-number change, nothing is shown twice, and the old Alice learns it
 * was replaced and sends nothing more.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { restoreBackup } from '@sotto/core'
import { removeDir, startRelay } from './helpers.js'
import { Fleet, introduce, messengerOptions, nextEvent } from './messengers.js'
import type { Messenger } from '@sotto/core'
import type { RelayProcess } from './helpers.js'

const RECOVERY = 'the recovery passphrase'

describe('moving to a new computer with a backup', () => {
  const fleet = new Fleet()
  const started: RelayProcess[] = []
  after(async () => {
    await fleet.cleanup()
    for (const relay of started) {
      if (relay.proc.exitCode == null) await relay.kill9()
      await removeDir(relay.dataDir)
    }
  })

  it('the restored Alice takes over; the old one, still running, learns it was replaced', { timeout: 180_000 }, async () => {
    const relay = await startRelay()
    started.push(relay)
    const aliceDir = await fleet.dir()
    let alice = await fleet.start(aliceDir, 'Alice', { relays: [relay.tcp] })
    const bobDir = await fleet.dir()
    let bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    const first = await alice.send(bobAtAlice, 'before the backup')
    await alice.waitForState(first.id, ['delivered'], 30_000)

    const file = await alice.exportBackup({ passphrase: RECOVERY, scryptLogN: 10 })
    const restoredDir = await fleet.dir()
    await restoreBackup({ file, recoveryPassphrase: RECOVERY, dataDir: restoredDir, keySource: messengerOptions(restoredDir, 'Alice').keySource, scryptLogN: 10 })

    // The old installation keeps running and sending after the backup.
    const late = await alice.send(bobAtAlice, 'old Alice, after the backup')
    await alice.waitForState(late.id, ['delivered'], 30_000)

    const before = await bob.contact(aliceAtBob)
    const moved = nextEvent(bob, 'contact', c => c.id === aliceAtBob && c.peerId !== before.peerId, 60_000)
    const replaced = nextEvent(alice, 'replaced', () => true, 60_000)
    const restored: Messenger = await fleet.start(restoredDir, 'Alice')
    assert.deepEqual(restored.installation(), { number: 2 })
    const atBob = await moved
    assert.equal(atBob.peerId, restored.identity().peerId)
    assert.equal(atBob.safetyNumber, before.safetyNumber, 'no safety-number change')
    assert.equal(atBob.identityChanged, false)

    // The old installation learns it was replaced, says so, and sends nothing more.
    assert.deepEqual(await replaced, { number: 1, replacedBy: 2 })
    assert.deepEqual(alice.installation(), { number: 1, replacedBy: 2 })
    await assert.rejects(alice.send(bobAtAlice, 'old Alice, replaced'), { name: 'ReplacedInstallationError' })
    // and remembers it when started again.
    await fleet.stop(alice)
    alice = await fleet.start(aliceDir, 'Alice')
    assert.deepEqual(alice.installation(), { number: 1, replacedBy: 2 })
    await assert.rejects(alice.send(bobAtAlice, 'old Alice, started again'), { name: 'ReplacedInstallationError' })

    // Both ways, directly.
    const toRestored = nextEvent(restored, 'message', m => m.text === 'Bob to the restored Alice', 30_000)
    await bob.send(aliceAtBob, 'Bob to the restored Alice')
    await toRestored
    const direct = await restored.send(bobAtAlice, 'the restored Alice to Bob')
    assert.equal((await restored.waitForState(direct.id, ['delivered'], 30_000)).state, 'delivered')

    // Through the relay, while Bob is offline.
    await fleet.stop(bob)
    const offline = await restored.send(bobAtAlice, 'while Bob was away')
    assert.equal((await restored.waitForState(offline.id, ['sent'], 30_000)).state, 'sent')
    const delivered = nextEvent(restored, 'status', s => s.id === offline.id && s.state === 'delivered', 60_000)
    bob = await fleet.start(bobDir, 'Bob')
    await delivered

    const bobHistory = (await bob.history(aliceAtBob)).map(m => m.text)
    assert.deepEqual(bobHistory, ['before the backup', 'old Alice, after the backup', 'Bob to the restored Alice', 'the restored Alice to Bob', 'while Bob was away'])
    const restoredHistory = await restored.history(bobAtAlice)
    assert.deepEqual(restoredHistory.map(m => m.text), ['before the backup', 'Bob to the restored Alice', 'the restored Alice to Bob', 'while Bob was away'])
    assert.equal(restoredHistory[0]?.id, first.id, 'history ids are kept')
    assert.equal((await bob.contact(aliceAtBob)).safetyNumber, before.safetyNumber)
  })
})
