// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A read flood against the real daemon: a client owning a mailbox of 16 envelopes of 64 KiB
 * pipelines reads on 8 streams and never reads the answers (its streams are paused, so the
 * relay's send window runs out after 256 KiB each). Every answer is a 1 MiB page: unbounded, the
 * relay went 152 → 1,142 MiB in 4.5 s with 4 streams × 128 reads and kept it after the client
 * left. The relay's memory must stay within a generous bound, an honest client's deposits must
 * keep being acknowledged meanwhile, and the memory and the mailbox must be given back after.
 */

import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, describe, it } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import {
  MAILBOX_PROTOCOL, createMailboxClient, encodeRequest, encodeVarint, generateDepositToken,
  generateMailboxKey, mailboxIdOf, signOwnerOp
} from '@sotto/core/mailbox'
import { peerIdFromString } from '@libp2p/peer-id'
import { clientNode, discardRelays, startRelay } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { Libp2p, PrivateKey, Stream } from '@libp2p/interface'

const MiB = 1024 * 1024
const STREAMS = 8
const READS_PER_STREAM = 256
/** How long the flood is held open while the honest client deposits. */
const FLOOD_MS = 8000
/** The bound on the relay's growth, far above what the answers it may hold add up to. */
const MAX_GROWTH = 64 * MiB
/** Past this the attack is cut short: the test has failed, and the machine is shared. */
const GIVE_UP_GROWTH = 512 * MiB

/** The relay's resident memory, from /proc/<pid>/status. */
async function rss (pid: number): Promise<number> {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))
  assert.ok(m != null, 'no VmRSS in /proc/<pid>/status')
  return Number(m[1]) * 1024
}

function frame (body: Uint8Array): Uint8Array {
  const prefix = encodeVarint(body.byteLength)
  const out = new Uint8Array(prefix.byteLength + body.byteLength)
  out.set(prefix)
  out.set(body, prefix.byteLength)
  return out
}

/** READ requests with distinct timestamps (each signature is used once), framed back to back. */
async function readRequests (key: PrivateKey, relay: RelayProcess, count: number, firstId: number): Promise<Uint8Array[]> {
  const relayId = peerIdFromString(relay.peerId).toMultihash().bytes
  const mailboxId = mailboxIdOf(key)
  const now = Date.now()
  return Promise.all(Array.from({ length: count }, async (_, i) => {
    const signed = await signOwnerOp(key, { kind: 'read', after: 0, limit: 100, relay: relayId, mailboxId, freshness: { timestamp: now - firstId - i } })
    return frame(encodeRequest({ id: i + 1, type: 'owner', ...signed }))
  }))
}

interface FloodResult {
  baseline: number
  peak: number
  /** RSS once the attacker had left and the relay had settled. */
  settled: number
  honest: number
  streams: number
}

async function flood (relay: RelayProcess): Promise<FloodResult> {
  const pid = relay.proc.pid!
  const ownerNode = await clientNode()
  const honestNode = await clientNode()
  const attacker = await clientNode()
  const nodes: Libp2p[] = [ownerNode, honestNode, attacker]
  const owner = createMailboxClient(ownerNode, relay.tcp)
  const honest = createMailboxClient(honestNode, relay.tcp)
  try {
    const key = await generateMailboxKey()
    const id = await owner.create(key)
    const token = generateDepositToken()
    await owner.registerToken(key, token, 'contact')
    for (let i = 0; i < 16; i++) await owner.deposit(id, token, new Uint8Array(64 * 1024).fill(i))
    const victimKey = await generateMailboxKey()
    const victim = await owner.create(victimKey)
    const victimToken = generateDepositToken()
    await owner.registerToken(victimKey, victimToken, 'contact')
    const requests = await Promise.all(Array.from({ length: STREAMS }, async (_, s) => readRequests(key, relay, READS_PER_STREAM, s * READS_PER_STREAM)))

    const baseline = await rss(pid)
    let peak = baseline
    const streams: Stream[] = []
    for (let s = 0; s < STREAMS; s++) {
      try {
        const stream = await attacker.dialProtocol(multiaddr(relay.tcp), MAILBOX_PROTOCOL)
        // Never read: no window goes back to the relay once the first 256 KiB are in.
        stream.pause()
        for (const r of requests[s] ?? []) stream.send(r)
        streams.push(stream)
      } catch {
        // A relay may refuse streams beyond what a client needs; the others carry the flood.
      }
    }
    const deadline = Date.now() + FLOOD_MS
    let honestDeposits = 0
    while (Date.now() < deadline && peak - baseline <= GIVE_UP_GROWTH) {
      await honest.deposit(victim, victimToken, new Uint8Array(1024), 0, { signal: AbortSignal.timeout(10_000) })
      honestDeposits++
      peak = Math.max(peak, await rss(pid))
    }
    for (const s of streams) s.abort(new Error('done'))
    await attacker.stop()

    // The mailbox is the owner's again: a read is answered, not stuck behind the flood's.
    const page = await owner.read(key, { signal: AbortSignal.timeout(30_000) })
    assert.equal(page.envelopes.length, 16)
    // Given back: what the flood made the relay hold is freed once the attacker is gone. What the
    // honest deposits stored (thousands of envelopes: the store's buffers and cache) and the heap's
    // own slack stay; the flood's megabytes (over 900 MiB kept, unbounded) must not. Reads, which
    // store nothing, give the relay's heap a reason to collect meanwhile.
    let settled = await rss(pid)
    const settleBy = Date.now() + 30_000
    while (settled - baseline > MAX_GROWTH && Date.now() < settleBy) {
      await owner.read(key, { signal: AbortSignal.timeout(30_000) })
      settled = await rss(pid)
    }
    return { baseline, peak, settled, honest: honestDeposits, streams: streams.length }
  } finally {
    for (const c of [owner, honest]) await c.close()
    for (const n of nodes) await n.stop()
  }
}

describe('a read flood whose answers are never read', () => {
  const relays: RelayProcess[] = []

  after(async () => {
    await discardRelays(relays)
  })

  it('keeps the relay within a memory bound, serves honest deposits meanwhile, and gives it back', { timeout: 180_000 }, async () => {
    // The honest client deposits as fast as it can: neither its token's rate nor its mailbox's
    // envelope quota must be what stops it (a quiet relay acknowledges thousands a second).
    const relay = await startRelay({ args: ['--contact-burst', '1000000', '--max-envelopes-per-mailbox', '1000000'] })
    relays.push(relay)
    const r = await flood(relay)
    const mb = (n: number): string => (n / MiB).toFixed(1)
    console.log(`# RSS baseline ${mb(r.baseline)} MiB, peak ${mb(r.peak)} MiB (+${mb(r.peak - r.baseline)}), after ${mb(r.settled)} MiB; ${r.streams} streams; ${r.honest} honest deposits`)
    assert.ok(r.streams >= 4, `the flood got only ${r.streams} streams: the test would prove little`)
    assert.ok(r.peak - r.baseline <= MAX_GROWTH, `relay RSS grew by ${mb(r.peak - r.baseline)} MiB during the flood`)
    assert.ok(r.honest >= 10, `only ${r.honest} honest deposits were acknowledged during the flood`)
    assert.ok(r.settled - r.baseline <= MAX_GROWTH, `relay RSS stayed ${mb(r.settled - r.baseline)} MiB above its baseline after the flood`)
    assert.equal(relay.proc.exitCode, null, 'the relay is still running')
  })
})
