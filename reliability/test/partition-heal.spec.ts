// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Partition and heal: Bob's host is cut off (packets vanish; nobody is told), both sides keep
 * sending, then the cut heals. Everything arrives once, in per-sender order. How long it took
 * after the heal is a figure with its goal (≤ 15 s), not a gate: on a shared machine it moves with
 * the load; what was not shown three minutes after the heal counts as lost.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Flow, Rig, figure, pick, sleep, waitUntil } from '../src/index.js'
import type { RelayDaemon, SottoPeer } from '../src/index.js'

const SCENARIO = 'partition and heal'
const CUT_MS = pick(20_000, 180_000)
const DURING = pick(100, 1000)
/** Seconds after the heal by which everything should have arrived (a figure's goal). */
const GOAL_S = 15

describe(SCENARIO, () => {
  let rig: Rig
  let relay: RelayDaemon
  let alice: SottoPeer
  let bob: SottoPeer
  let ids: { aSeesB: string, bSeesA: string }

  before(async () => {
    rig = await Rig.create('part')
    relay = await rig.relay('relay')
    alice = await rig.peer('alice', { relays: [relay] })
    bob = await rig.peer('bob', { relays: [relay] })
    ids = await rig.contacts(alice, bob, 1)
  })

  after(async () => { await rig.close() })

  it(`cut Bob off for ${CUT_MS / 1000} s while ${DURING} messages go each way: all arrive once, in order, after the heal`, { timeout: CUT_MS + 10 * 60_000 }, async () => {
    const ab = new Flow(alice, bob, ids.aSeesB, ids.bSeesA, 'ab')
    const ba = new Flow(bob, alice, ids.bSeesA, ids.aSeesB, 'ba')
    // A warm chat: both directions connected and delivering.
    await Promise.all([ab.send(20), ba.send(20)])
    await waitUntil('warm-up delivered', async () => await ab.complete() && await ba.complete(), 60_000)

    const bobHost = bob.options.host
    await bobHost.cutOff()
    const cutAt = Date.now()
    // Both keep writing through the cut, spread over it.
    const bursts = 10
    for (let i = 0; i < bursts; i++) {
      await Promise.all([ab.send(DURING / bursts), ba.send(DURING / bursts)])
      await sleep(Math.max(0, cutAt + (i + 1) * CUT_MS / bursts - Date.now()))
    }
    const viaRelayDuringCut = ab.viaRelay
    await bobHost.heal()
    const healedAt = Date.now()

    const arrived = (flow: Flow): boolean => flow.acknowledged.every(t => (flow.shown.get(t) ?? 0) > 0)
    let abAt = 0
    let baAt = 0
    await waitUntil('everything shown after the heal', () => {
      if (abAt === 0 && arrived(ab)) abAt = Date.now()
      if (baAt === 0 && arrived(ba)) baAt = Date.now()
      return abAt > 0 && baAt > 0
    }, 180_000, 100).catch(() => {})
    const abSeconds = ((abAt || Date.now()) - healedAt) / 1000
    const baSeconds = ((baAt || Date.now()) - healedAt) / 1000
    await waitUntil('every acknowledged message in history', async () => await ab.complete() && await ba.complete(), 60_000).catch(() => {})
    const [x, y] = [await ab.verdict(), await ba.verdict()]
    figure({ scenario: SCENARIO, name: 'cut', value: CUT_MS / 1000, unit: `s (${DURING} messages each way during it)` })
    figure({ scenario: SCENARIO, name: 'Alice→Bob messages held by the relay during the cut', value: viaRelayDuringCut, unit: 'messages' })
    figure({ scenario: SCENARIO, name: 'heal → all of Alice\'s messages shown by Bob', value: abSeconds, unit: 's', goal: `≤ ${GOAL_S} s` })
    figure({ scenario: SCENARIO, name: 'heal → all of Bob\'s messages shown by Alice', value: baSeconds, unit: 's', goal: `≤ ${GOAL_S} s` })
    figure({ scenario: SCENARIO, name: 'lost', value: x.lost + y.lost, unit: 'messages', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'duplicates shown', value: x.duplicates + y.duplicates, unit: 'messages', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'out of per-sender order', value: x.outOfOrder + y.outOfOrder, unit: 'messages', goal: '= 0' })
    assert.equal(x.lost + y.lost, 0, 'messages lost')
    assert.equal(x.duplicates + y.duplicates, 0, 'messages shown twice')
    assert.equal(x.outOfOrder + y.outOfOrder, 0, 'messages out of order')
  })
})
