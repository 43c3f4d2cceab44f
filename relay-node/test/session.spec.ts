// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The mailbox service in this process, on loopback, with a short drain timeout: a stream that
 * pipelines reads and never reads the answers makes the relay prepare one page, not one per read,
 * and is aborted once its answers have waited the drain timeout; the owner then reads as before.
 */

import assert from 'node:assert/strict'
import { once } from 'node:events'
import { after, describe, it } from 'node:test'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import {
  FRAMED_STREAM_OPTIONS, MAILBOX_PROTOCOL, createMailboxClient, encodeRequest, encodeVarint,
  generateDepositToken, generateMailboxKey, mailboxIdOf, signOwnerOp
} from '@sotto/core/mailbox'
import { createLibp2p } from 'libp2p'
import { pino } from 'pino'
import { loadConfig } from '../src/config.js'
import { MailboxService, levelMailboxStore } from '../src/mailbox/index.js'
import { mailboxLimitsOf } from '../src/relay.js'
import { clientNode, removeDir, tempDir } from './helpers.js'
import type { MailboxMetrics, MailboxStore } from '../src/mailbox/index.js'
import type { Libp2p } from '@libp2p/interface'
import type { MailboxStatus } from '@sotto/core/mailbox'

const DRAIN_TIMEOUT_MS = 1000

describe('a mailbox stream that does not drain', () => {
  const cleanup: Array<() => Promise<void>> = []
  after(async () => { for (const c of cleanup.reverse()) await c() })

  it('gets one page prepared, is aborted after the drain timeout, and frees its mailbox', { timeout: 60_000 }, async () => {
    const dir = await tempDir('sotto-session-')
    const store: MailboxStore = levelMailboxStore({ location: dir })
    await store.open()
    cleanup.push(async () => { await store.close(); await removeDir(dir) })
    const loaded = loadConfig(['--data', dir, '--jurisdiction', 'DE'], {})
    assert.ok(loaded.kind === 'config')
    const reads: MailboxStatus[] = []
    const metrics: MailboxMetrics = {
      request: (op, status) => { if (op === 'read') reads.push(status) },
      depositSeconds: () => {},
      pushed: () => {}
    }
    const relay: Libp2p = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux({ streamOptions: FRAMED_STREAM_OPTIONS })]
    })
    cleanup.push(async () => { await relay.stop() })
    const service = new MailboxService({
      store,
      relayId: relay.peerId.toMultihash().bytes,
      limits: mailboxLimitsOf(loaded.config),
      log: pino({ level: 'silent' }),
      metrics,
      now: Date.now,
      drainTimeoutMs: DRAIN_TIMEOUT_MS
    })
    await relay.handle(MAILBOX_PROTOCOL, service.handle, { maxInboundStreams: 8 })
    const addr = relay.getMultiaddrs()[0]!

    const ownerNode = await clientNode()
    const attacker = await clientNode()
    cleanup.push(async () => { await ownerNode.stop(); await attacker.stop() })
    const owner = createMailboxClient(ownerNode, addr)
    cleanup.push(async () => { await owner.close() })
    const key = await generateMailboxKey()
    const id = await owner.create(key)
    const token = generateDepositToken()
    await owner.registerToken(key, token, 'contact')
    for (let i = 0; i < 16; i++) await owner.deposit(id, token, new Uint8Array(64 * 1024).fill(i))

    const stream = await attacker.dialProtocol(addr, MAILBOX_PROTOCOL)
    stream.pause()
    const closed = once(stream, 'close')
    const now = Date.now()
    for (let i = 0; i < 64; i++) {
      const signed = await signOwnerOp(key, { kind: 'read', after: 0, limit: 100, relay: relay.peerId.toMultihash().bytes, mailboxId: mailboxIdOf(key), freshness: { timestamp: now - i } })
      const body = encodeRequest({ id: i + 1, type: 'owner', ...signed })
      stream.send(encodeVarint(body.byteLength))
      stream.send(body)
    }
    const started = Date.now()
    await closed
    const waited = Date.now() - started
    assert.ok(waited >= DRAIN_TIMEOUT_MS / 2, `the stream was aborted after ${waited} ms, not for failing to drain`)
    assert.ok(reads.filter(s => s === 'OK').length <= 2, `the relay prepared ${reads.filter(s => s === 'OK').length} pages for a stream that read none`)
    const page = await owner.read(key, { signal: AbortSignal.timeout(10_000) })
    assert.equal(page.envelopes.length, 16, 'the owner reads the mailbox as before')
  })
})
