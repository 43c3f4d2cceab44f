// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Direct paths: which connection counts as direct, the WebRTC address behind a circuit, the home
 * relays' STUN servers, and an attempt's bookkeeping (one at a time per peer, a backoff after a
 * failure, none once a direct connection exists). The path itself is shown between real
 * messengers in `relay-node/test/direct-path.spec.ts` and through NATs in the rig.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { silentLoggers } from '../../src/logger.js'
import { DirectPaths, isDirect, webrtcAddressOf } from '../../src/net/direct-path.js'
import { stunServersOf } from '../../src/net/stun-servers.js'
import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const R = '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'
const B = '12D3KooWSCWBUVhQxCZQfmyeDqKVqkJSpAPGBvzMa5UuzMXZq9XU'

describe('net: direct paths', () => {
  it('a WebRTC connection set up over a circuit is direct; a circuit or a limited connection is not', () => {
    const conn = (addr: string, limits?: object): Pick<Connection, 'limits' | 'remoteAddr'> => ({ remoteAddr: multiaddr(addr), ...(limits != null ? { limits } : {}) }) as Pick<Connection, 'limits' | 'remoteAddr'>
    assert.equal(isDirect(conn(`/ip4/1.2.3.4/tcp/1/p2p/${B}`)), true)
    assert.equal(isDirect(conn(`/ip4/1.2.3.4/tcp/1/p2p/${R}/p2p-circuit/webrtc/p2p/${B}`)), true)
    assert.equal(isDirect(conn(`/webrtc/p2p/${B}`)), true)
    assert.equal(isDirect(conn(`/ip4/1.2.3.4/tcp/1/p2p/${R}/p2p-circuit/p2p/${B}`)), false)
    assert.equal(isDirect(conn(`/ip4/1.2.3.4/tcp/1/p2p/${B}`, { bytes: 1n })), false)
  })

  it('names the WebRTC address behind a circuit, and nothing for an address that is not one', () => {
    assert.equal(webrtcAddressOf(multiaddr(`/ip4/1.2.3.4/tcp/1/p2p/${R}/p2p-circuit/p2p/${B}`), B)?.toString(), `/ip4/1.2.3.4/tcp/1/p2p/${R}/p2p-circuit/webrtc/p2p/${B}`)
    assert.equal(webrtcAddressOf(multiaddr(`/ip4/1.2.3.4/tcp/1/p2p/${B}`), B), undefined)
    assert.equal(webrtcAddressOf(multiaddr(`/p2p-circuit/p2p/${B}`), B), undefined)
  })

  it('STUN servers: only relays that publish a port, at the host they are reached at', () => {
    assert.deepEqual(stunServersOf([
      { addr: `/ip4/10.0.0.1/tcp/4001/p2p/${R}`, info: { stunPort: 3478 } },
      { addr: `/ip4/10.0.0.2/tcp/4001/p2p/${R}`, info: {} },
      { addr: `/ip4/10.0.0.3/tcp/4001/p2p/${R}` },
      { addr: `/ip6/2001:db8::1/tcp/4001/p2p/${R}`, info: { stunPort: 3479 } },
      { addr: `/dns4/relay.example/tcp/4001/p2p/${R}`, info: { stunPort: 3478 } },
      { addr: 'not a multiaddr', info: { stunPort: 3478 } }
    ]), ['stun:10.0.0.1:3478', 'stun:[2001:db8::1]:3479', 'stun:relay.example:3478'])
  })

  it('one attempt at a time per peer; after a failure, none until the backoff ends; none with a direct connection', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const via = [multiaddr(`/ip4/1.2.3.4/tcp/1/p2p/${R}/p2p-circuit/p2p/${peer.toString()}`)]
    const dials: Multiaddr[] = []
    let clock = 0
    let fail = true
    let release = (): void => {}
    let connections: Array<Pick<Connection, 'status' | 'limits' | 'remoteAddr'>> = []
    const node = {
      dial: async (ma: Multiaddr) => {
        dials.push(ma)
        await new Promise<void>(resolve => { release = resolve })
        if (fail) throw new Error('no path')
        return {} as Connection
      },
      getConnections: () => connections as Connection[]
    }
    let iceServers = ['stun:1.2.3.4:3478']
    const paths = new DirectPaths({ node, log: silentLoggers.forComponent('test'), iceServers: async () => iceServers }, { now: () => clock })
    // A dial starts once the ICE servers were read: after the microtasks an upgrade runs first.
    const dialing = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }
    const first = paths.upgrade(peer, via)
    await dialing()
    await paths.upgrade(peer, via)
    assert.equal(dials.length, 1, 'a second attempt while one is under way')
    assert.equal(dials[0]?.toString(), `/ip4/1.2.3.4/tcp/1/p2p/${R}/p2p-circuit/webrtc/p2p/${peer.toString()}`)
    release()
    await first
    await paths.upgrade(peer, via)
    assert.equal(dials.length, 1, 'an attempt right after a failure')
    clock += 31_000
    fail = false
    const second = paths.upgrade(peer, via)
    await dialing()
    release()
    await second
    assert.equal(dials.length, 2)
    connections = [{ status: 'open', remoteAddr: multiaddr(`/ip4/1.2.3.4/udp/1/webrtc/p2p/${peer.toString()}`) }]
    await paths.upgrade(peer, via)
    assert.equal(dials.length, 2, 'an attempt with a direct connection open')
    connections = []
    clock += 31_000
    iceServers = []
    await paths.upgrade(peer, via)
    assert.equal(dials.length, 2, 'an attempt without an ICE server to cross a NAT with')
    paths.stop()
  })
})
