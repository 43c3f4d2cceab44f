// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Groups between real messengers on loopback: asked, joined, talking both ways through members who
 * are not each other's contacts (shown in the group, never as requests), each message shown once
 * and in each sender's order; a removed member is sent nothing more and opens nothing sent after.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { groupDecrypt, sealedSenderDecryptToUsmc } from '@signalapp/libsignal-client'
import { addressOf, createSignalStores, loadLocalIdentity } from '../../src/crypto/index.js'
import { SottoSenderKeyStore } from '../../src/groups/index.js'
import { decodeEnvelope } from '../../src/protocol/index.js'
import { toHex } from '../../src/util/index.js'
import { openStore } from '../../src/storage/index.js'
import { aliceAndFriends, groupReaches, handTo, outboxOf } from './group-helpers.js'
import { nextEvent, startMessenger, testOptions } from './helpers.js'
import type { Group, Message, Messenger } from '../../src/messenger/index.js'

/** Runs `fn` on the store and identity of the (stopped) messenger in `dir`, in a transaction never committed. */
async function inStoreOf<R> (dir: string, name: string, fn: (stores: ReturnType<typeof createSignalStores>) => Promise<R>): Promise<R> {
  const options = testOptions(dir, name)
  const store = await openStore({ dir, keySource: options.keySource, scryptLogN: options.scryptLogN })
  try {
    const identity = await loadLocalIdentity(store)
    if (identity == null) throw new Error(`no identity in ${dir}`)
    return await fn(createSignalStores(store.transaction(), identity))
  } finally {
    await store.close()
  }
}

/** The sender-key messages inside group envelopes (parts sealed to the stopped messenger in `dir`). */
async function senderKeyMessagesOf (dir: string, name: string, envelopes: Uint8Array[]): Promise<Array<Uint8Array<ArrayBuffer>>> {
  return inStoreOf(dir, name, async stores => {
    const inner: Array<Uint8Array<ArrayBuffer>> = []
    for (const e of envelopes) {
      const { sealed } = decodeEnvelope(e)
      if (sealed[0] !== 0x22) continue
      inner.push(new Uint8Array((await sealedSenderDecryptToUsmc(new Uint8Array(sealed), stores.identity)).contents()))
    }
    return inner
  })
}

/** How many of `messages` (sender-key messages of `senderId`) the stopped messenger in `dir` decrypts with the keys it holds. */
async function decryptable (dir: string, name: string, senderId: string, messages: Array<Uint8Array<ArrayBuffer>>): Promise<number> {
  return inStoreOf(dir, name, async stores => {
    let opened = 0
    for (const m of messages) {
      try {
        await groupDecrypt(addressOf(senderId), new SottoSenderKeyStore(stores.context), m)
        opened++
      } catch {
        // Not with these keys.
      }
    }
    return opened
  })
}

/** Resolves once message `id` of conversation `ref` at `m` satisfies `match` (looked at again on each of its status events). */
async function messageReaches (m: Messenger, ref: string, id: string, match: (msg: Message) => boolean): Promise<Message> {
  return new Promise((resolve, reject) => {
    const look = (): void => {
      m.history(ref).then(all => {
        const msg = all.find(x => x.id === id)
        if (msg != null && match(msg)) {
          m.off('status', onStatus)
          resolve(msg)
        }
      }, reject)
    }
    const onStatus = (s: { id: string }): void => { if (s.id === id) look() }
    m.on('status', onStatus)
    look()
  })
}

/** Collects group messages shown at `m` until `count` have come. */
function shownAt (m: Messenger, groupId: string): { messages: Message[], until(count: number): Promise<void> } {
  const messages: Message[] = []
  let wake = (): void => {}
  m.on('message', msg => {
    if (msg.groupId === groupId) {
      messages.push(msg)
      wake()
    }
  })
  return {
    messages,
    async until (count) {
      while (messages.length < count) await new Promise<void>(resolve => { wake = resolve })
    }
  }
}

describe('groups between messengers', () => {
  const t = aliceAndFriends()

  it('members talk both ways, each message shown once in its sender\'s order; a non-contact makes no request', { timeout: 120_000 }, async () => {
    const { alice, bob, carol } = t
    const [bobId, carolId] = [bob.identity().userId, carol.identity().userId]
    const created = await alice.createGroup('Friends', [bobId, carolId])
    assert.deepEqual(created.invited.sort(), [bobId, carolId].sort())
    const full = (g: Group): boolean => g.id === created.id && g.members.length === 3
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, full)))

    const shown = [alice, bob, carol].map(m => shownAt(m, created.id))
    const PER_SENDER = 5
    for (let i = 0; i < PER_SENDER; i++) {
      await alice.send('Friends', `alice ${i}`)
      await bob.send(created.id, `bob ${i}`)
      await carol.send(created.id, `carol ${i}`)
    }
    const names = ['alice', 'bob', 'carol']
    for (const [index, s] of shown.entries()) {
      await s.until(2 * PER_SENDER)
      const senders = names.filter((_, i) => i !== index)
      for (const sender of senders) {
        const texts = s.messages.filter(m => m.text.startsWith(sender)).map(m => m.text)
        assert.deepEqual(texts, Array.from({ length: PER_SENDER }, (_, i) => `${sender} ${i}`), `${names[index]} shows ${sender}'s messages once, in order`)
      }
    }
    const history = await bob.history('Friends')
    assert.equal(history.length, 3 * PER_SENDER)
    assert.ok(history.every(m => m.groupId === created.id && m.senderId != null))
    // Bob and Carol are not each other's contacts, and no request was made.
    assert.deepEqual((await bob.contacts()).map(c => c.displayName), ['Alice'])
    assert.deepEqual(await bob.requests(), [])
    assert.deepEqual(await carol.requests(), [])
    const own = (await alice.history(created.id)).filter(m => m.direction === 'out')
    const last = await alice.waitForState(own.at(-1)!.id, ['delivered'], 30_000)
    assert.equal(last.deliveredCount, 2)
    assert.equal(last.recipientCount, 2)
  })

  it('an admin makes a member admin; each member\'s timeline names every change, and only admins make them', { timeout: 60_000 }, async () => {
    const { alice, bob, carol } = t
    const group = (await alice.groups()).find(g => g.name === 'Friends') as Group
    const [aliceId, bobId, carolId] = [alice.identity().userId, bob.identity().userId, carol.identity().userId]
    await assert.rejects(carol.makeGroupAdmin(group.id, bobId), { name: 'NotGroupAdminError' })
    const atCarol = groupReaches(carol, g => g.id === group.id && g.members.some(m => m.id === bobId && m.admin))
    const made = await alice.makeGroupAdmin(group.id, 'Bob')
    assert.equal(made.members.find(m => m.id === bobId)?.admin, true)
    await atCarol
    await assert.rejects(alice.makeGroupAdmin(group.id, bobId), { name: 'GroupChangeRefusedError' })
    const timeline = await carol.groupChanges(group.id)
    const added = timeline.filter(c => c.type === 'added').map(c => [c.by, c.member, c.memberName]).sort()
    assert.deepEqual(timeline.map(c => c.type), ['created', 'added', 'added', 'made-admin'])
    assert.deepEqual(timeline[0], { ...timeline[0], type: 'created', by: aliceId, byName: 'Alice', name: 'Friends' })
    assert.deepEqual(added, [[aliceId, bobId, 'Bob'], [aliceId, carolId, 'Carol']].sort())
    assert.deepEqual(timeline[3], { ...timeline[3], by: aliceId, member: bobId, memberName: 'Bob' })
    assert.ok(timeline.every((c, i) => i === 0 || c.at >= (timeline[0]?.at ?? 0)))
  })

  it('a removed member is told, and sent nothing after', { timeout: 60_000 }, async () => {
    const { alice, bob, carol } = t
    const group = (await alice.groups()).find(g => g.name === 'Friends') as Group
    const carolId = carol.identity().userId
    const removed = groupReaches(carol, g => g.id === group.id && !g.member)
    const atBob = groupReaches(bob, g => g.id === group.id && g.members.length === 2)
    await alice.removeFromGroup(group.id, carolId)
    await removed
    await atBob
    const carolShown = shownAt(carol, group.id)
    const bobShown = shownAt(bob, group.id)
    const sent = await alice.send(group.id, 'without carol')
    assert.equal(sent.recipientCount, 1)
    await bobShown.until(1)
    assert.equal(bobShown.messages[0]?.text, 'without carol')
    await assert.rejects(carol.send(group.id, 'am I here?'), { name: 'GroupChangeRefusedError' })
    assert.deepEqual(carolShown.messages, [])
    assert.deepEqual((await carol.groupChanges(group.id)).at(-1), { ...(await carol.groupChanges(group.id)).at(-1), type: 'removed', member: carolId, memberName: 'Carol' })
  })

  it('a removed member given the envelopes sent after the removal opens none of them', { timeout: 60_000 }, async () => {
    const { alice, bob, carol } = t
    const group = (await alice.groups()).find(g => g.name === 'Friends') as Group
    const bobId = bob.identity().userId
    const carolShown = shownAt(carol, group.id)
    // Bob comes back where Alice knows him: there is no relay here.
    const bobListen = (bob.addresses()[0] as string).replace(/\/p2p\/.*$/, '')
    await bob.stop()
    const after: string[] = []
    for (const text of ['after one', 'after two']) after.push((await alice.send(group.id, text)).id)
    await alice.stop()
    const envelopes = await outboxOf(t.dirs[0] as string, 'Alice', bobId)
    assert.ok(envelopes.length >= 2, `${envelopes.length} envelopes wait for Bob`)
    const answers = await handTo(carol, envelopes)
    assert.ok(answers.every(a => a.startsWith('REJECTED')), answers.join(', '))
    assert.deepEqual(carolShown.messages, [])
    assert.equal((await carol.history(group.id)).filter(m => m.text.startsWith('after')).length, 0)
    // Opened for her by someone who holds Bob's key, they stay closed to every key Carol kept.
    await carol.stop()
    const inner = await senderKeyMessagesOf(t.dirs[1] as string, 'Bob', envelopes.filter(e => after.includes(toHex(decodeEnvelope(e).id))))
    assert.equal(inner.length, 2)
    const aliceId = alice.identity().userId
    assert.equal(await decryptable(t.dirs[1] as string, 'Bob', aliceId, inner), 2, 'Bob\'s keys open them')
    assert.equal(await decryptable(t.dirs[2] as string, 'Carol', aliceId, inner), 0, 'the removal reset Alice\'s sender key')
    t.carol = await startMessenger(t.dirs[2] as string, 'Carol')
    t.alice = await startMessenger(t.dirs[0] as string, 'Alice')
    t.bob = await startMessenger(t.dirs[1] as string, 'Bob', { listen: [bobListen] })
    const bobShown = shownAt(t.bob, group.id)
    await bobShown.until(2)
    assert.deepEqual(bobShown.messages.map(m => m.text), ['after one', 'after two'])
  })
})

describe('groups: limits, timers, blocking and leaving', () => {
  const t = aliceAndFriends()

  it('refuses members beyond the group\'s limit with GroupFullError', async () => {
    const { alice, bob, carol } = t
    const [bobId, carolId] = [bob.identity().userId, carol.identity().userId]
    await assert.rejects(alice.createGroup('Pair', [bobId, carolId], { maxMembers: 2 }), { name: 'GroupFullError' })
    const pair = await alice.createGroup('Pair', [bobId], { maxMembers: 2 })
    await assert.rejects(alice.addToGroup(pair.id, carolId), { name: 'GroupFullError' })
  })

  it('a timer travels with texts; a blocked member is hidden and sent nothing; a member leaves', { timeout: 90_000 }, async () => {
    const { alice, bob, carol } = t
    const [aliceId, bobId, carolId] = [alice.identity().userId, bob.identity().userId, carol.identity().userId]
    const trio = await alice.createGroup('Trio', [bobId, carolId], { maxMembers: 3 })
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === trio.id && g.members.length === 3)))

    await alice.setGroupDisappearing(trio.id, 3600)
    const atBob = shownAt(bob, trio.id)
    const timed = await alice.send(trio.id, 'for an hour')
    assert.ok(timed.expiresAt != null && timed.expiresAt - timed.sentAt === 3_600_000)
    await atBob.until(1)
    assert.ok(atBob.messages[0]?.expiresAt != null)
    assert.equal((await bob.group(trio.id)).disappearingSeconds, 3600)

    // Carol blocks Bob, who is not her contact: she sends him nothing and shows nothing of his.
    await carol.block(bobId)
    const fromCarol = await carol.send(trio.id, 'not for bob')
    assert.equal(fromCarol.recipientCount, 1)
    const atCarol = shownAt(carol, trio.id)
    const atAlice = shownAt(alice, trio.id)
    const hidden = await bob.send(trio.id, 'hidden from carol')
    await atAlice.until(1)
    await messageReaches(bob, trio.id, hidden.id, m => m.refusedCount === 1)
    await carol.unblock(bobId)
    await bob.send(trio.id, 'after the unblock')
    await atCarol.until(1)
    assert.deepEqual(atCarol.messages.map(m => m.text), ['after the unblock'])

    const left = groupReaches(alice, g => g.id === trio.id && g.members.length === 2)
    const gone = await bob.leaveGroup(trio.id)
    assert.equal(gone.member, false)
    await left
    const afterLeave = await alice.send(trio.id, 'without bob')
    assert.deepEqual([afterLeave.recipientCount, (await alice.group(trio.id)).members.map(m => m.id).sort()], [1, [aliceId, carolId].sort()])
  })

  it('an admin renames the group: every member shows the new name, its timeline the change, and sends by it; others may not', { timeout: 90_000 }, async () => {
    const { alice, bob, carol } = t
    const [aliceId, bobId, carolId] = [alice.identity().userId, bob.identity().userId, carol.identity().userId]
    const club = await alice.createGroup('Book club', [bobId, carolId])
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === club.id && g.members.length === 3)))
    await assert.rejects(carol.renameGroup(club.id, 'Carol\'s club'), { name: 'NotGroupAdminError' })
    await assert.rejects(alice.renameGroup(club.id, '   '), { name: 'InvalidInputError' })
    await assert.rejects(alice.renameGroup(club.id, 'x'.repeat(1000)), { name: 'InvalidInputError' })
    const renamed = [alice, bob, carol].map(async m => nextEvent(m, 'group', g => g.id === club.id && g.name === 'Reading circle'))
    const made = await alice.renameGroup('Book club', 'Reading circle')
    assert.equal(made.name, 'Reading circle')
    await Promise.all(renamed)
    for (const m of [alice, bob, carol]) {
      assert.equal((await m.group(club.id)).name, 'Reading circle')
      const last = (await m.groupChanges(club.id)).at(-1)
      assert.deepEqual(last, { ...last, type: 'renamed', by: aliceId, byName: 'Alice', name: 'Reading circle', previousName: 'Book club' })
      await assert.rejects(m.group('Book club'), { name: 'NotFoundError' })
    }
    assert.equal((await carol.group(club.id)).members.length, 3)
    const atAlice = shownAt(alice, club.id)
    await bob.send('Reading circle', 'by its new name')
    await atAlice.until(1)
    assert.equal(atAlice.messages[0]?.text, 'by its new name')
    await assert.rejects(alice.renameGroup(club.id, 'Reading circle'), { name: 'GroupChangeRefusedError' })
    // A group named as a contact is: a send by that name goes to neither.
    await alice.renameGroup(club.id, 'Bob')
    await assert.rejects(alice.send('Bob', 'for Bob alone'), { name: 'InvalidInputError' })
    assert.equal((await alice.history(club.id)).filter(m => m.text === 'for Bob alone').length, 0)
    await alice.renameGroup(club.id, 'Reading circle')
  })

  it('a message that comes before its sender key, from a member with no session yet, waits for the key', { timeout: 90_000 }, async () => {
    const { alice, bob, carol } = t
    const [bobId, carolId] = [bob.identity().userId, carol.identity().userId]
    const early = await alice.createGroup('Early', [bobId, carolId])
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === early.id && g.members.length === 3)))
    // Carol is away when Bob, who never wrote to her, writes first: his key and text wait for her.
    const [bobListen, carolListen] = [bob, carol].map(m => (m.addresses()[0] as string).replace(/\/p2p\/.*$/, ''))
    await carol.stop()
    const sent = await bob.send(early.id, 'first from bob')
    await bob.stop()
    const envelopes = await outboxOf(t.dirs[1] as string, 'Bob', carolId, true)
    const part = envelopes.filter(e => decodeEnvelope(e).sealed[0] === 0x22)
    assert.equal(part.length, 1)
    t.carol = await startMessenger(t.dirs[2] as string, 'Carol', { listen: [carolListen as string] })
    const shown = shownAt(t.carol, early.id)
    // The text first: kept, though she cannot ask Bob for his key (there is no session to ask on).
    assert.deepEqual(await handTo(t.carol, part), ['STORED'])
    assert.equal(shown.messages.length, 0)
    // Then the key: the text shows, once.
    assert.ok((await handTo(t.carol, envelopes.filter(e => !part.includes(e)))).every(r => r === 'STORED'))
    await shown.until(1)
    assert.deepEqual(shown.messages.map(m => [m.id, m.text]), [[sent.id, 'first from bob']])
    t.bob = await startMessenger(t.dirs[1] as string, 'Bob', { listen: [bobListen as string] })
  })

  it('a member who introduces themselves is a request, and the group goes on both ways', { timeout: 90_000 }, async () => {
    const { alice, bob, carol } = t
    const [bobId, carolId] = [bob.identity().userId, carol.identity().userId]
    const again = await alice.createGroup('Again', [bobId, carolId])
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === again.id && g.members.length === 3)))
    const request = nextEvent(bob, 'request')
    await carol.addContact(await bob.invite())
    assert.equal((await request).id, carolId)
    const atBob = shownAt(bob, again.id)
    const atCarol = shownAt(carol, again.id)
    await carol.send(again.id, 'after my introduction')
    await bob.send(again.id, 'while you wait as a request')
    await atBob.until(1)
    await atCarol.until(1)
    assert.deepEqual([atBob.messages[0]?.text, atCarol.messages[0]?.text], ['after my introduction', 'while you wait as a request'])
    assert.deepEqual((await bob.requests()).map(r => r.id), [carolId])
  })
})
