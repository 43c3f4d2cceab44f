// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A benchmark helper process: `node reservers.js <relay multiaddr> <count> [mailboxes]` starts
 * `count` plain libp2p peers that each hold a circuit relay reservation on the relay (trying again,
 * up to `3 × count` more times in all, when one fails) and, with `mailboxes`, a mailbox there with
 * an introduction token and a live subscription, as Sotto's app does; prints `ready <held> <failed
 * attempts>` once they do, and stops them when its stdin closes.
 */

import { createMailboxClient, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'

import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import type { MailboxSubscription } from '@sotto/core/mailbox'

const [relay, countArg, mode] = process.argv.slice(2)
const count = Number(countArg)
const nodes: Libp2p[] = []
const subscriptions: MailboxSubscription[] = []

/** What the app keeps at each of its relays: a mailbox, its introduction token, a subscription. */
async function holdMailbox (node: Libp2p): Promise<void> {
  const client = createMailboxClient(node, relay!, { timeout: 120_000 })
  const key = await generateMailboxKey()
  await client.create(key)
  await client.registerToken(key, generateDepositToken(), 'introduction')
  subscriptions.push(await client.subscribe(key, () => {}))
}

let failed = 0
/** Attempts in all: a busy machine times some out, and those are tried again. */
const maxAttempts = 4 * count
let attempts = 0
let pending = 0
await Promise.all(Array.from({ length: 20 }, async () => {
  while (nodes.length + pending < count && attempts < maxAttempts) {
    attempts++
    pending++
    try {
      const node = await createLibp2p({
        addresses: { listen: [`${relay}/p2p-circuit`] },
        transports: [tcp(), circuitRelayTransport()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        services: { identify: identify() },
        connectionMonitor: { enabled: false }
      })
      try {
        if (mode === 'mailboxes') await holdMailbox(node)
      } catch (err) {
        await node.stop()
        throw err
      }
      nodes.push(node)
    } catch (err) {
      if (process.env.SOTTO_BENCH_DEBUG != null) process.stderr.write(`${(err as Error).name}: ${(err as Error).message}\n`)
      failed++
    } finally {
      pending--
    }
  }
}))
process.stdout.write(`ready ${nodes.length} ${failed}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void Promise.all(nodes.map(async n => n.stop())).then(() => process.exit(0))
})
