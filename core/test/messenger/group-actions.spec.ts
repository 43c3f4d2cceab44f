// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Replies, reactions, edits and deletes in a group between three real messengers on loopback:
 * each reaches both other members (one not the actor's contact), a reaction replaces the
 * member's earlier one and names them, only a message's author edits or deletes it (a forged
 * edit is dropped by the others), a blocked member's is refused, a removed member is sent none of what comes after, and one a
 * member could not open is sealed again to them when they ask.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { decodeEnvelope } from '../../src/protocol/index.js'
import { aliceAndFriends, groupReaches, handTo, outboxOf } from './group-helpers.js'
import { nextEvent, startMessenger } from './helpers.js'
import type { Group, Message, Messenger, MessengerEvents } from '../../src/messenger/index.js'
import type { Parts } from '../../src/messenger/wiring.js'

/** Resolves with `m`'s next `event` about message `id`. */
async function about<K extends 'reaction' | 'edit' | 'delete'> (m: Messenger, event: K, id: string, match: (d: MessengerEvents[K]) => boolean = () => true): Promise<MessengerEvents[K]> {
  return nextEvent(m, event, (d => d.id === id && match(d)) as (d: MessengerEvents[K]) => boolean)
}

/** Message `id` of `group` as `m` shows it. */
async function shown (m: Messenger, group: string, id: string): Promise<Message | undefined> {
  return (await m.history(group)).find(x => x.id === id)
}

/** Every reaction, edit, delete and group message `m` shows from now on. */
function everythingAt (m: Messenger, groupId: string): unknown[] {
  const seen: unknown[] = []
  for (const event of ['reaction', 'edit', 'delete', 'message'] as const) {
    m.on(event, (d: { contactId: string }) => { if (d.contactId === groupId) seen.push({ event, ...d }) })
  }
  return seen
}

describe('actions in a group', () => {
  const t = aliceAndFriends()
  let group: Group

  it('a reply, a reaction, an edit and a delete reach both other members, one not the actor\'s contact', { timeout: 120_000 }, async () => {
    const { alice, bob, carol } = t
    const [aliceId, bobId, carolId] = [alice, bob, carol].map(m => m.identity().userId) as [string, string, string]
    const created = await alice.createGroup('Actions', [bobId, carolId])
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === created.id && g.members.length === 3)))
    group = created

    const atBob = nextEvent(bob, 'message', m => m.text === 'from carol')
    const atAlice = nextEvent(alice, 'message', m => m.text === 'from carol')
    const first = await carol.send(group.id, 'from carol')
    await Promise.all([atBob, atAlice])

    // Bob is not Carol's contact: his reply reaches her as it reaches Alice.
    const replies = [alice, carol].map(async m => nextEvent(m, 'message', x => x.text === 'a reply'))
    const reply = await bob.reply(group.id, first.id, 'a reply')
    assert.equal(reply.replyTo, first.id)
    for (const r of await Promise.all(replies)) assert.deepEqual([r.replyTo, r.senderId, r.groupId], [first.id, bobId, group.id])
    await assert.rejects(bob.reply(group.id, randomBytes(16).toString('hex'), 'to nothing'), { name: 'NotFoundError' })

    // A reaction replaces the member's earlier one; each member's is shown, by who made it.
    let reacted = [alice, carol].map(async m => about(m, 'reaction', first.id, r => r.emoji === '👍'))
    await bob.react(first.id, '👍')
    for (const r of await Promise.all(reacted)) assert.deepEqual([r.by, r.group], [bobId, group.id])
    reacted = [alice, carol].map(async m => about(m, 'reaction', first.id, r => r.emoji === '❤️'))
    await bob.react(first.id, '❤️')
    await Promise.all(reacted)
    reacted = [bob, carol].map(async m => about(m, 'reaction', first.id, r => r.by === aliceId))
    await alice.react(first.id, '😀')
    await Promise.all(reacted)
    for (const m of [alice, bob, carol]) {
      const reactions = (await shown(m, group.id, first.id))?.reactions ?? []
      assert.deepEqual(reactions.map(r => [r.by, r.emoji]).sort(), [[aliceId, '😀'], [bobId, '❤️']].sort())
    }

    // Only the author edits: Bob may not, Carol may, and both others see it.
    await assert.rejects(bob.edit(first.id, 'not mine'), { name: 'NotYourMessageError' })
    const edits = [alice, bob].map(async m => about(m, 'edit', first.id))
    await carol.edit(first.id, 'from carol, edited')
    for (const e of await Promise.all(edits)) assert.deepEqual([e.text, e.groupId], ['from carol, edited', group.id])

    // Deleted for everyone by its author: gone at both others, reactions and all.
    await assert.rejects(alice.deleteMessage(first.id, { everyone: true }), { name: 'NotYourMessageError' })
    const deletes = [alice, bob].map(async m => about(m, 'delete', first.id))
    await carol.deleteMessage(first.id, { everyone: true })
    for (const d of await Promise.all(deletes)) assert.deepEqual([d.everyone, d.group], [true, group.id])
    for (const m of [alice, bob]) {
      const gone = await shown(m, group.id, first.id)
      assert.deepEqual([gone?.deleted, gone?.text, gone?.reactions], [true, '', undefined])
    }
  })

  it('an edit of someone else\'s message sealed for the group is dropped by every member', { timeout: 60_000 }, async () => {
    const { alice, bob, carol } = t
    const arrived = [bob, carol].map(async m => nextEvent(m, 'message', x => x.text === 'alice writes'))
    const target = await alice.send(group.id, 'alice writes')
    await Promise.all(arrived)
    // Bob's messenger seals an edit of Alice's message, as a forger would, past its own checks.
    const forged = { edit: { target: Buffer.from(target.id, 'hex'), text: 'forged' } }
    const parts = (bob as unknown as { parts: Parts }).parts
    await parts.ctx.repos.state.change(async (tx, change) => { await parts.groupInbox.actions.send(tx, change, group.id, forged, Date.now()) })
    // What Bob sends after it comes after it: once that is in, the forged edit was looked at.
    const after = [alice, carol].map(async m => nextEvent(m, 'message', x => x.text === 'bob after'))
    await bob.send(group.id, 'bob after')
    await Promise.all(after)
    for (const m of [alice, carol]) assert.equal((await shown(m, group.id, target.id))?.text, 'alice writes')
  })

  it('a blocked member\'s reaction is refused', { timeout: 60_000 }, async () => {
    const { alice, bob, carol } = t
    const bobId = bob.identity().userId
    const arrived = [alice, bob].map(async m => nextEvent(m, 'message', x => x.text === 'carol asks'))
    const target = await carol.send(group.id, 'carol asks')
    await Promise.all(arrived)
    await carol.block(bobId)
    const atAlice = about(alice, 'reaction', target.id, r => r.by === bobId)
    await bob.react(target.id, '👎')
    await atAlice
    await carol.unblock(bobId)
    // Bob's outbox to Carol keeps its order: once his next text is in, the reaction was refused.
    const after = nextEvent(carol, 'message', x => x.text === 'bob again')
    await bob.send(group.id, 'bob again')
    await after
    assert.equal((await shown(carol, group.id, target.id))?.reactions, undefined)
    assert.deepEqual((await shown(alice, group.id, target.id))?.reactions, [{ by: bobId, emoji: '👎' }])
  })

  it('a removed member is sent none of the replies, reactions, edits and deletes after the removal', { timeout: 60_000 }, async () => {
    const { alice, bob, carol } = t
    const carolId = carol.identity().userId
    const atBob = nextEvent(bob, 'message', m => m.text === 'before the removal')
    const atCarol = nextEvent(carol, 'message', m => m.text === 'before the removal')
    const before = await alice.send(group.id, 'before the removal')
    await Promise.all([atBob, atCarol])
    const removed = groupReaches(carol, g => g.id === group.id && !g.member)
    const bobKnows = groupReaches(bob, g => g.id === group.id && g.members.length === 2)
    await alice.removeFromGroup(group.id, carolId)
    await Promise.all([removed, bobKnows])

    const atCarolAfter = everythingAt(carol, group.id)
    const bobSees = Promise.all([
      nextEvent(bob, 'message', m => m.text === 'a reply without carol'),
      about(bob, 'reaction', before.id),
      about(bob, 'edit', before.id),
      about(bob, 'delete', before.id)
    ])
    await alice.reply(group.id, before.id, 'a reply without carol')
    await alice.react(before.id, '🎉')
    await alice.edit(before.id, 'edited without carol')
    await alice.deleteMessage(before.id, { everyone: true })
    await bobSees
    // Alice's outbox to Carol keeps its order: once a text sent to her alone is in, anything
    // queued for her before it is too.
    const marker = nextEvent(carol, 'message', m => m.text === 'just to you')
    await alice.send(carolId, 'just to you')
    await marker
    assert.deepEqual(atCarolAfter, [])
    const kept = await shown(carol, group.id, before.id)
    assert.deepEqual([kept?.text, kept?.deleted, kept?.reactions], ['before the removal', undefined, undefined])
  })
})

describe('a group action a member could not open', () => {
  const t = aliceAndFriends()

  it('is sealed again to them, with the sender\'s key, when they ask; one held before its target is not lost', { timeout: 90_000 }, async () => {
    const { alice, bob, carol } = t
    const [bobId, carolId] = [bob, carol].map(m => m.identity().userId) as [string, string]
    const group = await alice.createGroup('Again', [bobId, carolId])
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === group.id && g.members.length === 3)))
    const arrived = [bob, carol].map(async m => nextEvent(m, 'message', x => x.text === 'react to me'))
    const target = await alice.send(group.id, 'react to me')
    await Promise.all(arrived)
    // Carol writes first: she has a session with Bob, who has sent the group nothing yet.
    const atBob = nextEvent(bob, 'message', x => x.text === 'carol was here')
    await carol.send(group.id, 'carol was here')
    await atBob

    // Bob's first group messages (a reaction, a text, a reaction to that text) wait for Carol,
    // offline, behind his sender key.
    const listen = (m: Messenger): string => (m.addresses()[0] as string).replace(/\/p2p\/.*$/, '')
    const [bobListen, carolListen] = [listen(bob), listen(carol)]
    await carol.stop()
    const atAlice = about(alice, 'reaction', target.id)
    await bob.react(target.id, '👍')
    await atAlice
    const own = await bob.send(group.id, 'bob writes')
    await bob.react(own.id, '🎉')
    await bob.stop()
    // All are lost on their way; Carol is handed the group messages alone, without Bob's key, the
    // reaction to his text before the text.
    const lost = await outboxOf(t.dirs[1] as string, 'Bob', carolId, true)
    const parts = lost.filter(e => decodeEnvelope(e).sealed[0] === 0x22).reverse()
    assert.deepEqual([lost.length, parts.length], [4, 3])
    t.bob = await startMessenger(t.dirs[1] as string, 'Bob', { listen: [bobListen] })
    t.carol = await startMessenger(t.dirs[2] as string, 'Carol', { listen: [carolListen] })
    const [theirs, ownReaction] = [about(t.carol, 'reaction', target.id), about(t.carol, 'reaction', own.id)]
    const text = nextEvent(t.carol, 'message', m => m.id === own.id)
    assert.deepEqual(await handTo(t.carol, parts), ['STORED', 'STORED', 'STORED'])
    // Held, she asks Bob, who is not her contact, to seal them again: his key comes, then each;
    // the reaction to his text is not dropped for coming before it.
    assert.deepEqual(await theirs, { contactId: group.id, id: target.id, by: bobId, emoji: '👍', group: group.id })
    assert.equal((await ownReaction).emoji, '🎉')
    await text
    assert.deepEqual((await shown(t.carol, group.id, target.id))?.reactions, [{ by: bobId, emoji: '👍' }])
    assert.deepEqual((await shown(t.carol, group.id, own.id))?.reactions, [{ by: bobId, emoji: '🎉' }])
    assert.deepEqual([await t.carol.requests(), await t.bob.requests()], [[], []])
  })
})
