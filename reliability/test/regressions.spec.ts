// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Regressions found by the rig, each pinned by a quick check against the real programs.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Agent, Rig, cpuOf, figure, mib, sleep, waitUntil } from '../src/index.js'
import type { EdgeHost, Host, RelayDaemon, SottoPeer } from '../src/index.js'

describe('regressions', () => {
  let rig: Rig
  let relay: RelayDaemon
  let relayHost: Host
  let attacker: Agent
  let peer: SottoPeer

  before(async () => {
    rig = await Rig.create('regress')
    relay = await rig.relay('relay')
    relayHost = rig.hostOf(relay)
    peer = await rig.peer('peer', { relays: [relay], logLevel: 'error' })
    attacker = await Agent.start(await rig.net.host('attacker'), 'attacker')
  })

  after(async () => {
    await attacker?.stop().catch(() => {})
    await rig.close()
  })

  it('cuts a stream at once after an oversize frame, and the connection after a few', { timeout: 120_000 }, async () => {
    // Each stream declares a 100 MiB (or just too large) frame and then sends as fast as it can
    // until the relay ends the stream; cut off, the attacker comes back with a fresh peer id.
    // Before the fix the relay answered TOO_LARGE, then closed the stream gracefully, waiting up
    // to 5 s for the sender while decrypting and dropping everything it sent (15 MiB a stream,
    // one relay core busy), and never closed the connection.
    const cpu0 = await cpuOf(relay.pid) ?? 0
    const started = Date.now()
    const c = await attacker.run<Record<string, number>>('attack', { kind: 'oversize-frames', durationMs: 4000, relay: relay.addr, ip: relayHost.ip, port: 4001 })
    const cpu = ((await cpuOf(relay.pid) ?? 0) - cpu0) / ((Date.now() - started) / 1000)
    const perStream = (c.bytesSent ?? 0) / (c.streams ?? 1)
    figure({ scenario: 'abuse at the relay', name: 'oversize frames: bytes a stream may push before the relay ends it', value: mib(perStream), unit: `MiB (${c.streams} streams, ${c.answered} answered TOO_LARGE, ${c.reconnects ?? 0} connections closed by the relay; relay CPU ${Math.round(cpu * 100)}%)`, goal: '≤ 4 MiB, connections closed' })
    assert.ok((c.streams ?? 0) >= 4, JSON.stringify(c))
    assert.ok((c.answered ?? 0) >= (c.streams ?? 0) * 0.5, `most oversize frames are answered TOO_LARGE: ${JSON.stringify(c)}`)
    assert.ok(perStream <= 4 * 1024 * 1024, `${mib(perStream)} MiB per stream after an oversize frame`)
    assert.ok((c.reconnects ?? 0) >= 1, 'the relay never closed a connection that kept sending oversize frames')
    assert.ok(relay.pid > 0)
  })

  it('answers a sender that pipelines 256 envelopes of 64 KiB on one stream', { timeout: 120_000 }, async () => {
    // 256 envelopes of the largest size (64 KiB: long texts in a three-byte script) written at
    // once: 16 MiB in flight, far beyond the window Sotto's own senders keep. Before the fix the
    // recipient's reader (lpStream, at most 16 frames buffered) reset the stream once about 1 MiB
    // waited unread; now it pauses the stream and flow control holds the sender back.
    const target = `/ip4/${peer.options.host.ip}/tcp/4001/p2p/${peer.peerId}`
    const small = await attacker.run<{ answered: number, sent: number, error?: string }>('deliver-burst', { target, count: 256, envelopeBytes: 1024 })
    assert.equal(small.answered, 256, `1 KiB burst: ${JSON.stringify(small)}`)
    const large = await attacker.run<{ answered: number, sent: number, error?: string }>('deliver-burst', { target, count: 256, envelopeBytes: 65536 })
    figure({ scenario: 'fuzzing live handlers', name: 'a burst of 256 envelopes of 64 KiB: answered before the stream ended', value: large.answered, unit: `of 256${large.error != null ? ` (${large.error})` : ''}`, goal: '= 256' })
    assert.equal(large.answered, 256, `64 KiB burst: ${JSON.stringify(large)}`)
  })

  it('opens a relay session through an edge in few chunks', { timeout: 120_000 }, async () => {
    // Every chunk is one more chance for a lossy link to break the connection. Before the fix
    // libp2p sent each yamux frame and each Noise length as a packet of its own: reconnecting to
    // the relay took 102 chunks for 5 kB (now 26), most of them 30 bytes, and at 2% of chunks
    // lost few connections outlived their set-up (bug 7).
    const edgy = await rig.peer('edgy', { relays: [relay], logLevel: 'error', edge: {} })
    const edge = edgy.options.host as EdgeHost
    const ready = async (): Promise<boolean> => {
      const relays = await edgy.command({ cmd: 'relays' }) as Array<{ reachable?: boolean, reserved?: boolean }>
      return relays.length === 1 && relays[0]?.reachable === true && relays[0]?.reserved === true
    }
    await waitUntil('the relay session is up', ready, 60_000)
    const before = await edge.resetConnections()
    await waitUntil('the relay session is up again', async () => (await edge.proxyStats()).connections > before.connections && await ready(), 60_000)
    // Then until nothing more flows for a second: the subscription and the first read are done.
    let chunks = -1
    await waitUntil('the session settled', async () => {
      const now = (await edge.proxyStats()).chunks
      const settled = now === chunks
      chunks = now
      if (!settled) await sleep(1000)
      return settled
    }, 60_000, 0)
    const after = await edge.proxyStats()
    const used = after.chunks - before.chunks
    figure({ scenario: 'slow and lossy link', name: 'chunks to reconnect to the relay and open its session', value: used, unit: `chunks (${after.bytes - before.bytes} bytes, ${after.connections - before.connections} connections)`, goal: '≤ 40' })
    assert.ok(used <= 40, `${used} chunks to reconnect to the relay`)
  })
})
