// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files, measured in one run (not part of the tests): a 100 MiB file sent directly between two
 * processes on `/sotto/file/1.0.0` against a raw libp2p stream carrying as many bytes on the same
 * path (same transport stack, same processes), then uploaded to and downloaded from a real relay
 * (durable: acknowledged after fsync), with the peak resident memory of each side.
 *
 *   npx tsc -b core relay-node && node core/dist/bench/files.bench.js [MiB]
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { noise } from '@libp2p/noise'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { FileOp, fetchFile, sealToStore, signFileOwnerOp, uploadFile } from '../src/files/index.js'
import { createMailboxClient, generateDepositToken, generateMailboxKey } from '../src/mailbox/index.js'
import { coalescingTcp } from '../src/net/tcp.js'
import { halfWindowYamux } from '../src/net/yamux.js'
import { FRAMED_STREAM_OPTIONS } from '../src/protocol/index.js'
import type { ChildProcess } from 'node:child_process'

const MiB = 1024 * 1024
const SIZE = Number(process.argv[2] ?? 100) * MiB
const PEER = fileURLToPath(new URL('./file-peer.js', import.meta.url))
const RELAY = fileURLToPath(new URL('../../../relay-node/dist/src/cli.js', import.meta.url))

async function firstLine (proc: ChildProcess, pred: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! })
    rl.on('line', (text) => {
      try {
        const line = JSON.parse(text) as Record<string, unknown>
        if (pred(line)) resolve(line)
      } catch {}
    })
    proc.on('exit', () => { reject(new Error('the child exited')) })
  })
}

/** Peak RSS of a process since the last call (VmHWM, then reset), in MiB. */
async function peakOf (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => {})
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

async function timed (what: string, pids: Record<string, number>, run: () => Promise<unknown>): Promise<void> {
  for (const pid of Object.values(pids)) await peakOf(pid)
  const started = performance.now()
  await run()
  const seconds = (performance.now() - started) / 1000
  const peaks = await Promise.all(Object.entries(pids).map(async ([name, pid]) => `${name} ${(await peakOf(pid)).toFixed(0)} MiB`))
  console.log(`${what.padEnd(34)} ${(SIZE / MiB / seconds).toFixed(1).padStart(6)} MB/s   peak RSS: ${peaks.join(', ')}`)
}

const dir = await mkdtemp(join(tmpdir(), 'sotto-files-bench-'))
const node = await createLibp2p({
  addresses: { listen: [] },
  transports: [coalescingTcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [halfWindowYamux({ streamOptions: FRAMED_STREAM_OPTIONS })]
})
const children: ChildProcess[] = []
try {
  const { secrets, store } = await sealToStore(join(dir, 'sent'), SIZE, async (_o, l) => new Uint8Array(l).fill(0x5a))
  const peer = spawn(process.execPath, [PEER, join(dir, 'sent')], { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(peer)
  const addr = multiaddr((await firstLine(peer, l => l.addr != null)).addr as string)
  console.log(`file of ${SIZE / MiB} MiB, ${store.count} chunks; MB/s are MiB of file per second`)
  const sides = { sender: peer.pid!, recipient: process.pid }
  for (let round = 0; round < 2; round++) {
    await timed(`raw libp2p stream (round ${round + 1})`, sides, async () => {
      const stream = await node.dialProtocol(addr, '/bench/raw/1.0.0')
      let received = 0
      stream.addEventListener('message', (evt) => { received += evt.data.byteLength })
      await new Promise(resolve => { stream.addEventListener('remoteCloseWrite', resolve, { once: true }) })
      if (received < store.sealedBytes) throw new Error(`the raw stream carried ${received} of ${store.sealedBytes} bytes`)
    })
    await timed(`direct /sotto/file/1.0.0 (round ${round + 1})`, sides, async () => fetchFile(node, addr, secrets, join(dir, `direct-${round}`)))
  }
  const data = join(dir, 'relay')
  const relay = spawn(process.execPath, ['--max-semi-space-size=16', '--heap-growing-percent=50', RELAY, '--data', data, '--jurisdiction', 'DE',
    '--listen', '/ip4/127.0.0.1/tcp/0', '--http', 'off', '--max-file-bytes', `${SIZE + MiB}`, '--max-file-bytes-per-mailbox', `${2 * SIZE}`], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(relay)
  const relayAddr = ((await firstLine(relay, l => l.msg === 'listening')).addrs as string[])[0]!
  const key = await generateMailboxKey()
  const client = createMailboxClient(node, relayAddr)
  const mailboxId = await client.create(key)
  const token = generateDepositToken()
  await client.registerToken(key, token, 'contact')
  const relayPeer = multiaddr(relayAddr)
  const relayId = relayPeer.getComponents().find(c => c.name === 'p2p')!.value!
  const { peerIdFromString } = await import('@libp2p/peer-id')
  const relaySides = { relay: relay.pid!, client: process.pid }
  await timed('upload to a relay (fsynced)', relaySides, async () => uploadFile(node, relayPeer, secrets.id, store, { mailboxId, token }))
  const owner = await signFileOwnerOp(key, { op: FileOp.FETCH, relay: peerIdFromString(relayId).toMultihash().bytes, mailboxId, fileId: secrets.id, timestamp: Date.now() })
  await timed('download from a relay', relaySides, async () => fetchFile(node, relayPeer, secrets, join(dir, 'from-relay'), { owner }))
  await store.close()
} finally {
  for (const c of children) c.kill('SIGKILL')
  await node.stop()
  await rm(dir, { recursive: true, force: true })
}
