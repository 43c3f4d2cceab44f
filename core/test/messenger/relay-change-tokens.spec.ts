// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A home relay added or removed replaces every contact's deposit token at the other relays (the
 * contact's list changes anyway), keeping the old one for its grace; the removed relay's tokens
 * are revoked at once. Real repositories; fake mailboxes and node.
 */
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateMailboxKey, mailboxIdOf } from '../../src/mailbox/index.js'
import { Events } from '../../src/messenger/context.js'
import { createHomeRelays } from '../../src/messenger/home-relays.js'
import { FakeClock } from '../util/fake-clock.js'
import { FakeMailbox, contactNamed, eventually, loggers, tempRepos } from './fakes.js'
import type { HomeRelays } from '../../src/messenger/home-relays.js'
import type { ProfileRecord } from '../../src/messenger/records.js'
import type { Repositories } from '../../src/messenger/state.js'

async function relayAddr (host: number): Promise<string> {
  return `/ip4/10.0.0.${host}/tcp/1/p2p/${peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()}`
}

describe('home relays: tokens when a relay is added or removed', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  /** Bob holds a registered, announced token at `first`, our one home relay. */
  async function setUp (first: string): Promise<{ relays: HomeRelays, repos: Repositories, clock: FakeClock }> {
    const { repos, close } = await tempRepos()
    const key = await generateMailboxKey()
    const profile: ProfileRecord = { name: 'me', peerKey: new Uint8Array(), listen: [], relays: [first], createdAt: 0 }
    await repos.state.change(async tx => {
      repos.relays.put(tx, { addr: first, peerId: first.split('/').pop() as string, mailboxKey: privateKeyToProtobuf(key), mailboxId: mailboxIdOf(key), introToken: new Uint8Array(32), ready: true, revoke: [], addedAt: 0 })
      repos.profile.put(tx, profile)
      repos.contacts.put(tx, contactNamed('bob', { issued: [{ relay: first, token: new Uint8Array(32).fill(7), registered: true, announced: true, issuedAt: 0 }] }))
    })
    const mailbox = new FakeMailbox()
    const clock = new FakeClock()
    const relays = createHomeRelays({
      repos,
      profile,
      node: { peerId: { toString: () => 'me' }, dial: async () => ({}), hangUp: async () => {}, addEventListener: () => {}, removeEventListener: () => {} } as never,
      reserver: { reserve: async () => {}, reserved: () => true },
      clients: { get: () => mailbox, drop: async () => {}, close: async () => {} },
      events: new Events(),
      loggers,
      inbox: { receive: async () => ({ status: 'STORED' }) },
      tokens: { announce: async () => {} },
      receipts: { flush: () => {} },
      courier: { kickAll: async () => {} },
      clock
    }, { leaveWaitMs: 1_000 })
    await relays.start()
    cleanups.push(async () => { await relays.stop(); await close() })
    return { relays, repos, clock }
  }

  it('replaces the token at the other relays when one is added, and again when it is removed', async () => {
    const first = await relayAddr(1)
    const second = await relayAddr(2)
    const { relays, repos, clock } = await setUp(first)
    await relays.add(second)
    let bob = await repos.contacts.require('bob')
    const atFirst = (bob.issued ?? []).filter(t => t.relay === first)
    assert.equal(atFirst.length, 2, 'the old token stays for its grace beside its replacement')
    assert.equal(atFirst[0]?.retiredAt, clock.now())
    assert.notEqual(atFirst[1]?.token[0], 7)
    assert.equal(atFirst[1]?.retiredAt, undefined)
    assert.equal((bob.issued ?? []).filter(t => t.relay === second).length, 1, 'and a token at the new relay')

    // Registered by the relays' sessions (the fake takes every registration).
    await eventually(async () => (await repos.contacts.require('bob')).issued?.every(t => t.registered) === true, 'registrations')
    await relays.remove(second)
    bob = await repos.contacts.require('bob')
    assert.equal((bob.issued ?? []).some(t => t.relay === second), false, 'no token at the removed relay')
    const current = (bob.issued ?? []).filter(t => t.relay === first && t.retiredAt == null)
    assert.equal(current.length, 1)
    assert.notEqual(current[0]?.token[0], atFirst[1]?.token[0], 'the token at the remaining relay was replaced again')
    assert.equal(bob.tokensDirty, true, 'Bob is sent the new list')
  })
})
