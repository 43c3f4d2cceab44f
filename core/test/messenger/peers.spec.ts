// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { Events } from '../../src/messenger/context.js'
import { Peers } from '../../src/messenger/peers.js'
import { contactNamed, loggers } from './fakes.js'
import type { PeersComponents } from '../../src/messenger/peers.js'
import type { Presence } from '../../src/messenger/types.js'
import type { Connection, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A connection as presence reads it. */
function connection (remotePeer: PeerId, addr: string, fields: { limited?: boolean, status?: string } = {}): Connection {
  return {
    remotePeer,
    remoteAddr: multiaddr(addr),
    status: fields.status ?? 'open',
    limits: fields.limited === true ? { bytes: 1n << 17n } : undefined
  } as unknown as Connection
}

const DIRECT = '/ip4/10.0.0.5/tcp/4001'
const CIRCUIT = '/ip4/10.0.0.1/tcp/1/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN/p2p-circuit'

/** The node's connection events and connections, and the throwaway nodes' connections. */
class FakeNode extends EventTarget {
  readonly direct = new Map<string, Connection[]>()
  readonly throwaway = new Map<string, Connection[]>()
  readonly merged: Array<{ peer: string, addrs: string[] }> = []
  failMerge = false
  readonly peerStore = {
    merge: async (peer: PeerId, data: { multiaddrs: Multiaddr[] }) => {
      if (this.failMerge) throw new Error('peer store closed')
      this.merged.push({ peer: peer.toString(), addrs: data.multiaddrs.map(a => a.toString()) })
    }
  }

  getConnections (peer?: PeerId): Connection[] { return this.direct.get(peer?.toString() ?? '') ?? [] }
  connectionsTo (peer: PeerId): Connection[] { return this.throwaway.get(peer.toString()) ?? [] }

  /** Opens (or closes, with `status`) a connection, telling listeners as libp2p does. */
  open (conn: Connection, on: 'direct' | 'throwaway' = 'direct'): void {
    const map = on === 'direct' ? this.direct : this.throwaway
    const key = conn.remotePeer.toString()
    map.set(key, [...(map.get(key) ?? []), conn])
    this.dispatchEvent(new CustomEvent('connection:open', { detail: conn }))
  }

  close (conn: Connection): void {
    (conn as { status: string }).status = 'closed'
    for (const map of [this.direct, this.throwaway]) {
      const key = conn.remotePeer.toString()
      map.set(key, (map.get(key) ?? []).filter(c => c !== conn))
    }
    this.dispatchEvent(new CustomEvent('connection:close', { detail: conn }))
  }
}

async function setUp (): Promise<{ peers: Peers, node: FakeNode, seen: Array<[string, Presence]>, kicked: string[], bob: { id: string, peerId: string }, bobPeer: PeerId }> {
  const bobPeer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const node = new FakeNode()
  const events = new Events()
  const seen: Array<[string, Presence]> = []
  events.on('connection', e => { seen.push([e.contactId, e.presence]) })
  const kicked: string[] = []
  const peers = new Peers({
    node: node as unknown as PeersComponents['node'],
    events,
    log: loggers.forComponent('test'),
    courier: { peerConnected: id => { kicked.push(id) } },
    clients: node
  })
  return { peers, node, seen, kicked, bob: { id: 'bob', peerId: bobPeer.toString() }, bobPeer }
}

describe('peers', () => {
  it('is offline until a followed contact connects directly, then direct, and hands it to the courier', async () => {
    const { peers, node, seen, kicked, bob, bobPeer } = await setUp()
    peers.start()
    assert.equal(peers.presenceOf('bob'), 'offline')
    node.open(connection(bobPeer, DIRECT))
    assert.deepEqual(seen, [], 'a peer not followed is nobody')
    peers.follow(bob)
    const conn = connection(bobPeer, DIRECT)
    node.open(conn)
    assert.equal(peers.presenceOf('bob'), 'direct')
    assert.deepEqual(seen, [['bob', 'direct']])
    assert.deepEqual(kicked, ['bob'])
    node.open(connection(bobPeer, DIRECT))
    assert.deepEqual(seen, [['bob', 'direct']], 'no event without a change')
    assert.deepEqual(kicked, ['bob', 'bob'], 'the courier hears of every connection')
    peers.stop()
  })

  it('is relay over a circuit or a limited connection, and direct wins over both', async () => {
    const { peers, node, seen, bob, bobPeer } = await setUp()
    peers.start()
    peers.follow(bob)
    const circuit = connection(bobPeer, CIRCUIT)
    node.open(circuit)
    assert.equal(peers.presenceOf('bob'), 'relay')
    node.open(connection(bobPeer, DIRECT, { limited: true }))
    assert.equal(peers.presenceOf('bob'), 'relay', 'a limited connection is relayed')
    const direct = connection(bobPeer, DIRECT)
    node.open(direct)
    assert.equal(peers.presenceOf('bob'), 'direct')
    node.close(direct)
    assert.deepEqual(seen, [['bob', 'relay'], ['bob', 'direct'], ['bob', 'relay']])
    peers.stop()
  })

  it('counts connections of the throwaway nodes, and only open ones', async () => {
    const { peers, node, seen, kicked, bob, bobPeer } = await setUp()
    peers.follow(bob)
    node.throwaway.set(bob.peerId, [connection(bobPeer, CIRCUIT, { status: 'closing' })])
    peers.update(bob.peerId)
    assert.equal(peers.presenceOf('bob'), 'offline', 'a closing connection is none')
    assert.deepEqual(kicked, [], 'nothing for the courier while offline')
    node.throwaway.set(bob.peerId, [connection(bobPeer, CIRCUIT)])
    peers.update(bob.peerId)
    assert.equal(peers.presenceOf('bob'), 'relay')
    node.throwaway.set(bob.peerId, [connection(bobPeer, DIRECT)])
    peers.update(bob.peerId)
    assert.equal(peers.presenceOf('bob'), 'direct', 'a throwaway node dialled them directly')
    node.throwaway.set(bob.peerId, [])
    peers.update(bob.peerId)
    assert.deepEqual(seen, [['bob', 'relay'], ['bob', 'direct'], ['bob', 'offline']])
    assert.deepEqual(kicked, ['bob', 'bob'])
  })

  it('follows connections only between start and stop, and forgets a deleted contact', async () => {
    const { peers, node, seen, bob, bobPeer } = await setUp()
    peers.follow(bob)
    node.open(connection(bobPeer, DIRECT))
    assert.deepEqual(seen, [], 'not started')
    peers.start()
    const conn = connection(bobPeer, CIRCUIT)
    node.open(conn)
    assert.deepEqual(seen, [['bob', 'direct']])
    peers.stop()
    node.close(conn)
    node.close(node.direct.get(bob.peerId)?.[0] as Connection)
    assert.deepEqual(seen, [['bob', 'direct']], 'stopped')
    peers.start()
    peers.forget(bob.peerId)
    node.open(connection(bobPeer, CIRCUIT))
    assert.deepEqual(seen, [['bob', 'direct']], 'forgotten')
    peers.stop()
  })

  it('gives the peer store the valid addresses of a card, and survives its failure', async () => {
    const { peers, node, bob } = await setUp()
    await peers.rememberAddresses(contactNamed('bob', { peerId: bob.peerId, addrs: ['not an address'] }))
    assert.deepEqual(node.merged, [], 'nothing to remember')
    await peers.rememberAddresses(contactNamed('bob', { peerId: bob.peerId, addrs: [DIRECT, 'garbage', CIRCUIT] }))
    assert.deepEqual(node.merged, [{ peer: bob.peerId, addrs: [DIRECT, CIRCUIT] }])
    node.failMerge = true
    await peers.rememberAddresses(contactNamed('bob', { peerId: bob.peerId, addrs: [DIRECT] }))
    assert.equal(node.merged.length, 1)
  })
})
