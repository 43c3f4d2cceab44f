// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The rig itself: leftovers are removed, hosts reach each other, a cut is a cut, a throttle
 * throttles, the edge proxy delays, drops and is the only way out of an edge host, and a NAT
 * host reaches out through its router while nothing reaches in.
 */

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Agent, NS_PREFIX, Network, TMP_ROOT, alive, removeLeftovers, rigNamespaces, sh } from '../src/index.js'
import type { EdgeHost, Host, NatHost } from '../src/index.js'

interface Trips { rtts: number[], error?: string }

/** A pid that no process has now. */
async function deadPid (): Promise<number> {
  const max = Number((await readFile('/proc/sys/kernel/pid_max', 'utf8')).trim())
  for (let pid = max - 1; pid > 1; pid--) if (!alive(pid)) return pid
  throw new Error('no free pid')
}

describe('the rig', () => {
  let net: Network
  let a: Host
  let b: Host
  let e: EdgeHost
  const agents: Agent[] = []

  before(async () => {
    net = await Network.create('rig')
    a = await net.host('a')
    b = await net.host('b', { aliases: 1 })
    e = await net.edgeHost('e', { expose: [7000], upstream: [{ host: b, ports: [7000] }] })
  })

  after(async () => {
    for (const agent of agents) await agent.stop().catch(() => {})
    await net.destroy()
    assert.equal(rigNamespaces().filter(ns => ns.pid === process.pid).length, 0, 'namespaces left behind')
  })

  it('removes what a dead run left behind: namespaces, the processes in them, temporary directories', async () => {
    const pid = await deadPid()
    const ns = `${NS_PREFIX}-${pid}-old-hub`
    await sh('ip', ['netns', 'add', ns])
    const sleeper = spawn('ip', ['netns', 'exec', ns, 'sleep', '300'], { stdio: 'ignore' })
    const sleeperExited = new Promise(resolve => sleeper.once('exit', resolve))
    const dir = join(TMP_ROOT, String(pid), 'peer-x')
    await mkdir(dir, { recursive: true })
    await new Promise(resolve => setTimeout(resolve, 200))
    assert.ok(alive(sleeper.pid as number))
    const removed = await removeLeftovers()
    assert.ok(removed.namespaces >= 1 && removed.dirs >= 1, JSON.stringify(removed))
    assert.ok(!rigNamespaces().some(n => n.name === ns))
    assert.ok(!existsSync(dir))
    await sleeperExited
    // Our own live network is not a leftover.
    assert.ok(rigNamespaces().some(n => n.pid === process.pid))
  })

  it('connects hosts on the LAN; a cut drops packets both ways until healed', async () => {
    const onA = await Agent.start(a)
    const onB = await Agent.start(b)
    agents.push(onA, onB)
    await onB.run('echo', { host: '0.0.0.0', port: 7000 })
    const before = await onA.run<Trips>('rtt', { host: b.ip, port: 7000, count: 5 })
    assert.equal(before.error, undefined)
    assert.ok(before.rtts.every(ms => ms < 500), JSON.stringify(before.rtts))
    await b.cutOff()
    const during = await onA.run<Trips>('rtt', { host: b.ip, port: 7000, count: 1, timeoutMs: 1500 })
    assert.match(String(during.error), /timeout/)
    await b.heal()
    const healed = await onA.run<Trips>('rtt', { host: b.ip, port: 7000, count: 3, timeoutMs: 5000 })
    assert.equal(healed.error, undefined)
  })

  it('throttles a host with tbf', async () => {
    const onA = agents[0] as Agent
    const bytes = 125_000
    const fast = await onA.run<Trips>('rtt', { host: b.ip, port: 7000, count: 1, bytes })
    await b.throttle({ rateKbit: 1000 })
    const slow = await onA.run<Trips>('rtt', { host: b.ip, port: 7000, count: 1, bytes, timeoutMs: 10_000 })
    await b.unthrottle()
    assert.equal(slow.error, undefined)
    // 1 Mbit each way: the echo takes at least the one second its bytes need at 1 Mbit/s.
    assert.ok((slow.rtts[0] as number) > 800, `throttled: ${String(slow.rtts[0])} ms`)
    assert.ok((fast.rtts[0] as number) < 800, `unthrottled: ${String(fast.rtts[0])} ms`)
  })

  it('puts the edge proxy on every path of an edge host: delay, drops, no other route', async () => {
    const onA = agents[0] as Agent
    const onE = await Agent.start(e)
    agents.push(onE)
    await onE.run('echo', { host: '0.0.0.0', port: 7000 })
    await e.impair({ delayMs: 100, dropRate: 0, dropMode: 'stall' })
    const inbound = await onA.run<Trips>('rtt', { host: e.ip, port: 7000, count: 3 })
    assert.equal(inbound.error, undefined)
    assert.ok(inbound.rtts.every(ms => ms >= 195 && ms < 2000), `inbound ${JSON.stringify(inbound.rtts)}`)
    const outbound = await onE.run<Trips>('rtt', { host: b.ip, port: 7000, count: 3 })
    assert.equal(outbound.error, undefined)
    assert.ok(outbound.rtts.every(ms => ms >= 195 && ms < 2000), `outbound ${JSON.stringify(outbound.rtts)}`)
    const around = await onE.run<Trips>('rtt', { host: a.ip, port: 7000, count: 1, timeoutMs: 2000 })
    assert.ok(around.error != null, 'an edge host reached the LAN around its proxy')
    // Stalls hold a chunk (and all behind it) for a retransmission timeout; nothing is lost.
    await e.impair({ delayMs: 0, dropRate: 1, dropMode: 'stall', stallMs: 400 })
    const stalled = await onA.run<Trips>('rtt', { host: e.ip, port: 7000, count: 2 })
    assert.equal(stalled.error, undefined)
    assert.ok(stalled.rtts.every(ms => ms >= 790), `stalled ${JSON.stringify(stalled.rtts)}`)
    // Discards lose the bytes.
    await e.impair({ delayMs: 0, dropRate: 1, dropMode: 'discard' })
    const lost = await onA.run<Trips>('rtt', { host: e.ip, port: 7000, count: 1, timeoutMs: 1500 })
    assert.match(String(lost.error), /timeout/)
    const stats = await e.impair({ delayMs: 0, dropRate: 0, dropMode: 'stall' })
    assert.ok(stats.discarded >= 1 && stats.stalled >= 4 && stats.connections >= 4, JSON.stringify(stats))
  })

})

describe('the rig: a NAT host', () => {
  let net: Network
  let a: Host
  let b: Host
  let n: NatHost
  const agents: Agent[] = []

  before(async () => {
    net = await Network.create('nat')
    a = await net.host('a')
    b = await net.host('b')
    n = await net.natHost('n')
  })

  after(async () => {
    for (const agent of agents) await agent.stop().catch(() => {})
    await net.destroy()
  })

  it('puts a NAT host behind a masquerading router: it reaches the LAN, nothing on the LAN reaches it', async () => {
    const onA = await Agent.start(a)
    const onB = await Agent.start(b)
    const onN = await Agent.start(n)
    agents.push(onA, onB, onN)
    await onB.run('echo', { host: '0.0.0.0', port: 7000 })
    await onN.run('echo', { host: '0.0.0.0', port: 7000 })
    // No LAN host routes to the private address; replies reach the host only through the masquerade.
    const outbound = await onN.run<Trips>('rtt', { host: b.ip, port: 7000, count: 3 })
    assert.equal(outbound.error, undefined)
    for (const ip of [n.ip, n.publicIp]) {
      const inbound = await onA.run<Trips>('rtt', { host: ip, port: 7000, count: 1, timeoutMs: 2000 })
      assert.ok(inbound.error != null, `a LAN host reached the NAT host at ${ip}`)
    }
  })
})
