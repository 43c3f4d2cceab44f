// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { before, describe, it } from 'node:test'
import { IdentityKeyPair } from '@signalapp/libsignal-client'
import {
  BadSignatureError, GroupChangeRefusedError, GroupFullError, GroupVersionError, InvalidInputError,
  NotGroupAdminError, TooLargeError
} from '../../src/errors.js'
import { GroupLog, MAX_GROUP_CHANGE_BYTES, createGroup, decodeGroupChange, signGroupChange } from '../../src/groups/index.js'
import { signInviteCard } from '../../src/protocol/index.js'
import { makeCard, makeIdentity } from '../protocol/fixtures.js'
import { people } from './fixtures.js'
import type { GroupAction } from '../../src/groups/index.js'
import type { Someone } from './fixtures.js'

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** A change on `log`'s current state with chosen version and previous hash, signed by `by`. */
function craft (log: GroupLog, by: Someone, action: GroupAction, tweak: { version?: number, previousHash?: Uint8Array } = {}): Uint8Array {
  return signGroupChange({
    groupId: log.groupId,
    version: tweak.version ?? log.state.version + 1,
    previousHash: tweak.previousHash ?? log.state.hash,
    parents: [...log.heads],
    author: by.signer.userId,
    createdAt: 1,
    action
  }, by.signer.keyPair)
}

describe('groups membership log', () => {
  let p: Someone[]
  let alice: Someone, bob: Someone, carol: Someone, dave: Someone

  before(async () => {
    p = await people(6)
    ;[alice, bob, carol, dave] = p as [Someone, Someone, Someone, Someone]
  })

  /** Alice's group with Bob (admin) and Carol; the changes so far. */
  function aliceGroup (maxMembers?: number): { log: GroupLog, create: Uint8Array, changes: Uint8Array[] } {
    const { log, create } = createGroup(alice.signer, { name: 'Family', creator: alice.entry, now: 1, ...(maxMembers === undefined ? {} : { maxMembers }) })
    const changes = [
      log.propose(alice.signer, { type: 'add', member: bob.entry }),
      log.propose(alice.signer, { type: 'add', member: carol.entry }),
      log.propose(alice.signer, { type: 'make-admin', userId: bob.signer.userId })
    ]
    return { log, create, changes }
  }

  it('starts with its creator as the only admin, and every member replays it to the same state', () => {
    const { log, create, changes } = aliceGroup()
    assert.equal(log.state.version, 4)
    assert.equal(log.state.name, 'Family')
    assert.deepEqual([...log.state.members.values()].filter(m => m.admin).map(m => m.userId).sort(),
      [alice.signer.userId, bob.signer.userId].sort())
    assert.equal(log.state.members.get(carol.signer.userId)?.admin, false)
    assert.deepEqual(log.state.members.get(carol.signer.userId)?.depositToken, new Uint8Array(carol.entry.depositToken))
    assert.deepEqual(log.state.members.get(carol.signer.userId)?.cardBytes, new Uint8Array(carol.entry.card))
    const replica = GroupLog.open(create, changes)
    assert.equal(hex(replica.state.hash), hex(log.state.hash))
    assert.deepEqual(replica.changes().map(hex), log.changes().map(hex))
  })

  it('renames, removes and lets a member leave; the state hash follows every change', () => {
    const { log } = aliceGroup()
    const hashes = new Set([hex(log.state.hash)])
    log.propose(bob.signer, { type: 'rename', name: 'Family 2' })
    hashes.add(hex(log.state.hash))
    log.propose(bob.signer, { type: 'remove', userId: alice.signer.userId })
    hashes.add(hex(log.state.hash))
    log.propose(carol.signer, { type: 'leave' })
    hashes.add(hex(log.state.hash))
    assert.equal(hashes.size, 4)
    assert.equal(log.state.name, 'Family 2')
    assert.deepEqual([...log.state.members.keys()], [bob.signer.userId])
  })

  it('refuses changes by someone without the right', () => {
    const { log } = aliceGroup()
    assert.throws(() => log.receive(craft(log, carol, { type: 'add', member: dave.entry })), NotGroupAdminError)
    assert.throws(() => log.receive(craft(log, carol, { type: 'remove', userId: bob.signer.userId })), NotGroupAdminError)
    assert.throws(() => log.receive(craft(log, carol, { type: 'rename', name: 'Mine' })), NotGroupAdminError)
    assert.throws(() => log.receive(craft(log, dave, { type: 'leave' })), NotGroupAdminError)
    assert.equal(log.state.version, 4)
  })

  it('refuses a change whose signature is not its author\'s', () => {
    const { log } = aliceGroup()
    const mallory: Someone = { signer: { userId: alice.signer.userId, keyPair: IdentityKeyPair.generate() }, entry: dave.entry }
    assert.throws(() => log.receive(craft(log, mallory, { type: 'add', member: dave.entry })), BadSignatureError)
    const good = craft(log, alice, { type: 'add', member: dave.entry })
    const flipped = new Uint8Array(good)
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1
    assert.throws(() => log.receive(flipped), BadSignatureError)
  })

  it('refuses a change whose version or previous-state hash does not follow the state it names', () => {
    const { log } = aliceGroup()
    assert.throws(() => log.receive(craft(log, alice, { type: 'rename', name: 'x' }, { version: 4 })), GroupVersionError)
    assert.throws(() => log.receive(craft(log, alice, { type: 'rename', name: 'x' }, { version: 6 })), GroupVersionError)
    assert.throws(() => log.receive(craft(log, alice, { type: 'rename', name: 'x' }, { previousHash: new Uint8Array(32).fill(7) })), GroupVersionError)
  })

  it('refuses changes that do not apply, a second create, and another group\'s changes', () => {
    const { log, create } = aliceGroup()
    assert.throws(() => log.receive(craft(log, alice, { type: 'add', member: bob.entry })), GroupChangeRefusedError)
    assert.throws(() => log.receive(craft(log, alice, { type: 'remove', userId: dave.signer.userId })), GroupChangeRefusedError)
    assert.throws(() => log.receive(craft(log, alice, { type: 'remove', userId: alice.signer.userId })), GroupChangeRefusedError)
    assert.throws(() => log.receive(craft(log, alice, { type: 'make-admin', userId: bob.signer.userId })), GroupChangeRefusedError)
    assert.equal(log.receive(create), 'duplicate')
    const other = createGroup(alice.signer, { name: 'Other', creator: alice.entry })
    assert.throws(() => log.receive(other.create), GroupChangeRefusedError)
    assert.throws(() => log.receive(other.log.propose(alice.signer, { type: 'add', member: dave.entry })), GroupChangeRefusedError)
  })

  it('keeps an admin: the last one cannot leave while members remain', () => {
    const { log, create } = aliceGroup()
    log.propose(alice.signer, { type: 'leave' })
    assert.throws(() => log.propose(bob.signer, { type: 'leave' }), GroupChangeRefusedError)
    const solo = GroupLog.open(create)
    solo.propose(alice.signer, { type: 'leave' })
    assert.equal(solo.state.members.size, 0)
  })

  it('holds a group to its member limit, at most 100, with a clear error', () => {
    const { log } = aliceGroup(3)
    assert.throws(() => log.propose(alice.signer, { type: 'add', member: dave.entry }), GroupFullError)
    assert.throws(() => createGroup(alice.signer, { name: 'Big', creator: alice.entry, maxMembers: 101 }), InvalidInputError)
    assert.throws(() => createGroup(alice.signer, { name: 'None', creator: alice.entry, maxMembers: 0 }), InvalidInputError)
  })

  it('takes 100 members by default and refuses the 101st; a member catches up in any order', async () => {
    const crowd = await people(100)
    const { log, create } = createGroup(crowd[0]?.signer as Someone['signer'], { name: 'Hundred', creator: (crowd[0] as Someone).entry })
    const adds = crowd.slice(1).map(m => log.propose((crowd[0] as Someone).signer, { type: 'add', member: m.entry }))
    assert.equal(log.state.members.size, 100)
    assert.throws(() => log.propose((crowd[0] as Someone).signer, { type: 'add', member: dave.entry }), GroupFullError)
    const late = GroupLog.open(create, [...adds].reverse())
    assert.equal(hex(late.state.hash), hex(log.state.hash))
  })

  it('refuses oversized changes before decoding, and cards that offer a one-time prekey', async () => {
    const { log } = aliceGroup()
    assert.throws(() => log.receive(new Uint8Array(MAX_GROUP_CHANGE_BYTES + 1)), TooLargeError)
    assert.throws(() => log.receive(new Uint8Array([0xff, 0xff, 0xff])), InvalidInputError)
    const who = await makeIdentity()
    const card = signInviteCard(makeCard(who), who.identityKey)
    assert.throws(() => log.propose(alice.signer, { type: 'add', member: { card, depositToken: new Uint8Array(8) } }), InvalidInputError)
  })

  it('holds a change whose parent has not arrived, and applies both once it has', () => {
    const { log, create, changes } = aliceGroup()
    const late = log.propose(bob.signer, { type: 'add', member: dave.entry })
    const replica = GroupLog.open(create, changes.slice(0, 2))
    assert.equal(replica.receive(late), 'pending')
    assert.equal(replica.state.members.has(dave.signer.userId), false)
    assert.equal(replica.receive(changes[2] as Uint8Array), 'applied')
    assert.equal(hex(replica.state.hash), hex(log.state.hash))
    assert.equal(replica.isApplied(decodeGroupChange(late).id), true)
  })

  it('resolves two admins\' concurrent changes by change id, the same whatever the arrival order', () => {
    const { create, changes } = aliceGroup()
    const a = GroupLog.open(create, changes)
    const b = GroupLog.open(create, changes)
    const byAlice = a.propose(alice.signer, { type: 'rename', name: 'Alice\'s' })
    const byBob = b.propose(bob.signer, { type: 'rename', name: 'Bob\'s' })
    a.receive(byBob)
    b.receive(byAlice)
    assert.equal(hex(a.state.hash), hex(b.state.hash))
    assert.equal(a.state.version, 6, 'both apply, the later on top of the earlier')
    const aliceFirst = decodeGroupChange(byAlice).id < decodeGroupChange(byBob).id
    assert.equal(a.state.name, aliceFirst ? 'Bob\'s' : 'Alice\'s')
  })

  it('voids a removed admin\'s concurrent changes, whatever their id', () => {
    const { create, changes } = aliceGroup()
    const a = GroupLog.open(create, changes)
    const b = GroupLog.open(create, changes)
    const removal = a.propose(alice.signer, { type: 'remove', userId: bob.signer.userId })
    const removalId = decodeGroupChange(removal).id
    // Bob signs on the state before his removal until his change sorts first: the tie-break alone would let it win.
    let backdated: Uint8Array
    do {
      backdated = craft(b, bob, { type: 'remove', userId: carol.signer.userId })
    } while (decodeGroupChange(backdated).id > removalId)
    for (const order of [[removal, backdated], [backdated, removal]]) {
      const log = GroupLog.open(create, [...changes, ...order])
      assert.equal(log.state.members.has(bob.signer.userId), false)
      assert.equal(log.state.members.has(carol.signer.userId), true)
      assert.equal(log.isApplied(decodeGroupChange(backdated).id), false)
    }
  })

  it('keeps both admins when each removes the other at once', () => {
    const { create, changes } = aliceGroup()
    const a = GroupLog.open(create, changes)
    const b = GroupLog.open(create, changes)
    const byAlice = a.propose(alice.signer, { type: 'remove', userId: bob.signer.userId })
    const byBob = b.propose(bob.signer, { type: 'remove', userId: alice.signer.userId })
    a.receive(byBob)
    b.receive(byAlice)
    assert.equal(hex(a.state.hash), hex(b.state.hash))
    assert.equal(a.state.members.has(alice.signer.userId) && a.state.members.has(bob.signer.userId), true)
    a.propose(alice.signer, { type: 'remove', userId: bob.signer.userId })
    assert.equal(a.state.members.has(bob.signer.userId), false, 'a later removal, seen by nobody\'s concurrent change, holds')
  })
})
