// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Flow control between mailbox clients and the real daemon, when one side stops reading.
 *
 * A subscriber that falls behind: it stops reading while hundreds of deposits arrive, then reads
 * again while more come. Owners read after the last id they saw, so once the relay skips a push it
 * must send no other until it has said `more` (`push-queue.spec.ts` pins the order).
 *
 * A relay that stops reading (here: stopped with SIGSTOP) while a client has megabytes of deposits
 * in flight: every request fails at its timeout, even those whose bytes could not be written, and
 * once the relay runs again the next request goes through on a new stream. A request stuck in its
 * write used to wait forever, and with it every request queued behind it on the stream.
 */

import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  MAILBOX_PROTOCOL, createMailboxClient, encodeRequest, frameStream, generateDepositToken,
  generateMailboxKey, parseResponse, signOwnerOp
} from '@sotto/core/mailbox'
import { clientNode, removeDir, startRelay, until } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { Libp2p } from '@libp2p/interface'

/** Deposits while the subscriber does not read: more than its buffers and the relay's 64 pushes. */
const WHILE_STALLED = 200
/** Deposits while it reads, slowly. */
const WHILE_READING_SLOWLY = 400
/** A bound on deposits, whatever the pace. */
const MAX_DEPOSITS = 2000
const ENVELOPE = new Uint8Array(60_000).fill(7)

type Seen = { push: number } | { more: true }

describe('sotto-relay: flow control with the mailbox client', () => {
  let relay: RelayProcess | undefined
  const nodes: Libp2p[] = []

  after(async () => {
    await Promise.all(nodes.map(async n => { await n.stop() }))
    if (relay != null && relay.proc.exitCode == null) await relay.kill9()
    await removeDir(relay?.dataDir as string)
  })

  it('is told `more` before any push that would skip envelopes it was not pushed', { timeout: 120_000 }, async () => {
    relay = await startRelay({
      args: ['--contact-burst', '5000', '--contact-per-hour', '100000', '--max-envelopes-per-mailbox', '5000', '--max-bytes-per-mailbox', '256MiB']
    })
    const owner = await clientNode()
    const sender = await clientNode()
    nodes.push(owner, sender)
    const ownerClient = createMailboxClient(owner, relay.tcp)
    const senderClient = createMailboxClient(sender, relay.tcp)
    const key = await generateMailboxKey()
    const mailboxId = await ownerClient.create(key)
    const token = generateDepositToken()
    await ownerClient.registerToken(key, token, 'contact')

    // Subscribed by hand, on a stream this test reads only when it chooses to.
    const stream = await owner.dialProtocol(multiaddr(relay.tcp), MAILBOX_PROTOCOL)
    const frames = frameStream(stream, 128 * 1024)
    const relayBytes = peerIdFromString(relay.peerId).toMultihash().bytes
    const signed = await signOwnerOp(key, { kind: 'subscribe', relay: relayBytes, mailboxId, freshness: { timestamp: Date.now() } })
    await frames.write(encodeRequest({ id: 1, type: 'owner', ...signed }))
    const answer = parseResponse((await frames.read())!.subarray())
    assert.deepEqual([answer.id, answer.status], [1, 'OK'])

    // Deposits go on all along, a few in flight, until stopped.
    let depositing = true
    let deposited = 0
    const depositor = (async () => {
      while (depositing && deposited < MAX_DEPOSITS) {
        await Promise.all(Array.from({ length: 4 }, async () => senderClient.deposit(mailboxId, token, ENVELOPE)))
        deposited += 4
      }
    })()
    const seen: Seen[] = []
    const next = async (timeoutMs: number): Promise<boolean> => {
      const frame = await frames.read({ signal: AbortSignal.timeout(timeoutMs) }).catch(() => null)
      if (frame == null) return false
      const res = parseResponse(frame.subarray())
      assert.equal(res.id, 0, 'only pushes come on this stream now')
      seen.push(res.pushed != null ? { push: res.pushed.id } : { more: true })
      return true
    }
    // Not reading: the pushes fill the stream's buffers, then the relay's queue, then are skipped.
    await until(async () => deposited >= WHILE_STALLED, 'deposits while the subscriber does not read', 60_000, 20)
    // Reading slower than deposits come: the relay's queue empties a little at a time, while new
    // deposits keep arriving.
    while (deposited < WHILE_STALLED + WHILE_READING_SLOWLY) {
      await next(10_000)
      await new Promise(resolve => setTimeout(resolve, 3))
    }
    depositing = false
    await depositor
    while (await next(3000));
    const mores = seen.filter(s => 'more' in s).length
    const pushes = seen.flatMap(s => 'push' in s ? [s.push] : [])
    console.log(`# ${pushes.length} pushes, ${mores} more, of ${deposited} deposits`)
    assert.ok(mores >= 1, 'the subscriber fell behind: otherwise this test proves nothing')
    let last = 0
    for (const s of seen) {
      if ('more' in s) {
        last = -1
        continue
      }
      if (last !== -1) assert.equal(s.push, last + 1, `push ${s.push} came after ${last} with no \`more\` between: envelopes ${last + 1}–${s.push - 1} would be skipped`)
      last = s.push
    }
    await ownerClient.close()
    await senderClient.close()
    stream.abort(new Error('done'))
  })
  it('fails every request at its timeout while the relay reads nothing, then recovers', { timeout: 120_000 }, async () => {
    relay ??= await startRelay({ args: ['--contact-burst', '5000', '--contact-per-hour', '100000', '--max-bytes-per-mailbox', '256MiB'] })
    const owner = await clientNode()
    const sender = await clientNode()
    nodes.push(owner, sender)
    const ownerClient = createMailboxClient(owner, relay.tcp)
    const senderClient = createMailboxClient(sender, relay.tcp, { timeout: 1000 })
    const key = await generateMailboxKey()
    const mailboxId = await ownerClient.create(key)
    const token = generateDepositToken()
    await ownerClient.registerToken(key, token, 'contact')
    await senderClient.deposit(mailboxId, token, ENVELOPE)

    const pid = relay.proc.pid!
    process.kill(pid, 'SIGSTOP')
    let outcomes: Array<PromiseSettledResult<void>>
    try {
      // 4 MB: more than the relay's window and buffers take, so most writes cannot finish.
      const started = Date.now()
      const settled = Promise.allSettled(Array.from({ length: 64 }, async () => senderClient.deposit(mailboxId, token, ENVELOPE)))
      const late = await Promise.race([settled.then(() => false), new Promise<boolean>(resolve => setTimeout(() => { resolve(true) }, 10_000))])
      assert.equal(late, false, 'requests were still waiting 10 s after their 1 s timeout')
      outcomes = await settled
      console.log(`# 64 deposits to a stopped relay settled in ${Date.now() - started} ms`)
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    const reasons = new Set(outcomes.map(o => o.status === 'rejected' ? (o.reason as Error).name : 'fulfilled'))
    assert.deepEqual([...reasons], ['TimeoutError'])
    await senderClient.deposit(mailboxId, token, ENVELOPE)
    await ownerClient.close()
    await senderClient.close()
  })
})
