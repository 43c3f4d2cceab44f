// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Regressions found by the rig at the relay, each pinned by a quick check against the real daemon.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Agent, Rig, figure, mib } from '../src/index.js'
import type { Host, RelayDaemon } from '../src/index.js'

describe('relay regressions', () => {
  let rig: Rig
  let relay: RelayDaemon
  let relayHost: Host
  let attacker: Agent

  before(async () => {
    rig = await Rig.create('regress')
    relay = await rig.relay('relay')
    relayHost = rig.hostOf(relay)
    attacker = await Agent.start(await rig.net.host('attacker'), 'attacker')
  })

  after(async () => {
    await attacker?.stop().catch(() => {})
    await rig.close()
  })

  it('cuts a stream at once after an oversize frame, instead of reading what follows for seconds', { timeout: 120_000 }, async () => {
    // Each stream declares a 100 MiB (or just too large) frame and then sends as fast as it can
    // until the relay ends the stream. Before the fix the relay answered TOO_LARGE, then closed
    // gracefully, waiting up to 5 s for the sender while decrypting and dropping everything it sent.
    const c = await attacker.run<Record<string, number>>('attack', { kind: 'oversize-frames', durationMs: 4000, relay: relay.addr, ip: relayHost.ip, port: 4001 })
    const perStream = (c.bytesSent ?? 0) / (c.streams ?? 1)
    figure({ scenario: 'abuse at the relay', name: 'bytes an oversize stream may push before the relay ends it', value: mib(perStream), unit: `MiB (${c.streams} streams, ${c.answered} answered TOO_LARGE)`, goal: '≤ 4 MiB' })
    assert.ok((c.streams ?? 0) >= 4, JSON.stringify(c))
    assert.equal(c.answered, c.streams, 'every oversize frame is answered TOO_LARGE')
    assert.ok(perStream <= 4 * 1024 * 1024, `${mib(perStream)} MiB per stream after an oversize frame`)
    assert.ok(relay.pid > 0)
  })
})
