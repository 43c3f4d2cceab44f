// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Fuzzing live handlers: fast-check frames — generated field by field, mutated from valid ones,
 * or plain random bytes, with broken framing now and then — sent over real streams from another
 * host into every Sotto protocol handler of a running relay (`/sotto/mailbox/1.0.0`,
 * `/sotto/relay-info/1.0.0`) and of a running peer (`/sotto/message/1.0.0`). No process crashes,
 * none reports an unhandled rejection, both keep answering, and their memory stays bounded.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Agent, ProcSampler, Rig, figure, mib, pick, rssOf, scenarioSeed, sleep } from '../src/index.js'
import type { RelayDaemon, SottoPeer } from '../src/index.js'

const SCENARIO = 'fuzzing live handlers'
const FRAMES = {
  mailbox: pick(60_000, 600_000),
  message: pick(40_000, 400_000),
  'relay-info': pick(5_000, 20_000)
}
/** Most a target's resident memory may grow over the whole run. */
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024

interface FuzzResult { protocol: string, seed: number, runs: number, frames: number, bytes: number, answers: number, cutShort: number, refused: number, livenessChecks: number, failure?: string }

describe(SCENARIO, () => {
  let rig: Rig
  let relay: RelayDaemon
  let peer: SottoPeer
  const fuzzers: Agent[] = []

  before(async () => {
    rig = await Rig.create('fuzz')
    // The fuzzer sends unreadable frames on purpose: without the cool-down the relay gives such an
    // IP (relay-abuse tests it), it keeps reaching the handlers this scenario is about.
    relay = await rig.relay('relay', ['--abuse-cool-down', '0'])
    peer = await rig.peer('peer', { relays: [relay], logLevel: 'error' })
  })

  after(async () => {
    for (const f of fuzzers) await f.stop().catch(() => {})
    await rig.close()
  })

  it(`${FRAMES.mailbox + FRAMES.message + FRAMES['relay-info']} frames into the relay's and the peer's handlers: no crash, no unhandled rejection, memory bounded`, { timeout: pick(15, 90) * 60_000 }, async () => {
    const seed = scenarioSeed()
    console.log(`# seed ${seed}`)
    const fuzzHost = await rig.net.host('fuzzer')
    const targets = { mailbox: relay.addr, 'relay-info': relay.addr, message: `/ip4/${peer.options.host.ip}/tcp/4001/p2p/${peer.peerId}` }
    await sleep(2000)
    const startRss = { relay: await rssOf(relay.pid) ?? 0, peer: await rssOf(peer.pid) ?? 0 }
    const samplers = { relay: new ProcSampler(() => relay.pid, 1000).start(), peer: new ProcSampler(() => peer.pid, 1000).start() }
    const started = Date.now()
    const results = await Promise.all((Object.keys(FRAMES) as Array<keyof typeof FRAMES>).map(async (protocol, i) => {
      const agent = await Agent.start(fuzzHost, `fuzzer ${protocol}`)
      fuzzers.push(agent)
      return agent.run<FuzzResult>('fuzz', { target: targets[protocol], protocol, frames: FRAMES[protocol], seed: seed + i }, pick(15, 90) * 60_000)
    }))
    const seconds = (Date.now() - started) / 1000
    await sleep(5000)
    for (const s of Object.values(samplers)) s.stop()
    const endRss = { relay: await rssOf(relay.pid) ?? 0, peer: await rssOf(peer.pid) ?? 0 }

    const relayLog = relay.program?.lines() ?? []
    const relayFatal = relayLog.filter(l => l.msg === 'unhandled rejection' || l.msg === 'uncaught exception').length
    const peerStderr = peer.program?.stderr ?? ''
    const peerFatal = (peerStderr.match(/Unhandled|unhandled rejection|uncaught/gi) ?? []).length
    const crashes = (relay.pid > 0 ? 0 : 1) + (peer.running ? 0 : 1)
    const answered = results.filter(r => r.protocol !== 'relay-info').reduce((n, r) => n + r.answers, 0)
    const frames = results.reduce((n, r) => n + r.frames, 0)
    for (const r of results) {
      console.log(`# ${r.protocol}: ${JSON.stringify(r)}`)
      figure({ scenario: SCENARIO, name: `${r.protocol}: frames sent / answered`, value: r.frames, unit: `frames / ${r.answers} answered, on ${r.runs} streams (${r.cutShort} cut short by the target, ${r.livenessChecks} liveness checks)` })
    }
    figure({ scenario: SCENARIO, name: 'frames read, handled and answered by the message and mailbox handlers', value: answered, unit: `frames (${frames} sent in all, in ${Math.round(seconds)} s)`, goal: '≥ 100,000' })
    figure({ scenario: SCENARIO, name: 'crashes', value: crashes, unit: 'processes', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'unhandled rejections or uncaught exceptions', value: relayFatal + peerFatal, unit: 'reports', goal: '= 0' })
    figure({ scenario: SCENARIO, name: 'relay RSS start → peak → end', value: mib(endRss.relay), unit: `MiB (${mib(startRss.relay)} → ${mib(samplers.relay.peakRss)} → ${mib(endRss.relay)})`, goal: `growth ≤ ${mib(RSS_GROWTH_LIMIT)} MiB` })
    figure({ scenario: SCENARIO, name: 'peer RSS start → peak → end', value: mib(endRss.peer), unit: `MiB (${mib(startRss.peer)} → ${mib(samplers.peer.peakRss)} → ${mib(endRss.peer)})`, goal: `growth ≤ ${mib(RSS_GROWTH_LIMIT)} MiB` })
    assert.equal(crashes, 0, `a target crashed: ${relay.program?.stderr.slice(-2000) ?? ''} ${peerStderr.slice(-2000)}`)
    assert.equal(relayFatal + peerFatal, 0, 'unhandled rejections')
    for (const r of results) assert.equal(r.failure, undefined, `${r.protocol}: ${r.failure ?? ''}`)
    assert.ok(answered >= 100_000, `only ${answered} frames answered`)
    assert.ok(samplers.relay.peakRss - startRss.relay <= RSS_GROWTH_LIMIT, 'relay memory grew without bound')
    assert.ok(samplers.peer.peakRss - startRss.peer <= RSS_GROWTH_LIMIT, 'peer memory grew without bound')
    for (const f of fuzzers) assert.equal(f.unhandled(), 0, 'the fuzzer itself had unhandled rejections')
  })
})
