// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { BlockedError, NotFoundError } from '../../src/errors.js'
import { Events } from '../../src/messenger/context.js'
import { Conversations, MAX_TEXT_LENGTH } from '../../src/messenger/conversations.js'
import { keys, messageOrder } from '../../src/messenger/records.js'
import { FakeClock } from '../util/fake-clock.js'
import { FakeOutbox, contactNamed, tempRepos, until } from './fakes.js'
import type { ContactRecord, MessageRecord } from '../../src/messenger/records.js'
import type { Repositories } from '../../src/messenger/state.js'

interface Rig {
  conversations: Conversations
  repos: Repositories
  outbox: FakeOutbox
  events: Events
  clock: FakeClock
  scheduled: Array<{ id: string, expiresAt?: number }>
  rearmed: { count: number }
}

/** Stores an incoming message (unread unless `read`) in bob's conversation. */
async function incoming (repos: Repositories, id: string, sentAt: number, seq: number, read = false): Promise<MessageRecord> {
  const m: MessageRecord = { id, contactId: 'bob', direction: 'in', text: id, sentAt, order: messageOrder(seq, 'in'), storedAt: sentAt, state: 'delivered' }
  await repos.state.change(async tx => {
    repos.messages.put(tx, m)
    repos.refs.put(tx, { contactId: 'bob', sentAt, order: m.order }, id)
    if (!read) repos.unread.put(tx, { contactId: 'bob', sentAt, order: m.order })
    const c = await repos.contacts.require('bob', tx)
    if (!read) c.unread++
    repos.contacts.put(tx, c)
  })
  return m
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

async function setUp (contacts: ContactRecord[] = [contactNamed('bob')]): Promise<Rig> {
  const { repos, close } = await tempRepos()
  cleanups.push(close)
  await repos.state.change(async tx => { for (const c of contacts) repos.contacts.put(tx, c) })
  const outbox = new FakeOutbox()
  const events = new Events()
  const clock = new FakeClock()
  const scheduled: Rig['scheduled'] = []
  const rearmed = { count: 0 }
  const conversations = new Conversations({
    repos,
    events,
    outbox,
    contacts: {
      resolve: async ref => {
        const c = await repos.contacts.get(ref)
        if (c == null) throw new NotFoundError(`no contact ${ref}`)
        return c
      },
      assertSendable: c => { if (c.blocked) throw new BlockedError('blocked') }
    },
    disappearing: {
      schedule: (_tx, m) => { scheduled.push({ id: m.id, ...(m.expiresAt != null ? { expiresAt: m.expiresAt } : {}) }) },
      rearm: () => { rearmed.count++ }
    },
    clock
  })
  return { conversations, repos, outbox, events, clock, scheduled, rearmed }
}

describe('conversations: sending', () => {
  it('refuses a text that is empty, not a string, or too long, with InvalidInputError, storing nothing', async () => {
    const { conversations, repos, outbox } = await setUp()
    for (const text of ['', 42 as unknown as string, 'x'.repeat(MAX_TEXT_LENGTH + 1)]) {
      await assert.rejects(conversations.send('bob', text), { name: 'InvalidInputError' })
    }
    assert.equal(outbox.calls.length, 0)
    assert.equal((await repos.contacts.require('bob')).nextSeq, 0)
    await conversations.send('bob', 'x'.repeat(MAX_TEXT_LENGTH))
    assert.equal(outbox.calls.length, 1, 'the longest text allowed goes')
  })

  it('refuses to send to an unknown or blocked contact with the contact book\'s error', async () => {
    const { conversations, outbox } = await setUp([contactNamed('eve', { blocked: true })])
    await assert.rejects(conversations.send('nobody', 'hi'), { name: 'NotFoundError' })
    await assert.rejects(conversations.send('eve', 'hi'), { name: 'BlockedError' })
    assert.equal(outbox.calls.length, 0)
  })

  it('stores a text queued, in order, with its outbox entry in the same durable change', async () => {
    const { conversations, repos, outbox, scheduled } = await setUp()
    const first = await conversations.send('bob', 'one')
    const second = await conversations.send('bob', 'two')
    assert.equal(first.state, 'queued')
    assert.equal(first.direction, 'out')
    assert.deepEqual(outbox.calls.map(c => [c.messageId, c.content.text?.text, c.content.text?.seq, c.durable]), [[first.id, 'one', 0, true], [second.id, 'two', 1, true]])
    const bob = await repos.contacts.require('bob')
    assert.equal(bob.nextSeq, 2)
    assert.equal(bob.nextOutbox, 2)
    assert.equal(bob.lastMessageId, second.id)
    assert.equal((await repos.message(first.id))?.text, 'one')
    assert.equal(first.expiresAt, undefined)
    assert.deepEqual(scheduled, [], 'no timer, nothing scheduled')
  })

  it('schedules a sent text to disappear when the conversation has a timer', async () => {
    const { conversations, scheduled } = await setUp([contactNamed('bob', { disappearingSeconds: 60 })])
    const m = await conversations.send('bob', 'soon gone')
    assert.equal(m.expiresAt, m.sentAt + 60_000)
    assert.deepEqual(scheduled, [{ id: m.id, expiresAt: m.sentAt + 60_000 }])
  })
})

describe('conversations: states, history and read', () => {
  it('waits for a state: at once if reached, on a status event, on failure, and times out on the clock', async () => {
    const { conversations, repos, events, clock } = await setUp()
    const m = await conversations.send('bob', 'hi')
    const other = await conversations.send('bob', 'there')
    assert.equal((await conversations.waitForState(m.id, ['queued'], 1000)).state, 'queued')
    const setState = async (id: string, state: MessageRecord['state']): Promise<void> => {
      const ref = await repos.refs.require(id)
      await repos.messages.update(ref, r => { r.state = state })
      events.emit('status', { id, contactId: 'bob', state })
    }
    const delivered = conversations.waitForState(m.id, ['delivered'], 60_000)
    const failed = conversations.waitForState(other.id, ['delivered'], 60_000)
    await setState(m.id, 'sent')
    await setState(m.id, 'delivered')
    assert.equal((await delivered).state, 'delivered')
    await setState(other.id, 'failed')
    assert.equal((await failed).state, 'failed', 'failed ends every wait')
    await setState(m.id, 'sent')
    await until(() => clock.pending === 0, 'the settled waits to clear their timers')
    const late = conversations.waitForState(m.id, ['delivered'], 60_000)
    await until(() => clock.pending === 1, 'the timeout to be set')
    await clock.advance(59_999)
    let settled = false
    void late.catch(() => {}).finally(() => { settled = true })
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(settled, false, 'not before its time')
    await clock.advance(1)
    await assert.rejects(late, { name: 'TimeoutError' })
    assert.equal(clock.pending, 0, 'the timer is cleared once settled')
    await assert.rejects(conversations.waitForState('f'.repeat(32), ['sent'], 1000), { name: 'NotFoundError' })
  })

  it('a wait for delivered ends at read, which a read receipt may bring before the delivery is recorded', async () => {
    const { conversations, repos, events } = await setUp()
    const m = await conversations.send('bob', 'hi')
    const delivered = conversations.waitForState(m.id, ['delivered'], 60_000)
    await repos.messages.update(await repos.refs.require(m.id), r => { r.state = 'read' })
    events.emit('status', { id: m.id, contactId: 'bob', state: 'delivered' })
    assert.equal((await delivered).state, 'read')
  })

  it('reads history oldest first, with a limit, and before a message (ties broken by order)', async () => {
    const { conversations, repos } = await setUp()
    await incoming(repos, 'a', 100, 0, true)
    await incoming(repos, 'b', 200, 1, true)
    await incoming(repos, 'c', 200, 2, true)
    await incoming(repos, 'd', 300, 3, true)
    const ids = async (options?: Parameters<Conversations['history']>[1]): Promise<string[]> => (await conversations.history('bob', options)).map(m => m.id)
    assert.deepEqual(await ids(), ['a', 'b', 'c', 'd'])
    assert.deepEqual(await ids({ limit: 2 }), ['c', 'd'], 'the newest `limit`')
    assert.deepEqual(await ids({ before: 'c' }), ['a', 'b'])
    assert.deepEqual(await ids({ before: 'c', limit: 1 }), ['b'])
    assert.deepEqual(await ids({ before: 'a' }), [])
    await assert.rejects(conversations.history('bob', { before: 'nope' }), { name: 'NotFoundError' })
    await assert.rejects(conversations.history('nobody'), { name: 'NotFoundError' })
  })

  it('marks a conversation read, starting the disappearing timers from now', async () => {
    const { conversations, repos, scheduled, rearmed } = await setUp([contactNamed('bob', { disappearingSeconds: 30 })])
    const older = await incoming(repos, 'a', 100, 0, true)
    await incoming(repos, 'b', 200, 1)
    await incoming(repos, 'c', 300, 2)
    assert.equal((await repos.contacts.require('bob')).unread, 2)
    const before = Date.now()
    await conversations.markRead('bob')
    const after = Date.now()
    assert.equal((await repos.contacts.require('bob')).unread, 0)
    const left: unknown[] = []
    for await (const r of repos.unread.values(keys.unreadOf('bob'))) left.push(r)
    assert.deepEqual(left, [])
    assert.deepEqual(scheduled.map(s => s.id), ['b', 'c'])
    for (const id of ['b', 'c']) {
      const m = await repos.message(id)
      assert.ok(m?.readAt != null && m.readAt >= before && m.readAt <= after)
      assert.equal(m.expiresAt, m.readAt + 30_000)
    }
    assert.equal((await repos.message(older.id))?.expiresAt, undefined, 'a message read before is left alone')
    assert.equal(rearmed.count, 1)
    await conversations.markRead('bob')
    assert.deepEqual(scheduled.map(s => s.id), ['b', 'c'], 'nothing more to mark')
  })
})
