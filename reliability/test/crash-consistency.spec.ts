// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Crash consistency: messages flow both ways between Alice and Bob (directly, and through their
 * relay whenever the other side is down) while the relay, Alice or Bob is killed with SIGKILL at
 * random moments and started again. Afterwards nothing acknowledged is lost, nothing is shown
 * twice, nothing stays queued.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Flow, Rig, figure, pick, scenarioSeed, seededRandom, sleep, waitForProgress, waitUntil } from '../src/index.js'
import type { Progress, RelayDaemon, SottoPeer, Verdict } from '../src/index.js'

const SCENARIO = 'crash consistency'
const MESSAGES = pick(1000, 5000)
const CYCLES = pick(8, 20)
/** After the chaos: how long the missing messages may go without one more arriving. */
const STALL_MS = pick(120_000, 180_000)

/** JSON log lines counted by level, component, message and error. */
function logSummary (lines: ReadonlyArray<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const l of lines) {
    const k = `${String(l.level)} ${String(l.component ?? '')}: ${String(l.msg)}${l.error != null ? ` (${String(l.error)})` : ''}`
    out[k] = (out[k] ?? 0) + 1
  }
  return out
}

/** The JSON lines of a standard error tail (a peer logs there). */
function jsonLines (stderr: string): Array<Record<string, unknown>> {
  return stderr.split('\n').flatMap(text => {
    try {
      return text[0] === '{' ? [JSON.parse(text) as Record<string, unknown>] : []
    } catch {
      return []
    }
  })
}

describe(SCENARIO, () => {
  let rig: Rig
  let relay: RelayDaemon
  let alice: SottoPeer
  let bob: SottoPeer
  let ids: { aSeesB: string, bSeesA: string }

  before(async () => {
    rig = await Rig.create('crash')
    relay = await rig.relay('relay')
    alice = await rig.peer('alice', { relays: [relay] })
    bob = await rig.peer('bob', { relays: [relay] })
    ids = await rig.contacts(alice, bob, 1)
  })

  after(async () => { await rig.close() })

  it(`${MESSAGES} messages across ${CYCLES} kill -9 cycles: none lost, none shown twice, none stuck`, { timeout: pick(8, 30) * 60_000 }, async () => {
    const seed = scenarioSeed()
    // The kills draw from their own generator: the senders' draws interleave with them by timing.
    const random = seededRandom(seed)
    const paceRandom = seededRandom(seed ^ 0x5f3759df)
    console.log(`# seed ${seed}`)
    const ab = new Flow(alice, bob, ids.aSeesB, ids.bSeesA, 'ab')
    const ba = new Flow(bob, alice, ids.bSeesA, ids.aSeesB, 'ba')

    // Kill the three in turn, in a shuffled order, at random moments.
    type Victim = { name: string, running(): boolean, kill(): Promise<unknown>, start(): Promise<void> }
    const victims: Victim[] = [
      { name: 'relay', running: () => relay.pid > 0, kill: async () => relay.kill9(), start: async () => relay.start() },
      { name: 'alice', running: () => alice.running, kill: async () => alice.kill9(), start: async () => alice.start() },
      { name: 'bob', running: () => bob.running, kill: async () => bob.kill9(), start: async () => bob.start() }
    ]
    const kills: Record<string, number> = { relay: 0, alice: 0, bob: 0 }
    let chaosDone = false
    const chaos = (async () => {
      try {
        for (let cycle = 0; cycle < CYCLES; cycle++) {
          await sleep(300 + random() * 2200)
          const victim = victims[Math.floor(random() * victims.length)] as Victim
          await victim.kill()
          kills[victim.name] = (kills[victim.name] ?? 0) + 1
          await sleep(200 + random() * 2800)
          await victim.start()
        }
      } finally {
        chaosDone = true
      }
    })()

    // Each direction sends its half in small bursts, paced to last about as long as the chaos.
    const perFlow = MESSAGES / 2
    const pace = CYCLES * 5000 / (perFlow / 10)
    const sender = async (flow: Flow, peer: SottoPeer): Promise<void> => {
      while (flow.sent < perFlow) {
        if (!peer.running) {
          await sleep(100)
          continue
        }
        await flow.send(Math.min(10, perFlow - flow.sent), 10)
        await sleep(pace * (0.5 + paceRandom()))
      }
    }
    await Promise.all([sender(ab, alice), sender(ba, bob), chaos])
    assert.ok(chaosDone)
    for (const v of victims) if (!v.running()) await v.start()

    // Everything back up: every acknowledged message arrives, and leaves `queued`. Slow progress
    // (a loaded machine) is waited for; a stretch without any is a failure, explained first.
    const chaosEnded = Date.now()
    const explain = async (p: Progress): Promise<void> => {
      console.log(`# settle gave up after ${p.elapsedMs} ms, ${p.left} missing, longest stretch without progress ${p.longestStallMs} ms`)
      console.log(`# kills ${JSON.stringify(kills)}; starts relay ${relay.starts} alice ${alice.starts} bob ${bob.starts}`)
      for (const flow of [ab, ba]) console.log(`# missing ${JSON.stringify(await flow.diagnose().catch(err => ({ flow: flow.tag, error: (err as Error).message })))}`)
      const metrics = await rig.metrics(relay).catch(() => new Map<string, number>())
      const shown = [...metrics].filter(([k]) => /^sotto_relay_(mailboxes|tokens|envelopes|subscriptions|connections|reservations|mailbox_requests_total|pushes_total)/.test(k))
      console.log(`# relay metrics ${JSON.stringify(Object.fromEntries(shown))}`)
      for (const p of [alice, bob]) {
        const relays = await p.command({ cmd: 'relays' }).catch((err: Error) => err.message)
        console.log(`# relays at ${p.label} ${JSON.stringify(relays)}`)
        console.log(`# log ${p.label} ${JSON.stringify(logSummary(jsonLines(p.program?.stderr ?? '')))}`)
      }
      // The relay logs on standard output, which the rig keeps.
      console.log(`# log relay ${JSON.stringify(logSummary(relay.program?.lines() ?? []))}`)
    }
    const settled = await waitForProgress('every acknowledged message arrived', async () => {
      const [x, y] = await Promise.all([ab.missing(), ba.missing()])
      return x.length + y.length
    }, { stallMs: STALL_MS, capMs: pick(4, 20) * 60_000, onGiveUp: explain })
    figure({ scenario: SCENARIO, name: 'settle after the last restart', value: Math.round((Date.now() - chaosEnded) / 1000), unit: `s (longest without progress ${Math.round(settled.longestStallMs / 1000)} s)` })
    await waitUntil('nothing stays queued', async () => {
      const [x, y] = await Promise.all([ab.verdict(), ba.verdict()])
      return x.stuckQueued + y.stuckQueued === 0
    }, 120_000, 1000).catch(() => {})
    const verdicts: Verdict[] = [await ab.verdict(), await ba.verdict()]
    const sum = (f: (v: Verdict) => number): number => verdicts.reduce((n, v) => n + f(v), 0)
    const acknowledged = sum(v => v.acknowledged)
    figure({ scenario: SCENARIO, name: 'messages acknowledged', value: acknowledged, unit: 'messages' })
    figure({ scenario: SCENARIO, name: 'kill -9 cycles (relay/alice/bob)', value: CYCLES, unit: `cycles (${kills.relay}/${kills.alice}/${kills.bob})` })
    figure({ scenario: SCENARIO, name: 'acknowledged messages held by the relay on the way', value: ab.viaRelay + ba.viaRelay, unit: 'messages' })
    figure({ scenario: SCENARIO, name: 'sends cut off by a crash (not acknowledged)', value: ab.failedSends + ba.failedSends, unit: 'messages' })
    figure({ scenario: SCENARIO, name: 'acknowledged messages lost', value: sum(v => v.lost), unit: 'messages', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'duplicates shown', value: sum(v => v.duplicates), unit: 'messages', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'stuck in queued after recovery', value: sum(v => v.stuckQueued), unit: 'messages', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'shown out of per-sender order', value: sum(v => v.outOfOrder), unit: 'messages', goal: '= 0' })
    console.log(`# states a→b ${JSON.stringify(verdicts[0]?.states)} b→a ${JSON.stringify(verdicts[1]?.states)}`)
    assert.ok(acknowledged >= MESSAGES * 0.8, `only ${acknowledged} of ${MESSAGES} sends were acknowledged`)
    assert.equal(sum(v => v.lost), 0, 'acknowledged messages were lost')
    assert.equal(sum(v => v.duplicates), 0, 'messages were shown twice')
    assert.equal(sum(v => v.stuckQueued), 0, 'messages stayed queued')
    assert.equal(sum(v => v.outOfOrder), 0, 'messages out of order')
  })
})
