// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The pushes of one subscription, with their writes settled by hand: the order in which a slow
 * stream hands back its writes decides what the subscriber learns.
 */

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PushQueue } from '../src/mailbox/push-queue.js'
import type { MailboxEnvelope, MailboxResponseInit } from '@sotto/core/mailbox'

/** A stream whose writes settle only when the test says so. */
function slowStream (): { written: MailboxResponseInit[], settle(n: number): Promise<void>, send(res: MailboxResponseInit): Promise<void> } {
  const written: MailboxResponseInit[] = []
  const waiting: Array<() => void> = []
  return {
    written,
    send: async (res) => {
      written.push(res)
      await new Promise<void>(resolve => { waiting.push(resolve) })
    },
    settle: async (n) => {
      for (const resolve of waiting.splice(0, n)) resolve()
      // Let the settled writes' callbacks run.
      await new Promise(resolve => setImmediate(resolve))
    }
  }
}

function envelope (id: number): MailboxEnvelope {
  return { id, envelope: new Uint8Array([id & 0xff]), expiresAt: 0, kind: 'contact' }
}

const what = (r: MailboxResponseInit): string => r.pushed != null ? `push ${r.pushed.id}` : r.more === true ? 'more' : 'other'

describe('PushQueue', () => {
  it('pushes nothing between the first push it skips and the `more` that replaces it', async () => {
    const stream = slowStream()
    const queue = new PushQueue(stream.send, 4)
    for (let id = 1; id <= 6; id++) queue.push(envelope(id))
    assert.deepEqual(stream.written.map(what), ['push 1', 'push 2', 'push 3', 'push 4'], '5 and 6 are skipped')
    // Part of the backlog is written: room again, but 7 would arrive before 5 and 6 were read.
    await stream.settle(2)
    assert.equal(queue.push(envelope(7)), false)
    await stream.settle(2)
    assert.deepEqual(stream.written.map(what), ['push 1', 'push 2', 'push 3', 'push 4', 'more'], 'all written: then `more`')
    // Behind the `more` on the stream, a push is read after it: the subscriber has read the mailbox by then.
    assert.equal(queue.push(envelope(8)), true)
    assert.deepEqual(stream.written.map(what).slice(4), ['more', 'push 8'])
  })

  it('keeps pushing while the subscriber keeps up, and stops at the end', async () => {
    const stream = slowStream()
    const queue = new PushQueue(stream.send, 4)
    for (let id = 1; id <= 20; id++) {
      assert.equal(queue.push(envelope(id)), true)
      await stream.settle(1)
    }
    queue.end()
    assert.equal(queue.push(envelope(21)), false)
    assert.equal(stream.written.length, 20)
    assert.ok(stream.written.every((r, i) => r.pushed?.id === i + 1))
  })

  it('sends no `more` once ended', async () => {
    const stream = slowStream()
    const queue = new PushQueue(stream.send, 1)
    queue.push(envelope(1))
    queue.push(envelope(2))
    queue.end()
    await stream.settle(1)
    assert.deepEqual(stream.written.map(what), ['push 1'])
  })

  it('skips by bytes unsent as well as by count, and always lets one through', async () => {
    const stream = slowStream()
    const queue = new PushQueue(stream.send, 64, 100_000)
    const big = (id: number): MailboxEnvelope => ({ ...envelope(id), envelope: new Uint8Array(40_000) })
    for (let id = 1; id <= 4; id++) queue.push(big(id))
    assert.deepEqual(stream.written.map(what), ['push 1', 'push 2'], '80,000 bytes wait; a third would pass 100,000')
    await stream.settle(2)
    assert.deepEqual(stream.written.map(what), ['push 1', 'push 2', 'more'])
    await stream.settle(1)
    const huge = new PushQueue(stream.send, 64, 10)
    assert.equal(huge.push(big(5)), true, 'one push larger than the cap still goes when nothing waits')
  })
})

