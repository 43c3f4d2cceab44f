// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `npm run bench -w relay-node`: sotto-relay's mailbox beside mosquitto (Debian's
 * /usr/sbin/mosquitto) doing the same work as offline QoS 1 persistent sessions, on 127.0.0.1:
 * acknowledged deposits per second (256 B and 4 KiB; 1 and 100 concurrent depositors, each
 * waiting for its acknowledgement before the next, and also with 16 in flight per depositor),
 * deposit latency, the drain rate to a returning owner, and memory with 0 and 1,000 peers holding
 * circuit relay reservations (for mosquitto: persistent sessions connected), and with 10,000 peers
 * holding reservations, mailboxes and subscriptions. Prints one table.
 * Also an honest contact's deposit p99 while strangers flood the relay, beside the same calm.
 * Not a test. With the argument `rss`, measures only the relay's memory; with `floors`, only a
 * synced put and a libp2p round trip; with `attack`, only the deposit p99 under attack.
 */

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createMailboxClient, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'
import { ClassicLevel } from 'classic-level'
import { createLibp2p } from 'libp2p'
import { clientNode, startRelay } from '../test/helpers.js'
import { MqttClient } from './mqtt.js'
import { depositP99UnderAttack } from './under-attack.js'
import type { RelayProcess } from '../test/helpers.js'
import type { AttackResult } from './under-attack.js'
import type { ChildProcess } from 'node:child_process'
import type { Libp2p, Stream } from '@libp2p/interface'
import type { MailboxClient } from '@sotto/core/mailbox'

const MOSQUITTO = '/usr/sbin/mosquitto'
/** Runs: envelope size, concurrent depositors, deposits in flight per depositor. */
const RUNS: Array<{ size: number, depositors: number, window: number }> = [
  { size: 256, depositors: 1, window: 1 },
  { size: 256, depositors: 100, window: 1 },
  { size: 4096, depositors: 1, window: 1 },
  { size: 4096, depositors: 100, window: 1 },
  { size: 256, depositors: 1, window: 16 },
  { size: 256, depositors: 100, window: 16 }
]
/** Deposits per run, at most; a run also stops issuing after RUN_SECONDS. */
const TOTAL = (depositors: number, window: number): number => depositors * window === 1 ? 3000 : 20_000
const RUN_SECONDS = 15
const RESERVATIONS = 1000
/** Peers of the large memory run: each holds a reservation, a mailbox and its subscription. */
const BIG_PEERS = 10_000

interface RunResult {
  rate: number
  p50: number
  p99: number
  done: number
  drainRate: number
  delivered: number
}

function percentile (xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN
}

function rssMiB (pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m == null ? NaN : Number(m[1]) / 1024
}

async function freePort (): Promise<number> {
  const s = createServer()
  s.listen(0, '127.0.0.1')
  await once(s, 'listening')
  const addr = s.address()
  s.close()
  return typeof addr === 'object' && addr != null ? addr.port : 0
}

/** A payload of `size` bytes carrying `seq` in its first four bytes. */
function payload (size: number, seq: number): Uint8Array {
  const p = new Uint8Array(size).fill(0x5a)
  new DataView(p.buffer).setUint32(0, seq)
  return p
}

function seqOf (p: Uint8Array): number {
  return new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(0)
}

/** Warm-up deposits carry sequence numbers from here, so they are not counted as delivered. */
const WARM_UP = 0xf0000000

/**
 * Runs `depositors` × `window` loops, each awaiting one deposit at a time, until `total` or the
 * deadline. Deposits are numbered from 1.
 */
async function drive (depositors: number, window: number, total: number, deposit: (who: number, seq: number) => Promise<void>): Promise<{ rate: number, p50: number, p99: number, done: number }> {
  const latencies: number[] = []
  let issued = 0
  const deadline = performance.now() + RUN_SECONDS * 1000
  const started = performance.now()
  await Promise.all(Array.from({ length: depositors * window }, async (_, slot) => {
    const who = slot % depositors
    while (issued < total && performance.now() < deadline) {
      const seq = ++issued
      const t = performance.now()
      await deposit(who, seq)
      latencies.push(performance.now() - t)
    }
  }))
  const seconds = (performance.now() - started) / 1000
  return { rate: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), done: latencies.length }
}

async function sottoRun (relay: RelayProcess, size: number, depositors: number, window: number): Promise<RunResult> {
  const nodes: Libp2p[] = []
  const clients: MailboxClient[] = []
  const ownerNode = await clientNode()
  const owner = createMailboxClient(ownerNode, relay.tcp)
  const key = await generateMailboxKey()
  const mailboxId = await owner.create(key)
  const tokens: Uint8Array[] = []
  for (let i = 0; i < depositors; i++) {
    const t = generateDepositToken()
    await owner.registerToken(key, t, 'contact')
    tokens.push(t)
  }
  for (let i = 0; i < depositors; i++) {
    // A relay takes 8 mailbox streams per connection (a real client uses one or two).
    if (i % 8 === 0) nodes.push(await clientNode())
    clients.push(createMailboxClient(nodes[nodes.length - 1]!, relay.tcp))
  }
  // Warm up: one deposit each opens its connection and stream.
  await Promise.all(clients.map(async (c, i) => c.deposit(mailboxId, tokens[i]!, payload(size, WARM_UP + i))))
  const run = await drive(depositors, window, TOTAL(depositors, window), async (who, seq) => clients[who]!.deposit(mailboxId, tokens[who]!, payload(size, seq)))
  for (const c of clients) await c.close()
  for (const n of nodes) await n.stop()

  // The owner comes back: read pages and acknowledge them until the mailbox is empty.
  const drainStart = performance.now()
  let drained = 0
  const seen = new Set<number>()
  while (true) {
    const page = await owner.read(key, { limit: 1000 })
    if (page.envelopes.length === 0) break
    drained += page.envelopes.length
    for (const e of page.envelopes) if (seqOf(e.envelope) < WARM_UP) seen.add(seqOf(e.envelope))
    await owner.ack(key, page.envelopes.map(e => e.id))
  }
  const drainRate = drained / ((performance.now() - drainStart) / 1000)
  await owner.delete(key)
  await owner.close()
  await ownerNode.stop()
  return { ...run, drainRate, delivered: seen.size }
}

interface Mosquitto {
  proc: ChildProcess
  port: number
  stop(): Promise<void>
}

async function startMosquitto (durable: boolean, dir: string, unlimitedQueue: boolean): Promise<Mosquitto> {
  const port = await freePort()
  const conf = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'log_type error',
    // As root, mosquitto would switch to its own user and then fail to write the persistence file.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    ...(unlimitedQueue ? ['max_queued_messages 0'] : []),
    ...(durable ? ['persistence true', `persistence_location ${dir}/`, 'autosave_on_changes true', 'autosave_interval 1'] : [])
  ].join('\n') + '\n'
  const file = join(dir, 'mosquitto.conf')
  await writeFile(file, conf)
  const proc = spawn(MOSQUITTO, ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  proc.stderr?.on('data', (d: Buffer) => { err += d.toString() })
  for (let i = 0; ; i++) {
    try {
      const probe = await MqttClient.connect(port, 'probe', true)
      await probe.disconnect()
      break
    } catch (e) {
      if (i > 200 || proc.exitCode != null) throw new Error(`mosquitto did not start: ${err}`, { cause: e })
      await new Promise(resolve => setTimeout(resolve, 25))
    }
  }
  return {
    proc,
    port,
    stop: async () => {
      proc.kill('SIGTERM')
      if (proc.exitCode == null) await once(proc, 'exit')
    }
  }
}

async function mqttDrain (port: number, expected: number): Promise<{ delivered: number, rate: number }> {
  let delivered = 0
  let last = performance.now()
  let first = 0
  const seen = new Set<number>()
  const owner = await MqttClient.connect(port, 'owner', false)
  const start = performance.now()
  owner.onMessage = (_topic, body) => {
    if (delivered === 0) first = performance.now()
    delivered++
    if (seqOf(body) < WARM_UP) seen.add(seqOf(body))
    last = performance.now()
  }
  // The broker sends the queue on its own; stop when all came, or nothing came for 2 s.
  while (delivered < expected && performance.now() - Math.max(last, start) < 2000) await new Promise(resolve => setTimeout(resolve, 20))
  await owner.disconnect()
  return { delivered: seen.size, rate: delivered / ((last - (first || start)) / 1000 || 1) }
}

async function mosquittoRun (durable: boolean, size: number, depositors: number, window: number, unlimitedQueue = true): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sotto-bench-mosquitto-'))
  const broker = await startMosquitto(durable, dir, unlimitedQueue)
  try {
    const owner = await MqttClient.connect(broker.port, 'owner', false)
    await owner.subscribe('mb/owner')
    await owner.disconnect()
    // Let the broker see the owner go, so that the session is offline before the first publish.
    await new Promise(resolve => setTimeout(resolve, 200))
    const clients = await Promise.all(Array.from({ length: depositors }, async (_, i) => MqttClient.connect(broker.port, `dep-${i}`, true)))
    await Promise.all(clients.map(async (c, i) => c.publish('mb/owner', payload(size, WARM_UP + i))))
    const run = await drive(depositors, window, unlimitedQueue ? TOTAL(depositors, window) : 1500, async (who, seq) => clients[who]!.publish('mb/owner', payload(size, seq)))
    for (const c of clients) await c.disconnect()
    const drained = await mqttDrain(broker.port, run.done + depositors)
    return { ...run, drainRate: drained.rate, delivered: drained.delivered }
  } finally {
    await broker.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The relay's RSS idle, then with `peers` peers holding reservations (and, with `mailboxes`, each a
 * mailbox with a subscription), started by helper processes of 1,250 peers each.
 */
async function sottoRss (peers = RESERVATIONS, mailboxes = false): Promise<{ idle: number, loaded: number, reservations: number, mailboxes: number }> {
  const room = String(Math.max(5000, 2 * peers))
  const relay = await startRelay({
    args: [
      '--max-reservations', room, '--max-reservations-per-ip', room, '--max-connections', room, '--max-connections-per-ip', room,
      '--inbound-connections-per-second', room, '--max-pending-connections', '5000', '--create-burst', room, '--create-burst48', room,
      // One token per mailbox, all from one address: the per-IP registration rate would refuse most.
      '--token-burst', room
    ]
  })
  try {
    const idle = rssMiB(relay.proc.pid!)
    const idleText = await (await fetch(`${relay.http}/metrics`)).text()
    process.stderr.write(`idle relay: heap used ${fmt(Number(/^sotto_relay_nodejs_heap_size_used_bytes (\d+)/m.exec(idleText)?.[1] ?? NaN) / 1024 ** 2)} MiB\n`)
    const script = fileURLToPath(new URL('./reservers.js', import.meta.url))
    const count = Math.max(4, Math.ceil(peers / 1250))
    const workers = Array.from({ length: count }, () => spawn(process.execPath, [script, relay.tcp, String(Math.ceil(peers / count)), ...(mailboxes ? ['mailboxes'] : [])], { stdio: ['pipe', 'pipe', 'inherit'] }))
    await Promise.all(workers.map(async w => {
      let out = ''
      w.stdout?.on('data', (d: Buffer) => { out += d.toString() })
      while (!out.includes('ready')) await once(w.stdout!, 'data')
      process.stderr.write(`reservations worker: ${out.trim()}\n`)
    }))
    const text = await (await fetch(`${relay.http}/metrics`)).text()
    const reservations = Number(/^sotto_relay_reservations (\d+)/m.exec(text)?.[1] ?? NaN)
    const held = Number(/^sotto_relay_mailboxes (\d+)/m.exec(text)?.[1] ?? NaN)
    const metric = (name: string): string => fmt(Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN) / 1024 ** 2)
    process.stderr.write(`relay with ${reservations} reservations: heap used ${metric('sotto_relay_nodejs_heap_size_used_bytes')} MiB of ${metric('sotto_relay_nodejs_heap_size_total_bytes')}, external ${metric('sotto_relay_nodejs_external_memory_bytes')} MiB\n`)
    const loaded = rssMiB(relay.proc.pid!)
    for (const w of workers) w.stdin?.end()
    await Promise.all(workers.map(async w => { if (w.exitCode == null) await once(w, 'exit') }))
    return { idle, loaded, reservations, mailboxes: held }
  } finally {
    await relay.stop()
    await rm(relay.dataDir, { recursive: true, force: true })
  }
}

async function mosquittoRss (): Promise<{ idle: number, loaded: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'sotto-bench-mosquitto-'))
  const broker = await startMosquitto(true, dir, true)
  try {
    const idle = rssMiB(broker.proc.pid!)
    const sessions: MqttClient[] = []
    for (let i = 0; i < RESERVATIONS; i++) {
      const c = await MqttClient.connect(broker.port, `session-${i}`, false)
      await c.subscribe(`mb/${i}`)
      sessions.push(c)
    }
    const loaded = rssMiB(broker.proc.pid!)
    for (const c of sessions) await c.disconnect()
    return { idle, loaded }
  } finally {
    await broker.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/** Round trips per second and their median, in ms. */
interface Floor { rate: number, p50: number }

/** Times `n` sequential runs of `step`. */
async function sequential (n: number, step: () => Promise<void>): Promise<Floor> {
  const latencies: number[] = []
  const started = performance.now()
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await step()
    latencies.push(performance.now() - t)
  }
  return { rate: n / ((performance.now() - started) / 1000), p50: percentile(latencies, 0.5) }
}

/**
 * The floor of one acknowledged durable deposit with one in flight: a synced 256 B LevelDB put on
 * the disk the relay's data directory is on (the relay's store makes one per deposit when
 * nothing else is waiting).
 */
async function syncedPutFloor (): Promise<Floor> {
  const dir = await mkdtemp(join(tmpdir(), 'sotto-bench-fsync-'))
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' })
  try {
    await db.open()
    let i = 0
    return await sequential(3000, async () => { await db.put(payload(8, i++), payload(256, i), { sync: true }) })
  } finally {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The other floor: one 256 B request and its echo over TCP, Noise and yamux on one open stream,
 * both nodes in this process, no disk and no mailbox logic.
 */
async function libp2pRoundTripFloor (): Promise<Floor> {
  const protocol = '/sotto-bench/echo/1.0.0'
  const server = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  const client = await clientNode()
  try {
    await server.handle(protocol, (stream: Stream) => {
      stream.addEventListener('message', (evt) => { stream.send(evt.data) })
    })
    const stream = await client.dialProtocol(multiaddr(server.getMultiaddrs()[0]!.toString()), protocol)
    let received = 0
    let wake: (() => void) | undefined
    stream.addEventListener('message', (evt) => {
      received += evt.data.byteLength
      wake?.()
    })
    const request = payload(256, 1)
    return await sequential(3000, async () => {
      const want = received + request.byteLength
      const echoed = new Promise<void>((resolve) => { wake = () => { if (received >= want) resolve() } })
      stream.send(request)
      await echoed
    })
  } finally {
    await client.stop()
    await server.stop()
  }
}

const fmt = (n: number, digits = 0): string => Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–'

/** The relay of the deposit runs: contacts' rates and mailbox quotas out of the way (the strangers' stay). */
const DEPOSIT_RUN_ARGS = [
  '--contact-burst', '1000000000', '--contact-per-hour', '1000000000', '--max-envelopes-per-mailbox', '10000000',
  '--max-bytes-per-mailbox', '16GiB', '--max-connections-per-ip', '1000', '--inbound-connections-per-second', '1000'
]

/** The row of an honest contact's deposit p99, calm and under attack, and their ratio. */
function attackLine (a: AttackResult): string {
  return `deposit latency p99 ms, 256 B, 1 contact: calm / while 4 strangers keep 128 deposits in flight (${fmt(a.refused)} of ${fmt(a.attackDeposits)} refused) | ${fmt(a.calmP99, 2)} / ${fmt(a.attackP99, 2)} (${fmt(a.attackP99 / a.calmP99, 1)}× calm)`
}

async function main (): Promise<void> {
  if (process.argv[2] === 'rss') {
    // Only the relay's memory, for profiling it: `rss [peers] [mailboxes]`.
    const r = await sottoRss(Number(process.argv[3] ?? RESERVATIONS), process.argv[4] === 'mailboxes')
    process.stdout.write(`RSS MiB: idle ${fmt(r.idle)}, ${r.reservations} reservations and ${r.mailboxes} mailboxes ${fmt(r.loaded)}\n`)
    return
  }
  if (process.argv[2] === 'attack') {
    const relay = await startRelay({ args: DEPOSIT_RUN_ARGS })
    try {
      process.stdout.write(attackLine(await depositP99UnderAttack(relay)) + '\n')
    } finally {
      await relay.stop()
      await rm(relay.dataDir, { recursive: true, force: true })
    }
    return
  }
  if (process.argv[2] === 'floors') {
    const f = await syncedPutFloor()
    const r = await libp2pRoundTripFloor()
    process.stdout.write(`synced put ${fmt(f.rate)}/s (p50 ${fmt(f.p50, 3)} ms), libp2p round trip ${fmt(r.rate)}/s (p50 ${fmt(r.p50, 3)} ms)\n`)
    return
  }
  const relay = await startRelay({ args: DEPOSIT_RUN_ARGS })
  const rows: Array<{ label: string, sotto: RunResult, mDefault: RunResult, mDurable: RunResult }> = []
  let attack: AttackResult
  try {
    for (const { size, depositors, window } of RUNS) {
      const label = `${size === 256 ? '256 B' : '4 KiB'}, ${depositors} depositor${depositors > 1 ? 's' : ''}${window > 1 ? `, ${window} in flight each` : ''}`
      process.stderr.write(`running ${label}…\n`)
      const sotto = await sottoRun(relay, size, depositors, window)
      const mDefault = await mosquittoRun(false, size, depositors, window)
      const mDurable = await mosquittoRun(true, size, depositors, window)
      rows.push({ label, sotto, mDefault, mDurable })
    }
    process.stderr.write('measuring an honest deposit\'s p99, calm and under attack…\n')
    attack = await depositP99UnderAttack(relay)
  } finally {
    await relay.stop()
    await rm(relay.dataDir, { recursive: true, force: true })
  }
  process.stderr.write('measuring the floors: a synced put, a libp2p round trip…\n')
  const fsyncFloor = await syncedPutFloor()
  const rttFloor = await libp2pRoundTripFloor()
  process.stderr.write('measuring the stock mosquitto queue…\n')
  const stock = await mosquittoRun(false, 256, 1, 1, false)
  process.stderr.write('measuring memory with 1,000 reservations / sessions…\n')
  const sRss = await sottoRss()
  const bigRss = await sottoRss(BIG_PEERS, true)
  const mRss = await mosquittoRss()

  const out: string[] = []
  out.push('| measure | sotto-relay (synced group commit) | mosquitto defaults | mosquitto autosave_on_changes |')
  out.push('| --- | ---: | ---: | ---: |')
  for (const r of rows) out.push(`| acknowledged deposits/s, ${r.label} | ${fmt(r.sotto.rate)} | ${fmt(r.mDefault.rate)} | ${fmt(r.mDurable.rate)} |`)
  for (const r of rows) out.push(`| deposit latency p50 / p99 ms, ${r.label} | ${fmt(r.sotto.p50, 2)} / ${fmt(r.sotto.p99, 2)} | ${fmt(r.mDefault.p50, 2)} / ${fmt(r.mDefault.p99, 2)} | ${fmt(r.mDurable.p50, 2)} / ${fmt(r.mDurable.p99, 2)} |`)
  for (const r of rows) out.push(`| drain to returning owner, msg/s, ${r.label} | ${fmt(r.sotto.drainRate)} | ${fmt(r.mDefault.drainRate)} | ${fmt(r.mDurable.drainRate)} |`)
  for (const r of rows) out.push(`| delivered / acknowledged, ${r.label} | ${r.sotto.delivered} / ${r.sotto.done} | ${r.mDefault.delivered} / ${r.mDefault.done} | ${r.mDurable.delivered} / ${r.mDurable.done} |`)
  out.push(`| RSS MiB, idle | ${fmt(sRss.idle)} | – | ${fmt(mRss.idle)} |`)
  out.push(`| RSS MiB, ${RESERVATIONS} peers with reservations (mosquitto: persistent sessions) | ${fmt(sRss.loaded)} (${sRss.reservations} reservations) | – | ${fmt(mRss.loaded)} |`)
  out.push(`| RSS MiB, ${fmt(BIG_PEERS)} peers with reservations, mailboxes and subscriptions | ${fmt(bigRss.loaded)} (${bigRss.reservations} reservations, ${bigRss.mailboxes} mailboxes) | – | – |`)
  out.push(`| ${attackLine(attack)} | – | – |`)
  out.push('')
  out.push(`Floors for one depositor with one deposit in flight, measured in this run: a synced 256 B LevelDB put in ${tmpdir()}: ${fmt(fsyncFloor.rate)}/s (p50 ${fmt(fsyncFloor.p50, 3)} ms); a 256 B request and its echo over TCP, Noise and yamux on one open stream, no disk: ${fmt(rttFloor.rate)}/s (p50 ${fmt(rttFloor.p50, 3)} ms). An acknowledged durable deposit needs both, one after the other: at most about ${fmt(1000 / (fsyncFloor.p50 + rttFloor.p50))}/s.`)
  out.push('')
  out.push(`mosquitto 2.0 with its stock max_queued_messages (1000): ${stock.delivered} of ${stock.done} acknowledged QoS 1 messages reached the returning owner; the rest were dropped without an error. The runs above set max_queued_messages 0 (no limit) in both configurations; "autosave_on_changes" also sets persistence true and autosave_interval 1 (save after every change).`)
  out.push(`Runs: up to ${TOTAL(1, 1)} deposits (1 depositor, 1 in flight) or ${TOTAL(100, 1)} (otherwise), or ${RUN_SECONDS} s, after one warm-up deposit per depositor; each depositor waits for its acknowledgement before the next, unless "in flight" says otherwise. "Delivered" counts distinct deposits of the run that reached the returning owner. sotto-relay's 100 depositors share 13 libp2p connections (8 streams each, the most a relay takes); mosquitto's have a TCP connection each. Clients, relay and broker share this machine's cores.`)
  const targets: string[] = []
  for (const r of rows) {
    const vsDurable = r.sotto.rate / r.mDurable.rate
    const vsDefault = r.sotto.rate / r.mDefault.rate
    targets.push(`${r.label}: ${fmt(vsDurable, 1)}× mosquitto durable (target ≥ 5×) ${vsDurable >= 5 ? 'met' : 'MISSED'}, ${fmt(vsDefault, 2)}× mosquitto defaults (target ≥ 0.5×) ${vsDefault >= 0.5 ? 'met' : 'MISSED'}`)
  }
  targets.push(`1,000 reservations: ${fmt(sRss.loaded)} MiB RSS (target ≤ 300 MB) ${sRss.loaded * 1.048576 <= 300 ? 'met' : 'MISSED'}`)
  targets.push(`${fmt(BIG_PEERS)} peers with reservations and mailboxes: ${fmt(bigRss.loaded)} MiB RSS (target ≤ 1 GiB) ${bigRss.loaded <= 1024 ? 'met' : 'MISSED'}`)
  out.push('', 'Targets:', ...targets.map(t => `- ${t}`))
  process.stdout.write(out.join('\n') + '\n')
}

await main()
