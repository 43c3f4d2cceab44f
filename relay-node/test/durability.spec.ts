// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Durability and expiry against the real daemon: `kill -9` while deposits are in flight loses no
 * acknowledged deposit and duplicates none; ids are never reused; expired envelopes are purged
 * across a restart and while running.
 */

import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { createMailboxClient, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'
import { clientNode, removeDir, startRelay, tempDir } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { MailboxClient, MailboxEnvelope } from '@sotto/core/mailbox'

function envelopeFor (seq: number): Uint8Array {
  const e = new Uint8Array(256).fill(0xab)
  new DataView(e.buffer).setUint32(0, seq)
  return e
}

function seqOf (e: Uint8Array): number {
  return new DataView(e.buffer, e.byteOffset, e.byteLength).getUint32(0)
}

async function readAll (client: MailboxClient, key: PrivateKey): Promise<MailboxEnvelope[]> {
  const out: MailboxEnvelope[] = []
  let afterId = 0
  while (true) {
    const page = await client.read(key, { after: afterId, limit: 1000 })
    out.push(...page.envelopes)
    if (page.envelopes.length > 0) afterId = page.envelopes[page.envelopes.length - 1]!.id
    if (!page.more) return out
  }
}

/** Clients and nodes made during a test, closed at its end. */
class Clients {
  private readonly made: Array<{ node: Libp2p, client: MailboxClient }> = []

  async make (relay: RelayProcess): Promise<MailboxClient> {
    const node = await clientNode()
    const client = createMailboxClient(node, relay.tcp, { timeout: 10_000 })
    this.made.push({ node, client })
    return client
  }

  async closeAll (): Promise<void> {
    for (const { node, client } of this.made.splice(0)) {
      await client.close().catch(() => {})
      await node.stop()
    }
  }
}

describe('durability and expiry', () => {
  const dirs: string[] = []
  const relays: RelayProcess[] = []
  const clients = new Clients()

  after(async () => {
    await clients.closeAll()
    for (const r of relays) if (r.proc.exitCode == null && r.proc.signalCode == null) await r.kill9()
    for (const d of dirs) await removeDir(d)
  })

  async function relayOn (dataDir: string, args: string[] = []): Promise<RelayProcess> {
    const r = await startRelay({ dataDir, args: ['--contact-burst', '100000', '--contact-per-hour', '3600000', ...args] })
    relays.push(r)
    return r
  }

  it('keeps every acknowledged deposit across kill -9, exactly once, in order', async () => {
    const dataDir = await tempDir()
    dirs.push(dataDir)
    const key = await generateMailboxKey()
    const token = generateDepositToken()
    let relay = await relayOn(dataDir)
    const setup = await clients.make(relay)
    const mailboxId = await setup.create(key)
    await setup.registerToken(key, token, 'contact')

    const acked = new Set<number>()
    const attempted = new Set<number>()
    let seq = 0
    const rounds = 3
    for (let round = 0; round < rounds; round++) {
      const depositors = await Promise.all([0, 1, 2, 3].map(async () => clients.make(relay)))
      const target = acked.size + 300
      let reached!: () => void
      const enough = new Promise<void>((resolve) => { reached = resolve })
      let running = true
      const loops = depositors.flatMap(client => Array.from({ length: 16 }, async () => {
        while (running) {
          const s = ++seq
          attempted.add(s)
          try {
            await client.deposit(mailboxId, token, envelopeFor(s))
          } catch {
            return
          }
          acked.add(s)
          if (acked.size >= target) reached()
        }
      }))
      await enough
      // Deposits are still being sent and written while the relay dies.
      await relay.kill9()
      running = false
      await Promise.all(loops)
      assert.ok(attempted.size > acked.size, 'some deposits were in flight when the relay died')
      relay = await relayOn(dataDir)
    }

    const reader = await clients.make(relay)
    const stored = await readAll(reader, key)
    const seqs = stored.map(e => seqOf(e.envelope))
    assert.equal(new Set(seqs).size, seqs.length, 'no envelope is stored twice')
    for (const s of acked) assert.ok(seqs.includes(s), `acknowledged deposit ${s} survived`)
    for (const s of seqs) assert.ok(attempted.has(s), 'nothing stored that was not sent')
    for (let i = 1; i < stored.length; i++) assert.ok(stored[i]!.id > stored[i - 1]!.id, 'ids increase')

    const maxId = stored[stored.length - 1]!.id
    assert.equal(await reader.ack(key, stored.map(e => e.id)), stored.length)
    await relay.kill9()
    relay = await relayOn(dataDir)
    const after = await clients.make(relay)
    assert.deepEqual(await readAll(after, key), [], 'acknowledged envelopes stay deleted after kill -9')
    await after.deposit(mailboxId, token, envelopeFor(999_999))
    const [fresh] = await readAll(after, key)
    assert.ok(fresh != null && fresh.id > maxId, 'ids are never reused, even after every envelope was deleted')
  })

  it('purges expired envelopes on start, after a restart with a later clock', async () => {
    const dataDir = await tempDir()
    dirs.push(dataDir)
    let relay = await relayOn(dataDir)
    const client = await clients.make(relay)
    const key = await generateMailboxKey()
    const token = generateDepositToken()
    const mailboxId = await client.create(key)
    await client.registerToken(key, token, 'contact')
    for (let i = 0; i < 5; i++) await client.deposit(mailboxId, token, envelopeFor(i), 60)
    for (let i = 5; i < 7; i++) await client.deposit(mailboxId, token, envelopeFor(i))
    assert.equal((await readAll(client, key)).length, 7)
    await relay.kill9()

    relay = await relayOn(dataDir, ['--clock-offset', String(2 * 3600_000)])
    const purged = await relay.waitFor(l => l.msg === 'purged expired envelopes')
    assert.equal(purged.count, 5)
    assert.equal(purged.envelopes, 2)
    // The relay's clock is two hours ahead: the client falls back from timestamps to a challenge.
    const later = await clients.make(relay)
    const left = await readAll(later, key)
    assert.deepEqual(left.map(e => seqOf(e.envelope)), [5, 6])
  })

  it('purges expired envelopes while running', async () => {
    const dataDir = await tempDir()
    dirs.push(dataDir)
    const relay = await relayOn(dataDir, ['--purge-interval', '1s'])
    const client = await clients.make(relay)
    const key = await generateMailboxKey()
    const token = generateDepositToken()
    const mailboxId = await client.create(key)
    await client.registerToken(key, token, 'contact')
    await client.deposit(mailboxId, token, envelopeFor(1), 1)
    await client.deposit(mailboxId, token, envelopeFor(2))
    const purged = await relay.waitFor(l => l.msg === 'purged expired envelopes' && l.count === 1)
    assert.equal(purged.count, 1)
    assert.deepEqual((await readAll(client, key)).map(e => seqOf(e.envelope)), [2])
    const metrics = await (await fetch(`${relay.http}/metrics`)).text()
    assert.match(metrics, /sotto_relay_expired_envelopes_purged_total 1\b/)
    assert.match(metrics, /sotto_relay_envelopes 1\b/)
  })
})
