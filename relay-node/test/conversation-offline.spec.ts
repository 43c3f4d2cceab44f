// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Replies, reactions, edits, deletes and read receipts made while the other side is offline travel
 * through `sotto-relay` (a child process) like texts and apply when it returns; typing indicators
 * are never left at the relay.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { Fleet, introduce, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Message, Messenger } from '@sotto/core'

const ENVELOPES = /^sotto_relay_envelopes (\d+)/m

describe('conversation actions through sotto-relay', () => {
  const fleet = new Fleet()
  let relay: RelayProcess

  before(async () => { relay = await startRelay() })
  after(async () => {
    await fleet.cleanup()
    // Killed outright: nothing of its state matters after these tests.
    if (relay?.proc.exitCode === null) await relay.kill9()
    await removeDir(relay?.dataDir)
  })

  /** A message of `m`'s conversation with `contact`, as shown now. */
  async function shown (m: Messenger, contact: string, id: string): Promise<Message | undefined> {
    return (await m.history(contact)).find(x => x.id === id)
  }

  it('reply, reaction, edit, delete and read receipts reach the other side after it was offline', { timeout: 120_000 }, async () => {
    const [aliceDir, bobDir] = [await fleet.dir(), await fleet.dir()]
    let alice = await fleet.start(aliceDir, 'Alice', { relays: [relay.tcp] })
    let bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await alice.updateSettings({ readReceipts: true })
    await bob.updateSettings({ readReceipts: true })
    const question = nextEvent(alice, 'message', m => m.text === 'dinner on friday?')
    await bob.send(aliceAtBob, 'dinner on friday?')
    const q = (await question).id
    const firstArrived = nextEvent(bob, 'message', m => m.text === 'the menu: soup')
    const menu = await alice.send(bobAtAlice, 'the menu: soup')
    await firstArrived
    const secondArrived = nextEvent(bob, 'message', m => m.text === 'a typo to take back')
    const typo = await alice.send(bobAtAlice, 'a typo to take back')
    await secondArrived

    await fleet.stop(bob)
    const reply = await alice.reply(bobAtAlice, q, 'yes, friday')
    await alice.react(q, '🎉')
    await alice.edit(menu.id, 'the menu: soup and bread')
    await alice.deleteMessage(typo.id, { everyone: true })
    const last = await alice.send(bobAtAlice, 'see you')
    assert.equal((await alice.waitForState(last.id, ['sent'], 30_000)).state, 'sent', 'left at the relay')

    bob = await fleet.start(bobDir, 'Bob')
    await until(async () => (await shown(bob, aliceAtBob, last.id)) != null, 'the last text at Bob')
    await until(async () => (await shown(bob, aliceAtBob, typo.id))?.deleted === true, 'the delete at Bob')
    assert.equal((await shown(bob, aliceAtBob, reply.id))?.replyTo, q)
    assert.deepEqual((await shown(bob, aliceAtBob, q))?.reactions, [{ by: aliceAtBob, emoji: '🎉' }])
    assert.equal((await shown(bob, aliceAtBob, menu.id))?.text, 'the menu: soup and bread')
    assert.equal((await shown(bob, aliceAtBob, typo.id))?.text, '')

    // Now Alice is away while Bob reads: his read receipt waits at the relay for her.
    await fleet.stop(alice)
    await bob.markRead(aliceAtBob)
    const witness = await bob.send(aliceAtBob, 'read them all')
    assert.equal((await bob.waitForState(witness.id, ['sent'], 30_000)).state, 'sent')
    alice = await fleet.start(aliceDir, 'Alice')
    await until(async () => (await shown(alice, bobAtAlice, last.id))?.state === 'read', 'read state at Alice')
    assert.equal((await shown(alice, bobAtAlice, reply.id))?.state, 'read')
    assert.equal((await shown(alice, bobAtAlice, menu.id))?.state, 'read')
  })

  it('a typing indicator to an offline contact is not left at the relay', { timeout: 90_000 }, async () => {
    const [aliceDir, bobDir] = [await fleet.dir(), await fleet.dir()]
    const alice = await fleet.start(aliceDir, 'Alice', { relays: [relay.tcp] })
    const bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const { bobAtAlice } = await introduce(alice, bob)
    await alice.updateSettings({ typingIndicators: true })
    await bob.updateSettings({ typingIndicators: true })
    await fleet.stop(bob)

    const before = await metric(relay, ENVELOPES)
    await alice.typing(bobAtAlice, true)
    assert.equal(await metric(relay, ENVELOPES), before, 'nothing deposited for the typing indicator')
    const text = await alice.send(bobAtAlice, 'typed while you were away')
    await alice.waitForState(text.id, ['sent'], 30_000)
    assert.equal(await metric(relay, ENVELOPES), before + 1, 'the text after it was')
  })
})
