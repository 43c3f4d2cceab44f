// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `npm run bench:hide-ip -w relay-node`: what hiding one's IP address costs in delivery time, on
 * loopback with two real relays (child processes). Bob's home relay is RB; Alice hides her address
 * (home relay RA, which forwards her deposits); Carol does not (home relay RA too). Four paths, each
 * a round trip from `send` to `delivered`, measured in turn so that a busy moment weighs on all:
 *
 * - Carol → Bob and Bob → Carol: the direct path (a libp2p stream between the two, a transport
 *   receipt), the baseline;
 * - Alice → Bob: the forward path (Alice → RA → RB, RB's push to Bob; Bob's end-to-end receipt back
 *   through RA's circuit to Alice);
 * - Bob → Alice: relayed live chat (a stream through RA's circuit from Bob's throwaway node).
 *
 * Not a test: it prints one table.
 */
import { createMessenger } from '@sotto/core'
import { removeDir, startRelay, tempDir } from '../test/helpers.js'
import { introduce, messengerOptions } from '../test/messengers.js'
import type { RelayProcess } from '../test/helpers.js'
import type { Messenger, MessengerOptions } from '@sotto/core'

const WARM_UP = 5
const SAMPLES = 60

interface Path {
  what: string
  from: Messenger
  to: string
  samples: number[]
}

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

/** One message from `path.from`, `send` to `delivered`, in milliseconds. */
async function roundTrip (path: Path, n: number): Promise<number> {
  const started = performance.now()
  const sent = await path.from.send(path.to, `${path.what} ${n}`)
  await path.from.waitForState(sent.id, ['delivered'], 60_000)
  return performance.now() - started
}

async function main (): Promise<void> {
  const relays: RelayProcess[] = []
  const dirs: string[] = []
  const messengers: Messenger[] = []
  const start = async (name: string, extra: Partial<MessengerOptions>): Promise<Messenger> => {
    const dir = await tempDir('sotto-bench-')
    dirs.push(dir)
    const m = await createMessenger(messengerOptions(dir, name, extra))
    messengers.push(m)
    return m
  }
  try {
    const ra = await startRelay({ args: ['--forward-private', 'on'] })
    relays.push(ra)
    const rb = await startRelay()
    relays.push(rb)
    const bob = await start('Bob', { relays: [rb.tcp] })
    const alice = await start('Alice', { relays: [ra.tcp], hideIp: true })
    const carol = await start('Carol', { relays: [ra.tcp] })
    const withAlice = await introduce(alice, bob)
    const withCarol = await introduce(carol, bob)
    const paths: Path[] = [
      { what: 'direct: Carol → Bob (baseline)', from: carol, to: withCarol.bobAtAlice, samples: [] },
      { what: 'direct: Bob → Carol (baseline)', from: bob, to: withCarol.aliceAtBob, samples: [] },
      { what: 'forward path: hidden Alice → RA → RB → Bob', from: alice, to: withAlice.bobAtAlice, samples: [] },
      { what: 'relayed live chat: Bob → RA circuit → hidden Alice', from: bob, to: withAlice.aliceAtBob, samples: [] }
    ]
    for (let i = 0; i < WARM_UP + SAMPLES; i++) {
      for (const path of paths) {
        const ms = await roundTrip(path, i)
        if (i >= WARM_UP) path.samples.push(ms)
      }
    }
    const base = paths[0]?.samples.toSorted((a, b) => a - b) ?? []
    const baseP50 = percentile(base, 0.5)
    process.stdout.write(`\n${SAMPLES} round trips per path (send → delivered), after ${WARM_UP} to warm up, taken in turn\n\n`)
    process.stdout.write('| path | RTT p50 ms | RTT p99 ms | p50 ÷ direct Carol → Bob |\n| --- | ---: | ---: | ---: |\n')
    for (const path of paths) {
      const sorted = path.samples.toSorted((a, b) => a - b)
      const p50 = percentile(sorted, 0.5)
      process.stdout.write(`| ${path.what} | ${p50.toFixed(2)} | ${percentile(sorted, 0.99).toFixed(2)} | ${(p50 / baseP50).toFixed(1)}× |\n`)
    }
  } finally {
    await Promise.allSettled(messengers.map(async m => m.stop()))
    for (const r of relays) await r.stop()
    for (const d of [...dirs, ...relays.map(r => r.dataDir)]) await removeDir(d)
  }
}

await main()
