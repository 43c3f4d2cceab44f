// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Slow and lossy links: Bob sits behind a bad link — 200 ms each way, 1 Mbit/s, 5% of chunks
 * dropped — through which all his traffic passes (to Alice directly, and to the relay). The
 * chat goes on both ways, first with clean drops (a lost packet is sent again: the chunk and all
 * behind it stall for a retransmission timeout, as TCP shows it to an application) and then with
 * corrupting drops, fewer (1–2%: the chunk's bytes are lost, Noise misreads what follows, and the
 * connection dies or hangs until something times out). Every
 * message arrives once, and the bytes carried per message stay near a clean link's: timeouts do
 * not cascade into storms of resent envelopes.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CLEAR, Flow, Rig, figure, pick, percentile, scenarioSeed, sleep, waitUntil } from '../src/index.js'
import type { EdgeHost, Impairment, ProxyStats, RelayDaemon, SottoPeer } from '../src/index.js'

const SCENARIO = 'slow and lossy link'
const PER_PHASE = pick(40, 400)
/** Share of chunks discarded in the corrupting phase: each such drop kills a connection, or hangs it until a timeout. */
const DISCARD_RATE = pick(0.01, 0.02)
/** The most bytes per message an impaired phase may carry, against the clean phase. */
const STORM_FACTOR = 4

describe(SCENARIO, () => {
  let rig: Rig
  let relay: RelayDaemon
  let alice: SottoPeer
  let bob: SottoPeer
  let edge: EdgeHost
  let ids: { aSeesB: string, bSeesA: string }
  let cleanBytesPerMessage = 0

  before(async () => {
    rig = await Rig.create('lossy')
    relay = await rig.relay('relay')
    alice = await rig.peer('alice', { relays: [relay] })
    bob = await rig.peer('bob', { relays: [relay], edge: { seed: scenarioSeed() } })
    edge = bob.options.host as EdgeHost
    ids = await rig.contacts(alice, bob, 1)
  })

  after(async () => { await rig.close() })

  /** Bytes through the edge, both ways. */
  const carried = (s: ProxyStats): number => s.bytes

  /** One phase: the chat goes both ways at a chat's pace; resolves with what it took. */
  async function phase (tag: string, impairment: Impairment): Promise<{ seconds: number, bytesPerMessage: number, p95: number, verdicts: Array<{ lost: number, duplicates: number, outOfOrder: number }>, stats: ProxyStats }> {
    const before = await edge.impair(impairment)
    const ab = new Flow(alice, bob, ids.aSeesB, ids.bSeesA, `${tag}ab`)
    const ba = new Flow(bob, alice, ids.bSeesA, ids.aSeesB, `${tag}ba`)
    const sentAt = new Map<string, number>()
    const started = Date.now()
    for (let burst = 0; burst < PER_PHASE / 5; burst++) {
      for (const f of [ab, ba]) for (let i = 0; i < 5; i++) sentAt.set(`${f.tag}-${f.sent + i}`, Date.now())
      await Promise.all([ab.send(5), ba.send(5)])
      await sleep(500)
    }
    const latencies: number[] = []
    const arrivedAt = new Map<string, number>()
    await waitUntil(`${tag}: everything shown`, () => {
      for (const f of [ab, ba]) {
        for (const t of f.acknowledged) if (!arrivedAt.has(t) && (f.shown.get(t) ?? 0) > 0) arrivedAt.set(t, Date.now())
      }
      return arrivedAt.size === ab.acknowledged.length + ba.acknowledged.length
    }, pick(240_000, 900_000), 50).catch(async (err: Error) => {
      const shown = (f: Flow): number => f.acknowledged.filter(t => (f.shown.get(t) ?? 0) > 0).length
      console.log(`# ${tag}: shown a→b ${shown(ab)}/${ab.acknowledged.length}, b→a ${shown(ba)}/${ba.acknowledged.length}; edge ${JSON.stringify(await edge.proxyStats())}`)
      console.log(`# alice: ${alice.program?.stderr.slice(-3000) ?? ''}`)
      console.log(`# bob: ${bob.program?.stderr.slice(-3000) ?? ''}`)
      throw err
    })
    const seconds = (Date.now() - started) / 1000
    for (const [t, at] of arrivedAt) latencies.push(at - (sentAt.get(t) ?? at))
    await waitUntil(`${tag}: in history`, async () => await ab.complete() && await ba.complete(), 120_000).catch(() => {})
    const verdicts = [await ab.verdict(), await ba.verdict()]
    const after = await edge.proxyStats()
    const stats: ProxyStats = {
      ...after,
      connections: after.connections - before.connections,
      chunks: after.chunks - before.chunks,
      bytes: after.bytes - before.bytes,
      discarded: after.discarded - before.discarded,
      stalled: after.stalled - before.stalled
    }
    return { seconds, bytesPerMessage: carried(stats) / (2 * PER_PHASE), p95: percentile(latencies, 95) / 1000, verdicts, stats }
  }

  it(`a clean link first: ${PER_PHASE} messages each way`, { timeout: 10 * 60_000 }, async () => {
    const clean = await phase('c', CLEAR)
    cleanBytesPerMessage = clean.bytesPerMessage
    figure({ scenario: SCENARIO, name: 'clean link: bytes carried per message', value: Math.round(clean.bytesPerMessage), unit: 'B' })
    assert.equal(clean.verdicts.reduce((n, v) => n + v.lost + v.duplicates, 0), 0)
  })

  for (const dropMode of ['stall', 'discard'] as const) {
    const rate = dropMode === 'stall' ? 0.05 : DISCARD_RATE
    it(`200 ms, 1 Mbit/s, ${rate * 100}% of chunks ${dropMode === 'stall' ? 'stalled (lost and resent)' : 'discarded (stream corrupted)'}: all delivered once, no storm`, { timeout: pick(15, 60) * 60_000 }, async () => {
      await bob.options.host.throttle({ rateKbit: 1000 })
      try {
        const r = await phase(dropMode === 'stall' ? 's' : 'd', { delayMs: 200, dropRate: rate, dropMode, stallMs: 300 })
        const lost = r.verdicts.reduce((n, v) => n + v.lost, 0)
        const duplicates = r.verdicts.reduce((n, v) => n + v.duplicates, 0)
        const outOfOrder = r.verdicts.reduce((n, v) => n + v.outOfOrder, 0)
        const factor = r.bytesPerMessage / cleanBytesPerMessage
        const label = `${rate * 100}% ${dropMode === 'stall' ? 'stalling' : 'corrupting'} drops`
        figure({ scenario: SCENARIO, name: `${label}: ${2 * PER_PHASE} messages delivered in`, value: r.seconds, unit: `s (p95 latency ${r.p95.toFixed(1)} s; ${r.stats.connections} connections, ${r.stats.discarded + r.stats.stalled} chunks dropped)` })
        figure({ scenario: SCENARIO, name: `${label}: bytes per message against a clean link`, value: factor, unit: '×', goal: `≤ ${STORM_FACTOR}×` })
        figure({ scenario: SCENARIO, name: `${label}: lost / duplicates shown / out of order`, value: lost + duplicates + outOfOrder, unit: `(${lost} / ${duplicates} / ${outOfOrder})`, goal: '= 0' })
        assert.equal(lost, 0, 'messages lost')
        assert.equal(duplicates, 0, 'messages shown twice')
        assert.equal(outOfOrder, 0, 'messages out of order')
        assert.ok(cleanBytesPerMessage > 0, 'the clean phase did not run')
        assert.ok(factor <= STORM_FACTOR, `${factor.toFixed(1)}× the bytes of a clean link per message: a storm of resends`)
      } finally {
        await edge.impair(CLEAR)
        await bob.options.host.unthrottle()
      }
    })
  }
})
