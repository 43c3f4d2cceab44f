// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A recipient with two relays (`sotto-relay` child processes): what is sent while he is offline is
 * deposited at both, so that when one relay dies holding it, and loses its disk, every message still
 * arrives through the other, once each, in order. A relay that was down when the messages were sent
 * gets its copy when it is back, even after the sender restarted in between.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { Fleet, collectEvents, contactReaches, introduce } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { AddressInfo } from 'node:net'

const COUNT = 100

/** The number of envelopes a relay holds, from its metrics. */
async function envelopesAt (relay: RelayProcess): Promise<number> {
  return await metric(relay, /^sotto_relay_envelopes (\d+)/m)
}

/** A TCP port free on 127.0.0.1 right now. */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => { server.close(() => { resolve() }) })
  return port
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

  it('deposits the second copy at a relay that was down once it is back, across a restart of the sender', { timeout: 180_000 }, async () => {
    const r1 = await startRelay()
    relays.push(r1)
    // R2 listens on a fixed port, so that it comes back at the address Bob gave out.
    const port = await freePort()
    let r2 = await startRelay({ args: ['--listen', `/ip4/127.0.0.1/tcp/${port}`] })
    relays.push(r2)
    const r2Addr = r2.addrs.find(a => a.startsWith(`/ip4/127.0.0.1/tcp/${port}/p2p/`))
    assert.ok(r2Addr != null, r2.addrs.join(' '))
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    // Alice's own relay is R2 too: Bob's end-to-end receipts reach her through it at the end.
    let alice = await fleet.start(aliceDir, 'Alice', { relays: [r2Addr] })
    let bob = await fleet.start(bobDir, 'Bob', { relays: [r1.tcp, r2Addr] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await contactReaches(alice, bobAtAlice, c => c.mailboxes === 2)
    await fleet.stop(bob)

    // R2 is down while Alice writes: R1 alone takes the messages, and they are sent.
    await r2.kill9()
    const sent = collectEvents(alice, 'status', COUNT, s => s.state === 'sent' && s.contactId === bobAtAlice)
    const expected = Array.from({ length: COUNT }, (_, i) => `second copy ${i}`)
    for (const text of expected) await alice.send(bobAtAlice, text)
    await sent
    await until(async () => await envelopesAt(r1) >= COUNT, 'a copy at R1')
    await fleet.stop(alice)

    // R2 comes back; Alice restarts and deposits the copies R2 missed.
    r2 = await startRelay({ dataDir: r2.dataDir, args: ['--listen', `/ip4/127.0.0.1/tcp/${port}`] })
    relays.push(r2)
    alice = await fleet.start(aliceDir, 'Alice')
    await until(async () => await envelopesAt(r2) >= COUNT, 'a copy at R2 once it is back', 60_000)

    // R1 dies with its disk: everything arrives through R2.
    await r1.kill9()
    await removeDir(r1.dataDir)
    bob = await fleet.start(bobDir, 'Bob')
    const shown: string[] = []
    bob.on('message', m => { if (m.contactId === aliceAtBob) shown.push(m.text) })
    await until(async () => shown.length >= COUNT, `${COUNT} messages at Bob through R2`, 60_000)
    assert.deepEqual(shown, expected, 'each message shown once, in order')
    await until(async () => (await alice.history(bobAtAlice)).every(m => m.state === 'delivered'), 'every message delivered at Alice', 60_000)
  })
})
