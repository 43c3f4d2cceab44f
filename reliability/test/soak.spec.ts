// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Soak: a bounded run of mixed traffic — three people chatting in pairs with disappearing
 * messages on, two of them coming and going (stopped, or killed, for less than the relay's
 * retention), and a mailbox owner who never reads, so that the relay's envelopes expire — then a
 * wait for every timer to run out. The relay
 * and the one peer that stayed up end with the memory, file descriptors and database size they
 * had after warming up: nothing grows with time.
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Agent, Flow, ProcSampler, Rig, dirSize, fdsOf, figure, mib, pick, rssOf, scenarioSeed, seededRandom, sleep, waitUntil } from '../src/index.js'
import type { RelayDaemon, SottoPeer } from '../src/index.js'

const SCENARIO = 'soak'
const DURATION_MS = pick(120_000, 3_600_000)
const WARM_UP_MS = pick(30_000, 120_000)
/** Disappearing-messages timer of every conversation. */
const DISAPPEAR_S = 20
/** The relay keeps envelopes this long (its least retention). */
const RETENTION_S = 60
/** After the traffic: every timer runs out, purges and compactions run. */
const EXPIRY_WAIT_MS = (RETENTION_S + DISAPPEAR_S + 40) * 1000

/** How much the long-lived processes may grow between warm-up and the end. */
const RSS_GROWTH = 64 * 1024 * 1024
const FD_GROWTH = 16
const DB_GROWTH = 8 * 1024 * 1024

interface Snapshot { rss: number, fds: number, db: number }

describe(SCENARIO, () => {
  let rig: Rig
  let relay: RelayDaemon
  let alice: SottoPeer
  let bob: SottoPeer
  let carol: SottoPeer
  let stranger: Agent
  const flows: Flow[] = []

  before(async () => {
    rig = await Rig.create('soak')
    relay = await rig.relay('relay', ['--retention', `${RETENTION_S}s`, '--purge-interval', '5s', '--compact-interval', '20s'])
    alice = await rig.peer('alice', { relays: [relay] })
    bob = await rig.peer('bob', { relays: [relay] })
    carol = await rig.peer('carol', { relays: [relay] })
    for (const [x, y] of [[alice, bob], [alice, carol], [bob, carol]] as Array<[SottoPeer, SottoPeer]>) {
      const ids = await rig.contacts(x, y, 1)
      await x.command({ cmd: 'disappearing', contact: ids.aSeesB, seconds: DISAPPEAR_S })
      flows.push(new Flow(x, y, ids.aSeesB, ids.bSeesA, `${x.label[0] ?? 'x'}${y.label[0] ?? 'y'}`))
      flows.push(new Flow(y, x, ids.bSeesA, ids.aSeesB, `${y.label[0] ?? 'y'}${x.label[0] ?? 'x'}`))
    }
    stranger = await Agent.start(await rig.net.host('stranger'), 'stranger')
  })

  after(async () => {
    await stranger?.stop().catch(() => {})
    await rig.close()
  })

  it(`${DURATION_MS / 60_000} min of mixed traffic with peers coming and going: RSS, fds and database size flat`, { timeout: DURATION_MS + EXPIRY_WAIT_MS + 10 * 60_000 }, async () => {
    const seed = scenarioSeed()
    const random = seededRandom(seed)
    console.log(`# seed ${seed}`)
    await stranger.run('honest-setup', { relay: relay.addr })
    await stranger.run('honest-start', { intervalMs: 200, bytes: 1024, drainEvery: 0 })
    const samplers = { relay: new ProcSampler(() => relay.pid, 2000).start(), alice: new ProcSampler(() => alice.pid, 2000).start() }
    const snapshot = async (): Promise<Record<string, Snapshot>> => ({
      relay: { rss: await rssOf(relay.pid) ?? 0, fds: await fdsOf(relay.pid) ?? 0, db: await dirSize(join(relay.options.dataDir, 'mailboxes')) },
      alice: { rss: await rssOf(alice.pid) ?? 0, fds: await fdsOf(alice.pid) ?? 0, db: await dirSize(join(alice.options.dataDir, 'db')) },
      bob: { rss: await rssOf(bob.pid) ?? 0, fds: await fdsOf(bob.pid) ?? 0, db: await dirSize(join(bob.options.dataDir, 'db')) },
      carol: { rss: await rssOf(carol.pid) ?? 0, fds: await fdsOf(carol.pid) ?? 0, db: await dirSize(join(carol.options.dataDir, 'db')) }
    })

    const started = Date.now()
    const deadline = started + DURATION_MS
    let restarts = 0
    let kills = 0
    const traffic = (async () => {
      while (Date.now() < deadline) {
        const ready = flows.filter(f => f.from.running)
        const flow = ready[Math.floor(random() * ready.length)]
        if (flow != null) await flow.send(1, 1)
        await sleep(100 + random() * 200)
      }
    })()
    // Bob or Carol goes away (stopped, or killed) for 5–25 s, then comes back: never longer than
    // the relay's retention, which would let what waits for them expire (as it should).
    const churn = (async () => {
      while (Date.now() < deadline) {
        await sleep(5000 + random() * 10_000)
        if (Date.now() >= deadline) break
        const peer = random() < 0.5 ? bob : carol
        if (random() < 0.3) {
          await peer.kill9()
          kills++
        } else {
          await peer.stop()
        }
        await sleep(5000 + random() * 20_000)
        await peer.start()
        restarts++
      }
    })()
    await sleep(WARM_UP_MS)
    const start = await snapshot()
    await Promise.all([traffic, churn])
    for (const p of [bob, carol]) {
      if (!p.running) {
        await p.start()
        restarts++
      }
    }
    const sent = flows.reduce((n, f) => n + f.acknowledged.length, 0)
    const shownAll = (): boolean => flows.every(f => f.acknowledged.every(t => (f.shown.get(t) ?? 0) > 0))
    await waitUntil('every message shown', shownAll, 180_000, 500).catch(() => {})
    const lost = flows.reduce((n, f) => n + f.acknowledged.filter(t => (f.shown.get(t) ?? 0) === 0).length, 0)
    const duplicates = flows.reduce((n, f) => n + [...f.shown.values()].reduce((m, c) => m + Math.max(0, c - 1), 0), 0)
    for (const f of flows) {
      const unshown = f.unshownByState()
      if (Object.keys(unshown).length > 0) console.log(`# ${f.tag}: not shown, by the states the sender reported: ${JSON.stringify(unshown)}`)
    }
    if (lost > 0) {
      for (const p of [alice, bob, carol]) console.log(`# ${p.label} log tail:\n${(p.program?.stderr ?? '').slice(-4000)}`)
    }
    await stranger.run('honest-stop')
    // Every timer runs out: disappearing messages, envelope retention; then purge and compaction.
    await sleep(EXPIRY_WAIT_MS)
    const end = await snapshot()
    for (const s of Object.values(samplers)) s.stop()

    figure({ scenario: SCENARIO, name: 'run', value: Math.round((Date.now() - started) / 1000), unit: `s: ${sent} messages, ${restarts} restarts, ${kills} kill -9, expiry wait ${EXPIRY_WAIT_MS / 1000} s` })
    figure({ scenario: SCENARIO, name: 'lost / duplicates shown', value: lost + duplicates, unit: `(${lost} / ${duplicates})`, goal: '= 0' })
    for (const name of ['relay', 'alice', 'bob', 'carol']) {
      const a = start[name] as Snapshot
      const b = end[name] as Snapshot
      const restarted = name === 'bob' || name === 'carol' ? ' (restarted during the run)' : ''
      figure({ scenario: SCENARIO, name: `${name}: RSS after warm-up → end`, value: mib(b.rss), unit: `MiB (from ${mib(a.rss)})${restarted}`, ...(restarted === '' ? { goal: `growth ≤ ${mib(RSS_GROWTH)} MiB` } : {}) })
      figure({ scenario: SCENARIO, name: `${name}: open fds after warm-up → end`, value: b.fds, unit: `(from ${a.fds})${restarted}`, ...(restarted === '' ? { goal: `growth ≤ ${FD_GROWTH}` } : {}) })
      figure({ scenario: SCENARIO, name: `${name}: database after warm-up → after expiry`, value: mib(b.db), unit: `MiB (from ${mib(a.db)})`, goal: `growth ≤ ${mib(DB_GROWTH)} MiB` })
    }
    figure({ scenario: SCENARIO, name: 'relay / alice RSS peak', value: mib(samplers.relay.peakRss), unit: `MiB / ${mib(samplers.alice.peakRss)} MiB` })

    assert.ok(sent >= DURATION_MS / 1000, `only ${sent} messages`)
    assert.ok(relay.pid > 0 && alice.running, 'a long-lived process died')
    assert.equal(lost, 0, 'messages lost')
    assert.equal(duplicates, 0, 'messages shown twice')
    for (const name of ['relay', 'alice']) {
      const a = start[name] as Snapshot
      const b = end[name] as Snapshot
      assert.ok(b.rss - a.rss <= RSS_GROWTH, `${name} RSS grew from ${mib(a.rss)} to ${mib(b.rss)} MiB`)
      assert.ok(b.fds - a.fds <= FD_GROWTH, `${name} fds grew from ${a.fds} to ${b.fds}`)
    }
    for (const name of ['relay', 'alice', 'bob', 'carol']) {
      const a = start[name] as Snapshot
      const b = end[name] as Snapshot
      assert.ok(b.db - a.db <= DB_GROWTH, `${name} database grew from ${mib(a.db)} to ${mib(b.db)} MiB`)
    }
  })
})
