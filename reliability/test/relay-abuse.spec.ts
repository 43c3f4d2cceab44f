// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Abuse at the relay: while an honest user on another host deposits into its mailbox at a steady
 * pace, one attacking host tries, in turn and then all at once, a connection flood, a stream
 * flood, oversize frames, garbage after a valid handshake, slow-loris streams, a deposit flood from
 * one token, and 100 Sybil peer ids. The honest user's deposit latency (p99) under each attack
 * stays within 5× of its value without attack just before, none of its deposits fails, and the
 * relay's memory stays bounded.
 *
 * The attacking host gets one of this machine's two cores (`taskset`), as a host of its own
 * would have its own; the relay and the honest user share the machine with everything else.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Agent, ProcSampler, Rig, figure, mib, percentile, pick, rssOf, sleep } from '../src/index.js'
import type { Host, RelayDaemon } from '../src/index.js'

const SCENARIO = 'abuse at the relay'
const BASELINE_MS = pick(8_000, 30_000)
const ATTACK_MS = pick(10_000, 60_000)
/** The honest user's pace: a deposit every this many ms. */
const HONEST_INTERVAL_MS = 40
/** The attacking host's processor. */
const ATTACKER_CPUS = '1'
/** Honest p99 under attack against without: at most this many times. */
const GOAL_RATIO = 5
/** The relay's resident memory may not pass this. */
const RSS_LIMIT = 768 * 1024 * 1024

const ATTACKS = ['connection-flood', 'stream-flood', 'oversize-frames', 'garbage', 'slow-loris', 'deposit-flood', 'sybils'] as const

interface Sample { at: number, ms: number, status: string }

describe(SCENARIO, () => {
  let rig: Rig
  let relay: RelayDaemon
  let honest: Agent
  let attacker: Agent
  let mailboxId: string
  let relayHost: Host
  let sampler: ProcSampler
  let baselineP99 = 0
  let startRss = 0
  const samples: Sample[] = []

  before(async () => {
    rig = await Rig.create('abuse')
    // A busy community relay: contacts may deposit 100 per second (the honest user does 25).
    relay = await rig.relay('relay', ['--contact-per-hour', '360000'])
    relayHost = rig.hostOf(relay)
    honest = await Agent.start(await rig.net.host('honest'), 'honest user')
    attacker = await Agent.start(await rig.net.host('attacker'), 'attacker', ATTACKER_CPUS)
    mailboxId = (await honest.run<{ mailboxId: string }>('honest-setup', { relay: relay.addr })).mailboxId
    sampler = new ProcSampler(() => relay.pid, 500).start()
    await honest.run('honest-start', { intervalMs: HONEST_INTERVAL_MS, bytes: 1024 })
  })

  after(async () => {
    sampler?.stop()
    await honest?.stop().catch(() => {})
    await attacker?.stop().catch(() => {})
    await rig.close()
  })

  /** Honest samples taken in [from, to]. */
  async function window (from: number, to: number): Promise<Sample[]> {
    samples.push(...await honest.run<Sample[]>('honest-take'))
    return samples.filter(s => s.at >= from && s.at <= to)
  }

  /** The honest p99 without attack, measured just now. */
  async function quietP99 (): Promise<number> {
    const from = Date.now()
    await sleep(BASELINE_MS)
    const ok = (await window(from, Date.now())).filter(s => s.status === 'OK').map(s => s.ms)
    return percentile(ok, 99)
  }

  function judge (name: string, got: Sample[], quiet: number): { p99: number, failed: number, ratio: number } {
    const ok = got.filter(s => s.status === 'OK').map(s => s.ms)
    const failed = got.length - ok.length
    const p99 = percentile(ok, 99)
    const ratio = p99 / quiet
    figure({ scenario: SCENARIO, name: `${name}: honest deposit p99`, value: p99, unit: `ms = ${ratio.toFixed(1)}× the ${quiet.toFixed(1)} ms just before (${got.length} deposits, ${failed} failed, relay RSS ${mib(sampler.samples.at(-1)?.rss ?? 0)} MiB)`, goal: `≤ ${GOAL_RATIO}×, 0 failed` })
    return { p99, failed, ratio }
  }

  it('baseline: the honest user alone', { timeout: 5 * 60_000 }, async () => {
    await sleep(2000)
    startRss = await rssOf(relay.pid) ?? 0
    const from = Date.now()
    await sleep(BASELINE_MS)
    const got = await window(from, Date.now())
    const ok = got.filter(s => s.status === 'OK').map(s => s.ms)
    baselineP99 = percentile(ok, 99)
    figure({ scenario: SCENARIO, name: 'baseline: honest deposit p50 / p99', value: baselineP99, unit: `ms (p50 ${percentile(ok, 50).toFixed(1)} ms, ${got.length} deposits)` })
    figure({ scenario: SCENARIO, name: 'relay RSS before the attacks', value: mib(startRss), unit: 'MiB' })
    assert.ok(got.length >= BASELINE_MS / HONEST_INTERVAL_MS * 0.5, `only ${got.length} honest deposits in the baseline`)
    assert.equal(got.length, ok.length, 'honest deposits failed without any attack')
  })

  const target = (): Record<string, unknown> => ({ relay: relay.addr, ip: relayHost.ip, port: 4001, honestMailboxId: mailboxId })

  for (const kind of ATTACKS) {
    it(`${kind}: the honest user keeps its latency`, { timeout: ATTACK_MS + 5 * 60_000 }, async () => {
      assert.ok(baselineP99 > 0, 'no baseline')
      const quiet = await quietP99()
      const from = Date.now()
      const counters = await attacker.run<Record<string, number>>('attack', { kind, durationMs: ATTACK_MS, ...target() }, ATTACK_MS + 180_000)
      const to = Date.now()
      console.log(`# ${kind}: ${JSON.stringify(counters)}`)
      const { p99, failed, ratio } = judge(kind, await window(from, to), quiet)
      assert.ok(relay.pid > 0, 'the relay died')
      assert.ok(ratio <= GOAL_RATIO, `honest p99 ${p99.toFixed(1)} ms under ${kind}, ${ratio.toFixed(1)}× the ${quiet.toFixed(1)} ms just before`)
      assert.equal(failed, 0, `${failed} honest deposits failed under ${kind}`)
    })
  }

  it('everything at once', { timeout: ATTACK_MS + 5 * 60_000 }, async () => {
    // Every attack from its own agent on the one attacking host (the deposit flood from the
    // agent that already has its mailbox).
    const host = attacker.host
    const agents = await Promise.all(ATTACKS.map(async k => k === 'deposit-flood' ? attacker : Agent.start(host, `attacker ${k}`, ATTACKER_CPUS)))
    const quiet = await quietP99()
    const from = Date.now()
    try {
      const results = await Promise.all(ATTACKS.map(async (kind, i) => (agents[i] as Agent).run('attack', { kind, durationMs: ATTACK_MS, ...target() }, ATTACK_MS + 180_000)))
      console.log(`# all at once: ${JSON.stringify(results)}`)
    } finally {
      await Promise.all(agents.filter(a => a !== attacker).map(async a => a.stop().catch(() => {})))
    }
    const to = Date.now()
    const { p99, failed, ratio } = judge('all attacks at once', await window(from, to), quiet)
    assert.ok(relay.pid > 0, 'the relay died')
    assert.ok(ratio <= GOAL_RATIO, `honest p99 ${p99.toFixed(1)} ms under all attacks, ${ratio.toFixed(1)}× the ${quiet.toFixed(1)} ms just before`)
    assert.equal(failed, 0)
  })

  it('the relay\'s memory stays bounded', { timeout: 5 * 60_000 }, async () => {
    await sleep(pick(10_000, 30_000))
    const endRss = await rssOf(relay.pid) ?? 0
    figure({ scenario: SCENARIO, name: 'relay RSS peak during the attacks', value: mib(sampler.peakRss), unit: `MiB (start ${mib(startRss)}, after ${mib(endRss)}; peak fds ${sampler.peakFds})`, goal: `≤ ${mib(RSS_LIMIT)} MiB` })
    assert.ok(relay.pid > 0, 'the relay died')
    assert.ok(sampler.peakRss <= RSS_LIMIT, `relay RSS peaked at ${mib(sampler.peakRss)} MiB`)
  })
})
