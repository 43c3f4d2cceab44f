// SPDX-License-Identifier: AGPL-3.0-only
/**
 * "Hide my IP address" on loopback with two real relays: Alice hides hers (home relay RA, which
 * forwards her deposits), Bob does not (RB). They become contacts and chat both ways, live and
 * while the other is away; Alice announces only circuits through RA; Bob's relay never sees her
 * PeerId, and takes her deposits from RA. (What crosses which host is shown in the reliability
 * rig, reliability/test/hide-ip.spec.ts, where each party has an address of its own.)
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { peerIdFromString } from '@libp2p/peer-id'
import { InvalidInputError } from '@sotto/core'
import { metric, removeDir, startRelay } from './helpers.js'
import { Fleet, introduce, received } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Libp2p } from '@libp2p/interface'

describe('hide-IP mode between two real relays', () => {
  const fleet = new Fleet()
  let ra: RelayProcess
  let rb: RelayProcess

  before(async () => {
    ra = await startRelay({ args: ['--forward-private', 'on'] })
    rb = await startRelay({ args: ['--log-level', 'debug'] })
  })

  after(async () => {
    await fleet.cleanup()
    for (const r of [ra, rb]) {
      await r.stop()
      await removeDir(r.dataDir)
    }
  })

  it('chats both ways, live and offline, with Alice reached only through her relay', { timeout: 180_000 }, async () => {
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    let alice = await fleet.start(aliceDir, 'Alice', { relays: [ra.tcp], hideIp: true })
    let bob = await fleet.start(bobDir, 'Bob', { relays: [rb.tcp] })
    const alicePeer = alice.identity().peerId
    assert.ok(alice.addresses().length > 0)
    for (const a of alice.addresses()) assert.match(a, new RegExp(`/p2p/${ra.peerId}/p2p-circuit/`), 'only circuits through her relay')
    assert.equal((await alice.settings()).hideIp, false, 'a run option, not stored (init --hide-ip stores it)')

    // A short link is read at its relay, which would see her address: she is asked for the long one.
    const short = await bob.newShortInvite()
    assert.ok(short != null)
    await assert.rejects(alice.addContact(short), (err: Error) => err instanceof InvalidInputError && /short links cannot be opened/.test(err.message))
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    // Live: Bob reaches Alice through her relay's circuit; her messages go by her relay's forward.
    const toBob = await alice.send(bobAtAlice, 'hello from hidden Alice')
    await received(bob, aliceAtBob, 'hello from hidden Alice')
    await alice.waitForState(toBob.id, ['delivered'], 60_000)
    const toAlice = await bob.send(aliceAtBob, 'hello back')
    await received(alice, bobAtAlice, 'hello back')
    await bob.waitForState(toAlice.id, ['delivered'], 60_000)

    // Offline, each way.
    await fleet.stop(bob)
    const whileBobAway = await alice.send(bobAtAlice, 'while you were away')
    await alice.waitForState(whileBobAway.id, ['sent'], 60_000)
    bob = await fleet.start(bobDir, 'Bob')
    await received(bob, aliceAtBob, 'while you were away')
    await fleet.stop(alice)
    const whileAliceAway = await bob.send(aliceAtBob, 'and while you were')
    await bob.waitForState(whileAliceAway.id, ['sent'], 60_000)
    alice = await fleet.start(aliceDir, 'Alice', { hideIp: true })
    await received(alice, bobAtAlice, 'and while you were')
    await alice.waitForState(whileBobAway.id, ['delivered'], 60_000)

    const seen = new Set(rb.lines.filter(l => l.msg === 'connection opened').map(l => l.peer))
    assert.ok(!seen.has(alicePeer), 'Bob\'s relay never saw Alice\'s PeerId')
    assert.ok(seen.has(ra.peerId), 'it took her deposits from her relay')
    assert.ok(await metric(ra, /^sotto_relay_forwarded_deposits_total\{status="OK"\} (\d+)/m) >= 3, 'her relay forwarded them')
    // Bob's peer store (read past the messenger's surface, which does not show it): Alice only at
    // circuits through her relay, never at an address of her own.
    const bobNode = (bob as unknown as { parts: { ctx: { node: Libp2p } } }).parts.ctx.node
    const known = await bobNode.peerStore.get(peerIdFromString(alicePeer)).catch(() => undefined)
    for (const a of known?.addresses ?? []) assert.match(a.multiaddr.toString(), new RegExp(`/p2p/${ra.peerId}/p2p-circuit`), 'Bob\'s peer store holds a direct address of Alice')
    assert.equal(bobNode.getConnections(peerIdFromString(alicePeer)).length, 0, 'Bob\'s own node is not connected to Alice')
    const texts = (await bob.history(aliceAtBob)).filter(m => m.direction === 'in').map(m => m.text)
    assert.deepEqual(texts, ['hello from hidden Alice', 'while you were away'], 'each once, in order')
  })
})
