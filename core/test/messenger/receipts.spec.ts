// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { Receipts } from '../../src/messenger/receipts.js'
import { keys } from '../../src/messenger/records.js'
import { MAX_RECEIPT_IDS } from '../../src/protocol/index.js'
import { toHex } from '../../src/util/index.js'
import { FakeOutbox, contactNamed, eventually, loggers, tempRepos } from './fakes.js'
import type { ReceiptsInit } from '../../src/messenger/receipts.js'
import type { ContactRecord } from '../../src/messenger/records.js'
import type { Repositories } from '../../src/messenger/state.js'

/** Hex ids of `count` texts, the i-th being 16 bytes of i (and `tag`). */
function ids (count: number, tag = 0): string[] {
  return Array.from({ length: count }, (_, i) => toHex(new Uint8Array(16).fill(i % 256).fill(tag, 0, 1)))
}

describe('receipts', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  async function setUp (): Promise<{ repos: Repositories, outbox: FakeOutbox }> {
    const { repos, close } = await tempRepos()
    cleanups.push(close)
    return { repos, outbox: new FakeOutbox() }
  }

  /** Stores `contact` (unless null) with receipts pending for the texts `pending`. */
  async function pending (repos: Repositories, contactId: string, contact: ContactRecord | null, texts: string[]): Promise<void> {
    await repos.state.change(async tx => {
      if (contact != null) repos.contacts.put(tx, contact)
      for (const id of texts) repos.receipts.put(tx, { contactId, id })
    })
  }

  async function left (repos: Repositories): Promise<string[]> {
    const out: string[] = []
    for await (const r of repos.receipts.values(keys.pendingReceipts())) out.push(`${r.contactId}/${r.id}`)
    return out
  }

  /** Runs one flush to its end (a stopped Receipts finishes the run in progress). */
  async function flushOnce (repos: Repositories, outbox: FakeOutbox, init?: ReceiptsInit): Promise<void> {
    const receipts = new Receipts({ repos, outbox, log: loggers.forComponent('test') }, init)
    receipts.flush()
    await receipts.stop()
  }

  it('queues the pending receipts of a contact in one envelope, clearing them in the same durable write', async () => {
    const { repos, outbox } = await setUp()
    const texts = ids(3)
    await pending(repos, 'bob', contactNamed('bob'), texts)
    await flushOnce(repos, outbox)
    assert.equal(outbox.calls.length, 1)
    const [call] = outbox.calls
    assert.equal(call?.durable, true)
    assert.equal(call?.messageId, undefined, 'a receipt is no message')
    assert.deepEqual(call?.content.deliveryReceipt?.ids.map(toHex).sort(), [...texts].sort())
    assert.deepEqual(await left(repos), [])
    assert.equal((await repos.contacts.require('bob')).nextOutbox, 1, 'the contact is written with its outbox sequence moved on')
  })

  it(`splits more than ${MAX_RECEIPT_IDS} receipts into envelopes of at most ${MAX_RECEIPT_IDS} ids`, async () => {
    const { repos, outbox } = await setUp()
    const texts = [...ids(256, 1), ...ids(44, 2)]
    await pending(repos, 'bob', contactNamed('bob'), texts)
    await flushOnce(repos, outbox)
    assert.deepEqual(outbox.calls.map(c => c.content.deliveryReceipt?.ids.length), [MAX_RECEIPT_IDS, 300 - MAX_RECEIPT_IDS])
    const sent = outbox.calls.flatMap(c => c.content.deliveryReceipt?.ids.map(toHex) ?? [])
    assert.deepEqual(sent.sort(), [...new Set(texts)].sort(), 'every receipt once')
    assert.equal((await repos.contacts.require('bob')).nextOutbox, 2)
  })

  it('holds the receipts of a contact whose request waits or whose identity key is in doubt', async () => {
    const { repos, outbox } = await setUp()
    await pending(repos, 'req', contactNamed('req', { status: 'request' }), ids(1, 1))
    await pending(repos, 'doubt', contactNamed('doubt', { pendingIdentityKey: new Uint8Array(33).fill(2) }), ids(1, 2))
    await pending(repos, 'bob', contactNamed('bob'), ids(1, 3))
    await flushOnce(repos, outbox)
    assert.deepEqual(outbox.calls.map(c => c.contactId), ['bob'])
    assert.deepEqual((await left(repos)).map(r => r.split('/')[0]).sort(), ['doubt', 'req'], 'held, not dropped')
    await repos.contacts.update('req', c => { c.status = 'contact' })
    await repos.contacts.update('doubt', c => { delete c.pendingIdentityKey })
    await flushOnce(repos, outbox)
    assert.deepEqual(outbox.calls.map(c => c.contactId).sort(), ['bob', 'doubt', 'req'], 'sent once no longer held')
    assert.deepEqual(await left(repos), [])
  })

  it('sends nothing to a blocked or deleted contact, and drops their receipts', async () => {
    const { repos, outbox } = await setUp()
    await pending(repos, 'eve', contactNamed('eve', { blocked: true }), ids(2, 1))
    await pending(repos, 'gone', null, ids(2, 2))
    await flushOnce(repos, outbox)
    assert.deepEqual(outbox.calls, [])
    assert.deepEqual(await left(repos), [])
    assert.equal((await repos.contacts.require('eve')).nextOutbox, 0)
  })

  it('takes at most `batch` receipts in one write, and every one over several', async () => {
    const { repos, outbox } = await setUp()
    const texts = ids(5, 1)
    await pending(repos, 'bob', contactNamed('bob'), texts)
    for (let i = 0; i < 3; i++) await flushOnce(repos, outbox, { batch: 2 })
    assert.ok(outbox.calls.every(c => (c.content.deliveryReceipt?.ids.length ?? 0) <= 2), 'more than `batch` in one write')
    assert.deepEqual(outbox.calls.flatMap(c => c.content.deliveryReceipt?.ids.map(toHex) ?? []).sort(), [...texts].sort())
    assert.deepEqual(await left(repos), [])
  })

  it('goes on past a full batch within one flush, until every receipt is queued', async () => {
    const { repos, outbox } = await setUp()
    const texts = ids(5, 1)
    await pending(repos, 'bob', contactNamed('bob'), texts)
    const receipts = new Receipts({ repos, outbox, log: loggers.forComponent('test') }, { batch: 2 })
    receipts.flush()
    await receipts.idle()
    await receipts.stop()
    assert.deepEqual(outbox.calls.flatMap(c => c.content.deliveryReceipt?.ids.map(toHex) ?? []).sort(), [...texts].sort())
    assert.deepEqual(await left(repos), [])
  })

  it('keeps the receipts when the outbox fails, and queues them on the next flush', async () => {
    const { repos, outbox } = await setUp()
    const texts = ids(2, 1)
    await pending(repos, 'bob', contactNamed('bob'), texts)
    outbox.fail = new Error('seal failed')
    await flushOnce(repos, outbox)
    assert.equal((await left(repos)).length, 2, 'nothing cleared by a write that did not commit')
    assert.equal((await repos.contacts.require('bob')).nextOutbox, 0)
    outbox.fail = undefined
    await flushOnce(repos, outbox)
    assert.equal(outbox.calls.length, 1)
    assert.deepEqual(await left(repos), [])
  })

  it('coalesces flushes made while one runs, and does nothing once stopped', async () => {
    const { repos, outbox } = await setUp()
    await pending(repos, 'bob', contactNamed('bob'), ids(1, 1))
    const receipts = new Receipts({ repos, outbox, log: loggers.forComponent('test') })
    receipts.flush()
    // Written while the first run waits for the lock: the run again must see it.
    await pending(repos, 'bob', null, ids(1, 2))
    receipts.flush()
    receipts.flush()
    await eventually(async () => (await left(repos)).length === 0, 'the run again to queue the second receipt')
    await receipts.stop()
    const sent = outbox.calls.flatMap(c => c.content.deliveryReceipt?.ids ?? [])
    assert.equal(sent.length, 2, 'both receipts, each once')
    assert.ok(outbox.calls.length <= 2)
    await pending(repos, 'bob', null, ids(1, 3))
    receipts.flush()
    await receipts.stop()
    assert.equal((await left(repos)).length, 1, 'a stopped Receipts queues nothing')
  })
})
