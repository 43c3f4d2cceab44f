// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `npm run bench -w core`: Sotto's message path against two baselines measured in the same run —
 * a raw libp2p stream (same sizes, no crypto, no storage) and what libsignal alone costs for
 * exactly the operations a message takes. Round trips and throughput are wall time; the CPU per
 * delivered message is process CPU on each side (the sender's own, the recipient process's from
 * /proc), beside libsignal's CPU to seal and to open the same message.
 *
 * The recipient is a real `sotto run` process, so sender and recipient work in parallel as they
 * would on two machines; the raw baseline's far end is a process of its own too, so both paths
 * cross processes alike. Round trips of the two paths are taken in turn, so that a busy moment of
 * a shared machine weighs on both.
 */
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { signalCost } from './signal-bound.js'
import { createMessenger } from '../src/index.js'
import { encodeContent } from '../src/protocol/index.js'
import type { Messenger, MessengerListener } from '../src/index.js'
import type { AddressInfo } from 'node:net'

const SIZES = [100, 4096]
const WARM_UP = 20
const RTT_SAMPLES = 300
const THROUGHPUT_MESSAGES = 2000
const RAW_THROUGHPUT_MESSAGES = 20_000
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url))
const RAW_PEER = fileURLToPath(new URL('./raw-peer.js', import.meta.url))
const RAW_PROTOCOL = '/bench/1.0.0'

interface Row { what: string, size: number, p50?: number, p99?: number, rate?: number }

/** Process CPU per delivered message on each side, and libsignal's for the same message, in µs. */
interface CpuRow { size: number, sender: number, recipient: number, seal: number, open: number }

/** Clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100

/** CPU (user + system) a process has used so far, in microseconds, from /proc/<pid>/stat. */
function processCpuUs (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may hold spaces: utime, stime are
  // the 14th and 15th fields of the line, the 12th and 13th after the name.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1_000_000 / CLOCK_TICKS
}

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

/** One way of carrying a message: a round trip, and sustained one-way throughput. */
interface Path {
  /** One message of the path's size and its receipt, in milliseconds. */
  roundTrip(): Promise<number>
  /** Messages per second, `count` sent at once until the last is receipted. */
  throughput(count: number): Promise<number>
}

/** Raw libp2p: one stream to a plain libp2p peer process, no crypto beyond Noise, no storage. */
async function rawPath (size: number): Promise<Path & { stop(): Promise<void> }> {
  const peer = spawn(process.execPath, [RAW_PEER, RAW_PROTOCOL], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: peer.stdout })[Symbol.asyncIterator]()
  const node = await createLibp2p({
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  const { addrs } = await nextLine(lines, e => Array.isArray(e.addrs)) as { addrs: string[] }
  const stream = await node.dialProtocol(addrs.map(s => multiaddr(s)), RAW_PROTOCOL)
  const lp = lpStream(stream, { maxDataLength: 1 << 20 })
  const payload = randomBytes(size)
  return {
    // A message of `size` bytes, then a one-byte request for a one-byte receipt.
    roundTrip: async () => {
      const start = performance.now()
      await lp.writeV([payload, new Uint8Array([0])])
      await lp.read()
      return performance.now() - start
    },
    throughput: async (count) => {
      const start = performance.now()
      for (let i = 0; i < count; i++) await lp.write(payload)
      await lp.write(new Uint8Array([0]))
      await lp.read()
      return count / ((performance.now() - start) / 1000)
    },
    stop: async () => {
      await stream.close()
      await node.stop()
      peer.stdin.end()
      await new Promise(resolve => peer.on('close', resolve))
    }
  }
}

/** A `sotto run` recipient process. */
async function startRecipient (dir: string): Promise<{ invite: string, lines: AsyncIterator<string>, cpuUs(): number, send(cmd: unknown): void, stop(): Promise<void> }> {
  const env = { ...process.env, SOTTO_PASSPHRASE: 'bench recipient', SOTTO_LOG_LEVEL: 'error' }
  const listen = `/ip4/127.0.0.1/tcp/${await freePort()}`
  const init = spawn(process.execPath, [CLI, '--data', dir, 'init', '--name', 'Recipient', '--listen', listen, '--no-mdns'], { env })
  let out = ''
  init.stdout.on('data', (d: Buffer) => { out += d.toString() })
  await new Promise(resolve => init.on('close', resolve))
  const invite = String((JSON.parse(out) as { invite: string }).invite)
  const child = spawn(process.execPath, [CLI, '--data', dir, 'run', '--no-mdns'], { env, stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return {
    invite,
    lines,
    cpuUs: () => processCpuUs(child.pid as number),
    send: (cmd) => { child.stdin.write(JSON.stringify(cmd) + '\n') },
    stop: async () => { child.stdin.end(); await new Promise(resolve => child.on('close', resolve)) }
  }
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

async function nextLine (lines: AsyncIterator<string>, match: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  while (true) {
    const { value, done } = await lines.next()
    if (done === true) throw new Error('recipient exited')
    const e = JSON.parse(value) as Record<string, unknown>
    if (match(e)) return e
  }
}

/** Sotto's path: send → delivered receipt, to a real recipient process. */
function sottoPath (alice: Messenger, contactId: string, size: number): Path {
  const text = 'x'.repeat(size)
  return {
    roundTrip: async () => {
      const start = performance.now()
      const m = await alice.send(contactId, text)
      await alice.waitForState(m.id, ['delivered'], 30_000)
      return performance.now() - start
    },
    throughput: async (count) => {
      let delivered = 0
      let onStatus: MessengerListener<'status'> = () => {}
      const done = new Promise<void>(resolve => {
        onStatus = s => { if (s.state === 'delivered' && ++delivered === count) resolve() }
        alice.on('status', onStatus)
      })
      const start = performance.now()
      const sends = []
      for (let i = 0; i < count; i++) sends.push(alice.send(contactId, text))
      await Promise.all(sends)
      await done
      alice.off('status', onStatus)
      return count / ((performance.now() - start) / 1000)
    }
  }
}

/**
 * Round trips of both paths, taken in turn (one raw, one Sotto, and so on), so that both see the
 * machine as it is at the same moments; then each path's throughput.
 */
async function measure (raw: Path, sotto: Path, recipientCpuUs: () => number): Promise<{ figures: Array<{ p50: number, p99: number, rate: number }>, sender: number, recipient: number }> {
  for (let i = 0; i < WARM_UP; i++) {
    await raw.roundTrip()
    await sotto.roundTrip()
  }
  const samples: number[][] = [[], []]
  for (let i = 0; i < RTT_SAMPLES; i++) {
    samples[0]?.push(await raw.roundTrip())
    samples[1]?.push(await sotto.roundTrip())
  }
  const rawRate = await raw.throughput(RAW_THROUGHPUT_MESSAGES)
  const senderCpu = process.cpuUsage()
  const recipientCpu = recipientCpuUs()
  const rates = [rawRate, await sotto.throughput(THROUGHPUT_MESSAGES)]
  const { user, system } = process.cpuUsage(senderCpu)
  const figures = samples.map((s, i) => {
    s.sort((x, y) => x - y)
    return { p50: percentile(s, 0.5), p99: percentile(s, 0.99), rate: rates[i] as number }
  })
  return { figures, sender: (user + system) / THROUGHPUT_MESSAGES, recipient: (recipientCpuUs() - recipientCpu) / THROUGHPUT_MESSAGES }
}

async function main (): Promise<void> {
  const rows: Row[] = []
  const cpu: CpuRow[] = []
  const aliceDir = await mkdtemp(join(tmpdir(), 'sotto-bench-a-'))
  const bobDir = await mkdtemp(join(tmpdir(), 'sotto-bench-b-'))
  const bob = await startRecipient(bobDir)
  const alice = await createMessenger({ dataDir: aliceDir, keySource: { kind: 'passphrase', passphrase: 'bench sender' }, name: 'Sender', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
  try {
    await nextLine(bob.lines, e => e.event === 'ready')
    const contact = await alice.addContact(bob.invite)
    const request = await nextLine(bob.lines, e => e.event === 'request')
    bob.send({ cmd: 'accept', contact: request.contact })
    // One answer from the recipient ends PreKey messages: what follows is the steady state.
    const answered = new Promise<void>(resolve => { alice.on('message', () => resolve()) })
    bob.send({ cmd: 'send', to: request.contact, text: 'ready' })
    await answered
    // Keep reading the recipient's event lines: a full stdout pipe would stall it.
    void (async () => { while (!(await bob.lines.next()).done);})()
    for (const size of SIZES) {
      const content = encodeContent({ id: randomBytes(16), sentAt: Date.now(), text: { text: 'x'.repeat(size), seq: 1 } })
      progress(`libsignal alone, ${size} B`)
      const signal = await signalCost(content, THROUGHPUT_MESSAGES)
      progress(`raw libp2p stream and sotto, ${size} B`)
      const raw = await rawPath(size)
      try {
        const { figures: [rawFigures, sottoFigures], sender, recipient } = await measure(raw, sottoPath(alice, contact.id, size), bob.cpuUs)
        rows.push({ what: 'raw libp2p stream', size, ...rawFigures })
        rows.push({ what: 'libsignal alone (min of seal, open)', size, rate: signal.rate })
        rows.push({ what: 'sotto send→delivered', size, ...sottoFigures })
        cpu.push({ size, sender, recipient, seal: signal.sealCpuUs, open: signal.openCpuUs })
      } finally {
        await raw.stop()
      }
    }
  } finally {
    await alice.stop()
    await bob.stop()
    await rm(aliceDir, { recursive: true, force: true })
    await rm(bobDir, { recursive: true, force: true })
  }
  print(rows, cpu)
}

/** Progress goes to stderr, the table to stdout. */
function progress (what: string): void {
  process.stderr.write(`bench: ${what}\n`)
}

function print (rows: Row[], cpu: CpuRow[]): void {
  const fmt = (n: number | undefined, digits: number): string => n == null ? '—' : n.toFixed(digits)
  console.log('| path | size | RTT p50 ms | RTT p99 ms | throughput msg/s |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const r of rows) console.log(`| ${r.what} | ${r.size} B | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.rate, 0)} |`)
  console.log('')
  console.log('| size | sender CPU µs/msg | libsignal seal µs | sender ÷ seal | recipient CPU µs/msg | libsignal open µs | recipient ÷ open |')
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (const c of cpu) {
    console.log(`| ${c.size} B | ${fmt(c.sender, 0)} | ${fmt(c.seal, 0)} | ${fmt(c.sender / c.seal, 1)}× | ${fmt(c.recipient, 0)} | ${fmt(c.open, 0)} | ${fmt(c.recipient / c.open, 1)}× |`)
  }
  console.log('')
  for (const size of SIZES) {
    const raw = rows.find(r => r.size === size && r.what.startsWith('raw'))
    const sotto = rows.find(r => r.size === size && r.what.startsWith('sotto'))
    const c = cpu.find(r => r.size === size)
    if (raw?.p50 == null || sotto?.p50 == null || c == null) continue
    console.log(`${size} B: RTT p50 ${(sotto.p50 / raw.p50).toFixed(1)}× raw (goal ≤ 8×); CPU per message ${(c.sender / c.seal).toFixed(1)}× libsignal's seal on the sender, ${(c.recipient / c.open).toFixed(1)}× its open on the recipient (goal ≤ 2× each)`)
  }
}

await main()
