// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `/sotto/message/1.0.0` under bad input from a real peer: garbage, oversize frames, replayed,
 * tampered and misaddressed envelopes, and a sender that leaves mid-stream. The recipient refuses
 * each, logs without content, and keeps serving.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { MAX_MESSAGE_FRAME_BYTES, MESSAGE_PROTOCOL, frames, messageFrameCodec } from '../../src/protocol/index.js'
import { openStore } from '../../src/storage/index.js'
import { decodeRecord, keys } from '../../src/messenger/records.js'
import { collectEvents, introduce, nextEvent, startMessenger, tempDir, testOptions } from '../messenger/helpers.js'
import type { LoggerFactory } from '../../src/logger.js'
import type { Messenger } from '../../src/messenger/index.js'
import type { OutboxRecord } from '../../src/messenger/records.js'
import type { Libp2p } from '@libp2p/interface'

/** Collects every log line a messenger writes. */
function recordingLoggers (): { loggers: LoggerFactory, lines: string[] } {
  const lines: string[] = []
  const at = (component: string, level: string) => (msg: string, fields?: Record<string, unknown>): void => {
    lines.push(JSON.stringify({ component, level, msg, ...fields }))
  }
  return {
    lines,
    loggers: {
      forComponent: c => ({ debug: at(c, 'debug'), info: at(c, 'info'), warn: at(c, 'warn'), error: at(c, 'error') })
    }
  }
}

describe('message protocol: bad input from a peer', () => {
  const dirs: Array<{ cleanup(): Promise<void> }> = []
  const logs = recordingLoggers()
  let alice: Messenger
  let bob: Messenger
  let carol: Messenger
  let mallory: Libp2p
  let bobAtAlice: string
  let aliceAtBob: string
  let envelope: Uint8Array
  const secret = 'meet me under the old clock tower'
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason) }
  process.on('unhandledRejection', onUnhandled)

  before(async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()]
    dirs.push(a, b, c)
    alice = await startMessenger(a.dir, 'Alice')
    bob = await startMessenger(b.dir, 'Bob', { logger: logs.loggers })
    carol = await startMessenger(c.dir, 'Carol')
    ;({ bobAtAlice, aliceAtBob } = await introduce(alice, bob))
    // A real envelope from Alice to Bob: sealed while Bob is away, read from Alice's outbox.
    const bobAddrs = bob.addresses().map(x => x.replace(/\/p2p\/.*/, ''))
    await bob.stop()
    await alice.send(bobAtAlice, secret)
    await alice.stop()
    const store = await openStore({ dir: a.dir, keySource: testOptions(a.dir, 'Alice').keySource, scryptLogN: 10 })
    for await (const bytes of store.values(keys.outboxOf(bobAtAlice))) envelope = decodeRecord<OutboxRecord>(bytes).envelope
    await store.close()
    assert.ok(envelope != null)
    bob = await startMessenger(b.dir, 'Bob', { logger: logs.loggers, listen: bobAddrs })
    mallory = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()]
    })
  })

  after(async () => {
    process.off('unhandledRejection', onUnhandled)
    await mallory?.stop()
    await alice?.stop()
    await bob?.stop()
    await carol?.stop()
    for (const d of dirs) await d.cleanup()
  })

  async function deliverAs (target: Messenger, envelopes: Uint8Array[]): Promise<Array<{ status: string, reason?: string }>> {
    const stream = await mallory.dialProtocol(target.addresses().map(a => multiaddr(a)), MESSAGE_PROTOCOL)
    const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
    const answers = []
    for (const e of envelopes) {
      await f.write({ deliver: { envelope: e } })
      const answer = await f.read()
      assert.ok(answer?.receipt != null)
      answers.push({ status: answer.receipt.status, ...(answer.receipt.reason != null ? { reason: answer.receipt.reason } : {}) })
    }
    await stream.close()
    return answers
  }

  async function stillServes (): Promise<void> {
    const arrived = nextEvent(bob, 'message', m => m.text === 'still there?')
    const sent = await carol.send(carolAtBob, 'still there?')
    await arrived
    assert.equal((await carol.waitForState(sent.id, ['delivered'], 10_000)).state, 'delivered')
  }
  let carolAtBob = ''

  it('stores a replayed envelope once and answers the replay DUPLICATE', async () => {
    ;({ bobAtAlice: carolAtBob } = await introduce(carol, bob))
    const shown = collectEvents(bob, 'message', 1, m => m.text === secret)
    assert.deepEqual(await deliverAs(bob, [envelope, envelope]), [{ status: 'STORED' }, { status: 'DUPLICATE' }])
    await shown
    assert.equal((await bob.history(aliceAtBob)).filter(m => m.text === secret).length, 1)
  })

  it('refuses a tampered envelope and one sealed for someone else', async () => {
    // A new id (else the replay guard answers first) and one flipped bit in the sealed bytes.
    const tampered = new Uint8Array(envelope)
    tampered[2] = (tampered[2] ?? 0) ^ 0x01
    tampered[60] = (tampered[60] ?? 0) ^ 0x01
    const [t] = await deliverAs(bob, [tampered])
    assert.equal(t?.status, 'REJECTED')
    const [other] = await deliverAs(carol, [envelope])
    assert.equal(other?.status, 'REJECTED')
    await stillServes()
  })

  it('cuts off garbage and oversize frames without falling over', async () => {
    const garbage = await mallory.dialProtocol(bob.addresses().map(a => multiaddr(a)), MESSAGE_PROTOCOL)
    garbage.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))
    const oversize = await mallory.dialProtocol(bob.addresses().map(a => multiaddr(a)), MESSAGE_PROTOCOL)
    oversize.send(new Uint8Array([0x80, 0x80, 0x80, 0x08]))
    const notAFrame = await deliverAs(bob, [new Uint8Array([1, 2, 3])])
    assert.equal(notAFrame[0]?.status, 'REJECTED')
    await stillServes()
  })

  it('keeps serving when a sender leaves before its receipts', async () => {
    const stream = await mallory.dialProtocol(bob.addresses().map(a => multiaddr(a)), MESSAGE_PROTOCOL)
    const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
    for (let i = 0; i < 50; i++) await f.write({ deliver: { envelope } })
    stream.abort(new Error('gone'))
    await stillServes()
    assert.deepEqual(unhandled, [])
  })

  it('logs refusals without the content', () => {
    assert.ok(logs.lines.some(l => l.includes('envelope does not decrypt') || l.includes('malformed')), 'refusals are logged')
    assert.ok(!logs.lines.some(l => l.includes(secret) || l.includes('still there?')))
  })
})

describe('message protocol: the sender\'s window', () => {
  it('delivers a burst of the largest envelopes directly, without the recipient cutting it off', async () => {
    const a = await tempDir()
    const b = await tempDir()
    const alice = await startMessenger(a.dir, 'Alice')
    const bob = await startMessenger(b.dir, 'Bob')
    try {
      const { bobAtAlice } = await introduce(alice, bob)
      // 8,000 characters of a three-byte script: each envelope is 64 KiB.
      const text = '語'.repeat(8000)
      const arrived = collectEvents(bob, 'message', 200)
      const sent = await Promise.all(Array.from({ length: 200 }, async () => alice.send(bobAtAlice, text)))
      assert.equal((await arrived).length, 200)
      for (const m of sent) assert.equal((await alice.waitForState(m.id, ['delivered'], 60_000)).state, 'delivered')
    } finally {
      await alice.stop()
      await bob.stop()
      await a.cleanup()
      await b.cleanup()
    }
  })
})

describe('message protocol: a sender beyond the window', () => {
  it('holds back a burst of 256 envelopes of 64 KiB pipelined at once, and stores every one', async () => {
    const a = await tempDir()
    const b = await tempDir()
    const alice = await startMessenger(a.dir, 'Alice')
    let bob = await startMessenger(b.dir, 'Bob')
    const sender = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    try {
      const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
      // Real envelopes of the largest size (8,000 characters of a three-byte script), sealed while
      // Bob is away and read from Alice's outbox.
      const bobAddrs = bob.addresses().map(x => x.replace(/\/p2p\/.*/, ''))
      await bob.stop()
      for (let i = 0; i < 256; i++) await alice.send(bobAtAlice, `${i} ${'語'.repeat(7990)}`)
      await alice.stop()
      const store = await openStore({ dir: a.dir, keySource: testOptions(a.dir, 'Alice').keySource, scryptLogN: 10 })
      const envelopes: Uint8Array[] = []
      for await (const bytes of store.values(keys.outboxOf(bobAtAlice))) envelopes.push(decodeRecord<OutboxRecord>(bytes).envelope)
      await store.close()
      assert.equal(envelopes.length, 256)
      assert.ok(envelopes.every(e => e.byteLength >= 64 * 1024), 'every envelope is of the largest size')
      bob = await startMessenger(b.dir, 'Bob', { listen: bobAddrs })

      // All 256 (16 MiB) written at once, far beyond the window an honest sender keeps: the
      // recipient must hold the sender back, not cut the stream off.
      const stream = await sender.dialProtocol(bob.addresses().map(x => multiaddr(x)), MESSAGE_PROTOCOL)
      const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
      const written = (async () => {
        for (const envelope of envelopes) await f.write({ deliver: { envelope } })
        await stream.close()
      })()
      const receipts: string[] = []
      for (let frame = await f.read(); frame !== undefined; frame = await f.read()) {
        receipts.push(frame.receipt?.status ?? 'not a receipt')
      }
      await written
      assert.equal(stream.status, 'closed')
      assert.deepEqual(receipts, envelopes.map(() => 'STORED'))
      const history = await bob.history(aliceAtBob)
      assert.equal(history.length, 256)
    } finally {
      await sender.stop()
      await alice.stop()
      await bob.stop()
      await a.cleanup()
      await b.cleanup()
    }
  })
})
