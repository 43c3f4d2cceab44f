// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A stranger's message must not make the app reach out to the stranger: no receipt, no token, no
 * dial, until the user accepts. Alice (a stranger to Bob) writes while Bob is offline and then
 * goes away herself; a plain TCP listener takes her old address (the one her card names, on
 * loopback). Bob comes back and reads her request: the listener sees no connection, and Alice's
 * relay sees no one but Alice, until Bob accepts; then the receipt reaches Alice.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { Fleet } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Server } from 'node:net'

describe('a stranger\'s request', () => {
  const fleet = new Fleet()
  let ra: RelayProcess
  let rb: RelayProcess
  let listener: Server | undefined

  before(async () => {
    ra = await startRelay({ args: ['--log-level', 'debug'] })
    rb = await startRelay()
  })

  after(async () => {
    await fleet.cleanup()
    listener?.close()
    for (const r of [ra, rb]) {
      await r.stop()
      await removeDir(r.dataDir)
    }
  })

  it('makes the app contact no address of the stranger until the user accepts; then the receipt goes', { timeout: 90_000 }, async () => {
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    let bob = await fleet.start(bobDir, 'Bob', { relays: [rb.tcp] })
    const invite = await bob.invite()
    await fleet.stop(bob)

    let alice = await fleet.start(aliceDir, 'Alice', { relays: [ra.tcp] })
    const alicePeer = alice.identity().peerId
    const direct = alice.addresses().map(a => a.match(/^\/ip4\/([\d.]+)\/tcp\/(\d+)\/p2p\//)).find(m => m != null)
    assert.ok(direct?.[1] != null && direct[2] != null, 'Alice listens on a direct TCP address')
    const [host, port] = [direct[1], Number(direct[2])]
    const added = await alice.addContact(invite)
    const text = await alice.send(added.id, 'hello from a stranger')
    await alice.waitForState(text.id, ['sent'], 20_000)
    await fleet.stop(alice)

    // Whatever dials Alice's card address now reaches this listener.
    const dialled: number[] = []
    listener = createServer(socket => {
      dialled.push(Date.now())
      socket.destroy()
    })
    await new Promise<void>(resolve => { listener?.listen(port, host, resolve) })
    const seenAtRa = (): string[] => ra.lines.filter(l => l.msg === 'connection opened' && l.peer !== alicePeer).map(l => l.peer as string)
    const atRaBefore = seenAtRa().length

    bob = await fleet.start(bobDir, 'Bob')
    await until(async () => (await bob.requests()).length > 0, 'a request at Bob')
    const [request] = await bob.requests()
    assert.ok(request != null)
    await until(async () => (await bob.history(request.id)).some(m => m.text === 'hello from a stranger'), 'the text in the request')
    // Acknowledged once stored with its receipt row; the old code queued the receipt and dialled
    // Alice's card in that same step, so by now it would have.
    await until(async () => await metric(rb, /^sotto_relay_envelopes (\d+)/m) === 0, 'the request acknowledged at Bob\'s relay')
    // Before the user answers, nothing may have gone out.
    assert.deepEqual(dialled, [], 'no connection to the stranger\'s card address before accepting')
    assert.equal(seenAtRa().length, atRaBefore, 'no connection to the stranger\'s relay before accepting')

    const acceptedAt = Date.now()
    await bob.accept(request.id)
    alice = await fleet.start(aliceDir, 'Alice')
    await alice.waitForState(text.id, ['delivered'], 30_000)
    assert.ok(dialled.every(t => t >= acceptedAt), 'the card address is dialled only after accepting')
  })
})
