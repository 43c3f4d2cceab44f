// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test helpers: the relay as a real child process, and plain libp2p client nodes on loopback.
 */

import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { FRAMED_STREAM_OPTIONS } from '@sotto/core/mailbox'
import { createLibp2p } from 'libp2p'
import type { ChildProcess } from 'node:child_process'
import type { Libp2p } from '@libp2p/interface'

/** The relay's entry point, built. */
export const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url))

/**
 * Node's flags for the daemon, as in its documented start command (docs/relay.md,
 * deploy/sotto-relay.service, deploy/Dockerfile, the CLI's shebang): they bound the heap's
 * growth after a burst of connections.
 */
export const RELAY_NODE_FLAGS = ['--max-semi-space-size=16', '--heap-growing-percent=50']

/** One parsed JSON log line of the relay. */
export type LogLine = Record<string, unknown> & { msg?: string }

/** A relay child process. */
export interface RelayProcess {
  proc: ChildProcess
  dataDir: string
  peerId: string
  /** All listen addresses, ending in /p2p/<peerId>. */
  addrs: string[]
  /** The TCP address. */
  tcp: string
  /** The HTTP port's base URL. */
  http: string
  /** Every log line so far. */
  lines: LogLine[]
  /** Raw stdout and stderr so far. */
  output(): string
  /** Resolves with the first line (past or future) matching `pred`. */
  waitFor(pred: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** SIGTERM and wait for exit. */
  stop(): Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** SIGKILL and wait for exit. */
  kill9(): Promise<void>
}

/** Options of {@link startRelay}. */
export interface StartRelayOptions {
  dataDir?: string
  args?: string[]
  env?: Record<string, string>
  /** Listen on WebRTC-Direct too. */
  webrtc?: boolean
}

/**
 * The introduction rates out of the way (per token, per depositing peer, per address), the
 * introduction quota as by default: for tests of what the quota holds.
 */
export const WITHOUT_INTRODUCTION_RATES: StartRelayOptions = {
  args: ['--introduction-burst', '100000', '--introduction-per-hour', '100000'],
  env: { SOTTO_RELAY_INTRODUCTION_PEER_BURST: '100000', SOTTO_RELAY_INTRODUCTION_IP_BURST: '100000' }
}

/** A fresh temporary directory. */
export async function tempDir (prefix = 'sotto-relay-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** Starts `sotto-relay` and waits for its "listening" line. */
export async function startRelay (options: StartRelayOptions = {}): Promise<RelayProcess> {
  const dataDir = options.dataDir ?? await tempDir()
  const args = [
    ...RELAY_NODE_FLAGS, CLI, '--data', dataDir, '--jurisdiction', 'DE', '--operator', 'Test Operator', '--contact', 'mailto:ops@example.org',
    '--listen', '/ip4/127.0.0.1/tcp/0', '--listen', '/ip4/127.0.0.1/tcp/0/ws',
    ...(options.webrtc === true ? ['--listen', '/ip4/127.0.0.1/udp/0/webrtc-direct'] : []),
    '--http', '127.0.0.1:0', ...(options.args ?? [])
  ]
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const lines: LogLine[] = []
  let raw = ''
  const waiters: Array<{ pred: (l: LogLine) => boolean, resolve: (l: LogLine) => void }> = []
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => { resolve({ code, signal }) })
  })
  proc.stderr?.on('data', (d: Buffer) => { raw += d.toString() })
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    raw += text + '\n'
    let line: LogLine
    try {
      line = JSON.parse(text) as LogLine
    } catch {
      return
    }
    lines.push(line)
    for (const w of [...waiters]) {
      if (w.pred(line)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(line)
      }
    }
  })
  const waitFor = async (pred: (l: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> => {
    const seen = lines.find(pred)
    if (seen != null) return seen
    return new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`relay log line not seen within ${timeoutMs} ms; output:\n${raw}`)) }, timeoutMs)
      const waiter = { pred, resolve: (l: LogLine) => { clearTimeout(timer); resolve(l) } }
      waiters.push(waiter)
      void exited.then(() => {
        if (!waiters.includes(waiter)) return
        clearTimeout(timer)
        reject(new Error(`relay exited before the line was seen; output:\n${raw}`))
      })
    })
  }
  const listening = await waitFor(l => l.msg === 'listening')
  const http = await waitFor(l => l.msg === 'http listening')
  const addrs = listening.addrs as string[]
  return {
    proc,
    dataDir,
    peerId: listening.peerId as string,
    addrs,
    tcp: addrs.find(a => a.includes('/tcp/') && !a.includes('/ws'))!,
    http: http.url as string,
    lines,
    output: () => raw,
    waitFor,
    exited,
    stop: async () => {
      proc.kill('SIGTERM')
      return exited
    },
    kill9: async () => {
      proc.kill('SIGKILL')
      await exited
    }
  }
}

/** A plain libp2p node (TCP, Noise, yamux with the messenger's stream options) on loopback, for clients. */
export async function clientNode (): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: FRAMED_STREAM_OPTIONS })]
  })
}

/** Every file under `dir`, with its bytes. */
export async function readTree (dir: string): Promise<Array<{ path: string, bytes: Buffer }>> {
  const out: Array<{ path: string, bytes: Buffer }> = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    // A file deleted since the listing (a relay or messenger at work) is not there.
    const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => { if (err.code === 'ENOENT') return undefined; throw err })
    if (bytes != null) out.push({ path, bytes })
  }
  return out
}

/** Kills every relay still running and removes its data directory. */
export async function discardRelays (relays: RelayProcess[]): Promise<void> {
  for (const r of relays) {
    if (r.proc.exitCode == null) await r.kill9()
    await removeDir(r.dataDir)
  }
}

/** Removes a directory tree. */
export async function removeDir (dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** A value of the relay's Prometheus metrics: the first group of `pattern`, or 0 when absent. */
export async function metric (relay: RelayProcess, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${relay.http}/metrics`)).text()
  const m = pattern.exec(text)
  return m == null ? 0 : Number(m[1])
}

/** Polls `condition` until it holds (every `everyMs`), failing after `timeoutMs`. */
export async function until (condition: () => Promise<boolean>, what: string, timeoutMs = 30_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise<void>(resolve => { setTimeout(resolve, everyMs) })
  }
}
