// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Relay redundancy: Bob has two home relays, R1 and R2. Alice leaves messages while Bob is away;
 * R1 dies holding them and stays down while Bob comes and goes several times, reached through R2
 * only. Then R1 comes back and is drained; then it comes back once more restored from a copy of
 * its disk taken before the drain — every envelope on it an old deposit Bob already has — and
 * Bob must show none of them twice.
 */

import assert from 'node:assert/strict'
import { cp, rm } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { Flow, Rig, figure, pick, waitUntil } from '../src/index.js'
import type { RelayDaemon, SottoPeer } from '../src/index.js'

const SCENARIO = 'relay redundancy'
const BEFORE = pick(50, 500)
const ROUNDS = pick(3, 10)
const PER_ROUND = pick(30, 200)

describe(SCENARIO, () => {
  let rig: Rig
  let r1: RelayDaemon
  let r2: RelayDaemon
  let alice: SottoPeer
  let bob: SottoPeer
  let ids: { aSeesB: string, bSeesA: string }
  /** Of the messages R1 held when it died, how many Bob showed while it was down. */
  let stuckDelivered = -1

  before(async () => {
    rig = await Rig.create('redun')
    r1 = await rig.relay('r1')
    r2 = await rig.relay('r2')
    alice = await rig.peer('alice', { relays: [r2] })
    bob = await rig.peer('bob', { relays: [r1, r2] })
    ids = await rig.contacts(alice, bob, [2, 1])
  })

  after(async () => { await rig.close() })

  it(`R1 down for ${ROUNDS} rounds of Bob away: delivered through R2; R1's old deposits, replayed, are shown once`, { timeout: pick(10, 40) * 60_000 }, async () => {
    const ab = new Flow(alice, bob, ids.aSeesB, ids.bSeesA, 'ab')
    const envelopes = async (r: RelayDaemon): Promise<number> => (await rig.metrics(r)).get('sotto_relay_envelopes') ?? 0
    const shown = (texts: string[]): number => texts.filter(t => (ab.shown.get(t) ?? 0) > 0).length

    // Bob is away: Alice's messages wait at his relays (a copy at each of two).
    await bob.stop()
    await ab.send(BEFORE)
    await waitUntil('a relay holds every message', () => ab.viaRelay >= BEFORE, 60_000)
    const early = [...ab.acknowledged]
    const oldAtR1 = await envelopes(r1)
    const oldAtR2 = await envelopes(r2)
    // R1 dies with what it holds; a copy of its disk is kept for later.
    await r1.kill9()
    const snapshot = await rig.dir('r1-snapshot')
    await cp(r1.options.dataDir, snapshot, { recursive: true })

    let rounds = 0
    const started = Date.now()
    for (let round = 0; round < ROUNDS; round++) {
      await bob.start()
      const later = ab.acknowledged.slice(early.length)
      await waitUntil(`round ${round}: what Alice wrote since R1 died is shown`, () => shown(later) === later.length, 120_000, 200)
      rounds++
      await ab.send(PER_ROUND / 2)
      await bob.stop()
      const held = ab.viaRelay
      await ab.send(PER_ROUND / 2)
      await waitUntil(`round ${round}: R2 holds what Bob missed`, () => ab.viaRelay >= held + PER_ROUND / 2, 60_000)
    }
    await bob.start()
    const later = ab.acknowledged.slice(early.length)
    await waitUntil('what Alice wrote since R1 died is shown', () => shown(later) === later.length, 120_000, 200)
    const downSeconds = (Date.now() - started) / 1000
    stuckDelivered = shown(early)

    // R1 comes back: Bob drains it.
    await r1.start()
    let back = Date.now()
    await waitUntil('Bob drained R1', async () => await envelopes(r1) === 0 && shown(early) === early.length, 180_000, 500).catch(() => {})
    const drainSeconds = (Date.now() - back) / 1000
    const afterDrain = shown(early)

    // R1 comes back once more from the copy of its disk: only old deposits, all of them shown already.
    await r1.kill9()
    await rm(r1.options.dataDir, { recursive: true, force: true })
    await cp(snapshot, r1.options.dataDir, { recursive: true })
    await r1.start()
    back = Date.now()
    const replayed = await envelopes(r1)
    await waitUntil('Bob drained the replayed deposits', async () => await envelopes(r1) === 0, 180_000, 500).catch(() => {})
    const replaySeconds = (Date.now() - back) / 1000
    const leftAtR1 = await envelopes(r1)
    await waitUntil('all in history', async () => ab.complete(), 60_000).catch(() => {})
    const v = await ab.verdict()

    figure({ scenario: SCENARIO, name: 'messages, Bob away half of each round', value: v.acknowledged, unit: `messages over ${ROUNDS} rounds` })
    figure({ scenario: SCENARIO, name: 'held by R1 when it died (R2 held)', value: oldAtR1, unit: `envelopes (${oldAtR2})` })
    figure({ scenario: SCENARIO, name: 'rounds delivered through R2 with R1 down', value: rounds, unit: `of ${ROUNDS} (${Math.round(downSeconds)} s)`, goal: `= ${ROUNDS}` })
    figure({ scenario: SCENARIO, name: 'messages held by R1 shown while it was down', value: stuckDelivered, unit: `of ${early.length}`, goal: `= ${early.length}` })
    figure({ scenario: SCENARIO, name: 'R1 back → drained', value: drainSeconds, unit: `s (${afterDrain} of ${early.length} shown)` })
    figure({ scenario: SCENARIO, name: 'R1 restored from its old disk → replayed deposits drained', value: replaySeconds, unit: `s (${replayed} envelopes, ${leftAtR1} left)` })
    figure({ scenario: SCENARIO, name: 'lost', value: v.lost, unit: 'messages', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'duplicates shown', value: v.duplicates, unit: 'messages', goal: '= 0' })
    assert.equal(rounds, ROUNDS)
    assert.ok(oldAtR1 > 0, 'R1 held nothing when it died: the scenario tested no old deposits')
    assert.ok(replayed > 0, 'the restored R1 held nothing')
    assert.equal(afterDrain, early.length, 'messages R1 held were not delivered after it came back')
    assert.equal(leftAtR1, 0, 'the replayed deposits were not drained')
    assert.equal(v.lost, 0, 'messages lost')
    assert.equal(v.duplicates, 0, 'old deposits shown twice')
    assert.equal(v.outOfOrder, 0, 'messages out of order')
  })

  it('messages a relay held when it died reach Bob through his other relay while it is down', () => {
    assert.ok(stuckDelivered >= 0, 'the scenario above did not run')
    assert.equal(stuckDelivered, BEFORE)
  })
})
