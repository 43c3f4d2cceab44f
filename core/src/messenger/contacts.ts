// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Contacts: adding one from an invite, accepting, blocking, renaming, verifying, deleting, and the
 * disappearing timer of a conversation. Each change is one state change; what the relays and the
 * contact must learn of it (tokens issued or revoked) follows it.
 */
import { randomBytes } from 'node:crypto'
import { acceptIdentity, safetyNumber, startSession } from '../crypto/index.js'
import { BlockedError, IdentityChangedError, InvalidInputError, NotFoundError } from '../errors.js'
import { decodeInviteLink } from '../protocol/index.js'
import { equalBytes } from '../util/index.js'
import { toContact } from './context.js'
import { contactFromCard, keys } from './records.js'
import { eraseConversation } from './requests.js'
import { issueTokens, revokeIssued } from './tokens.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { Transaction } from '../storage/types.js'
import type { Events } from './context.js'
import type { Outbox } from './outbox.js'
import type { Peers } from './peers.js'
import type { Quarantine } from './quarantine.js'
import type { ContactRecord, ProfileRecord } from './records.js'
import type { Repositories } from './state.js'
import type { Contact } from './types.js'

/** Longest disappearing timer: four weeks. */
export const MAX_DISAPPEARING_SECONDS = 28 * 24 * 3600

/** Options of {@link ContactBook}. */
export interface ContactsInit {
  /** How long `block` and `delete` wait for the relays to revoke the contact's tokens (default 5 s). */
  revokeWaitMs?: number
  /**
   * How long other changes wait for reachable relays to register new tokens and for the Tokens
   * messages to be queued (default 5 s; what is left goes on in the background).
   */
  registerWaitMs?: number
}

/** What the contact book uses. */
export interface ContactsComponents {
  repos: Repositories
  identity: LocalIdentity
  profile: Pick<ProfileRecord, 'relays'>
  events: Events
  outbox: Outbox
  peers: Pick<Peers, 'follow' | 'rememberAddresses' | 'forget' | 'update' | 'presenceOf'>
  courier: { kick(contactId: string): void, forget(contactId: string): void }
  homeRelays: { sync(timeoutMs: number): Promise<void> }
  tokens: { announce(): Promise<void> }
  /** Envelopes held while a contact's identity change waits for the user. */
  quarantine: Pick<Quarantine, 'drop' | 'release' | 'count' | 'contacts'>
  /** Opens an envelope that came from a relay (see `Inbox.receive`). */
  inbox: { receive(envelope: Uint8Array, route: 'relay'): Promise<unknown> }
  /** Queues the delivery receipts of texts that came through a relay. */
  receipts: { flush(): void }
}

/** The contacts of a messenger. */
export class ContactBook {
  private readonly revokeWaitMs: number
  private readonly registerWaitMs: number

  constructor (private readonly components: ContactsComponents, init: ContactsInit = {}) {
    this.revokeWaitMs = init.revokeWaitMs ?? 5_000
    this.registerWaitMs = init.registerWaitMs ?? 5_000
  }

  /** Every contact holds a token at every home relay (a crash may have cut issuing short). */
  async issueMissingTokens (): Promise<void> {
    const { repos, profile } = this.components
    await repos.state.change(async (tx, change) => {
      let changed = false
      for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
        if (issueTokens(c, profile.relays)) {
          repos.contacts.put(tx, c)
          changed = true
        }
      }
      if (!changed) change.discard()
    })
  }

  /** Adds a contact from an invite link (see `Messenger.addContact`). */
  async add (invite: string, options: { alias?: string } = {}): Promise<Contact> {
    const card = decodeInviteLink(invite)
    const { repos, identity, profile, outbox, peers } = this.components
    if (card.userId === identity.userId) throw new InvalidInputError('this is your own invite')
    const changed = await repos.state.change(async (tx, change) => {
      const known = await repos.contacts.get(card.userId, tx)
      if (known != null && !equalBytes(known.identityKey, card.bundle.identityKey)) {
        known.pendingIdentityKey = card.bundle.identityKey
        repos.contacts.put(tx, known)
        return { changedKey: known }
      }
      const now = Date.now()
      const contact: ContactRecord = {
        ...(known ?? contactFromCard(card, card.bundle.identityKey, 'contact', false, now)),
        peerId: card.peerId,
        displayName: card.name,
        alias: options.alias?.trim() || known?.alias || card.name,
        status: 'contact',
        addrs: card.addrs,
        relays: card.relays,
        lastActivity: now
      }
      // Someone known only from a group is introduced as anyone new (the session is the group's).
      if (known?.status === 'member') contact.heardFrom = false
      if (known == null || known.status === 'member') {
        // A guest's invitation: the tag goes back with our card, and they accept us at once.
        if (card.inviteTag != null) contact.inviteTag = card.inviteTag
        if (known == null) await startSession(tx, identity, card.userId, card.bundle)
        // An introduction: the invite's owner learns who added them (a contact request).
        await outbox.add(tx, change, contact, { id: randomBytes(16), sentAt: now })
      }
      issueTokens(contact, profile.relays)
      repos.contacts.put(tx, contact)
      return { contact }
    })
    if (changed.changedKey != null) {
      throw new IdentityChangedError(`${changed.changedKey.alias}'s identity key changed: compare safety numbers, then accept the change`)
    }
    const record = changed.contact as ContactRecord
    peers.follow(record)
    peers.update(record.peerId)
    await peers.rememberAddresses(record)
    this.components.courier.kick(record.id)
    await this.components.homeRelays.sync(this.registerWaitMs)
    return this.announce(record)
  }

  /** Contacts or requests, newest activity first. */
  async list (status: 'contact' | 'request'): Promise<Contact[]> {
    const records: ContactRecord[] = []
    for await (const c of this.components.repos.contacts.values(keys.contacts())) {
      if (c.status === status) records.push(c)
    }
    records.sort((a, b) => b.lastActivity - a.lastActivity)
    return Promise.all(records.map(async c => this.view(c)))
  }

  /** The contact with this id, alias or PeerId; throws when none or several match. */
  async resolve (ref: string): Promise<ContactRecord> {
    if (typeof ref !== 'string' || ref.length === 0) throw new InvalidInputError('name a contact by id or alias')
    const { contacts } = this.components.repos
    const byId = await contacts.get(ref)
    if (byId != null) return byId
    const matches: ContactRecord[] = []
    for await (const c of contacts.values(keys.contacts())) {
      if (c.alias === ref || c.peerId === ref) matches.push(c)
    }
    if (matches.length === 0) throw new NotFoundError(`no contact named ${JSON.stringify(ref)}`)
    if (matches.length > 1) throw new InvalidInputError(`several contacts are named ${JSON.stringify(ref)}: use the contact id`)
    return matches[0] as ContactRecord
  }

  /** Throws unless messages may be sent to `contact`. */
  assertSendable (contact: ContactRecord): void {
    if (contact.blocked) throw new BlockedError(`${contact.alias} is blocked`)
    if (contact.pendingIdentityKey != null) throw new IdentityChangedError(`${contact.alias}'s identity key changed: accept the change first`)
  }

  /** The public view of a contact record. */
  async view (c: ContactRecord): Promise<Contact> {
    const last = c.lastMessageId != null ? await this.components.repos.message(c.lastMessageId) : undefined
    // While a change waits, the number to compare is the new key's: it matches the one their app shows only if it is theirs.
    const number = safetyNumber(this.components.identity, c.id, c.pendingIdentityKey ?? c.identityKey)
    // Only a contact whose change waits for the user has envelopes held (a crash aside, settled at start).
    const held = c.pendingIdentityKey != null ? await this.components.quarantine.count(c.id) : 0
    return toContact(c, number, this.components.peers.presenceOf(c.id), last, held)
  }

  /** Accepts a request. */
  async accept (ref: string): Promise<Contact> {
    const contact = await this.update(ref, c => {
      c.status = 'contact'
      issueTokens(c, this.components.profile.relays)
    })
    await this.components.homeRelays.sync(this.registerWaitMs)
    return contact
  }

  /** Blocks; their tokens are revoked at every reachable relay before this returns. */
  async block (ref: string): Promise<Contact> {
    const contact = await this.update(ref, async (c, tx) => {
      c.blocked = true
      await revokeIssued(this.components.repos.relays, tx, c)
      // What their changed identity left in the quarantine goes with them.
      await this.components.quarantine.drop(tx, c.id)
    })
    await this.components.homeRelays.sync(this.revokeWaitMs)
    return contact
  }

  /** Unblocks, with fresh tokens (the old ones are revoked for good). */
  async unblock (ref: string): Promise<Contact> {
    const contact = await this.update(ref, c => {
      c.blocked = false
      issueTokens(c, this.components.profile.relays)
    })
    this.components.courier.kick(contact.id)
    await this.components.homeRelays.sync(this.registerWaitMs)
    return contact
  }

  /** Renames a contact locally. */
  async setAlias (ref: string, alias: string): Promise<Contact> {
    const trimmed = alias.trim()
    if (trimmed.length === 0 || trimmed.length > 64) throw new InvalidInputError('an alias has 1 to 64 characters')
    return this.update(ref, c => { c.alias = trimmed })
  }

  /** Marks the safety number as compared (or not). */
  async setVerified (ref: string, verified: boolean): Promise<Contact> {
    return this.update(ref, c => { c.verified = verified })
  }

  /** Accepts a changed identity key. */
  async acceptIdentityChange (ref: string): Promise<Contact> {
    const contact = await this.resolve(ref)
    const c = await this.components.repos.contacts.update(contact.id, async (c, tx) => {
      if (c.pendingIdentityKey == null) return false
      await acceptIdentity(tx, c.id, c.pendingIdentityKey)
      c.identityKey = c.pendingIdentityKey
      delete c.pendingIdentityKey
      c.verified = false
    })
    if (c == null) throw new NotFoundError(`no contact ${contact.id}`)
    // What came under the new key is opened now, in the order it came.
    await this.releaseHeld(c.id)
    // Tokens held back while the key was in doubt can go now.
    void this.components.tokens.announce().catch(() => {})
    return this.view(c)
  }

  /**
   * Keeps the identity key the contact had: the change is dismissed (someone else claimed their
   * user id, as anyone can) and what came under the new key is dropped. Sending goes on.
   */
  async keepIdentity (ref: string): Promise<Contact> {
    return this.update(ref, async (c, tx) => {
      delete c.pendingIdentityKey
      await this.components.quarantine.drop(tx, c.id)
    })
  }

  /**
   * Settles what the quarantine holds for contacts the user decided about (a crash may have cut
   * that short): opens it for a contact whose change was accepted, drops it for one blocked or gone.
   */
  async settleHeld (): Promise<void> {
    const { repos, quarantine } = this.components
    for (const id of await quarantine.contacts()) {
      const c = await repos.contacts.get(id)
      if (c == null || c.blocked) await repos.state.change(async tx => { await quarantine.drop(tx, id) })
      else if (c.pendingIdentityKey == null) await this.releaseHeld(id)
    }
  }

  /** Opens what the quarantine holds for `contactId`; emits the contact's view when something was. */
  private async releaseHeld (contactId: string): Promise<void> {
    const opened = await this.components.quarantine.release(contactId, async envelope => this.components.inbox.receive(envelope, 'relay'))
    if (opened > 0) this.components.receipts.flush()
  }

  /** Deletes a contact and the whole conversation. */
  async delete (ref: string): Promise<void> {
    const contact = await this.resolve(ref)
    const { repos, courier } = this.components
    await repos.state.change(async (tx, change) => {
      await eraseConversation(repos, tx, contact.id)
      const c = await repos.contacts.get(contact.id, tx)
      if (c != null) await revokeIssued(repos.relays, tx, c)
      await this.components.quarantine.drop(tx, contact.id)
      repos.contacts.del(tx, contact.id)
      change.afterCommit(() => { courier.forget(contact.id) })
    })
    this.components.peers.forget(contact.peerId)
    await this.components.homeRelays.sync(this.registerWaitMs)
  }

  /** Sets the disappearing timer of a conversation and tells the contact. */
  async setDisappearing (ref: string, seconds: number): Promise<Contact> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_DISAPPEARING_SECONDS) {
      throw new InvalidInputError(`a disappearing timer is 0 (off) to ${MAX_DISAPPEARING_SECONDS} seconds`)
    }
    const contact = await this.resolve(ref)
    this.assertSendable(contact)
    const c = await this.components.repos.contacts.update(contact.id, async (c, tx, change) => {
      c.disappearingSeconds = seconds
      await this.components.outbox.add(tx, change, c, { id: randomBytes(16), sentAt: Date.now(), disappearingTimer: { seconds } })
    })
    if (c == null) throw new NotFoundError(`no contact ${contact.id}`)
    return this.view(c)
  }

  private async update (ref: string, change: (c: ContactRecord, tx: Transaction) => Promise<void> | void): Promise<Contact> {
    const contact = await this.resolve(ref)
    const updated = await this.components.repos.contacts.update(contact.id, change)
    if (updated == null) throw new NotFoundError(`no contact ${contact.id}`)
    return this.announce(updated)
  }

  /** Emits the contact's public view as a `contact` event, and returns it. */
  private async announce (record: ContactRecord): Promise<Contact> {
    const contact = await this.view(record)
    this.components.events.emit('contact', contact)
    return contact
  }
}
