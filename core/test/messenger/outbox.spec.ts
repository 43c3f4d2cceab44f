// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { Mutex } from '../../src/messenger/lock.js'
import { createOutbox } from '../../src/messenger/outbox.js'
import { keys } from '../../src/messenger/records.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { decodeContent, decodeEnvelope } from '../../src/protocol/index.js'
import { toHex } from '../../src/util/index.js'
import { cleanUp, connect, newParty, receive } from '../crypto/fixtures.js'
import { contactNamed } from './fakes.js'
import type { Outbox } from '../../src/messenger/outbox.js'
import type { ContactRecord, OutboxRecord } from '../../src/messenger/records.js'
import type { Party } from '../crypto/fixtures.js'

/** What the outbox told the courier, in order. */
type Told = Array<['hold' | 'release' | 'kick', string, boolean?]>

const CARD = new Uint8Array([1, 2, 3])

describe('outbox', () => {
  const parties: Party[] = []
  afterEach(async () => { await cleanUp(...parties.splice(0)) })

  async function setUp (replaced = false): Promise<{ outbox: Outbox, repos: Repositories, told: Told, alice: Party, bob: Party, contact: (fields?: Partial<ContactRecord>) => ContactRecord }> {
    const alice = await newParty()
    const bob = await newParty()
    parties.push(alice, bob)
    await connect(alice, bob)
    const repos = new Repositories(new State(alice.store, new Mutex()))
    const told: Told = []
    const outbox = createOutbox({
      identity: alice.identity,
      repos,
      courier: {
        holdUntilDurable: e => { told.push(['hold', e.envelopeId]) },
        release: (e, durable) => { told.push(['release', e.envelopeId, durable]) },
        kick: id => { told.push(['kick', id]) }
      },
      ownCard: async () => CARD,
      replaced: () => replaced
    })
    return { outbox, repos, told, alice, bob, contact: fields => contactNamed(bob.identity.userId, fields) }
  }

  it('seals nothing once the installation was replaced, nor for a contact that has not answered a restore', async () => {
    const replaced = await setUp(true)
    await assert.rejects(replaced.repos.state.change(async (tx, change) => replaced.outbox.add(tx, change, replaced.contact(), { id: new Uint8Array(16), sentAt: 1 })),
      { name: 'ReplacedInstallationError' })
    const restored = await setUp()
    await assert.rejects(restored.repos.state.change(async (tx, change) => restored.outbox.add(tx, change, restored.contact({ relocation: 'notified' }), { id: new Uint8Array(16), sentAt: 1 })),
      { name: 'NotFoundError', message: /has not answered since Sotto was restored here/ })
    for (const { repos, told } of [replaced, restored]) {
      for await (const _ of repos.outbox.values(['outbox'])) assert.fail('an entry was written')
      assert.deepEqual(told, [])
    }
  })

  it('seals content for the contact, holding each entry until its change is durable, then kicks delivery once', async () => {
    const { outbox, repos, told, bob, contact } = await setUp()
    const c = contact({ nextOutbox: 5 })
    const id = new Uint8Array(16).fill(9)
    const entries = await repos.state.change(async (tx, change) => {
      const first = await outbox.add(tx, change, c, { id, sentAt: 1000, text: { text: 'hello', seq: 0 } }, 'm1')
      const second = await outbox.add(tx, change, c, { id: new Uint8Array(16).fill(8), sentAt: 1001, text: { text: 'again', seq: 1 } }, 'm2')
      assert.deepEqual(told.map(t => t[0]), ['hold', 'hold'], 'nothing released before the commit')
      return [first, second]
    })
    assert.deepEqual(told, [['hold', toHex(id)], ['hold', entries[1]?.envelopeId], ['release', toHex(id), true], ['release', entries[1]?.envelopeId, true], ['kick', c.id]])
    assert.deepEqual(entries.map(e => e.seq), [5, 6])
    assert.equal(c.nextOutbox, 7, 'the sequence moves on in the caller\'s record')
    const stored: OutboxRecord[] = []
    for await (const e of repos.outbox.values(keys.outboxOf(c.id))) stored.push(e)
    assert.deepEqual(stored.map(e => [e.seq, e.messageId, e.sent, e.attempts, e.createdAt]), [[5, 'm1', false, 0, 1000], [6, 'm2', false, 0, 1001]])
    const envelope = decodeEnvelope(stored[0]?.envelope as Uint8Array)
    assert.deepEqual(envelope.id, id)
    const content = decodeContent((await receive(bob, envelope.sealed)).plaintext)
    assert.equal(content.text?.text, 'hello')
    assert.equal(content.senderCard, undefined, 'no card for a contact we heard from')
    assert.equal(await repos.controls.get(toHex(id)), undefined, 'a text is no control')
  })

  it('attaches our card until the contact has answered', async () => {
    const { outbox, repos, bob, contact } = await setUp()
    const c = contact({ heardFrom: false })
    const entry = await repos.state.change(async (tx, change) => outbox.add(tx, change, c, { id: new Uint8Array(16), sentAt: 1 }))
    const content = decodeContent((await receive(bob, decodeEnvelope(entry.envelope).sealed)).plaintext)
    assert.deepEqual(content.senderCard, CARD)
  })

  it('keeps a record of each control envelope, to seal it again when asked', async () => {
    const { outbox, repos, contact } = await setUp()
    const c = contact()
    const ids = [1, 2, 3, 4, 5].map(i => new Uint8Array(16).fill(i))
    await repos.state.change(async (tx, change) => {
      await outbox.add(tx, change, c, { id: ids[0] as Uint8Array, sentAt: 10, deliveryReceipt: { ids: [new Uint8Array(16).fill(7)] } })
      await outbox.add(tx, change, c, { id: ids[1] as Uint8Array, sentAt: 11, resendRequest: { ids: [new Uint8Array(16).fill(6)] } })
      await outbox.add(tx, change, c, { id: ids[2] as Uint8Array, sentAt: 12, disappearingTimer: { seconds: 60 } })
      await outbox.add(tx, change, c, { id: ids[3] as Uint8Array, sentAt: 13, tokens: { relays: [] } })
      await outbox.add(tx, change, c, { id: ids[4] as Uint8Array, sentAt: 14 })
    })
    const kept = await Promise.all(ids.map(async id => repos.controls.get(toHex(id))))
    assert.deepEqual(kept[0], { id: toHex(ids[0] as Uint8Array), contactId: c.id, sentAt: 10, deliveryReceipt: [new Uint8Array(16).fill(7)] })
    assert.deepEqual(kept[1]?.resendRequest, [new Uint8Array(16).fill(6)])
    assert.equal(kept[2]?.disappearingTimer, true)
    assert.equal(kept[3]?.tokens, true)
    assert.equal(kept[4], undefined, 'an introduction is no control')
  })

  it('releases entries of a change that did not become durable without kicking delivery', async () => {
    const { outbox, repos, told, contact } = await setUp()
    const c = contact()
    let entry: OutboxRecord | undefined
    const failing = repos.state.change(async (tx, change) => {
      entry = await outbox.add(tx, change, c, { id: new Uint8Array(16).fill(3), sentAt: 1, text: { text: 'x', seq: 0 } }, 'm1')
      // A transaction that cannot commit: the store refuses it once closed.
      await repos.state.store.close()
    })
    await assert.rejects(failing)
    assert.deepEqual(told, [['hold', entry?.envelopeId], ['release', entry?.envelopeId, false]])
  })
})
