// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A recipient with two relays (`sotto-relay` child processes): what is sent while he is offline is
 * deposited at both, so that when one relay dies holding it, and loses its disk, every message still
 * arrives through the other, once each, in order.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { removeDir, startRelay } from './helpers.js'
import { Fleet, collectEvents, contactReaches, introduce } from './messengers.js'
import type { RelayProcess } from './helpers.js'

const COUNT = 100

/** The number of envelopes a relay holds, from its metrics. */
async function envelopesAt (relay: RelayProcess): Promise<number> {
  const text = await (await fetch(`${relay.http}/metrics`)).text()
  const m = /^sotto_relay_envelopes (\d+)/m.exec(text)
  return m == null ? 0 : Number(m[1])
}

/** Polls `condition` until it holds (every 100 ms, at most `timeoutMs`). */
async function until (condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise<void>(resolve => { setTimeout(resolve, 100) })
  }
}

describe('sotto-relay: a recipient with two relays', () => {
  const fleet = new Fleet()
  const relays: RelayProcess[] = []

  before(async () => {
    relays.push(await startRelay(), await startRelay())
  })

  after(async () => {
    await fleet.cleanup()
    for (const r of relays) {
      if (r.proc.exitCode == null && r.proc.signalCode == null) await r.kill9()
      await removeDir(r.dataDir)
    }
  })

  it('delivers through the second relay what the first held when it died with its disk', { timeout: 150_000 }, async () => {
    const [r1, r2] = relays as [RelayProcess, RelayProcess]
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    const alice = await fleet.start(aliceDir, 'Alice', { relays: [r2.tcp] })
    let bob = await fleet.start(bobDir, 'Bob', { relays: [r1.tcp, r2.tcp] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await contactReaches(alice, bobAtAlice, c => c.mailboxes === 2)
    await fleet.stop(bob)

    const sent = collectEvents(alice, 'status', COUNT, s => s.state === 'sent' && s.contactId === bobAtAlice)
    const expected = Array.from({ length: COUNT }, (_, i) => `two relays ${i}`)
    for (const text of expected) await alice.send(bobAtAlice, text)
    await sent
    // Each envelope is at both relays (Bob's first relay took every one first).
    await until(async () => await envelopesAt(r1) >= COUNT && await envelopesAt(r2) >= COUNT, 'a copy at each relay')

    // R1 dies and loses its mailboxes.
    await r1.kill9()
    await removeDir(r1.dataDir)

    bob = await fleet.start(bobDir, 'Bob')
    const shown: string[] = []
    bob.on('message', m => { if (m.contactId === aliceAtBob) shown.push(m.text) })
    const delivered = collectEvents(alice, 'status', COUNT, s => s.state === 'delivered' && s.contactId === bobAtAlice, 90_000)
    await until(async () => shown.length >= COUNT, `${COUNT} messages at Bob through R2`, 60_000)
    assert.deepEqual(shown, expected, 'each message shown once, in order')
    assert.equal((await delivered).length, COUNT)
    assert.deepEqual((await bob.history(aliceAtBob)).map(m => m.text), expected)
    // Nothing waits in Alice's outbox: every message is delivered, none queued or sent.
    assert.ok((await alice.history(bobAtAlice)).every(m => m.state === 'delivered'))
  })
})
