// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Contacts on one LAN with no relay anywhere: two `sotto` instances on hosts of the same segment
 * find each other by mDNS. Bob's invite names an address he no longer listens on (he moved to
 * another port after making it), so Alice can only reach him at the address mDNS tells her; the
 * request, a message and its answer all travel directly.
 */

import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { decodeInviteLink } from '@sotto/core/links'
import { PEER_PORT, Rig, SottoPeer, pair } from '../src/index.js'

describe('contacts on one LAN, no relay running', () => {
  let rig: Rig | undefined
  after(async () => { await rig?.close() })

  it('find each other by mDNS and exchange a message', { timeout: 5 * 60_000 }, async () => {
    rig = await Rig.create('mdns')
    const [aliceHost, bobHost] = [await rig.net.host('alice'), await rig.net.host('bob')]
    const moved = `/ip4/${bobHost.ip}/tcp/${PEER_PORT + 1}`
    const alice = new SottoPeer({ host: aliceHost, dataDir: await rig.dir('alice'), passphrase: 'alice passphrase', label: 'alice', mdns: true })
    const bob = new SottoPeer({ host: bobHost, dataDir: await rig.dir('bob'), passphrase: 'bob passphrase', label: 'bob', mdns: true, listen: [moved] })
    rig.peers.push(alice, bob)
    await alice.init('alice')
    // Bob makes his invite while on the rig's usual port, then runs on another one.
    const [made] = await bob.oneShot(['init', '--name', 'bob', '--listen', `/ip4/${bobHost.ip}/tcp/${PEER_PORT}`])
    const invite = String(made?.invite)
    const card = decodeInviteLink(invite)
    assert.deepEqual(card.relays, [], 'no relay in the card')
    assert.ok(card.addrs.length > 0 && card.addrs.every(a => !a.startsWith(`${moved}/`)), `the card names only the old address: ${card.addrs.join(' ')}`)
    await Promise.all([alice.start(), bob.start()])
    assert.equal(rig.relays.length, 0)

    // The request arrives: Alice reached Bob where only mDNS could tell her he is.
    const ids = await pair(alice, bob, invite)
    const atBob = bob.live.next(l => l.event === 'message' && l.text === 'Found you on the LAN.', 120_000)
    await alice.command({ cmd: 'send', to: ids.aSeesB, text: 'Found you on the LAN.' })
    assert.equal((await atBob).from, ids.bSeesA)
    const atAlice = alice.live.next(l => l.event === 'message' && l.text === 'No relay needed.', 120_000)
    await bob.command({ cmd: 'send', to: ids.bSeesA, text: 'No relay needed.' })
    assert.equal((await atAlice).from, ids.aSeesB)
  })
})
