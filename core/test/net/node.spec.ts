// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The messenger node's connection gater: a private or loopback address is dialled only for a peer
 * the messenger vouches for (its relays, accepted contacts); a circuit never (circuits go from
 * throwaway nodes). A plain TCP listener stands in for whatever a stranger's card points at.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createNode, dialGater } from '../../src/net/node.js'
import type { MessengerNode } from '../../src/net/node.js'
import type { PeerId } from '@libp2p/interface'
import type { AddressInfo, Server } from 'node:net'

describe('net: the messenger node\'s dial gater', () => {
  const trusted = new Set<string>()
  let node: MessengerNode
  let server: Server
  let port: number
  let accepted = 0

  before(async () => {
    server = createServer(socket => {
      accepted++
      socket.destroy()
    })
    await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
    port = (server.address() as AddressInfo).port
    node = await createNode({
      privateKey: await generateKeyPair('Ed25519'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: false,
      iceServers: [],
      dialRules: { mayDialPrivate: (peer) => trusted.has(peer) }
    })
  })

  after(async () => {
    await node.stop()
    server.close()
  })

  const peerAtListener = async (): Promise<PeerId> => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    await node.peerStore.merge(peer, { multiaddrs: [multiaddr(`/ip4/127.0.0.1/tcp/${port}`)] })
    return peer
  }

  it('does not dial a loopback address of a peer nobody vouches for', async () => {
    const before = accepted
    const stranger = await peerAtListener()
    await assert.rejects(node.dial(stranger, { signal: AbortSignal.timeout(5_000) }), { name: 'DialDeniedError' })
    assert.equal(accepted, before, 'the listener saw no connection')
  })

  it('dials it once the peer is vouched for (an accepted contact)', async () => {
    const before = accepted
    const contact = await peerAtListener()
    trusted.add(contact.toString())
    // The listener is no libp2p peer: the dial reaches it and then fails the handshake.
    await assert.rejects(node.dial(contact, { signal: AbortSignal.timeout(5_000) }))
    assert.equal(accepted, before + 1, 'the listener saw the connection')
  })

  it('refuses circuits whoever the peers are, and allows public addresses', async () => {
    const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const target = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    trusted.add(relay)
    trusted.add(target)
    const gater = dialGater({ mayDialPrivate: (peer) => trusted.has(peer) }, new Set())
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/ip4/127.0.0.1/tcp/1/p2p/${relay}/p2p-circuit/p2p/${target}`)), true)
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/ip4/203.0.114.1/tcp/1/p2p/${relay}/p2p-circuit/p2p/${target}`)), true)
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/ip4/8.8.8.8/tcp/1/p2p/${target}`)), false)
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/ip4/192.168.1.9/tcp/1/p2p/${relay}`)), false)
    assert.equal(await gater.denyDialMultiaddr(multiaddr('/ip4/192.168.1.9/tcp/1')), true, 'a private address with no PeerId')
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/dns4/localhost/tcp/1/p2p/${relay}`)), false)
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/dns4/intranet.example/tcp/1/p2p/${stranger}`)), true, 'a host name, for a stranger')
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/ip6/fe80::1/tcp/1/p2p/${stranger}`)), true, 'link-local, for a stranger')
    const lan = new Set([stranger])
    assert.equal(await dialGater(undefined, lan).denyDialMultiaddr(multiaddr(`/ip4/192.168.1.9/tcp/1/p2p/${stranger}`)), false, 'a peer found by mDNS')
  })

  it('allows a WebRTC address behind a circuit for a peer it vouches for, and for no one else', async () => {
    const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const contact = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    trusted.add(contact)
    const gater = dialGater({ mayDialPrivate: (peer) => trusted.has(peer) }, new Set())
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/ip4/203.0.114.1/tcp/1/p2p/${relay}/p2p-circuit/webrtc/p2p/${contact}`)), false)
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/ip4/203.0.114.1/tcp/1/p2p/${relay}/p2p-circuit/webrtc/p2p/${stranger}`)), true, 'a stranger')
    assert.equal(await gater.denyDialMultiaddr(multiaddr(`/ip4/203.0.114.1/tcp/1/p2p/${relay}/p2p-circuit/p2p/${contact}`)), true, 'a plain circuit to a contact')
  })
})
