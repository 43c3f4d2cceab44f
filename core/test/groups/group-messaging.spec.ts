// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Membership and sender keys together, with real identities in real stores: members who are not
 * each other's contacts reach each other through the cards in the group, and a removed member
 * reads nothing sent after the removal.
 */
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import { DecryptionError } from '../../src/errors.js'
import { GroupLog, checkGroupSender, createGroup, openGroupMessage } from '../../src/groups/index.js'
import { cleanUp, inTx, newParty, rejection } from '../crypto/fixtures.js'
import { entryOf, sendInGroup } from './parties.js'
import type { Party } from '../crypto/fixtures.js'
import type { GroupMemberEntry } from '../../src/groups/index.js'

const decoder = new TextDecoder()

interface Member { party: Party, log?: GroupLog }

/** `from` sends `text` to its group, handing its sender key to whoever lacks it; returns the parts. */
async function sendToGroup (from: Member, members: Member[], text: string): Promise<{ parts: Map<string, Uint8Array>, reset: boolean }> {
  return await sendInGroup(from.party, members.map(m => m.party), from.log as GroupLog, text)
}

/** `at` opens its part and checks the sender against its own copy of the membership. */
async function read (at: Member, part: Uint8Array): Promise<string> {
  const message = await inTx(at.party.store, async tx => await openGroupMessage(tx, at.party.identity, part))
  checkGroupSender((at.log as GroupLog).state, message)
  return decoder.decode(message.plaintext)
}

describe('groups messaging', () => {
  let alice: Member, bob: Member, carol: Member

  before(async () => {
    const [a, b, c] = await Promise.all([newParty(), newParty(), newParty()])
    alice = { party: a }
    bob = { party: b }
    carol = { party: c }
  })

  after(async () => {
    await cleanUp(alice.party, bob.party, carol.party)
  })

  it('members who are not contacts talk through the cards in the group; a removed one reads nothing after', async () => {
    const [aliceEntry, bobEntry, carolEntry] = await Promise.all([alice, bob, carol].map(async m => await entryOf(m.party)))
    const { log, create } = createGroup(alice.party.identity, { name: 'Friends', creator: aliceEntry as GroupMemberEntry })
    alice.log = log
    const changes = [
      log.propose(alice.party.identity, { type: 'add', member: bobEntry as GroupMemberEntry }),
      log.propose(alice.party.identity, { type: 'add', member: carolEntry as GroupMemberEntry })
    ]
    bob.log = GroupLog.open(create, changes)
    carol.log = GroupLog.open(create, changes)
    const all = [alice, bob, carol]

    const first = await sendToGroup(alice, all, 'hello friends')
    assert.equal(await read(bob, first.parts.get(bob.party.identity.userId) as Uint8Array), 'hello friends')
    assert.equal(await read(carol, first.parts.get(carol.party.identity.userId) as Uint8Array), 'hello friends')
    const fromBob = await sendToGroup(bob, all, 'hi from bob')
    assert.equal(await read(carol, fromBob.parts.get(carol.party.identity.userId) as Uint8Array), 'hi from bob')
    assert.equal(await read(alice, fromBob.parts.get(alice.party.identity.userId) as Uint8Array), 'hi from bob')

    const removal = log.propose(alice.party.identity, { type: 'remove', userId: carol.party.identity.userId })
    assert.equal(bob.log.receive(removal), 'applied')
    assert.equal(carol.log.receive(removal), 'applied')
    assert.equal(carol.log.state.members.has(carol.party.identity.userId), false, 'Carol sees she was removed')

    const afterAlice = await sendToGroup(alice, all, 'without carol')
    const afterBob = await sendToGroup(bob, all, 'still without carol')
    assert.equal(afterAlice.reset && afterBob.reset, true)
    assert.deepEqual([...afterAlice.parts.keys()], [bob.party.identity.userId])
    for (const part of [...afterAlice.parts.values(), ...afterBob.parts.values()]) {
      await rejection(openGroupMessage(carol.party.store.transaction(), carol.party.identity, part), DecryptionError)
    }
    assert.equal(await read(bob, afterAlice.parts.get(bob.party.identity.userId) as Uint8Array), 'without carol')
    assert.equal(await read(alice, afterBob.parts.get(alice.party.identity.userId) as Uint8Array), 'still without carol')

    // Carol's sender key still opens at Bob's, but she is no member any more.
    const carolStale = { ...carol, log: GroupLog.open(create, changes) }
    const fromCarol = await sendToGroup(carolStale, all, 'am I still here?')
    const stale = await inTx(bob.party.store, async tx => await openGroupMessage(tx, bob.party.identity, fromCarol.parts.get(bob.party.identity.userId) as Uint8Array))
    assert.equal(decoder.decode(stale.plaintext), 'am I still here?')
    assert.throws(() => { checkGroupSender(bob.log?.state as GroupLog['state'], stale) }, DecryptionError)
    assert.doesNotThrow(() => { checkGroupSender(carolStale.log.state, stale) })
  })
})
