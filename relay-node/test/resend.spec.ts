// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Messages that wait at `sotto-relay` while their session moves on: Bob is away, Alice's texts
 * wait in his mailbox, the relay goes down, and Alice and Bob chat directly long enough for the
 * Double Ratchet to drop the receiving chain those texts were sealed on (libsignal keeps five).
 * When the relay returns they no longer decrypt; Bob asks Alice to seal them again, and they
 * arrive, once each, in order. (Found by the crash-consistency scenario of `reliability`.)
 * The same for Bob's delivery receipts of such texts, waiting in Alice's mailbox: without them
 * the texts would show `sent` for ever.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, describe, it } from 'node:test'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { Fleet, collectEvents, introduce, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Messenger } from '@sotto/core'

/** A TCP port free on 127.0.0.1 now: the relay restarts on it, at the address the messengers know. */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
  const address = server.address()
  await new Promise<void>(resolve => { server.close(() => { resolve() }) })
  if (address == null || typeof address === 'string') throw new Error('no port')
  return address.port
}

const HELD = 20
/** Round trips while the relay is down; each turns the ratchet on both sides. */
const ROUND_TRIPS = 8

describe('sotto-relay: envelopes that waited while the session moved on', () => {
  const fleet = new Fleet()
  let relay: RelayProcess | undefined
  const relays: RelayProcess[] = []

  after(async () => {
    await fleet.cleanup()
    for (const r of [relay, ...relays]) {
      if (r == null) continue
      if (r.proc.exitCode == null) await r.kill9()
      await removeDir(r.dataDir)
    }
  })

  it('are sealed again at the recipient\'s request and arrive once each, in order', { timeout: 120_000 }, async () => {
    const port = await freePort()
    const listen = ['--listen', `/ip4/127.0.0.1/tcp/${port}`]
    relay = await startRelay({ args: listen })
    const relayAddr = `/ip4/127.0.0.1/tcp/${port}/p2p/${relay.peerId}`
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    const alice = await fleet.start(aliceDir, 'Alice', { relays: [relayAddr] })
    let bob = await fleet.start(bobDir, 'Bob', { relays: [relayAddr] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await fleet.stop(bob)

    // Bob is away: Alice's texts wait in his mailbox.
    const sent = collectEvents(alice, 'status', HELD, s => s.state === 'sent' && s.contactId === bobAtAlice)
    const held: string[] = []
    for (let i = 0; i < HELD; i++) held.push((await alice.send(bobAtAlice, `held ${i}`)).id)
    await sent

    // The relay goes down with them; Bob returns and they chat directly, turning the ratchet.
    const { dataDir } = relay
    await relay.stop()
    bob = await fleet.start(bobDir, 'Bob')
    const shownAtBob: string[] = []
    bob.on('message', m => { shownAtBob.push(m.text) })
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const atAlice = nextEvent(alice, 'message', m => m.text === `bob ${i}`)
      await bob.send(aliceAtBob, `bob ${i}`)
      await atAlice
      const atBob = nextEvent(bob, 'message', m => m.text === `alice ${i}`)
      await alice.send(bobAtAlice, `alice ${i}`)
      await atBob
    }

    // The relay returns: the held envelopes do not decrypt any more, and are sealed again.
    const delivered = collectEvents(alice, 'status', HELD, s => s.state === 'delivered' && held.includes(s.id), 60_000)
    const arrived = collectEvents(bob, 'message', HELD, m => m.text.startsWith('held '), 60_000)
    relay = await startRelay({ dataDir, args: listen })
    await arrived
    await delivered

    const expected = Array.from({ length: HELD }, (_, i) => `held ${i}`)
    assert.deepEqual(shownAtBob.filter(t => t.startsWith('held ')).sort(), [...expected].sort(), 'each held text shown once')
    const history = (await bob.history(aliceAtBob)).filter(m => m.direction === 'in').map(m => m.text)
    assert.deepEqual(history.filter(t => t.startsWith('held ')), expected, 'in the order Alice wrote them')
    assert.equal(new Set(history).size, history.length, 'nothing stored twice')
    const states = (await alice.history(bobAtAlice)).filter(m => held.includes(m.id)).map(m => m.state)
    assert.deepEqual(states, Array(HELD).fill('delivered'))
  })
  it('seals delivery receipts again at the sender\'s request, so the texts show delivered', { timeout: 120_000 }, async () => {
    const port = await freePort()
    const listen = ['--listen', `/ip4/127.0.0.1/tcp/${port}`]
    const receiptRelay = await startRelay({ args: listen })
    relays.push(receiptRelay)
    const relayAddr = `/ip4/127.0.0.1/tcp/${port}/p2p/${receiptRelay.peerId}`
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    // Both come and go: each keeps its address, so that the other reaches it directly.
    const at = async (): Promise<{ listen: string[] }> => ({ listen: [`/ip4/127.0.0.1/tcp/${await freePort()}`] })
    const aliceAt = await at()
    const bobAt = await at()
    let alice: Messenger = await fleet.start(aliceDir, 'Alice', { relays: [relayAddr], ...aliceAt })
    let bob: Messenger = await fleet.start(bobDir, 'Bob', { relays: [relayAddr], ...bobAt })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await fleet.stop(bob)

    // Bob is away: Alice's texts wait in his mailbox.
    const sent = collectEvents(alice, 'status', HELD, s => s.state === 'sent' && s.contactId === bobAtAlice)
    const held: string[] = []
    for (let i = 0; i < HELD; i++) held.push((await alice.send(bobAtAlice, `held ${i}`)).id)
    await sent
    // Now Alice is away: Bob reads the texts, and his receipts wait in her mailbox.
    await fleet.stop(alice)
    const deposited = await metric(receiptRelay, /^sotto_relay_mailbox_requests_total\{op="deposit",status="OK"\} (\d+)/m)
    bob = await fleet.start(bobDir, 'Bob', bobAt)
    await until(async () => (await bob.history(aliceAtBob)).filter(m => m.text.startsWith('held ')).length === HELD, 'the held texts at Bob', 60_000)
    await until(async () => await metric(receiptRelay, /^sotto_relay_mailbox_requests_total\{op="deposit",status="OK"\} (\d+)/m) > deposited &&
      await metric(receiptRelay, /^sotto_relay_envelopes (\d+)/m) > 0, 'Bob\'s receipts deposited in Alice\'s mailbox', 60_000)

    // The relay goes down with them; Alice returns and they chat directly, turning the ratchet.
    const { dataDir } = receiptRelay
    await receiptRelay.stop()
    alice = await fleet.start(aliceDir, 'Alice', aliceAt)
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const atAlice = nextEvent(alice, 'message', m => m.text === `bob ${i}`)
      await bob.send(aliceAtBob, `bob ${i}`)
      await atAlice
      const atBob = nextEvent(bob, 'message', m => m.text === `alice ${i}`)
      await alice.send(bobAtAlice, `alice ${i}`)
      await atBob
    }
    const before = (await alice.history(bobAtAlice)).filter(m => held.includes(m.id)).map(m => m.state)
    assert.deepEqual(before, Array(HELD).fill('sent'), 'the receipts are still at the relay')

    // The relay returns: the receipts no longer decrypt; Alice asks for them again.
    const delivered = collectEvents(alice, 'status', HELD, s => s.state === 'delivered' && held.includes(s.id), 60_000)
    relays.push(await startRelay({ dataDir, args: listen }))
    await delivered
    const states = (await alice.history(bobAtAlice)).filter(m => held.includes(m.id)).map(m => m.state)
    assert.deepEqual(states, Array(HELD).fill('delivered'))
  })
})
