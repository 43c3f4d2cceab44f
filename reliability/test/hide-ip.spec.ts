// SPDX-License-Identifier: AGPL-3.0-only
/**
 * "Hide my IP address" across real hosts: Alice hides hers (`init --hide-ip`, home relay RA), Bob
 * does not (home relay RB); each program on a host of its own. They chat both ways, live and while
 * the other is away. Routing realms count every packet that reaches Alice's host from Bob's host or
 * RB's, and every packet that reaches those from Alice's host: none may. (A packet going either way
 * arrives somewhere, so counting arrivals at both ends counts every packet that travelled.) RA's
 * packets to Alice are counted too, so that a count of zero means something. And what Bob can know
 * of Alice's addresses — her invite card, the only source besides a connection to her host, of
 * which there is none — names no address of her host, only circuits through RA.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeInviteLink } from '@sotto/core/links'
import { Flow, PacketWatch, Rig, figure, pick, waitUntil } from '../src/index.js'
import type { RelayDaemon, SottoPeer } from '../src/index.js'

const SCENARIO = 'hide ip'
const EACH = pick(10, 100)

describe(SCENARIO, () => {
  let rig: Rig
  let ra: RelayDaemon
  let rb: RelayDaemon
  let alice: SottoPeer
  let bob: SottoPeer

  before(async () => {
    rig = await Rig.create('hideip')
    // RA forwards to RB, whose address is private on the rig's LAN.
    ra = await rig.relay('ra', ['--forward-private', 'on'])
    rb = await rig.relay('rb')
    alice = await rig.peer('alice', { relays: [ra], hideIp: true })
    bob = await rig.peer('bob', { relays: [rb] })
  })

  after(async () => { await rig.close() })

  it('Alice and Bob chat both ways, live and offline, and no packet travels between her host and his or his relay\'s', { timeout: pick(3, 15) * 60_000 }, async () => {
    const aliceHost = alice.options.host
    const bobHost = bob.options.host
    const addrsOf = (h: { ip: string, aliases: string[] }): string[] => [h.ip, ...h.aliases]
    const watches = [
      await PacketWatch.start('Bob\'s host → Alice\'s host', aliceHost, [bobHost.ip]),
      await PacketWatch.start('RB\'s host → Alice\'s host', aliceHost, addrsOf(rig.hostOf(rb))),
      await PacketWatch.start('Alice\'s host → Bob\'s host', bobHost, [aliceHost.ip]),
      await PacketWatch.start('Alice\'s host → RB\'s host', rig.hostOf(rb), [aliceHost.ip])
    ]
    const control = await PacketWatch.start('RA\'s host → Alice\'s host', aliceHost, addrsOf(rig.hostOf(ra)))
    const started = Date.now()

    const ids = await rig.contacts(alice, bob, 1)
    const ab = new Flow(alice, bob, ids.aSeesB, ids.bSeesA, 'ab')
    const ba = new Flow(bob, alice, ids.bSeesA, ids.aSeesB, 'ba')
    // Live, both ways at once.
    await Promise.all([ab.send(EACH), ba.send(EACH)])
    await waitUntil('live messages shown both ways', async () => await ab.complete() && await ba.complete(), 120_000, 500)
    // Bob away: Alice's messages wait at RB, forwarded there by RA.
    await bob.stop()
    await ab.send(EACH)
    await waitUntil('RB holds what Bob missed', () => ab.viaRelay >= EACH, 60_000)
    await bob.start()
    // Alice away: Bob's wait at RA.
    await alice.stop()
    await ba.send(EACH)
    await waitUntil('RA holds what Alice missed', () => ba.viaRelay >= EACH, 60_000)
    await alice.start()
    await waitUntil('everything shown both ways', async () => await ab.complete() && await ba.complete(), 120_000, 500)
    const seconds = (Date.now() - started) / 1000

    const [vab, vba] = [await ab.verdict(), await ba.verdict()]
    const counts = await Promise.all(watches.map(async w => [w.label, await w.packets()] as const))
    const fromRa = await control.packets()
    const invite = decodeInviteLink((await alice.command({ cmd: 'invite' }) as { invite: string }).invite)

    figure({ scenario: SCENARIO, name: 'messages each way, live and offline', value: vab.acknowledged, unit: `and ${vba.acknowledged} (${Math.round(seconds)} s)` })
    for (const [label, n] of counts) figure({ scenario: SCENARIO, name: `packets ${label}`, value: n, unit: 'packets', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'packets RA\'s host → Alice\'s host (control)', value: fromRa, unit: 'packets', goal: '> 0' })
    assert.ok(fromRa > 0, 'the accounting counted nothing, not even Alice\'s own relay')
    for (const [label, n] of counts) assert.equal(n, 0, `${n} packets ${label}`)
    for (const v of [vab, vba]) {
      assert.equal(v.lost, 0, 'messages lost')
      assert.equal(v.duplicates, 0, 'messages shown twice')
      assert.equal(v.outOfOrder, 0, 'messages out of order')
    }
    assert.ok(invite.addrs.length > 0)
    for (const a of invite.addrs) {
      assert.ok(!a.includes(`/${aliceHost.ip}/`), `Alice's card names her host: ${a}`)
      assert.ok(a.includes(`/p2p/${ra.peerId}/p2p-circuit/`), `not a circuit through RA: ${a}`)
    }
  })
})
