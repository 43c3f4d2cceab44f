// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Startup benchmark of headless mode: from process start to "online" (serving the UI, the
 * messenger open, listening, and a relay reservation made when relays are configured), printed
 * beside a bare `node -e ''` start measured in the same run.
 *
 *   npm run bench -w desktop [-- --runs 5 --relay /ip4/…/p2p/…]
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'
import { HEADLESS_SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../src/shared/headless.js'

const CLI = fileURLToPath(new URL('../src/main/cli.js', import.meta.url))
const PASSPHRASE = 'benchmark passphrase, not a secret'

interface Timing {
  /** Process start to the `ready` line (serving the UI). */
  ready: number
  /** Process start to the `online` line. */
  online: number
}

/** Starts headless mode; resolves with its URL, the timings, and a stop function. */
async function startHeadless (dataDir: string, relays: string[], until: 'ready' | 'online'): Promise<{ url: string, timing: Partial<Timing>, stop: () => Promise<void> }> {
  const args = [CLI, '--headless', '--port', '0', '--data', dataDir, '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', ...relays.flatMap(r => ['--relay', r])]
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    env: { ...process.env, SOTTO_PASSPHRASE: PASSPHRASE, SOTTO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  const timing: Partial<Timing> = {}
  let url = ''
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line) as { event: string, url?: string }
    if (event.event === 'ready') {
      timing.ready = performance.now() - started
      url = event.url ?? ''
    }
    if (event.event === 'online') timing.online = performance.now() - started
    if (timing[until] != null) break
  }
  if (url === '') throw new Error('headless mode exited before it was ready')
  return {
    url,
    timing,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    }
  }
}

/** Creates an identity in `dataDir` through the UI's own IPC, as onboarding would. */
async function setUp (url: string, relays: string[]): Promise<void> {
  const page = new URL(url)
  const token = page.hash.replace('#token=', '')
  const ws = new WebSocket(`ws://${page.host}/ipc`, [HEADLESS_SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX + token], { origin: `http://${page.host}` })
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  const online = new Promise<void>(resolve => {
    ws.on('message', data => {
      const frame = JSON.parse(data.toString()) as { id?: number, event?: string, payload?: { online?: boolean }, result?: { ok: boolean, error?: { message: string } } }
      if (frame.id === 1 && frame.result?.ok !== true) throw new Error(`set-up failed: ${frame.result?.error?.message}`)
      if (frame.event === 'app' && frame.payload?.online === true) resolve()
    })
  })
  ws.send(JSON.stringify({ id: 1, method: 'setup', payload: { name: 'Bench', relays } }))
  await online
  ws.close()
}

async function bareNode (): Promise<number> {
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).once('exit', code => {
      if (code === 0) resolve()
      else reject(new Error(`node -e '' exited ${code}`))
    })
  })
  return performance.now() - started
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function main (): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, relay: { type: 'string', multiple: true, default: [] } } })
  const runs = Number(values.runs)
  const relays = values.relay
  const dir = await mkdtemp(join(tmpdir(), 'sotto-bench-'))
  try {
    // First start: a new data directory, set up as onboarding does (storage key derivation included).
    const first = await startHeadless(dir, relays, 'ready')
    const setupStarted = performance.now()
    await setUp(first.url, relays)
    const setupMs = performance.now() - setupStarted
    await first.stop()

    const node: number[] = []
    const ready: number[] = []
    const online: number[] = []
    for (let i = 0; i < runs; i++) {
      node.push(await bareNode())
      const run = await startHeadless(dir, relays, 'online')
      ready.push(run.timing.ready!)
      online.push(run.timing.online!)
      await run.stop()
    }
    const row = (name: string, xs: number[]): string =>
      `${name.padEnd(40)} ${median(xs).toFixed(0).padStart(7)} ms   (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`
    process.stdout.write([
      `sotto-desktop --headless startup, median of ${runs} runs, Node ${process.versions.node}, ${relays.length} relay(s)`,
      row("bare node -e ''", node),
      row('process start → UI served (ready)', ready),
      row('process start → online', online),
      `${'first set-up (new identity) → online'.padEnd(40)} ${setupMs.toFixed(0).padStart(7)} ms`,
      ''
    ].join('\n'))
    process.stdout.write(JSON.stringify({
      bench: 'desktop-startup', runs, relays: relays.length,
      nodeMs: median(node), readyMs: median(ready), onlineMs: median(online), setupMs
    }) + '\n')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
