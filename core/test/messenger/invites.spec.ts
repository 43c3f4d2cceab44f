// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { Invites } from '../../src/messenger/invites.js'
import { MAX_CARD_ADDRS, decodeInviteLink, verifySignedInviteCard } from '../../src/protocol/index.js'
import { cleanUp, newParty } from '../crypto/fixtures.js'
import type { RelayRecord } from '../../src/messenger/records.js'
import type { InvitesComponents } from '../../src/messenger/invites.js'
import type { PeerId } from '@libp2p/interface'
import type { Party } from '../crypto/fixtures.js'

async function peerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

function relayRecord (addr: string, fill: number): RelayRecord {
  return { addr, peerId: addr.split('/').pop() as string, mailboxKey: new Uint8Array(), mailboxId: new Uint8Array(32).fill(fill), introToken: new Uint8Array(32).fill(fill + 100), ready: true, revoke: [], addedAt: 0 }
}

describe('invites', () => {
  let party: Party
  let me: PeerId
  let relays: RelayRecord[]
  before(async () => {
    party = await newParty()
    me = await peerId()
    relays = [relayRecord(`/ip4/10.0.0.1/tcp/1/p2p/${(await peerId()).toString()}`, 1), relayRecord(`/ip4/10.0.0.2/tcp/1/p2p/${(await peerId()).toString()}`, 2)]
  })
  after(async () => { await cleanUp(party) })

  function invitesWith (ready: RelayRecord[], listen: string[]): Invites {
    const components: InvitesComponents = {
      identity: party.identity,
      store: party.store,
      profile: { name: 'Alice', peerKey: new Uint8Array(), listen: [], relays: ready.map(r => r.addr), createdAt: 0 },
      node: { peerId: me, getMultiaddrs: () => listen.map(a => multiaddr(a)) } as unknown as InvitesComponents['node'],
      homeRelays: { ready: async () => ready }
    }
    return new Invites(components)
  }

  it('signs a card naming us, our ready relays with their introduction tokens, and circuits through them first', async () => {
    const direct = `/ip4/192.168.1.5/tcp/4001/p2p/${me.toString()}`
    const circuit = `${relays[0]?.addr}/p2p-circuit/p2p/${me.toString()}`
    // The node already listens on a circuit through the first relay: it is named once.
    const card = verifySignedInviteCard(await invitesWith(relays, [direct, circuit]).ownCard())
    assert.equal(card.name, 'Alice')
    assert.equal(card.userId, party.identity.userId)
    assert.equal(card.peerId, me.toString())
    assert.deepEqual(card.addrs, [circuit, `${relays[1]?.addr}/p2p-circuit/p2p/${me.toString()}`, direct])
    assert.deepEqual(card.relays, relays.map(r => ({ addr: r.addr, mailboxId: r.mailboxId, introToken: r.introToken })))
    assert.equal(card.bundle.preKey, undefined, 'no one-time prekey in a card many may use')
    assert.deepEqual(card.bundle.identityKey, party.identity.keyPair.publicKey.serialize())
  })

  it('makes a link and a QR form that read back as the same card', async () => {
    const invites = invitesWith(relays.slice(0, 1), [])
    const link = await invites.link()
    const qr = await invites.qr()
    assert.ok(link.startsWith('sotto://invite/'))
    assert.ok(qr.startsWith('SOTTO://INVITE/'))
    const fromLink = decodeInviteLink(link)
    const fromQr = decodeInviteLink(qr)
    assert.equal(fromLink.userId, party.identity.userId)
    assert.deepEqual(fromQr.addrs, fromLink.addrs)
    assert.deepEqual(fromQr.relays, fromLink.relays)
  })

  it(`names at most ${MAX_CARD_ADDRS} addresses, and still works with no relay`, async () => {
    const listen = Array.from({ length: MAX_CARD_ADDRS + 4 }, (_, i) => `/ip4/10.1.0.${i + 1}/tcp/4001/p2p/${me.toString()}`)
    const full = verifySignedInviteCard(await invitesWith(relays, listen).ownCard())
    assert.equal(full.addrs.length, MAX_CARD_ADDRS)
    assert.ok(full.addrs[0]?.includes('/p2p-circuit/'), 'circuits are kept first when cut')
    const bare = verifySignedInviteCard(await invitesWith([], listen.slice(0, 1)).ownCard())
    assert.deepEqual(bare.relays, [])
    assert.deepEqual(bare.addrs, listen.slice(0, 1))
  })
})
