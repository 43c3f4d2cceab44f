// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import { sealedSenderDecryptToUsmc } from '@signalapp/libsignal-client'
import { createSignalStores, seal, unseal } from '../../src/crypto/index.js'
import { DecryptionError, DuplicateEnvelopeError, InvalidInputError, MissingSenderKeyError } from '../../src/errors.js'
import {
  markSenderKeyDistributed, openGroupMessage, prepareGroupSend, processSenderKeyDistribution, sealForGroup
} from '../../src/groups/index.js'
import { cleanUp, connect, inTx, newParty, rejection } from '../crypto/fixtures.js'
import type { Party } from '../crypto/fixtures.js'
import { canDecrypt, distribute, recipient } from './parties.js'
import type { GroupSendPlan } from '../../src/groups/index.js'

const GROUP = 'a1'.repeat(16)
const OTHER_GROUP = 'b2'.repeat(16)
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** `from` readies its sender key for `to` and sends it one to one to those who lack it. */
async function distributeTo (from: Party, to: Party[], groupId = GROUP): Promise<GroupSendPlan> {
  return await distribute(from, to, groupId)
}

async function sendToGroup (from: Party, to: Party[], text: string, groupId = GROUP): Promise<Map<string, Uint8Array>> {
  return await inTx(from.store, async tx => await sealForGroup(tx, from.identity, groupId, to.map(p => p.identity.userId), encoder.encode(text)))
}

async function open (at: Party, sealed: Uint8Array): Promise<string> {
  return decoder.decode((await inTx(at.store, async tx => await openGroupMessage(tx, at.identity, sealed))).plaintext)
}

/** Tries to open in a transaction that is never committed. */
async function tryOpen (at: Party, sealed: Uint8Array): Promise<unknown> {
  return await openGroupMessage(at.store.transaction(), at.identity, sealed)
}

/** The sender-key message inside `sealed`, as its recipient `at` sees it after removing the sealed layer. */
async function innerOf (at: Party, sealed: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const stores = createSignalStores(at.store.transaction(), at.identity)
  return (await sealedSenderDecryptToUsmc(new Uint8Array(sealed), stores.identity)).contents()
}

function contains (haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).indexOf(Buffer.from(needle)) !== -1
}

describe('groups sender keys', () => {
  let alice: Party, bob: Party, carol: Party, dave: Party

  before(async () => {
    [alice, bob, carol, dave] = await Promise.all([newParty(), newParty(), newParty(), newParty()])
    for (const other of [bob, carol, dave]) await connect(alice, other)
    await connect(bob, alice)
  })

  after(async () => {
    await cleanUp(alice, bob, carol, dave)
  })

  it('seals once for every member and gives each only their own part', async () => {
    const plan = await distributeTo(alice, [bob, carol, dave])
    assert.deepEqual(plan.missing.sort(), [bob, carol, dave].map(p => p.identity.userId).sort())
    assert.equal(plan.distributionMessage.byteLength <= 256, true)
    const parts = await sendToGroup(alice, [bob, carol, dave], 'hello all')
    assert.deepEqual([...parts.keys()].sort(), [bob, carol, dave].map(p => p.identity.userId).sort())
    for (const [userId, part] of parts) {
      assert.equal(part[0], 0x22)
      for (const other of [bob, carol, dave].filter(p => p.identity.userId !== userId)) {
        const idBytes = Buffer.from(other.identity.userId.replaceAll('-', ''), 'hex')
        assert.equal(contains(part, idBytes), false, 'a part never names another recipient')
      }
    }
    for (const party of [bob, carol, dave]) {
      const opened = await inTx(party.store, async tx => await openGroupMessage(tx, party.identity, parts.get(party.identity.userId) as Uint8Array))
      assert.equal(decoder.decode(opened.plaintext), 'hello all')
      assert.equal(opened.groupId, GROUP)
      assert.equal(opened.senderUserId, alice.identity.userId)
      assert.deepEqual(opened.senderIdentityKey, alice.identity.identityKey)
    }
    await rejection(tryOpen(bob, parts.get(carol.identity.userId) as Uint8Array), DecryptionError)
  })

  it('keeps the sender key: the next message needs no distribution, and a replay is refused', async () => {
    const plan = await distributeTo(alice, [bob, carol, dave])
    assert.deepEqual(plan.missing, [])
    assert.equal(plan.reset, false)
    const parts = await sendToGroup(alice, [bob, carol, dave], 'second')
    const part = parts.get(bob.identity.userId) as Uint8Array
    assert.equal(await open(bob, part), 'second')
    await rejection(tryOpen(bob, part), DuplicateEnvelopeError)
  })

  it('opens exactly sealed sender v2 as received: every other version byte is refused, both ways', async () => {
    const parts = await sendToGroup(alice, [bob, carol, dave], 'versions')
    const part = parts.get(bob.identity.userId) as Uint8Array
    for (const version of [0x11, 0x12, 0x21, 0x23, 0x32, 0x02]) {
      const altered = new Uint8Array(part)
      altered[0] = version
      await rejection(tryOpen(bob, altered), DecryptionError)
    }
    await rejection(unseal(bob.store.transaction(), bob.identity, part), DecryptionError)
    const oneToOne = await inTx(alice.store, async tx => await seal(tx, alice.identity, bob.identity.userId, encoder.encode('direct')))
    await rejection(tryOpen(bob, oneToOne), DecryptionError)
    assert.equal(await open(bob, part), 'versions')
  })

  it('says whose sender key is missing, and refuses to send to someone without it', async () => {
    const parts = await inTx(bob.store, async tx => {
      await prepareGroupSend(tx, bob.identity, GROUP, [recipient(alice)])
      await markSenderKeyDistributed(tx, GROUP, [recipient(alice)])
      return await sealForGroup(tx, bob.identity, GROUP, [alice.identity.userId], encoder.encode('you lack my key'))
    })
    const err = await rejection(tryOpen(alice, parts.get(alice.identity.userId) as Uint8Array), MissingSenderKeyError)
    assert.equal(err.senderUserId, bob.identity.userId)
    await rejection(inTx(bob.store, async tx => await sealForGroup(tx, bob.identity, GROUP, [carol.identity.userId], encoder.encode('x'))), InvalidInputError)
    await rejection(inTx(bob.store, async tx => await sealForGroup(tx, bob.identity, GROUP, [], encoder.encode('x'))), InvalidInputError)
  })

  it('refuses a distribution already bound to another group', async () => {
    const plan = await inTx(alice.store, async tx => await prepareGroupSend(tx, alice.identity, GROUP, [recipient(bob), recipient(carol), recipient(dave)]))
    await rejection(inTx(bob.store, async tx => {
      await processSenderKeyDistribution(tx, bob.identity, alice.identity.userId, OTHER_GROUP, plan.distributionMessage)
    }), InvalidInputError)
  })

  it('resets the sender key on removal: the removed member cannot read what is sent after', async () => {
    const before = await sendToGroup(alice, [bob, carol, dave], 'before removal')
    const innerBefore = await innerOf(bob, before.get(bob.identity.userId) as Uint8Array)
    assert.equal(await canDecrypt(carol, alice, innerBefore), true, 'a member reads what is sent while a member')

    await rejection(sendToGroup(alice, [bob, dave], 'the old key would reach carol'), InvalidInputError)
    const plan = await distributeTo(alice, [bob, dave])
    const afterParts = await sendToGroup(alice, [bob, dave], 'after removal')
    for (const part of afterParts.values()) {
      await rejection(tryOpen(carol, part), DecryptionError)
    }
    const innerAfter = await innerOf(bob, afterParts.get(bob.identity.userId) as Uint8Array)
    assert.equal(await canDecrypt(carol, alice, innerAfter), false, 'the old sender key does not open the new one')
    assert.equal(plan.reset, true)
    assert.deepEqual(plan.missing.sort(), [bob, dave].map(p => p.identity.userId).sort())
    assert.equal(await open(bob, afterParts.get(bob.identity.userId) as Uint8Array), 'after removal')
    assert.equal(await open(dave, afterParts.get(dave.identity.userId) as Uint8Array), 'after removal')
  })

  it('resets the sender key when a member\'s identity key changes', async () => {
    const changed = { ...recipient(bob), identityKey: carol.identity.identityKey }
    const plan = await inTx(alice.store, async tx => await prepareGroupSend(tx, alice.identity, GROUP, [changed, recipient(dave)]))
    assert.equal(plan.reset, true)
    assert.equal(plan.missing.length, 2)
  })
})
