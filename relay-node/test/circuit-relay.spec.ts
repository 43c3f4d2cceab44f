// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The circuit relay against the real daemon, with peers built only from npm packages: the per-IP
 * reservation cap holds against 50 peer ids from one address, and plain js-libp2p peers reserve,
 * reach each other through the relay and exchange data on their own protocol.
 */

import assert from 'node:assert/strict'
import { connect, createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { byteStream } from '@libp2p/utils'
import { webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { metric, removeDir, startRelay } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { Libp2p } from '@libp2p/interface'
import type { Server } from 'node:net'

/** A plain peer that listens through `relayAddr` (a reservation), or throws if refused. */
async function reservingPeer (relayAddr: string): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: [`${relayAddr}/p2p-circuit`] },
    transports: [tcp(), webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
}

/** A TCP forwarder that connects to `port` from `localAddress`, so the relay sees another IP. */
async function forwardFrom (localAddress: string, port: number): Promise<{ server: Server, port: number }> {
  const server = createServer((inbound) => {
    const outbound = connect({ host: '127.0.0.1', port, localAddress })
    inbound.pipe(outbound).pipe(inbound)
    inbound.on('error', () => outbound.destroy())
    outbound.on('error', () => inbound.destroy())
  })
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  const addr = server.address()
  return { server, port: typeof addr === 'object' && addr != null ? addr.port : 0 }
}

describe('circuit relay v2 on sotto-relay', () => {
  describe('per-IP reservation cap', () => {
    const peers: Libp2p[] = []
    const servers: Server[] = []
    let relay: RelayProcess

    after(async () => {
      await Promise.all(peers.map(async p => p.stop()))
      for (const s of servers) s.close()
      if (relay != null && relay.proc.exitCode == null) await relay.kill9()
      await removeDir(relay?.dataDir)
    })

    before(async () => {
      relay = await startRelay({
        args: ['--max-reservations', '20', '--max-reservations-per-ip', '8', '--inbound-connections-per-second', '200', '--max-connections-per-ip', '200']
      })
    })

    it('holds against 50 peer ids from one IP, and leaves room for other IPs', async () => {
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, async () => {
        const peer = await reservingPeer(relay.tcp)
        peers.push(peer)
        return peer
      }))
      const reserved = outcomes.filter(o => o.status === 'fulfilled').length
      assert.equal(reserved, 8, `8 of 50 reserved (${reserved})`)
      assert.equal(await metric(relay, /^sotto_relay_reservations (\d+)/m), 8)
      assert.ok(await metric(relay, /^sotto_relay_refused_total\{reason="reservations-per-ip"\} (\d+)/m) >= 42)

      const relayPort = Number(multiaddr(relay.tcp).getComponents().find(c => c.name === 'tcp')?.value)
      const fwd = await forwardFrom('127.0.0.2', relayPort)
      servers.push(fwd.server)
      const elsewhere = await reservingPeer(`/ip4/127.0.0.1/tcp/${fwd.port}/p2p/${relay.peerId}`)
      peers.push(elsewhere)
      assert.ok(elsewhere.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit')), 'a peer from another IP still gets a reservation')
      assert.equal(await metric(relay, /^sotto_relay_reservations (\d+)/m), 9)

      // A slot freed by a peer that leaves goes to the next peer from that IP.
      const first = outcomes.find(o => o.status === 'fulfilled')
      assert.ok(first?.status === 'fulfilled')
      await first.value.stop()
      const next = await reservingPeer(relay.tcp)
      peers.push(next)
      assert.equal(await metric(relay, /^sotto_relay_reservations (\d+)/m), 9)
      assert.equal(relay.proc.exitCode, null, 'the relay is still running')
    })
  })

  describe('interoperability with plain js-libp2p peers', () => {
    const peers: Libp2p[] = []
    let relay: RelayProcess
    const PROTOCOL = '/interop-test/echo/1.0.0'

    before(async () => {
      relay = await startRelay({ webrtc: true })
    })

    after(async () => {
      await Promise.all(peers.map(async p => p.stop()))
      if (relay != null && relay.proc.exitCode == null) await relay.kill9()
      await removeDir(relay?.dataDir)
    })

    it('lets one plain peer reserve and another reach it through /p2p-circuit, beyond the js-libp2p default data limit', async () => {
      const listener = await reservingPeer(relay.tcp)
      peers.push(listener)
      await listener.handle(PROTOCOL, async (stream) => {
        // Echo every byte back.
        for await (const chunk of stream) {
          if (!stream.send(chunk)) await new Promise<void>((resolve) => { stream.addEventListener('drain', () => { resolve() }, { once: true }) })
        }
        await stream.close()
      }, { runOnLimitedConnection: true })
      const circuit = listener.getMultiaddrs().find(a => a.toString().includes('/p2p-circuit'))
      assert.ok(circuit != null, 'the listener has a relayed address')

      const ws = relay.addrs.find(a => a.includes('/ws/'))!
      const dialer = await createLibp2p({
        transports: [webSockets(), circuitRelayTransport()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        services: { identify: identify() }
      })
      peers.push(dialer)
      const target = multiaddr(`${ws}/p2p-circuit/p2p/${listener.peerId.toString()}`)
      const stream = await dialer.dialProtocol(target, PROTOCOL, { runOnLimitedConnection: true })
      const conn = dialer.getConnections(listener.peerId)[0]
      assert.ok(conn?.remoteAddr.toString().includes('/p2p-circuit'), 'the connection goes through the relay')
      assert.ok(conn?.limits != null, 'and is limited, as relayed connections are')

      // 1 MiB each way: well past the 128 KiB a stock js-libp2p relay allows per connection.
      const payload = new Uint8Array(1024 * 1024).map((_, i) => i % 251)
      const bytes = byteStream(stream)
      const echoed = (async () => {
        const got = await bytes.read({ bytes: payload.byteLength, signal: AbortSignal.timeout(30_000) })
        return got.subarray()
      })()
      for (let at = 0; at < payload.byteLength; at += 16 * 1024) await bytes.write(payload.subarray(at, at + 16 * 1024))
      assert.deepEqual(Buffer.from(await echoed), Buffer.from(payload))
      await stream.close()
    })

    it('accepts WebRTC-Direct connections from a plain peer', async () => {
      const direct = relay.addrs.find(a => a.includes('/webrtc-direct/'))
      assert.ok(direct != null, 'the relay listens on WebRTC-Direct')
      const peer = await createLibp2p({
        transports: [webRTCDirect({ rtcConfiguration: { iceServers: [] } })],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        services: { ping: ping() }
      })
      peers.push(peer)
      const rtt = await peer.services.ping.ping(multiaddr(direct))
      assert.ok(rtt >= 0)
      assert.ok(peer.getConnections()[0]?.remoteAddr.toString().includes('/webrtc-direct'))
    })
  })
})
