// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { randomBytes } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { seal, unseal } from '../../src/crypto/index.js'
import { createInbox } from '../../src/messenger/inbox.js'
import { Mutex } from '../../src/messenger/lock.js'
import { contactFromCard, keys } from '../../src/messenger/records.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { encodeContent, encodeEnvelope } from '../../src/protocol/index.js'
import { cleanUp, connect, inTx, newParty } from '../crypto/fixtures.js'
import { loggers } from './fakes.js'
import type { Party } from '../crypto/fixtures.js'
import type { AcceptedView, Inbox } from '../../src/messenger/inbox.js'
import type { Outbox } from '../../src/messenger/outbox.js'
import type { OutboxRecord } from '../../src/messenger/records.js'

/** Alice's text to Bob as an envelope, sealed on Alice's session. */
async function envelopeOf (alice: Party, bob: Party, text: string, seq: number): Promise<Uint8Array> {
  const id = randomBytes(16)
  const plaintext = encodeContent({ id, sentAt: 1000 + seq, text: { text, seq } })
  const sealed = await inTx(alice.store, async tx => seal(tx, alice.identity, bob.identity.userId, plaintext))
  return encodeEnvelope({ id, sealed })
}

describe('inbox', () => {
  const parties: Party[] = []
  after(async () => { await cleanUp(...parties) })

  /** Bob's inbox, Alice a contact of his (with a session to him). */
  async function bobAndAlice (options: { blocked?: boolean } = {}): Promise<{ inbox: Inbox, repos: Repositories, alice: Party, bob: Party, accepted: AcceptedView[], answers: string[] }> {
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
    const inbox = createInbox({ repos, identity: bob.identity, log: loggers.forComponent('test'), outbox, onAccepted: a => { accepted.push(a) } })
    return { inbox, repos, alice, bob, accepted, answers }
  }

  async function count (repos: Repositories, prefix: readonly [string, ...string[]]): Promise<number> {
    let n = 0
    for await (const _ of repos.state.store.values(prefix)) n++
    return n
  }

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
})
