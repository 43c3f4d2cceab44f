// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Unit tests of conversation actions against a real store, a fake outbox and a fake clock: the
 * 24-hour window on both sides, refusals by name on the sender's side, silent drops on the
 * receiver's, edits arriving out of order, and what is sealed again on a resend request.
 */
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { ConversationActions, EDIT_WINDOW_MS } from '../../src/messenger/conversation-actions.js'
import { Events } from '../../src/messenger/context.js'
import { messageOrder } from '../../src/messenger/records.js'
import { fromHex } from '../../src/util/index.js'
import { FakeClock } from '../util/fake-clock.js'
import { FakeOutbox, contactNamed, loggers, tempRepos } from './fakes.js'
import type { ActionEvent } from '../../src/messenger/conversation-actions.js'
import type { MessageRecord } from '../../src/messenger/records.js'
import type { Repositories } from '../../src/messenger/state.js'
import type { Content } from '../../src/protocol/types.js'

const MINE = 'ab'.repeat(16)
const THEIRS = 'cd'.repeat(16)

interface Rig {
  actions: ConversationActions
  repos: Repositories
  outbox: FakeOutbox
  clock: FakeClock
  debug: string[]
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

async function setUp (): Promise<Rig> {
  const { repos, close } = await tempRepos()
  cleanups.push(close)
  const clock = new FakeClock()
  const put = (id: string, direction: 'in' | 'out', seq: number): MessageRecord => ({
    id, contactId: 'bob', direction, text: `text of ${id}`, sentAt: clock.now(), order: messageOrder(seq, direction), storedAt: clock.now(), state: 'delivered'
  })
  await repos.state.change(async tx => {
    repos.contacts.put(tx, contactNamed('bob'))
    for (const m of [put(MINE, 'out', 0), put(THEIRS, 'in', 0)]) {
      repos.messages.put(tx, m)
      repos.refs.put(tx, { contactId: 'bob', sentAt: m.sentAt, order: m.order }, m.id)
    }
  })
  const outbox = new FakeOutbox()
  const debug: string[] = []
  const log = { ...loggers.forComponent('test'), debug: (msg: string, fields?: Record<string, unknown>) => { debug.push(`${msg} ${JSON.stringify(fields)}`) } }
  const actions = new ConversationActions({ repos, events: new Events(), outbox, contacts: { assertSendable: () => {} }, ownId: 'me', log, clock })
  return { actions, repos, outbox, clock, debug }
}

/** Bob's content `body`, sent at `sentAt`, applied as the inbox would. */
async function fromBob (rig: Rig, body: Omit<Content, 'id' | 'sentAt'>, sentAt = rig.clock.now()): Promise<ActionEvent[]> {
  return rig.repos.state.change(async tx => {
    const bob = await rig.repos.contacts.require('bob', tx)
    return rig.actions.receive(tx, bob, { id: new Uint8Array(16), sentAt, ...body }, 'relay')
  })
}

describe('conversation actions: edits, deletes and their window', () => {
  it('edits and deletes for everyone only its own messages, within 24 hours, with named errors', async () => {
    const rig = await setUp()
    await assert.rejects(rig.actions.edit(THEIRS, 'x'), { name: 'NotYourMessageError' })
    await assert.rejects(rig.actions.delete(THEIRS, true), { name: 'NotYourMessageError' })
    await assert.rejects(rig.actions.edit('ef'.repeat(16), 'x'), { name: 'NotFoundError' })
    await rig.clock.advance(EDIT_WINDOW_MS)
    assert.equal((await rig.actions.edit(MINE, 'just in time')).text, 'just in time')
    await rig.clock.advance(1)
    await assert.rejects(rig.actions.edit(MINE, 'too late'), { name: 'EditWindowClosedError' })
    await assert.rejects(rig.actions.delete(MINE, true), { name: 'EditWindowClosedError' })
    assert.equal((await rig.repos.message(MINE))?.text, 'just in time', 'nothing changed by the refusals')
    assert.deepEqual(rig.outbox.calls.map(c => Object.keys(c.content).filter(k => k !== 'id' && k !== 'sentAt')), [['edit']])
  })

  it('drops a contact\'s edit of our message, of an unknown one, or after the window, without logging content', async () => {
    const rig = await setUp()
    assert.deepEqual(await fromBob(rig, { edit: { target: fromHex(MINE), text: 'hijack' } }), [])
    assert.deepEqual(await fromBob(rig, { edit: { target: fromHex('ef'.repeat(16)), text: 'nothing' } }), [])
    assert.deepEqual(await fromBob(rig, { delete: { target: fromHex(THEIRS) } }, rig.clock.now() + EDIT_WINDOW_MS + 1), [])
    assert.equal((await rig.repos.message(MINE))?.text, `text of ${MINE}`)
    assert.equal((await rig.repos.message(THEIRS))?.deleted, undefined)
    assert.equal(rig.debug.length, 3)
    assert.ok(rig.debug.every(line => !line.includes('hijack') && !line.includes('nothing')))
  })

  it('keeps the latest of edits that arrive out of order', async () => {
    const rig = await setUp()
    const at = rig.clock.now()
    assert.equal((await fromBob(rig, { edit: { target: fromHex(THEIRS), text: 'second' } }, at + 2000)).length, 1)
    assert.deepEqual(await fromBob(rig, { edit: { target: fromHex(THEIRS), text: 'first' } }, at + 1000), [])
    const m = await rig.repos.message(THEIRS)
    assert.equal(m?.text, 'second')
    assert.equal(m?.editedAt, at + 2000)
  })

  it('a delete for everyone removes text and reactions from storage, and later actions on it are dropped', async () => {
    const rig = await setUp()
    await rig.actions.react(THEIRS, '👍')
    await fromBob(rig, { reaction: { target: fromHex(THEIRS), emoji: '❤️' } })
    assert.equal((await rig.repos.message(THEIRS))?.reactions?.length, 2)
    await fromBob(rig, { delete: { target: fromHex(THEIRS) } })
    const m = await rig.repos.message(THEIRS)
    assert.equal(m?.deleted, true)
    assert.equal(m?.text, '')
    assert.equal(m?.reactions, undefined)
    assert.deepEqual(await fromBob(rig, { edit: { target: fromHex(THEIRS), text: 'again' } }), [])
    assert.deepEqual(await fromBob(rig, { reaction: { target: fromHex(THEIRS), emoji: '😂' } }), [])
    await assert.rejects(rig.actions.react(THEIRS, '👍'), { name: 'NotFoundError' })
  })
})

describe('conversation actions: read receipts and resends', () => {
  it('read receipts are sealed, and applied, only when the setting allows them', async () => {
    const rig = await setUp()
    const queue = async (): Promise<void> => rig.repos.state.change(async (tx, change) => {
      const bob = await rig.repos.contacts.require('bob', tx)
      await rig.actions.queueReadReceipts(tx, change, bob, [THEIRS])
      rig.repos.contacts.put(tx, bob)
    })
    await queue()
    assert.deepEqual(await fromBob(rig, { readReceipt: { ids: [fromHex(MINE)] } }), [])
    assert.equal((await rig.repos.message(MINE))?.state, 'delivered')
    assert.equal(rig.outbox.calls.length, 0)
    await rig.repos.state.change(async tx => { rig.repos.settings.put(tx, { readReceipts: true }) })
    await queue()
    assert.equal(rig.outbox.calls.length, 1)
    assert.deepEqual(await fromBob(rig, { readReceipt: { ids: [fromHex(MINE), fromHex(THEIRS)] } }), [
      { event: 'status', detail: { id: MINE, contactId: 'bob', state: 'read' } }
    ])
    assert.equal((await rig.repos.message(MINE))?.state, 'read')
  })

  it('seals a reaction or edit again as things are now, and nothing for a deleted message', async () => {
    const rig = await setUp()
    await rig.actions.react(THEIRS, '👍')
    await rig.actions.react(THEIRS, '🎉')
    await rig.actions.edit(MINE, 'latest')
    const resealed = async (control: { reaction?: string, edit?: string }): Promise<unknown> =>
      rig.repos.state.change(async tx => rig.actions.resealed(tx, { id: 'x', contactId: 'bob', sentAt: 0, ...control }))
    assert.deepEqual(await resealed({ reaction: THEIRS }), { reaction: { target: fromHex(THEIRS), emoji: '🎉' } })
    assert.deepEqual(await resealed({ edit: MINE }), { edit: { target: fromHex(MINE), text: 'latest' } })
    await rig.actions.delete(MINE, true)
    assert.equal(await resealed({ edit: MINE }), undefined)
  })
})
