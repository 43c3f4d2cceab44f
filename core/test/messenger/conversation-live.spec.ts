// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Replies, reactions, edits, deletes, read receipts, typing and search between two real messengers
 * on loopback. Where something must NOT arrive, a text sent after it on the same conversation
 * arrives first as the witness: envelopes of one sender leave in order.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { nextEvent, startMessenger, startPair } from './helpers.js'
import type { Pair } from './helpers.js'
import type { Messenger, MessengerEvents } from '../../src/messenger/index.js'

/** Records every event of `kind` at `m` until the returned function is called; returns them. */
function record<K extends keyof MessengerEvents> (m: Messenger, kind: K): () => Array<MessengerEvents[K]> {
  const seen: Array<MessengerEvents[K]> = []
  const listener = (e: MessengerEvents[K]): void => { seen.push(e) }
  m.on(kind, listener)
  return () => {
    m.off(kind, listener)
    return seen
  }
}

let pair: Pair
let alice: Messenger
let bob: Messenger
let bobAtAlice: string
let aliceAtBob: string

/** Alice sends a text and waits until Bob shows it. */
async function aliceSays (text: string): Promise<string> {
  const shown = nextEvent(bob, 'message', m => m.text === text)
  const m = await alice.send(bobAtAlice, text)
  await shown
  return m.id
}

/** Bob sends a text and waits until Alice shows it. */
async function bobSays (text: string): Promise<string> {
  const shown = nextEvent(alice, 'message', m => m.text === text)
  const m = await bob.send(aliceAtBob, text)
  await shown
  return m.id
}

before(async () => {
  pair = await startPair()
  ;({ alice, bob, bobAtAlice, aliceAtBob } = pair)
})

after(async () => {
  await pair?.stop()
})

describe('conversation actions on loopback: replies, reactions, edits and deletes', () => {
  it('a reply carries the quoted message id; a reply to an unknown message is refused', async () => {
    const quoted = await aliceSays('what time tomorrow?')
    const shown = nextEvent(alice, 'message', m => m.text === 'at nine')
    const reply = await bob.reply(aliceAtBob, quoted, 'at nine')
    assert.equal(reply.replyTo, quoted)
    assert.equal((await shown).replyTo, quoted)
    assert.equal((await alice.history(bobAtAlice)).find(m => m.id === reply.id)?.replyTo, quoted)
    await assert.rejects(bob.reply(aliceAtBob, 'ab'.repeat(16), 'to nothing'), { name: 'NotFoundError' })
  })

  it('one reaction per person per message: set, changed, removed, on both sides', async () => {
    const id = await bobSays('lunch?')
    for (const emoji of ['👍', '❤️', '']) {
      const atBob = nextEvent(bob, 'reaction', r => r.id === id && r.emoji === emoji)
      const mine = await alice.react(id, emoji)
      assert.deepEqual(mine.reactions ?? [], emoji === '' ? [] : [{ by: alice.identity().userId, emoji }])
      assert.equal((await atBob).by, aliceAtBob)
      const atBobNow = (await bob.history(aliceAtBob)).find(m => m.id === id)
      assert.deepEqual(atBobNow?.reactions ?? [], emoji === '' ? [] : [{ by: aliceAtBob, emoji }])
    }
    await bob.react(id, '😂')
    await alice.react(id, '🎉')
    const both = nextEvent(alice, 'reaction', r => r.id === id && r.emoji === '😂')
    await both
    const reactions = (await alice.history(bobAtAlice)).find(m => m.id === id)?.reactions ?? []
    assert.deepEqual(reactions.map(r => r.emoji).sort(), ['🎉', '😂'].sort())
  })

  it('an edit reaches the recipient, who sees the last version marked edited; others\' messages cannot be edited', async () => {
    const id = await aliceSays('see you at 8')
    const edited = nextEvent(bob, 'edit', m => m.id === id)
    const mine = await alice.edit(id, 'see you at 9')
    assert.ok(mine.editedAt != null)
    const theirs = await edited
    assert.equal(theirs.text, 'see you at 9')
    assert.ok(theirs.editedAt != null)
    const atBob = (await bob.history(aliceAtBob)).find(m => m.id === id)
    assert.equal(atBob?.text, 'see you at 9')
    await assert.rejects(bob.edit(id, 'hijacked'), { name: 'NotYourMessageError' })
    await assert.rejects(alice.edit('cd'.repeat(16), 'nothing'), { name: 'NotFoundError' })
  })

  it('delete for everyone leaves a deleted mark without text or reactions; delete for me only here', async () => {
    const id = await aliceSays('wrong chat, sorry')
    await bob.react(id, '😮')
    await nextEvent(alice, 'reaction', r => r.id === id)
    const deleted = nextEvent(bob, 'delete', d => d.id === id)
    await alice.deleteMessage(id, { everyone: true })
    assert.equal((await deleted).everyone, true)
    for (const [m, contact] of [[alice, bobAtAlice], [bob, aliceAtBob]] as const) {
      const shown = (await m.history(contact)).find(x => x.id === id)
      assert.equal(shown?.deleted, true)
      assert.equal(shown?.text, '')
      assert.equal(shown?.reactions, undefined)
    }
    await assert.rejects(alice.edit(id, 'back'), { name: 'NotFoundError' })
    await assert.rejects(alice.deleteMessage(id, { everyone: true }), { name: 'NotFoundError' })
    await assert.rejects(bob.deleteMessage(await aliceSays('not yours to delete'), { everyone: true }), { name: 'NotYourMessageError' })

    const keep = await aliceSays('only Alice forgets this')
    await alice.deleteMessage(keep)
    assert.equal((await alice.history(bobAtAlice)).some(m => m.id === keep), false)
    assert.equal((await bob.history(aliceAtBob)).some(m => m.id === keep), true)
  })
})

describe('conversation actions on loopback: read receipts, typing and search', () => {
  it('read receipts only when both allow them: the sender sees read, and neither side shows it when one is off', async () => {
    await alice.updateSettings({ readReceipts: true })
    await bob.updateSettings({ readReceipts: true })
    const id = await aliceSays('read me')
    const read = nextEvent(alice, 'status', s => s.id === id && s.state === 'read')
    await bob.markRead(aliceAtBob)
    await read
    assert.equal((await alice.history(bobAtAlice)).find(m => m.id === id)?.state, 'read')

    for (const off of [bob, alice]) {
      await off.updateSettings({ readReceipts: false })
      const unseen = await aliceSays(`unseen while ${off === bob ? 'Bob' : 'Alice'} is off`)
      const statuses = record(alice, 'status')
      await bob.markRead(aliceAtBob)
      // Bob's next text leaves after any read receipt his markRead queued.
      await bobSays('witness')
      assert.deepEqual(statuses().filter(s => s.state === 'read'), [])
      assert.equal((await alice.history(bobAtAlice)).find(m => m.id === unseen)?.state, 'delivered')
      await off.updateSettings({ readReceipts: true })
    }
  })

  it('typing indicators go live when both allow them, and not at all when the sender has them off', async () => {
    const typing = record(bob, 'typing')
    await alice.typing(bobAtAlice, true)
    await aliceSays('witness of nothing typed')
    assert.deepEqual(typing(), [], 'typing indicators are off by default')

    await alice.updateSettings({ typingIndicators: true })
    await bob.updateSettings({ typingIndicators: true })
    const started = nextEvent(bob, 'typing', t => t.started)
    await alice.typing(bobAtAlice, true)
    assert.equal((await started).contactId, aliceAtBob)
    const stopped = nextEvent(bob, 'typing', t => !t.started)
    await alice.typing(bobAtAlice, false)
    await stopped

    await bob.updateSettings({ typingIndicators: false })
    const hidden = record(bob, 'typing')
    await alice.typing(bobAtAlice, true)
    await aliceSays('witness of hidden typing')
    assert.deepEqual(hidden(), [], 'the receiver with typing off shows none')
  })

  it('search finds visible text across conversations and within one, not deleted, edited-away or disappeared text', async () => {
    const visible = await aliceSays('the zebra crossing is closed')
    const deleted = await aliceSays('zebra secret one')
    const edited = await aliceSays('zebra draft')
    await alice.deleteMessage(deleted, { everyone: true })
    await alice.edit(edited, 'final wording')
    await nextEvent(bob, 'edit', m => m.id === edited)
    const ids = async (m: Messenger, q: string, inC?: string): Promise<string[]> => (await m.search(q, inC != null ? { in: inC } : {})).map(x => x.id)
    for (const [m, c] of [[alice, bobAtAlice], [bob, aliceAtBob]] as const) {
      assert.deepEqual(await ids(m, 'zebra'), [visible])
      assert.deepEqual(await ids(m, 'zeb', c), [visible], 'the last word is a prefix, within the conversation')
      assert.deepEqual(await ids(m, 'draft'), [])
      assert.deepEqual(await ids(m, 'final'), [edited])
      assert.deepEqual(await ids(m, 'secret'), [])
    }

    // Read before the timer is set: a timer starts when a message is read.
    await bob.markRead(aliceAtBob)
    await alice.setDisappearing(bobAtAlice, 1)
    await nextEvent(bob, 'contact', c => c.id === aliceAtBob && c.disappearingSeconds === 1)
    const expiredAtAlice = nextEvent(alice, 'expired')
    const fleeting = await aliceSays('ephemeral quokka')
    assert.deepEqual(await ids(bob, 'quokka'), [fleeting])
    const expiredAtBob = nextEvent(bob, 'expired', e => e.ids.includes(fleeting))
    await bob.markRead(aliceAtBob)
    await expiredAtAlice
    await expiredAtBob
    assert.deepEqual(await ids(alice, 'quokka'), [])
    assert.deepEqual(await ids(bob, 'quokka'), [])
    await assert.rejects(bob.react(fleeting, '👍'), { name: 'NotFoundError' }, 'a disappeared message takes no reaction')
    await alice.setDisappearing(bobAtAlice, 0)
    await nextEvent(bob, 'contact', c => c.id === aliceAtBob && c.disappearingSeconds === 0)
  })

  it('the index is built again at unlock from the stored history', async () => {
    await bob.stop()
    bob = pair.bob = await startMessenger(pair.dirs.bob, 'Bob')
    assert.equal((await bob.search('zebra')).length, 1)
    assert.equal((await bob.search('final', { in: aliceAtBob })).length, 1)
    assert.deepEqual(await bob.search('secret'), [])
  })
})
