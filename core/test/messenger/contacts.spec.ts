// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PrivateKey } from '@signalapp/libsignal-client'
import { ContactBook, MAX_DISAPPEARING_SECONDS } from '../../src/messenger/contacts.js'
import { Events } from '../../src/messenger/context.js'
import { Mutex } from '../../src/messenger/lock.js'
import { createQuarantine } from '../../src/messenger/quarantine.js'
import { keys } from '../../src/messenger/records.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { encodeInviteLink } from '../../src/protocol/index.js'
import { bundleOf, cleanUp, newParty } from '../crypto/fixtures.js'
import { FakeOutbox, contactNamed } from './fakes.js'
import type { Contact } from '../../src/messenger/types.js'
import type { ContactRecord, RelayRecord } from '../../src/messenger/records.js'
import type { Party } from '../crypto/fixtures.js'
import type { Quarantine } from '../../src/messenger/quarantine.js'
import type { Key } from '../../src/storage/types.js'

const RELAY_A = '/ip4/10.0.0.1/tcp/1/p2p/relayA'
const REGISTER_WAIT = 111
const REVOKE_WAIT = 222

/** What the contact book told its components, in order. */
type Told = string[]

interface Rig {
  book: ContactBook
  repos: Repositories
  outbox: FakeOutbox
  told: Told
  emitted: Contact[]
  me: Party
  quarantine: Quarantine
}

const IDS: Record<string, number> = { bob: 1, carol: 2, dave: 3, old: 4, new: 5, req: 6, eve: 7 }

/** An identity key of the right form, for stored contacts. */
const IDENTITY_KEY = PrivateKey.generate().getPublicKey().serialize()

/** A stored contact called `name` (its alias), under a user id of the right form. */
function person (name: string, fields: Partial<ContactRecord> = {}): ContactRecord {
  const id = `00000000-0000-4000-8000-${String(IDS[name] ?? 0).padStart(12, '0')}`
  return contactNamed(id, { alias: name, displayName: name, peerId: `${name}-peer`, identityKey: IDENTITY_KEY, ...fields })
}

/** The user id of `name`. */
function idOf (name: string): string {
  return person(name).id
}

async function peerId (): Promise<string> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
}

/** An invite of `owner`, or one claiming `as`'s user id signed with `owner`'s key. */
async function inviteOf (owner: Party, name: string, as?: Party): Promise<string> {
  const card = { name, userId: (as ?? owner).identity.userId, peerId: await peerId(), bundle: await bundleOf(owner, { oneTime: false }), addrs: [], relays: [], createdAt: 1 }
  return encodeInviteLink(card, owner.identity.keyPair.privateKey)
}

const parties: Party[] = []
afterEach(async () => { await cleanUp(...parties.splice(0)) })

async function setUp (contacts: ContactRecord[] = []): Promise<Rig> {
  const me = await newParty()
  parties.push(me)
  const repos = new Repositories(new State(me.store, new Mutex()))
  const relay: RelayRecord = { addr: RELAY_A, peerId: 'relayA', mailboxKey: new Uint8Array(), mailboxId: new Uint8Array(32), introToken: new Uint8Array(32), ready: true, revoke: [], addedAt: 0 }
  await repos.state.change(async tx => {
    repos.relays.put(tx, relay)
    for (const c of contacts) repos.contacts.put(tx, c)
  })
  const outbox = new FakeOutbox()
  const told: Told = []
  const events = new Events()
  const emitted: Contact[] = []
  events.on('contact', c => { emitted.push(c) })
  const quarantine = createQuarantine(repos.state)
  const book = new ContactBook({
    repos,
    identity: me.identity,
    profile: { relays: [RELAY_A] },
    events,
    outbox,
    peers: {
      follow: c => { told.push(`follow ${c.id}`) },
      update: peer => { told.push(`update ${peer}`) },
      rememberAddresses: async c => { told.push(`remember ${c.id}`) },
      forget: peer => { told.push(`forget ${peer}`) },
      presenceOf: () => 'offline'
    },
    courier: { kick: id => { told.push(`kick ${id}`) }, forget: id => { told.push(`courier forget ${id}`) } },
    homeRelays: { sync: async ms => { told.push(`sync ${ms}`) } },
    tokens: { announce: async () => { told.push('announce') } },
    quarantine,
    inbox: { receive: async envelope => { told.push(`receive ${envelope.join()}`) } },
    receipts: { flush: () => {} }
  }, { registerWaitMs: REGISTER_WAIT, revokeWaitMs: REVOKE_WAIT })
  return { book, repos, outbox, told, emitted, me, quarantine }
}

async function revoked (repos: Repositories): Promise<number> {
  return (await repos.relays.require(RELAY_A)).revoke.length
}

describe('contact book', () => {
  it('refuses our own invite and a malformed one, storing nothing', async () => {
    const { book, repos, me, outbox } = await setUp()
    await assert.rejects(book.add(await inviteOf(me, 'Me')), { name: 'InvalidInputError' })
    await assert.rejects(book.add('sotto://invite/!!'), { name: 'InvalidInputError' })
    assert.deepEqual(await book.list('contact'), [])
    assert.equal(outbox.calls.length, 0)
    assert.equal(await repos.contacts.get(me.identity.userId), undefined)
  })

  it('adds a contact from an invite: introduces us, issues tokens, and starts reaching them', async () => {
    const { book, repos, outbox, told, emitted } = await setUp()
    const bob = await newParty()
    parties.push(bob)
    const contact = await book.add(await inviteOf(bob, 'Bob'), { alias: '  Bobby ' })
    assert.equal(contact.id, bob.identity.userId)
    assert.equal(contact.alias, 'Bobby')
    assert.equal(contact.displayName, 'Bob')
    assert.equal(contact.status, 'contact')
    assert.deepEqual(emitted.map(c => c.id), [contact.id])
    assert.deepEqual(outbox.calls.map(c => [c.contactId, c.content.text, c.durable]), [[contact.id, undefined, true]], 'an introduction, durable')
    const stored = await repos.contacts.require(contact.id)
    assert.equal(stored.heardFrom, false)
    assert.deepEqual(stored.issued?.map(t => [t.relay, t.registered, t.announced]), [[RELAY_A, false, false]])
    assert.deepEqual(told, [`follow ${contact.id}`, `update ${contact.peerId}`, `remember ${contact.id}`, `kick ${contact.id}`, `sync ${REGISTER_WAIT}`])
    const again = await book.add(await inviteOf(bob, 'Bob B.'))
    assert.equal(again.alias, 'Bobby', 'an alias given before is kept')
    assert.equal(again.displayName, 'Bob B.')
    assert.equal(outbox.calls.length, 1, 'no second introduction')
    assert.equal((await repos.contacts.require(contact.id)).issued?.length, 1, 'no second token')
  })

  it('keeps a changed identity key in doubt until it is accepted', async () => {
    const { book, repos, told } = await setUp()
    const bob = await newParty()
    const mallory = await newParty()
    parties.push(bob, mallory)
    const contact = await book.add(await inviteOf(bob, 'Bob'))
    told.length = 0
    await assert.rejects(book.add(await inviteOf(mallory, 'Bob', bob)), { name: 'IdentityChangedError' })
    assert.deepEqual(told, [], 'not followed, not reached')
    const doubted = await repos.contacts.require(contact.id)
    assert.deepEqual(doubted.identityKey, bob.identity.keyPair.publicKey.serialize(), 'the old key stays until accepted')
    assert.deepEqual(doubted.pendingIdentityKey, mallory.identity.keyPair.publicKey.serialize())
    assert.throws(() => { book.assertSendable(doubted) }, { name: 'IdentityChangedError' })
    const shown = await book.view(doubted)
    assert.equal(shown.safetyNumber, (await book.view({ ...doubted, identityKey: mallory.identity.keyPair.publicKey.serialize(), pendingIdentityKey: undefined })).safetyNumber, 'the number to compare is the new key\'s')
    await assert.rejects(book.setDisappearing(contact.id, 60), { name: 'IdentityChangedError' })
    await book.setVerified(contact.id, true)
    const accepted = await book.acceptIdentityChange(contact.id)
    assert.equal(accepted.identityChanged, false)
    assert.equal(accepted.verified, false, 'a new key is not verified')
    const stored = await repos.contacts.require(contact.id)
    assert.deepEqual(stored.identityKey, mallory.identity.keyPair.publicKey.serialize())
    assert.equal(stored.pendingIdentityKey, undefined)
    assert.deepEqual(told.filter(t => t === 'announce'), ['announce'], 'tokens held back may go now')
  })

  it('resolves a contact by id, alias or PeerId, and refuses none, several, or an empty name', async () => {
    const { book } = await setUp([person('bob', { alias: 'B' }), person('carol', { alias: 'Twin' }), person('dave', { alias: 'Twin' })])
    assert.equal((await book.resolve(idOf('bob'))).id, idOf('bob'))
    assert.equal((await book.resolve('B')).id, idOf('bob'))
    assert.equal((await book.resolve('bob-peer')).id, idOf('bob'))
    await assert.rejects(book.resolve(''), { name: 'InvalidInputError' })
    await assert.rejects(book.resolve(undefined as unknown as string), { name: 'InvalidInputError' })
    await assert.rejects(book.resolve('nobody'), { name: 'NotFoundError' })
    await assert.rejects(book.resolve('Twin'), { name: 'InvalidInputError', message: /several/ })
  })

  it('lists contacts or requests, newest activity first', async () => {
    const { book } = await setUp([
      person('old', { lastActivity: 1 }), person('new', { lastActivity: 3 }), person('req', { status: 'request', lastActivity: 2 })
    ])
    assert.deepEqual((await book.list('contact')).map(c => c.alias), ['new', 'old'])
    assert.deepEqual((await book.list('request')).map(c => c.alias), ['req'])
  })

  it('accepts a request with fresh tokens', async () => {
    const { book, repos, told, emitted } = await setUp([person('req', { status: 'request' })])
    const accepted = await book.accept('req')
    assert.equal(accepted.status, 'contact')
    assert.equal((await repos.contacts.require(idOf('req'))).issued?.length, 1)
    assert.deepEqual(told, [`sync ${REGISTER_WAIT}`])
    assert.deepEqual(emitted.map(c => c.status), ['contact'])
  })

  it('blocks: revokes their tokens at the relays before returning; unblocks with fresh ones', async () => {
    const { book, repos, told } = await setUp([person('bob')])
    await book.issueMissingTokens()
    const old = (await repos.contacts.require(idOf('bob'))).issued?.[0]?.token
    const blocked = await book.block('bob')
    assert.equal(blocked.blocked, true)
    assert.deepEqual((await repos.relays.require(RELAY_A)).revoke, [old])
    assert.deepEqual((await repos.contacts.require(idOf('bob'))).issued, [])
    assert.deepEqual(told, [`sync ${REVOKE_WAIT}`])
    assert.throws(() => { book.assertSendable(person('bob', { blocked: true })) }, { name: 'BlockedError' })
    await assert.rejects(book.setDisappearing('bob', 60), { name: 'BlockedError' })
    await book.issueMissingTokens()
    assert.deepEqual((await repos.contacts.require(idOf('bob'))).issued, [], 'none for a blocked contact')
    told.length = 0
    await book.unblock('bob')
    const fresh = (await repos.contacts.require(idOf('bob'))).issued ?? []
    assert.equal(fresh.length, 1)
    assert.notDeepEqual(fresh[0]?.token, old, 'a revoked token is never given again')
    assert.deepEqual(told, [`kick ${idOf('bob')}`, `sync ${REGISTER_WAIT}`])
  })

  it('issues missing tokens only to accepted contacts that are not blocked', async () => {
    const { book, repos } = await setUp([person('bob'), person('req', { status: 'request' }), person('eve', { blocked: true })])
    await book.issueMissingTokens()
    assert.equal((await repos.contacts.require(idOf('bob'))).issued?.length, 1)
    assert.equal((await repos.contacts.require(idOf('req'))).issued, undefined)
    assert.equal((await repos.contacts.require(idOf('eve'))).issued, undefined)
    const token = (await repos.contacts.require(idOf('bob'))).issued?.[0]?.token
    await book.issueMissingTokens()
    assert.deepEqual((await repos.contacts.require(idOf('bob'))).issued?.map(t => t.token), [token], 'one token a relay')
  })

  it('renames and verifies, refusing an alias that is empty or over 64 characters', async () => {
    const { book } = await setUp([person('bob')])
    for (const alias of ['', '   ', 'x'.repeat(65)]) await assert.rejects(book.setAlias(idOf('bob'), alias), { name: 'InvalidInputError' })
    assert.equal((await book.setAlias(idOf('bob'), ' Robert ')).alias, 'Robert')
    assert.equal((await book.setAlias(idOf('bob'), 'y'.repeat(64))).alias.length, 64)
    assert.equal((await book.setVerified(idOf('bob'), true)).verified, true)
    await assert.rejects(book.setVerified('nobody', true), { name: 'NotFoundError' })
  })

  it('sets the disappearing timer and tells the contact, refusing a bad one', async () => {
    const { book, repos, outbox } = await setUp([person('bob')])
    for (const seconds of [-1, 1.5, Number.NaN, MAX_DISAPPEARING_SECONDS + 1]) {
      await assert.rejects(book.setDisappearing('bob', seconds), { name: 'InvalidInputError' })
    }
    assert.equal(outbox.calls.length, 0)
    assert.equal((await book.setDisappearing('bob', MAX_DISAPPEARING_SECONDS)).disappearingSeconds, MAX_DISAPPEARING_SECONDS)
    await book.setDisappearing('bob', 0)
    assert.deepEqual(outbox.calls.map(c => [c.content.disappearingTimer?.seconds, c.durable]), [[MAX_DISAPPEARING_SECONDS, true], [0, true]])
    assert.equal((await repos.contacts.require(idOf('bob'))).disappearingSeconds, 0)
  })

  it('deletes a contact with its whole conversation, leaving tombstones, and revokes its tokens', async () => {
    const { book, repos, told } = await setUp([person('bob'), person('carol')])
    await book.issueMissingTokens()
    await repos.state.change(async tx => {
      for (const [name, order] of [['bob', 1], ['carol', 3]] as const) {
        const contactId = idOf(name)
        const m = { id: `${name}-m`, contactId, direction: 'in' as const, text: 'hi', sentAt: 5, order, storedAt: 5, state: 'delivered' as const, expiresAt: 99 }
        repos.messages.put(tx, m)
        repos.refs.put(tx, { contactId, sentAt: 5, order }, m.id)
        repos.unread.put(tx, { contactId, sentAt: 5, order })
        repos.expiries.put(tx, { contactId, sentAt: 5, order, id: m.id, expiresAt: 99 })
        repos.outbox.put(tx, { contactId, seq: 0, envelopeId: 'e', envelope: new Uint8Array(), createdAt: 0, attempts: 0, sent: false })
      }
    })
    await book.delete('bob')
    assert.equal(await repos.contacts.get(idOf('bob')), undefined)
    assert.equal(await repos.message('bob-m'), undefined)
    assert.equal((await repos.refs.get('bob-m'))?.gone, true, 'a tombstone stays')
    const left = async (prefix: (id: string) => Key): Promise<number> => {
      let n = 0
      for await (const _ of repos.state.store.values(prefix(idOf('bob')))) n++
      return n
    }
    assert.equal(await left(keys.unreadOf), 0)
    assert.equal(await left(keys.outboxOf), 0)
    let expiries = 0
    for await (const _ of repos.expiries.values(['expiry'])) expiries++
    assert.equal(expiries, 1, 'only carol\'s expiry is left')
    assert.notEqual(await repos.message('carol-m'), undefined, 'another conversation is untouched')
    assert.equal(await revoked(repos), 1)
    assert.deepEqual(told, [`courier forget ${idOf('bob')}`, 'forget bob-peer', `sync ${REGISTER_WAIT}`])
  })
})

describe('contact book: changed identities', () => {
  it('opens what was held under a changed key once the change is accepted, in order; blocking drops it', async () => {
    const NEW_KEY = PrivateKey.generate().getPublicKey().serialize()
    const { book, repos, told, quarantine } = await setUp([person('bob', { pendingIdentityKey: NEW_KEY }), person('carol', { pendingIdentityKey: NEW_KEY })])
    await repos.state.change(async tx => {
      for (const n of [1, 2, 3]) await quarantine.hold(tx, { contactId: idOf('bob'), envelopeId: `b${n}`, envelope: Uint8Array.of(n), identityKey: NEW_KEY })
      await quarantine.hold(tx, { contactId: idOf('carol'), envelopeId: 'c1', envelope: Uint8Array.of(9), identityKey: NEW_KEY })
    })
    assert.equal((await book.view(await book.resolve('bob'))).held, 3)
    told.length = 0
    const accepted = await book.acceptIdentityChange('bob')
    assert.deepEqual(told.filter(t => t.startsWith('receive')), ['receive 1', 'receive 2', 'receive 3'], 'each opened once, in the order held')
    assert.equal(accepted.held, 0)
    assert.equal(await quarantine.count(idOf('bob')), 0)
    assert.equal((await book.view(await book.resolve('carol'))).held, 1)
    const blocked = await book.block('carol')
    assert.equal(blocked.held, 0, 'blocking drops what was held')
    assert.equal(await quarantine.count(idOf('carol')), 0)
    assert.deepEqual(told.filter(t => t.startsWith('receive')), ['receive 1', 'receive 2', 'receive 3'], 'nothing of the blocked contact opened')
  })

  it('keeps the old key when asked: the change is dismissed, what was held dropped, sending goes on', async () => {
    const NEW_KEY = PrivateKey.generate().getPublicKey().serialize()
    const { book, repos, told, quarantine } = await setUp([person('bob', { pendingIdentityKey: NEW_KEY })])
    await repos.state.change(async tx => {
      await quarantine.hold(tx, { contactId: idOf('bob'), envelopeId: 'b1', envelope: Uint8Array.of(1), identityKey: NEW_KEY })
    })
    const kept = await book.keepIdentity('bob')
    assert.equal(kept.identityChanged, false)
    assert.equal(await quarantine.count(idOf('bob')), 0)
    const stored = await repos.contacts.require(idOf('bob'))
    assert.deepEqual(stored.identityKey, IDENTITY_KEY, 'the key it had stays')
    book.assertSendable(stored)
    assert.deepEqual(told.filter(t => t.startsWith('receive')), [], 'nothing of the new key opened')
  })

  it('settles at start what was held for contacts decided about: opened once accepted, dropped once blocked or gone', async () => {
    const KEY = PrivateKey.generate().getPublicKey().serialize()
    const { book, repos, told, quarantine } = await setUp([person('bob'), person('carol', { blocked: true }), person('dave', { pendingIdentityKey: KEY })])
    await repos.state.change(async tx => {
      for (const [n, name] of ['bob', 'carol', 'dave', 'eve'].entries()) {
        await quarantine.hold(tx, { contactId: idOf(name), envelopeId: name, envelope: Uint8Array.of(n), identityKey: KEY })
      }
    })
    await book.settleHeld()
    assert.deepEqual(told.filter(t => t.startsWith('receive')), ['receive 0'], 'bob\'s change was accepted (a crash cut opening short)')
    assert.deepEqual(await quarantine.contacts(), [idOf('dave')], 'dave\'s change still waits; carol blocked and eve gone')
  })
})
