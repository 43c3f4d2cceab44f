// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The reaches into libp2p internals engage with the installed versions, and the check says so
 * when one no longer does.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import {
  checkInternals, coalesceWrites, grantStreamsAtHalf, listenOn, probeHalfWindow, probeTcpCork, reportInternals
} from '../../src/net/internals.js'
import { createNode } from '../../src/net/node.js'
import type { MessengerNode } from '../../src/net/node.js'
import type { Libp2p, MultiaddrConnection } from '@libp2p/interface'

const nodes: MessengerNode[] = []
after(async () => { for (const n of nodes) await n.stop() })

describe('libp2p internals', () => {
  it('all engage with the installed versions, and a node starts without a warning', async () => {
    const warnings: string[] = []
    const node = await createNode({
      privateKey: await generateKeyPair('Ed25519'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: false,
      iceServers: [],
      log: { debug () {}, info () {}, warn (m) { warnings.push(m) }, error () {} }
    })
    nodes.push(node)
    const checks = await checkInternals(node)
    assert.deepEqual(checks.map(c => [c.name, c.engaged]), [
      ['tcp-cork', true], ['yamux-half-window', true], ['transport-manager', true], ['reservation-queue', true]
    ])
    assert.deepEqual(warnings, [])
  })

  it('reports TCP corking not engaged when connections lose `sendData`', async () => {
    const withoutSendData = (c: MultiaddrConnection): MultiaddrConnection => {
      Object.defineProperty(c, 'sendData', { value: undefined })
      return coalesceWrites(c)
    }
    assert.equal(await probeTcpCork(withoutSendData), false)
    assert.equal(await probeTcpCork(), true)
  })

  it('reports the half window not engaged when streams lose their window fields', async () => {
    const withoutWindow = <T>(muxer: T): T => {
      const m = muxer as unknown as { _newStream(...args: unknown[]): Record<string, unknown> }
      const make = m._newStream.bind(muxer)
      m._newStream = (...args) => {
        const stream = make(...args)
        Object.defineProperty(stream, 'recvWindowCapacity', { value: undefined })
        return stream
      }
      return grantStreamsAtHalf(muxer)
    }
    assert.equal(await probeHalfWindow(withoutWindow), false)
    assert.equal(await probeHalfWindow(), true)
  })

  it('warns once for each internal of a node that lacks the transport manager', async () => {
    const warnings: string[] = []
    const checks = await reportInternals({} as unknown as Libp2p, m => { warnings.push(m) })
    assert.deepEqual(checks.filter(c => !c.engaged).map(c => c.name), ['transport-manager', 'reservation-queue'])
    assert.equal(warnings.length, 2)
    assert.match(warnings[0] ?? '', /^libp2p internal "transport-manager" no longer engages/)
    await assert.rejects(listenOn({} as unknown as Libp2p, []), { name: 'BugError' })
  })

  it('makes circuit listens one at a time per node, and others at once', async () => {
    let inFlight = 0
    let most = 0
    const finish: Array<() => void> = []
    const listen = async (): Promise<void> => {
      most = Math.max(most, ++inFlight)
      await new Promise<void>(resolve => finish.push(resolve))
      inFlight--
    }
    const node = { components: { transportManager: { listen } } } as unknown as Libp2p
    const circuit = (n: number): ReturnType<typeof multiaddr> => multiaddr(`/ip4/127.0.0.${n}/tcp/1/p2p/12D3KooWCKq9ZvccjmCqhBbPsrgpAKBHWQpgB61ruM19CyAvH1Cp/p2p-circuit`)
    const first = listenOn(node, [circuit(1)])
    const second = listenOn(node, [circuit(2)])
    const plain = listenOn(node, [multiaddr('/ip4/127.0.0.1/tcp/0')])
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(finish.length, 2, 'the first circuit listen and the plain one run; the second waits')
    finish.shift()?.()
    finish.shift()?.()
    await first
    await plain
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(finish.length, 1, 'the second circuit listen runs once the first is done')
    finish.shift()?.()
    await second
    assert.equal(most, 2)
  })
})
