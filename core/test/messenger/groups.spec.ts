// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Groups between real messengers on loopback: asked, joined, talking both ways through members who
 * are not each other's contacts (shown in the group, never as requests), each message shown once
 * and in each sender's order; a removed member is sent nothing more and opens nothing sent after.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createEphemeralNode } from '../../src/net/ephemeral-node.js'
import { MessageLink } from '../../src/net/message-protocol.js'
import { openStore } from '../../src/storage/index.js'
import { Mutex } from '../../src/messenger/lock.js'
import { keys } from '../../src/messenger/records.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { nextEvent, introduce, startMessenger, tempDir, testOptions } from './helpers.js'
import type { Group, Message, Messenger } from '../../src/messenger/index.js'

/** The envelopes waiting in the outbox of the (stopped) messenger in `dir` for `contactId`. */
async function outboxOf (dir: string, name: string, contactId: string): Promise<Uint8Array[]> {
  const options = testOptions(dir, name)
  const store = await openStore({ dir, keySource: options.keySource, scryptLogN: options.scryptLogN })
  try {
    const repos = new Repositories(new State(store, new Mutex()))
    const envelopes: Uint8Array[] = []
    for await (const entry of repos.outbox.values(keys.outboxOf(contactId))) envelopes.push(entry.envelope)
    return envelopes
  } finally {
    await store.close()
  }
}

/** Hands `envelopes` to `to` on a direct stream from a throwaway node; answers their receipts. */
async function handTo (to: Messenger, envelopes: Uint8Array[]): Promise<string[]> {
  const node = await createEphemeralNode()
  try {
    const addr = multiaddr(to.addresses()[0] as string)
    const link = await MessageLink.open(node, peerIdFromString(to.identity().peerId), 10_000, addr)
    const results = await Promise.all(envelopes.map(async e => link.send(e)))
    link.close()
    return results.map(r => `${r.status}${r.reason != null ? ` ${r.reason}` : ''}`)
  } finally {
    await node.stop()
  }
}

/** Resolves once `m` holds group `id` with `count` members (or, for 0, once it is no member). */
async function groupReaches (m: Messenger, match: (g: Group) => boolean): Promise<Group> {
  const found = (await m.groups()).find(match)
  if (found != null) return found
  return nextEvent(m, 'group', match)
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
  const dirs: Array<{ dir: string, cleanup(): Promise<void> }> = []
  let alice: Messenger, bob: Messenger, carol: Messenger

  before(async () => {
    for (let i = 0; i < 3; i++) dirs.push(await tempDir())
    alice = await startMessenger(dirs[0]!.dir, 'Alice')
    bob = await startMessenger(dirs[1]!.dir, 'Bob')
    carol = await startMessenger(dirs[2]!.dir, 'Carol')
    await introduce(alice, bob)
    await introduce(alice, carol)
  })

  after(async () => {
    await Promise.allSettled([alice, bob, carol].map(async m => m?.stop()))
    for (const d of dirs) await d.cleanup()
  })

  it('members talk both ways, each message shown once in its sender\'s order; a non-contact makes no request', { timeout: 120_000 }, async () => {
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

  it('a removed member is told, and sent nothing after', { timeout: 60_000 }, async () => {
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
  })

  it('a removed member given the envelopes sent after the removal opens none of them', { timeout: 60_000 }, async () => {
    const group = (await alice.groups()).find(g => g.name === 'Friends') as Group
    const bobId = bob.identity().userId
    const carolShown = shownAt(carol, group.id)
    // Bob comes back where Alice knows him: there is no relay here.
    const bobListen = (bob.addresses()[0] as string).replace(/\/p2p\/.*$/, '')
    await bob.stop()
    for (const text of ['after one', 'after two']) await alice.send(group.id, text)
    await alice.stop()
    const envelopes = await outboxOf(dirs[0]!.dir, 'Alice', bobId)
    assert.ok(envelopes.length >= 2, `${envelopes.length} envelopes wait for Bob`)
    const answers = await handTo(carol, envelopes)
    assert.ok(answers.every(a => a.startsWith('REJECTED')), answers.join(', '))
    assert.deepEqual(carolShown.messages, [])
    assert.equal((await carol.history(group.id)).filter(m => m.text.startsWith('after')).length, 0)
    alice = await startMessenger(dirs[0]!.dir, 'Alice')
    bob = await startMessenger(dirs[1]!.dir, 'Bob', { listen: [bobListen] })
    const bobShown = shownAt(bob, group.id)
    await bobShown.until(2)
    assert.deepEqual(bobShown.messages.map(m => m.text), ['after one', 'after two'])
  })
})
