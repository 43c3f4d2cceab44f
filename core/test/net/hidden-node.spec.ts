// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The node of a messenger that hides its IP address, on loopback among real libp2p nodes: it
 * listens nowhere directly and announces nothing but circuits, runs no DCUtR, AutoNAT or WebRTC,
 * and connects out to its home relay only — a contact, a stranger, another relay and a circuit
 * address are all refused before any connection is made (a TCP listener counts what reaches it).
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { createNode } from '../../src/net/node.js'
import type { MessengerNode } from '../../src/net/node.js'
import type { Libp2p } from '@libp2p/interface'
import type { AddressInfo, Server } from 'node:net'

/** The local ports of the UDP sockets this process holds (from /proc: its fds, and the kernel's tables). */
function ownUdpPorts (): number[] {
  const inodes = new Set<string>()
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))
      if (m != null) inodes.add(m[1] as string)
    } catch {
      // Closed meanwhile.
    }
  }
  const ports: number[] = []
  for (const table of ['/proc/self/net/udp', '/proc/self/net/udp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields.length > 9 && inodes.has(fields[9] as string)) ports.push(parseInt((fields[1] as string).split(':')[1] as string, 16))
    }
  }
  return ports
}

/** A plain libp2p node listening on loopback. */
async function peer (): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
}

describe('net: the node of a messenger that hides its IP address', () => {
  let home: Libp2p
  let contact: Libp2p
  let hidden: MessengerNode
  let server: Server
  let port: number
  let reached = 0

  before(async () => {
    home = await peer()
    contact = await peer()
    server = createServer(socket => {
      reached++
      socket.destroy()
    })
    await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
    port = (server.address() as AddressInfo).port
    hidden = await createNode({
      privateKey: await generateKeyPair('Ed25519'),
      // Asked for, and ignored: a hidden node listens on its relays' circuits only.
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: true,
      iceServers: [],
      dialRules: { mayDialPrivate: () => true },
      hideIp: { isHomeRelay: p => p === home.peerId.toString() }
    })
  })

  after(async () => {
    await Promise.allSettled([hidden.stop(), home.stop(), contact.stop()])
    server.close()
  })

  it('listens nowhere directly and runs no DCUtR, AutoNAT, WebRTC or mDNS', () => {
    assert.ok(!ownUdpPorts().includes(5353), 'no mDNS socket, though the options asked for mDNS')
    assert.deepEqual(hidden.getMultiaddrs(), [])
    const services = Object.keys(hidden.services).sort()
    assert.deepEqual(services, ['identify', 'identifyPush', 'ping'])
    assert.ok(!hidden.getProtocols().some(p => p.includes('dcutr') || p.includes('autonat') || p.includes('webrtc')), hidden.getProtocols().join(' '))
  })

  it('connects to its home relay, and to nobody else', async () => {
    await hidden.dial(home.getMultiaddrs()[0]!)
    assert.equal(hidden.getConnections(home.peerId).length, 1)
    // Refused by the gater, not for want of an address: the contact's is in the peer store, as the
    // messenger puts a card's addresses there.
    await hidden.peerStore.merge(contact.peerId, { multiaddrs: contact.getMultiaddrs() })
    const denied = (what: string) => (err: Error): boolean => { assert.equal(err.name, 'DialDeniedError', what); return true }
    await assert.rejects(hidden.dial(contact.getMultiaddrs()[0]!), denied('a contact, at its own address'))
    await assert.rejects(hidden.dial(contact.peerId), denied('a contact, by PeerId (its address in the peer store)'))
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    await assert.rejects(hidden.dial(multiaddr(`/ip4/127.0.0.1/tcp/${port}/p2p/${stranger.toString()}`)), denied('a stranger'))
    await assert.rejects(hidden.dial(multiaddr(`/ip4/127.0.0.1/tcp/${port}`)), denied('an address without a PeerId'))
    const circuit = `${home.getMultiaddrs()[0]!.toString()}/p2p-circuit/p2p/${contact.peerId.toString()}`
    await assert.rejects(hidden.dial(multiaddr(circuit)), denied('a circuit, even through its home relay'))
    assert.equal(reached, 0, 'no refused dial reached the network')
    assert.deepEqual(hidden.getConnections().map(c => c.remotePeer.toString()), [home.peerId.toString()])
    assert.equal(contact.getConnections().length, 0, 'the contact saw no connection')
  })
})
