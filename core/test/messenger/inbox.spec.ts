// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { randomBytes } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { acceptIdentity, seal, unseal } from '../../src/crypto/index.js'
import { createInbox } from '../../src/messenger/inbox.js'
import { Mutex } from '../../src/messenger/lock.js'
import { createQuarantine } from '../../src/messenger/quarantine.js'
import { RequestLimits } from '../../src/messenger/requests.js'
import { contactFromCard, keys } from '../../src/messenger/records.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { encodeContent, encodeEnvelope, signInviteCard } from '../../src/protocol/index.js'
import { toHex } from '../../src/util/index.js'
import { bundleOf, cleanUp, connect, inTx, newParty } from '../crypto/fixtures.js'
import { loggers } from './fakes.js'
import type { Party } from '../crypto/fixtures.js'
import type { AcceptedView, Inbox } from '../../src/messenger/inbox.js'
import type { Outbox } from '../../src/messenger/outbox.js'
import type { Quarantine } from '../../src/messenger/quarantine.js'
import type { RequestsInit } from '../../src/messenger/requests.js'
import type { OutboxRecord } from '../../src/messenger/records.js'

/** A stranger's first text to Bob, with their signed card: an introduction. */
async function introductionOf (stranger: Party, bob: Party, text: string, seq: number): Promise<Uint8Array> {
  const id = randomBytes(16)
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const card = { name: 'Stranger', userId: stranger.identity.userId, peerId, bundle: await bundleOf(stranger, { oneTime: false }), addrs: [], relays: [], createdAt: 1 }
  const senderCard = signInviteCard(card, stranger.identity.keyPair.privateKey)
  const plaintext = encodeContent({ id, sentAt: 1000 + seq, text: { text, seq }, senderCard })
  const sealed = await inTx(stranger.store, async tx => seal(tx, stranger.identity, bob.identity.userId, plaintext))
  return encodeEnvelope({ id, sealed })
}

/** Alice's text to Bob as an envelope, sealed on Alice's session. */
async function envelopeOf (alice: Party, bob: Party, text: string, seq: number): Promise<Uint8Array> {
  const id = randomBytes(16)
  const plaintext = encodeContent({ id, sentAt: 1000 + seq, text: { text, seq } })
  const sealed = await inTx(alice.store, async tx => seal(tx, alice.identity, bob.identity.userId, plaintext))
  return encodeEnvelope({ id, sealed })
}

const parties: Party[] = []
after(async () => { await cleanUp(...parties) })

/** Bob's inbox, Alice a contact of his (with a session to him). */
async function bobAndAlice (options: { blocked?: boolean, requests?: RequestsInit } = {}): Promise<{ inbox: Inbox, restarted(): Inbox, repos: Repositories, alice: Party, bob: Party, accepted: AcceptedView[], answers: string[], quarantine: Quarantine, requests: RequestLimits }> {
  const alice = await newParty()
  const bob = await newParty()
  parties.push(alice, bob)
  await connect(alice, bob)
  const repos = new Repositories(new State(bob.store, new Mutex()))
  const card = { userId: alice.identity.userId, peerId: 'alice-peer', name: 'Alice', addrs: [], relays: [] }
  await repos.state.change(async tx => {
    repos.contacts.put(tx, { ...contactFromCard(card, alice.identity.identityKey, 'contact', true, 0), blocked: options.blocked === true })
  })
  const accepted: AcceptedView[] = []
  const answers: string[] = []
  const outbox: Outbox = {
    add: async (_tx, _change, contact, content) => {
      answers.push(content.resendRequest != null ? 'resend request' : 'other')
      return { contactId: contact.id, seq: contact.nextOutbox++ } as OutboxRecord
    },
    addSealed: () => { throw new Error('no group messages here') }
  }
  const quarantine = createQuarantine(repos.state)
  const requests = new RequestLimits({ repos }, options.requests)
  const restarted = (): Inbox => createInbox({ repos, identity: bob.identity, log: loggers.forComponent('test'), outbox, quarantine, requests, onAccepted: a => { accepted.push(a) } })
  return { inbox: restarted(), restarted, repos, alice, bob, accepted, answers, quarantine, requests }
}

async function count (repos: Repositories, prefix: readonly [string, ...string[]]): Promise<number> {
  let n = 0
  for await (const _ of repos.state.store.values(prefix)) n++
  return n
}

/** Strangers who started sessions with Bob. */
async function strangers (bob: Party, n: number): Promise<Party[]> {
  const made = await Promise.all(Array.from({ length: n }, async () => newParty()))
  parties.push(...made)
  for (const s of made) await connect(s, bob)
  return made
}

describe('inbox', () => {
  it('stores a text once: a replay is a duplicate, announced once; through a relay it owes a receipt', async () => {
    const { inbox, repos, alice, bob, accepted } = await bobAndAlice()
    const envelope = await envelopeOf(alice, bob, 'hello', 0)
    assert.deepEqual(await inbox.receive(envelope, 'relay'), { status: 'STORED' })
    assert.deepEqual(await inbox.receive(envelope, 'relay'), { status: 'DUPLICATE' })
    assert.deepEqual(accepted.map(a => a.message?.text), ['hello'])
    assert.equal(await count(repos, ['msg']), 1)
    assert.equal(await count(repos, keys.pendingReceipts() as [string]), 1, 'one delivery receipt owed')
    assert.equal((await repos.contacts.get(alice.identity.userId))?.unread, 1)
  })

  it('refuses a file pointer naming a file it holds already, leaving that file\'s entry as it was', async () => {
    const { inbox, repos, alice, bob } = await bobAndAlice()
    const file = { id: new Uint8Array(16).fill(1), key: new Uint8Array(32).fill(2), size: 1500, paddedSize: 1507, chunkSize: 1024, root: new Uint8Array(32).fill(3), mime: 'text/plain', name: 'notes.txt' }
    const fileEnvelope = async (seq: number): Promise<{ id: Uint8Array, envelope: Uint8Array }> => {
      const id = randomBytes(16)
      const plaintext = encodeContent({ id, sentAt: 1000 + seq, file: { ...file, seq } })
      return { id, envelope: encodeEnvelope({ id, sealed: await inTx(alice.store, async tx => seal(tx, alice.identity, bob.identity.userId, plaintext)) }) }
    }
    const first = await fileEnvelope(0)
    assert.deepEqual(await inbox.receive(first.envelope), { status: 'STORED' })
    const again = await fileEnvelope(1)
    assert.deepEqual(await inbox.receive(again.envelope), { status: 'REJECTED', reason: 'tampered' })
    assert.equal((await repos.files.get(toHex(file.id)))?.messageId, toHex(first.id))
    assert.equal(await count(repos, ['msg']), 1)
  })

  it('owes a receipt, once, for a copy through a relay of a text stored directly before a restart', async () => {
    const { inbox, restarted, repos, alice, bob, accepted } = await bobAndAlice()
    const receiptsOwed = async (): Promise<number> => count(repos, keys.pendingReceipts() as [string])
    const [first, second] = [await envelopeOf(alice, bob, 'hello', 0), await envelopeOf(alice, bob, 'again', 1)]
    assert.deepEqual(await inbox.receive(first, 'direct'), { status: 'STORED' })
    assert.deepEqual(await inbox.receive(second, 'direct'), { status: 'STORED' })
    assert.equal(await receiptsOwed(), 0, 'the direct answer is the receipt')
    // In the same run the answer went out: a relay copy (deposited while delivering directly) owes nothing.
    assert.deepEqual(await inbox.receive(second, 'relay'), { status: 'DUPLICATE' })
    assert.equal(await receiptsOwed(), 0)
    // Stopped right after the write, the answer was lost: the sender deposited the text at a
    // relay, and counts it only from a receipt.
    const later = restarted()
    assert.deepEqual(await later.receive(first, 'relay'), { status: 'DUPLICATE' })
    assert.equal(await receiptsOwed(), 1, 'the relay copy owes one')
    for await (const r of repos.receipts.values(keys.pendingReceipts())) await repos.state.change(async tx => { repos.receipts.del(tx, r) })
    assert.deepEqual(await later.receive(first, 'relay'), { status: 'DUPLICATE' })
    assert.deepEqual(await later.receive(first, 'direct'), { status: 'DUPLICATE' })
    assert.equal(await receiptsOwed(), 0, 'owed once')
    assert.deepEqual(accepted.map(a => a.message?.text), ['hello', 'again'], 'shown once')
  })

  it('refuses what is malformed or from a blocked contact, and leaves no trace of it', async () => {
    const { inbox, repos, alice, bob, accepted } = await bobAndAlice({ blocked: true })
    assert.deepEqual(await inbox.receive(randomBytes(40)), { status: 'REJECTED', reason: 'malformed' })
    assert.deepEqual(await inbox.receive(await envelopeOf(alice, bob, 'let me in', 0)), { status: 'REJECTED', reason: 'refused' })
    assert.equal(accepted.length, 0)
    assert.equal(await count(repos, ['msg']), 0)
    assert.equal(await count(repos, ['msgid']), 0, 'no replay guard either: nothing was committed')
  })

  it('an envelope of a session that moved on is refused, and a resend request is queued for it', async () => {
    const { inbox, alice, bob, answers } = await bobAndAlice()
    // One round trip each: Bob answers, so that the ratchet turns on both sides.
    const roundTrip = async (seq: number): Promise<void> => {
      assert.equal((await inbox.receive(await envelopeOf(alice, bob, `now ${seq}`, seq))).status, 'STORED')
      const reply = await inTx(bob.store, async tx => seal(tx, bob.identity, alice.identity.userId, encodeContent({ id: randomBytes(16), sentAt: 0 })))
      await inTx(alice.store, async tx => unseal(tx, alice.identity, reply))
    }
    await roundTrip(0)
    // Sealed now, delivered after the session moved on past its chain (libsignal keeps five).
    const late = await envelopeOf(alice, bob, 'late', 1)
    for (let seq = 2; seq <= 8; seq++) await roundTrip(seq)
    assert.deepEqual(answers, [])
    assert.deepEqual(await inbox.receive(late), { status: 'REJECTED', reason: 'undecryptable' })
    assert.deepEqual(answers, ['resend request'], 'its sender is asked to seal it again')
  })

  it('holds an envelope from a relay under a changed identity key until the user decides; a direct one is only refused', async () => {
    const { inbox, repos, alice, bob, accepted, quarantine } = await bobAndAlice()
    assert.deepEqual(await inbox.receive(await envelopeOf(alice, bob, 'hello', 0), 'relay'), { status: 'STORED' }, 'Alice\'s key recorded')
    accepted.length = 0
    const mallory = await newParty(Date.now(), { userId: alice.identity.userId })
    parties.push(mallory)
    await connect(mallory, bob)
    const claim = { status: 'REJECTED', reason: 'identity' }
    assert.deepEqual(await inbox.receive(await envelopeOf(mallory, bob, 'it is me', 0), 'direct'), claim)
    assert.equal(await quarantine.count(alice.identity.userId), 0, 'a direct sender hears the refusal: nothing held')
    assert.deepEqual((await repos.contacts.require(alice.identity.userId)).pendingIdentityKey, mallory.identity.identityKey, 'the contact shows the change')
    const viaRelay = await envelopeOf(mallory, bob, 'it is me, again', 1)
    assert.deepEqual(await inbox.receive(viaRelay, 'relay'), claim)
    assert.deepEqual(await inbox.receive(viaRelay, 'relay'), claim, 'a second relay\'s copy')
    const held = await quarantine.heldFor(alice.identity.userId)
    assert.deepEqual(held.map(h => h.envelope), [viaRelay], 'held once, as it came')
    assert.deepEqual(held[0]?.identityKey, mallory.identity.identityKey)
    assert.equal(accepted.filter(a => a.contact != null).length, 2, 'announced when the change came, and when something was held (not for the copy)')
    assert.equal(await count(repos, ['msg']), 1, 'nothing of it shown')
    // The contact's own key still opens: the change waits, the conversation goes on.
    assert.deepEqual(await inbox.receive(await envelopeOf(alice, bob, 'still me', 1), 'relay'), { status: 'STORED' })
  })

  it('drops a blocked contact\'s envelope whatever its key, holding nothing and showing no change', async () => {
    const { inbox, repos, alice, bob, quarantine } = await bobAndAlice({ blocked: true })
    // Alice's key is recorded as it would be for a contact (blocked ones' messages are not opened).
    await inTx(bob.store, async tx => { await acceptIdentity(tx, alice.identity.userId, alice.identity.identityKey) })
    const mallory = await newParty(Date.now(), { userId: alice.identity.userId })
    parties.push(mallory)
    await connect(mallory, bob)
    assert.deepEqual(await inbox.receive(await envelopeOf(mallory, bob, 'let me in', 0), 'relay'), { status: 'REJECTED', reason: 'refused' })
    assert.equal(await quarantine.count(alice.identity.userId), 0)
    assert.equal((await repos.contacts.require(alice.identity.userId)).pendingIdentityKey, undefined)
  })
})

describe('inbox: contact requests', () => {
  it('keeps the newest requests, dropping the oldest with their messages, and counts them durably', async () => {
    const { inbox, repos, bob, accepted, requests } = await bobAndAlice({ requests: { maxRequests: 3 } })
    const five = await strangers(bob, 5)
    for (const [i, s] of five.entries()) {
      assert.deepEqual(await inbox.receive(await introductionOf(s, bob, `hello ${i}`, 0), 'relay'), { status: 'STORED' })
    }
    const waiting = []
    for await (const c of repos.contacts.values(keys.contacts())) if (c.status === 'request') waiting.push(c.id)
    assert.deepEqual(waiting.sort(), five.slice(2).map(s => s.identity.userId).sort(), 'the three newest wait')
    assert.equal(await requests.droppedCount(), 2)
    assert.deepEqual(accepted.flatMap(a => a.droppedRequests ?? []), [1, 2], 'each drop announced with the count so far')
    assert.equal(await count(repos, ['msg']), 3, 'the dropped requests\' messages are gone')
    // A contact is never dropped for a request, and the count survives (it is in the store).
    assert.ok(await repos.contacts.get(five[0]?.identity.userId ?? '') == null)
    assert.equal((await new RequestLimits({ repos }).droppedCount()), 2)
  })

  it('keeps so many messages of a waiting request, refusing more until it is accepted', async () => {
    const { inbox, repos, bob } = await bobAndAlice({ requests: { maxRequestMessages: 3 } })
    const [stranger] = await strangers(bob, 1)
    if (stranger == null) throw new Error('no stranger')
    const results = []
    for (let seq = 0; seq < 5; seq++) results.push((await inbox.receive(await introductionOf(stranger, bob, `hi ${seq}`, seq), 'relay')).status)
    assert.deepEqual(results, ['STORED', 'STORED', 'STORED', 'REJECTED', 'REJECTED'])
    await repos.contacts.update(stranger.identity.userId, c => { c.status = 'contact' })
    assert.equal((await inbox.receive(await introductionOf(stranger, bob, 'now a contact', 5), 'relay')).status, 'STORED')
  })
})
