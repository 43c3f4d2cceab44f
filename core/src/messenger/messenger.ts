// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `createMessenger`: one identity, one data directory, one libp2p node.
 */
import { randomBytes } from 'node:crypto'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  acceptIdentity, createLocalIdentity, currentPreKeyBundle, loadLocalIdentity, maintainPreKeys,
  safetyNumber, seal, startSession
} from '../crypto/index.js'
import { BlockedError, IdentityChangedError, InvalidInputError, NotFoundError, TimeoutError } from '../errors.js'
import { silentLoggers } from '../logger.js'
import { handleMessages } from '../net/message-protocol.js'
import { DEFAULT_LISTEN, circuitAddress, createNode } from '../net/node.js'
import {
  MAX_CARD_ADDRS, MAX_RECEIPT_IDS, decodeInviteLink, encodeContent, encodeEnvelope, encodeInviteLink,
  encodeInviteQr, signInviteCard
} from '../protocol/index.js'
import { openStore } from '../storage/index.js'
import { Events, putContact, readContact, readMessage, requireContact, toContact, toMessage } from './context.js'
import { Courier } from './courier.js'
import { Disappearing } from './disappearing.js'
import { HomeRelays } from './home-relays.js'
import { Inbox } from './inbox.js'
import { Mutex } from './lock.js'
import { DEFAULT_SETTINGS, decodeRecord, encodeRecord, keys, messageOrder, tombstone } from './records.js'
import { RunAgain, equalBytes, fromHex, toHex } from '../util/index.js'
import { RelayClients, relayPeerIdOf } from './relay-clients.js'
import { eligibleForTokens, issueTokens, readRelay, revokeIssued } from './tokens.js'
import { Upkeep } from './upkeep.js'
import type { Context } from './context.js'
import type { ContactRecord, MessageRecord, OutboxRecord, PendingReceipt, ProfileRecord, SentControl } from './records.js'
import type {
  Contact, HistoryOptions, Message, MessageState, Messenger, MessengerEvents, MessengerListener,
  MessengerOptions, OwnIdentity, Presence, RelayView, Settings
} from './types.js'
import type { Connection } from '@libp2p/interface'
import type { Content, InviteCard, RelayToken } from '../protocol/index.js'
import type { Transaction } from '../storage/types.js'

/** Longest text a message may carry, in characters. */
export const MAX_TEXT_LENGTH = 8000
/** Longest disappearing timer: four weeks. */
export const MAX_DISAPPEARING_SECONDS = 28 * 24 * 3600
/** How long `block` waits for the relays to revoke the contact's tokens before returning. */
const REVOKE_WAIT_MS = 5_000
/**
 * How long other changes wait for reachable relays to register new tokens and for the Tokens
 * messages to be queued (what is left goes on in the background).
 */
const REGISTER_WAIT_MS = 5_000

/**
 * Opens (or creates) a data directory and starts a messenger on it.
 * Throws `WrongPassphraseError` or `DataDirectoryLockedError` without changing anything.
 */
export async function createMessenger (options: MessengerOptions): Promise<Messenger> {
  const loggers = options.logger ?? silentLoggers
  const store = await openStore({ dir: options.dataDir, keySource: options.keySource, scryptLogN: options.scryptLogN })
  try {
    const tx = store.transaction()
    let identity = await loadLocalIdentity(tx)
    const profileBytes = await tx.get(keys.profile())
    let profile: ProfileRecord
    if (identity == null || profileBytes == null) {
      identity = await createLocalIdentity(tx, Date.now())
      const peerKey = await generateKeyPair('Ed25519')
      profile = {
        name: (options.name ?? '').trim().slice(0, 64) || 'Me',
        peerKey: privateKeyToProtobuf(peerKey),
        listen: options.listen ?? DEFAULT_LISTEN,
        // Relays are added by the messenger once it runs (they must be reached first).
        relays: [],
        createdAt: Date.now()
      }
      tx.put(keys.profile(), encodeRecord(profile))
      tx.put(keys.settings(), encodeRecord(DEFAULT_SETTINGS))
    } else {
      profile = decodeRecord<ProfileRecord>(profileBytes)
      await maintainPreKeys(tx, identity, Date.now())
    }
    await tx.commit()
    const settings = decodeRecord<Settings>(await store.get(keys.settings()) ?? encodeRecord(DEFAULT_SETTINGS))
    const node = await createNode({
      privateKey: privateKeyFromProtobuf(profile.peerKey),
      listen: options.listen ?? profile.listen,
      mdns: options.mdns ?? settings.mdns,
      iceServers: options.iceServers ?? []
    })
    const ctx: Context = {
      store,
      identity,
      profile,
      node,
      events: new Events(),
      loggers,
      log: loggers.forComponent('core:messenger'),
      presence: new Map(),
      lock: new Mutex(),
      clients: new RelayClients(node, loggers)
    }
    const messenger = new SottoMessenger(ctx)
    try {
      await messenger.start()
      const known = new Set(profile.relays.map(relayPeerIdOf))
      for (const relay of options.relays ?? []) {
        if (!known.has(relayPeerIdOf(relay))) await messenger.addRelay(relay)
      }
    } catch (err) {
      await messenger.stop().catch(() => {})
      throw err
    }
    return messenger
  } catch (err) {
    await store.close().catch(() => {})
    throw err
  }
}

class SottoMessenger implements Messenger {
  private readonly courier: Courier
  private readonly inbox: Inbox
  private readonly disappearing: Disappearing
  private readonly homeRelays: HomeRelays
  private readonly upkeep: Upkeep
  private readonly byPeer = new Map<string, string>()
  private stopping?: Promise<void>
  private readonly receipts = new RunAgain(async () => this.flushReceiptsOnce(), {
    stopped: () => this.stopping != null,
    onError: err => { this.ctx.log.warn('could not queue delivery receipts', { error: err.name }) }
  })

  private readonly announcing = new RunAgain(async () => this.announceOnce(), { stopped: () => this.stopping != null })

  constructor (private readonly ctx: Context) {
    this.courier = new Courier(ctx)
    this.disappearing = new Disappearing(ctx)
    this.upkeep = new Upkeep(ctx)
    this.homeRelays = new HomeRelays(ctx, {
      receive: async envelope => this.inbox.receive(envelope, 'relay'),
      announceTokens: async () => this.announceTokens(),
      flushReceipts: () => { this.flushReceipts() },
      relayReachable: () => { void this.courier.kickAll().catch(() => {}) }
    })
    this.inbox = new Inbox(ctx, accepted => {
      if (accepted.request != null) {
        this.byPeer.set(accepted.request.peerId, accepted.request.id)
        this.updatePresence(accepted.request.peerId)
        void this.publicContact(accepted.request).then(c => { this.ctx.events.emit('request', c) })
      }
      if (accepted.contact != null) {
        void this.publicContact(accepted.contact).then(c => { this.ctx.events.emit('contact', c) })
        // Their tokens may have changed: what waits for them may now have somewhere to go.
        this.courier.kick(accepted.contact.id)
      }
      if (accepted.message != null) this.ctx.events.emit('message', accepted.message)
      if (accepted.tokensAsked) void this.announceTokens().catch(() => {})
      for (const m of accepted.delivered) this.ctx.events.emit('status', { id: m.id, contactId: m.contactId, state: 'delivered' })
      for (const m of accepted.requeued) this.ctx.events.emit('status', { id: m.id, contactId: m.contactId, state: 'queued' })
    }, {
      enqueue: async (tx, contact, content, messageId) => this.enqueue(tx, contact, content, messageId),
      commit: async (tx, held) => {
        await this.commitOutbox(tx, held)
        for (const contactId of new Set(held.map(e => e.contactId))) this.courier.kick(contactId)
      }
    })
  }

  async start (): Promise<void> {
    const { node } = this.ctx
    for await (const bytes of this.ctx.store.values(keys.contacts())) {
      const c = decodeRecord<ContactRecord>(bytes)
      this.byPeer.set(c.peerId, c.id)
      await this.rememberAddresses(c)
    }
    await handleMessages(node, async (envelope) => this.inbox.receive(envelope), this.ctx.loggers.forComponent('core:message-protocol'))
    node.addEventListener('connection:open', (evt) => { this.connectionChanged(evt.detail) })
    node.addEventListener('connection:close', (evt) => { this.connectionChanged(evt.detail) })
    await this.disappearing.start()
    await this.homeRelays.start()
    await this.issueMissingTokens()
    await this.courier.kickAll()
    this.flushReceipts()
    this.upkeep.start()
  }

  /** Every contact holds a token at every home relay (a crash may have cut issuing short). */
  private async issueMissingTokens (): Promise<void> {
    const { done } = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      let changed = false
      for await (const bytes of tx.values(keys.contacts())) {
        const c = decodeRecord<ContactRecord>(bytes)
        if (issueTokens(c, this.ctx.profile.relays)) {
          putContact(tx, c)
          changed = true
        }
      }
      return { done: changed ? tx.commit() : Promise.resolve() }
    })
    await done
  }

  identity (): OwnIdentity {
    return { userId: this.ctx.identity.userId, peerId: this.ctx.node.peerId.toString(), name: this.ctx.profile.name }
  }

  addresses (): string[] {
    return this.ctx.node.getMultiaddrs().map(ma => ma.toString())
  }

  async invite (): Promise<string> {
    return encodeInviteLink(await this.inviteCard(), this.ctx.identity.keyPair.privateKey)
  }

  async inviteQr (): Promise<string> {
    return encodeInviteQr(await this.inviteCard(), this.ctx.identity.keyPair.privateKey)
  }

  /** The card behind invites and introductions: who we are and where to reach us. */
  private async inviteCard (): Promise<Omit<InviteCard, 'version'>> {
    // Without one-time prekeys: an invite may be used by several people, a one-time key only once.
    const bundle = await currentPreKeyBundle(this.ctx.store.transaction(), this.ctx.identity, { oneTime: false })
    const relays = await this.homeRelays.ready()
    const me = this.ctx.node.peerId.toString()
    // Circuits through our relays first: they reach us from anywhere the relay is reachable from.
    const addrs = [...new Set([
      ...relays.map(r => circuitAddress(r.addr, me).toString()),
      ...this.addresses()
    ])]
    return {
      name: this.ctx.profile.name,
      userId: this.ctx.identity.userId,
      peerId: me,
      bundle,
      addrs: addrs.slice(0, MAX_CARD_ADDRS),
      relays: relays.map(r => ({ addr: r.addr, mailboxId: r.mailboxId, introToken: r.introToken })),
      createdAt: Date.now()
    }
  }

  async addContact (invite: string, options: { alias?: string } = {}): Promise<Contact> {
    const card = decodeInviteLink(invite)
    if (card.userId === this.ctx.identity.userId) throw new InvalidInputError('this is your own invite')
    const record = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      let contact = await readContact(tx, card.userId)
      if (contact != null && !equalBytes(contact.identityKey, card.bundle.identityKey)) {
        contact.pendingIdentityKey = card.bundle.identityKey
        putContact(tx, contact)
        await tx.commit()
        throw new IdentityChangedError(`${contact.alias}'s identity key changed: compare safety numbers, then accept the change`)
      }
      const now = Date.now()
      const fresh = contact == null
      const held: OutboxRecord[] = []
      contact = {
        ...(contact ?? {
          id: card.userId,
          identityKey: card.bundle.identityKey,
          verified: false,
          blocked: false,
          disappearingSeconds: 0,
          unread: 0,
          nextSeq: 0,
          nextOutbox: 0,
          heardFrom: false,
          addedAt: now
        }),
        peerId: card.peerId,
        displayName: card.name,
        alias: options.alias?.trim() || contact?.alias || card.name,
        status: 'contact',
        addrs: card.addrs,
        relays: card.relays,
        lastActivity: now
      }
      if (fresh) {
        await startSession(tx, this.ctx.identity, card.userId, card.bundle)
        // An introduction: the invite's owner learns who added them (a contact request).
        held.push(await this.enqueue(tx, contact, { id: randomBytes(16), sentAt: now }))
      }
      issueTokens(contact, this.ctx.profile.relays)
      putContact(tx, contact)
      return { contact, done: this.commitOutbox(tx, held) }
    })
    await record.done
    this.byPeer.set(record.contact.peerId, record.contact.id)
    this.updatePresence(record.contact.peerId)
    await this.rememberAddresses(record.contact)
    this.courier.kick(record.contact.id)
    await this.homeRelays.sync(REGISTER_WAIT_MS)
    const contact = await this.publicContact(record.contact)
    this.ctx.events.emit('contact', contact)
    return contact
  }

  async contacts (): Promise<Contact[]> {
    return this.listContacts('contact')
  }

  async requests (): Promise<Contact[]> {
    return this.listContacts('request')
  }

  async contact (ref: string): Promise<Contact> {
    return this.publicContact(await this.resolve(ref))
  }

  async accept (ref: string): Promise<Contact> {
    const contact = await this.updateContact(ref, c => {
      c.status = 'contact'
      issueTokens(c, this.ctx.profile.relays)
    })
    await this.homeRelays.sync(REGISTER_WAIT_MS)
    return contact
  }

  async block (ref: string): Promise<Contact> {
    const contact = await this.updateContact(ref, c => { c.blocked = true }, async (tx, c) => { await revokeIssued(tx, c) })
    // Revoked at every reachable relay before this returns: from now on their deposits are refused.
    await this.homeRelays.sync(REVOKE_WAIT_MS)
    return contact
  }

  async unblock (ref: string): Promise<Contact> {
    const contact = await this.updateContact(ref, c => {
      c.blocked = false
      // Fresh tokens: the old ones are revoked for good.
      issueTokens(c, this.ctx.profile.relays)
    })
    this.courier.kick(contact.id)
    await this.homeRelays.sync(REGISTER_WAIT_MS)
    return contact
  }

  async setAlias (ref: string, alias: string): Promise<Contact> {
    const trimmed = alias.trim()
    if (trimmed.length === 0 || trimmed.length > 64) throw new InvalidInputError('an alias has 1 to 64 characters')
    return this.updateContact(ref, c => { c.alias = trimmed })
  }

  async setVerified (ref: string, verified: boolean): Promise<Contact> {
    return this.updateContact(ref, c => { c.verified = verified })
  }

  async acceptIdentityChange (ref: string): Promise<Contact> {
    const contact = await this.resolve(ref)
    const { c, done } = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      const c = await requireContact(tx, contact.id)
      if (c.pendingIdentityKey == null) return { c, done: Promise.resolve() }
      await acceptIdentity(tx, c.id, c.pendingIdentityKey)
      c.identityKey = c.pendingIdentityKey
      delete c.pendingIdentityKey
      c.verified = false
      putContact(tx, c)
      return { c, done: tx.commit() }
    })
    await done
    // Tokens held back while the key was in doubt can go now.
    void this.announceTokens().catch(() => {})
    return this.publicContact(c)
  }

  async deleteContact (ref: string): Promise<void> {
    const contact = await this.resolve(ref)
    await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      for await (const bytes of tx.values(keys.conversation(contact.id))) {
        const m = decodeRecord<MessageRecord>(bytes)
        tx.del(keys.message(m))
        tx.put(keys.messageRef(m.id), encodeRecord(tombstone(m.id, m, Date.now())))
        if (m.expiresAt != null) tx.del(keys.expiry(m.expiresAt, m.order))
      }
      for await (const bytes of tx.values(keys.unreadOf(contact.id))) {
        const r = decodeRecord<{ contactId: string, sentAt: number, order: number }>(bytes)
        tx.del(keys.unread(r))
      }
      for await (const bytes of tx.values(keys.outboxOf(contact.id))) {
        const o = decodeRecord<OutboxRecord>(bytes)
        tx.del(keys.outbox(o.contactId, o.seq))
      }
      const c = await readContact(tx, contact.id)
      if (c != null) await revokeIssued(tx, c)
      tx.del(keys.contact(contact.id))
      const done = tx.commit()
      this.courier.forget(contact.id)
      return { done }
    }).then(async ({ done }) => { await done })
    this.byPeer.delete(contact.peerId)
    await this.homeRelays.sync(REGISTER_WAIT_MS)
  }

  async setDisappearing (ref: string, seconds: number): Promise<Contact> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_DISAPPEARING_SECONDS) {
      throw new InvalidInputError(`a disappearing timer is 0 (off) to ${MAX_DISAPPEARING_SECONDS} seconds`)
    }
    const contact = await this.resolve(ref)
    this.assertSendable(contact)
    const result = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      const c = await requireContact(tx, contact.id)
      c.disappearingSeconds = seconds
      const held = [await this.enqueue(tx, c, { id: randomBytes(16), sentAt: Date.now(), disappearingTimer: { seconds } })]
      putContact(tx, c)
      return { c, done: this.commitOutbox(tx, held) }
    })
    await result.done
    this.courier.kick(contact.id)
    return this.publicContact(result.c)
  }

  async send (ref: string, text: string): Promise<Message> {
    if (typeof text !== 'string' || text.length === 0) throw new InvalidInputError('a message needs text')
    if (text.length > MAX_TEXT_LENGTH) throw new InvalidInputError(`a message has at most ${MAX_TEXT_LENGTH} characters`)
    // The contact is resolved under the lock, taken at once: the outbox keeps the order of the calls.
    const result = await this.ctx.lock.run(async () => {
      // Read under the mutex, the record is current: no second read through the transaction.
      const c = await this.resolve(ref)
      this.assertSendable(c)
      const tx = this.ctx.store.transaction()
      const id = randomBytes(16)
      const sentAt = Date.now()
      const seq = c.nextSeq++
      const message: MessageRecord = {
        id: toHex(id),
        contactId: c.id,
        direction: 'out',
        text,
        sentAt,
        order: messageOrder(seq, 'out'),
        storedAt: sentAt,
        state: 'queued',
        ...(c.disappearingSeconds > 0 ? { expiresAt: sentAt + c.disappearingSeconds * 1000 } : {})
      }
      const held = [await this.enqueue(tx, c, { id, sentAt, text: { text, seq } }, message.id)]
      tx.put(keys.message(message), encodeRecord(message))
      tx.put(keys.messageRef(message.id), encodeRecord({ contactId: c.id, sentAt, order: message.order }))
      if (message.expiresAt != null) this.disappearing.schedule(tx, message)
      c.lastMessageId = message.id
      c.lastActivity = sentAt
      putContact(tx, c)
      return { message, done: this.commitOutbox(tx, held) }
    })
    await result.done
    this.courier.kick(result.message.contactId)
    return toMessage(result.message)
  }

  async waitForState (id: string, states: MessageState[], timeoutMs: number): Promise<Message> {
    const wanted = new Set<MessageState>([...states, 'failed'])
    return new Promise<Message>((resolve, reject) => {
      let settled = false
      const finish = (err?: Error, message?: Message): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.off('status', onStatus)
        if (err != null) reject(err)
        else resolve(message as Message)
      }
      const check = async (): Promise<void> => {
        const record = await readMessage(this.ctx.store, id)
        if (record == null) finish(new NotFoundError(`no message ${id}`))
        else if (wanted.has(record.state)) finish(undefined, toMessage(record))
      }
      const onStatus = (e: MessengerEvents['status']): void => {
        if (e.id === id && wanted.has(e.state)) void check().catch(err => { finish(err as Error) })
      }
      const timer = setTimeout(() => {
        void readMessage(this.ctx.store, id).then(record => {
          finish(new TimeoutError(`message ${id} is still ${record?.state ?? 'unknown'} after ${timeoutMs} ms`))
        }, err => { finish(err as Error) })
      }, timeoutMs)
      this.on('status', onStatus)
      void check().catch(err => { finish(err as Error) })
    })
  }

  async history (ref: string, options: HistoryOptions = {}): Promise<Message[]> {
    const contact = await this.resolve(ref)
    let lt: number | undefined
    let beforeOrder: number | undefined
    if (options.before != null) {
      const before = await readMessage(this.ctx.store, options.before)
      if (before == null) throw new NotFoundError(`no message ${options.before}`)
      lt = before.sentAt + 1
      beforeOrder = before.order
    }
    const newestFirst: Message[] = []
    for await (const bytes of this.ctx.store.values(keys.conversation(contact.id), { reverse: true, ...(lt != null ? { lt } : {}) })) {
      const m = decodeRecord<MessageRecord>(bytes)
      if (beforeOrder != null && lt != null && m.sentAt === lt - 1 && m.order >= beforeOrder) continue
      newestFirst.push(toMessage(m))
      if (options.limit != null && newestFirst.length >= options.limit) break
    }
    return newestFirst.reverse()
  }

  async markRead (ref: string): Promise<void> {
    const contact = await this.resolve(ref)
    await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      const c = await requireContact(tx, contact.id)
      const now = Date.now()
      let changed = false
      for await (const bytes of tx.values(keys.unreadOf(c.id))) {
        const r = decodeRecord<{ contactId: string, sentAt: number, order: number }>(bytes)
        tx.del(keys.unread(r))
        changed = true
        const mBytes = await tx.get(keys.message(r))
        if (mBytes == null) continue
        const m = decodeRecord<MessageRecord>(mBytes)
        m.readAt = now
        if (c.disappearingSeconds > 0) {
          m.expiresAt = now + c.disappearingSeconds * 1000
          this.disappearing.schedule(tx, m)
        }
        tx.put(keys.message(m), encodeRecord(m))
      }
      if (!changed && c.unread === 0) return { done: Promise.resolve() }
      c.unread = 0
      putContact(tx, c)
      return { done: tx.commit() }
    }).then(async ({ done }) => { await done })
    this.disappearing.rearm()
  }

  async settings (): Promise<Settings> {
    const bytes = await this.ctx.store.get(keys.settings())
    return { ...DEFAULT_SETTINGS, ...(bytes != null ? decodeRecord<Partial<Settings>>(bytes) : {}) }
  }

  async updateSettings (patch: Partial<Settings>): Promise<Settings> {
    const next: Settings = { ...await this.settings() }
    if (patch.mdns != null) next.mdns = Boolean(patch.mdns)
    if (patch.readReceipts != null) next.readReceipts = Boolean(patch.readReceipts)
    if (patch.excludedJurisdictions != null) {
      const codes = patch.excludedJurisdictions.map(c => String(c).toUpperCase())
      if (!codes.every(c => /^[A-Z]{2}$/.test(c))) throw new InvalidInputError('jurisdictions are ISO 3166-1 alpha-2 codes')
      next.excludedJurisdictions = [...new Set(codes)].sort()
    }
    await this.ctx.store.put(keys.settings(), encodeRecord(next))
    if (patch.excludedJurisdictions != null) {
      for (const relay of await this.homeRelays.list()) {
        if (relay.info != null && next.excludedJurisdictions.includes(relay.info.jurisdiction)) {
          await this.homeRelays.remove(relay.addr)
        }
      }
    }
    return next
  }

  async relays (): Promise<RelayView[]> {
    return this.homeRelays.list()
  }

  async addRelay (addr: string): Promise<RelayView> {
    return this.homeRelays.add(addr)
  }

  async removeRelay (addr: string): Promise<void> {
    await this.homeRelays.remove(addr)
  }

  on<K extends keyof MessengerEvents> (event: K, listener: MessengerListener<K>): void {
    this.ctx.events.on(event, listener)
  }

  off<K extends keyof MessengerEvents> (event: K, listener: MessengerListener<K>): void {
    this.ctx.events.off(event, listener)
  }

  async stop (): Promise<void> {
    this.stopping ??= (async () => {
      this.disappearing.stop()
      await this.upkeep.stop()
      await this.homeRelays.stop()
      await this.courier.stop()
      await this.receipts.idle()
      await this.announcing.idle()
      await this.ctx.node.stop()
      await this.ctx.store.close()
    })()
    return this.stopping
  }

  /** Seals `content` for `contact` into a new outbox entry in `tx`. */
  private async enqueue (
    tx: Transaction,
    contact: ContactRecord,
    content: Omit<Content, 'senderCard'>,
    messageId?: string
  ): Promise<OutboxRecord> {
    const senderCard = contact.heardFrom ? undefined : await this.ownCard()
    const sealed = await seal(tx, this.ctx.identity, contact.id, encodeContent({ ...content, ...(senderCard != null ? { senderCard } : {}) }))
    const entry: OutboxRecord = {
      contactId: contact.id,
      seq: contact.nextOutbox++,
      envelopeId: toHex(content.id),
      envelope: encodeEnvelope({ id: content.id, sealed }),
      ...(messageId != null ? { messageId } : {}),
      createdAt: content.sentAt,
      attempts: 0,
      sent: false
    }
    tx.put(keys.outbox(contact.id, entry.seq), encodeRecord(entry))
    const control = messageId == null && (content.deliveryReceipt ?? content.resendRequest ?? content.disappearingTimer ?? content.tokens) != null
    if (control) {
      const record: SentControl = {
        id: entry.envelopeId,
        contactId: contact.id,
        sentAt: content.sentAt,
        ...(content.deliveryReceipt != null ? { deliveryReceipt: content.deliveryReceipt.ids } : {}),
        ...(content.resendRequest != null ? { resendRequest: content.resendRequest.ids } : {}),
        ...(content.disappearingTimer != null ? { disappearingTimer: true as const } : {}),
        ...(content.tokens != null ? { tokens: true as const } : {})
      }
      tx.put(keys.sentControl(record.id), encodeRecord(record))
    }
    this.courier.holdUntilDurable(entry)
    return entry
  }

  /**
   * Commits a transaction that added the outbox entries `held`. They are released to the courier
   * only once durable: an envelope must never leave before the session state that made it is on disk.
   */
  private async commitOutbox (tx: Transaction, held: OutboxRecord[]): Promise<void> {
    let durable = false
    try {
      await tx.commit()
      durable = true
    } finally {
      for (const entry of held) this.courier.release(entry, durable)
    }
  }

  /**
   * Sends a Tokens message to every contact whose list changed: the tokens registered at our home
   * relays for them. Runs one at a time; a call during a run makes it run again.
   */
  private async announceTokens (): Promise<void> {
    return this.announcing.run()
  }

  private async announceOnce (): Promise<void> {
    const { touched, done } = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      const held: OutboxRecord[] = []
      const touched: string[] = []
      const mailboxes = new Map<string, Uint8Array>()
      for (const addr of this.ctx.profile.relays) {
        const relay = await readRelay(tx, addr)
        if (relay?.ready === true) mailboxes.set(addr, relay.mailboxId)
      }
      for await (const bytes of tx.values(keys.contacts())) {
        const c = decodeRecord<ContactRecord>(bytes)
        if (!eligibleForTokens(c) || c.pendingIdentityKey != null) continue
        const issued = c.issued ?? []
        const ready = issued.filter(t => t.registered && mailboxes.has(t.relay))
        if (c.tokensDirty !== true && !ready.some(t => !t.announced)) continue
        const relays: RelayToken[] = ready.map(t => ({ addr: t.relay, mailboxId: mailboxes.get(t.relay) as Uint8Array, token: t.token }))
        held.push(await this.enqueue(tx, c, { id: randomBytes(16), sentAt: Date.now(), tokens: { relays } }))
        for (const t of ready) t.announced = true
        c.tokensDirty = false
        putContact(tx, c)
        touched.push(c.id)
      }
      return { touched, done: held.length > 0 ? this.commitOutbox(tx, held) : Promise.resolve() }
    })
    await done
    for (const id of touched) this.courier.kick(id)
  }

  /**
   * Puts the delivery receipts of texts that came through relays into the outbox (up to 256 ids
   * an envelope), in the same write that clears them. Coalesces calls made while it runs.
   */
  private flushReceipts (): void {
    if (this.stopping != null) return
    void this.receipts.run()
  }

  private async flushReceiptsOnce (): Promise<void> {
    const { touched, done } = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      const byContact = new Map<string, string[]>()
      for await (const bytes of tx.values(keys.pendingReceipts(), { limit: 4096 })) {
        const r = decodeRecord<PendingReceipt>(bytes)
        const ids = byContact.get(r.contactId) ?? []
        ids.push(r.id)
        byContact.set(r.contactId, ids)
      }
      const held: OutboxRecord[] = []
      const touched: string[] = []
      for (const [contactId, ids] of byContact) {
        const c = await readContact(tx, contactId)
        // Held while their key is in doubt; nothing goes to a blocked (or deleted) contact.
        if (c?.pendingIdentityKey != null) continue
        for (const id of ids) tx.del(keys.pendingReceipt(contactId, id))
        if (c == null || c.blocked) continue
        for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
          const chunk = ids.slice(i, i + MAX_RECEIPT_IDS).map(fromHex)
          held.push(await this.enqueue(tx, c, { id: randomBytes(16), sentAt: Date.now(), deliveryReceipt: { ids: chunk } }))
        }
        putContact(tx, c)
        touched.push(c.id)
      }
      return { touched, done: byContact.size > 0 ? this.commitOutbox(tx, held) : Promise.resolve() }
    })
    await done
    for (const id of touched) this.courier.kick(id)
  }

  /** This messenger's signed card, attached to envelopes until the contact has answered. */
  private async ownCard (): Promise<Uint8Array> {
    return signInviteCard(await this.inviteCard(), this.ctx.identity.keyPair.privateKey)
  }

  private assertSendable (contact: ContactRecord): void {
    if (contact.blocked) throw new BlockedError(`${contact.alias} is blocked`)
    if (contact.pendingIdentityKey != null) throw new IdentityChangedError(`${contact.alias}'s identity key changed: accept the change first`)
  }

  private async resolve (ref: string): Promise<ContactRecord> {
    if (typeof ref !== 'string' || ref.length === 0) throw new InvalidInputError('name a contact by id or alias')
    const byId = await readContact(this.ctx.store, ref)
    if (byId != null) return byId
    const matches: ContactRecord[] = []
    for await (const bytes of this.ctx.store.values(keys.contacts())) {
      const c = decodeRecord<ContactRecord>(bytes)
      if (c.alias === ref || c.peerId === ref) matches.push(c)
    }
    if (matches.length === 0) throw new NotFoundError(`no contact named ${JSON.stringify(ref)}`)
    if (matches.length > 1) throw new InvalidInputError(`several contacts are named ${JSON.stringify(ref)}: use the contact id`)
    return matches[0] as ContactRecord
  }

  private async updateContact (ref: string, change: (c: ContactRecord) => void, alsoIn?: (tx: Transaction, c: ContactRecord) => Promise<void>): Promise<Contact> {
    const contact = await this.resolve(ref)
    const updated = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      const c = await requireContact(tx, contact.id)
      change(c)
      await alsoIn?.(tx, c)
      putContact(tx, c)
      return { c, done: tx.commit() }
    }).then(async ({ c, done }) => { await done; return c })
    const result = await this.publicContact(updated)
    this.ctx.events.emit('contact', result)
    return result
  }

  private async listContacts (status: 'contact' | 'request'): Promise<Contact[]> {
    const records: ContactRecord[] = []
    for await (const bytes of this.ctx.store.values(keys.contacts())) {
      const c = decodeRecord<ContactRecord>(bytes)
      if (c.status === status) records.push(c)
    }
    records.sort((a, b) => b.lastActivity - a.lastActivity)
    return Promise.all(records.map(async c => this.publicContact(c)))
  }

  private async publicContact (c: ContactRecord): Promise<Contact> {
    const last = c.lastMessageId != null ? await readMessage(this.ctx.store, c.lastMessageId) : undefined
    const number = safetyNumber(this.ctx.identity, c.id, c.identityKey)
    return toContact(c, number, this.ctx.presence.get(c.id) ?? 'offline', last)
  }

  private async rememberAddresses (c: ContactRecord): Promise<void> {
    const addrs = c.addrs.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } })
    if (addrs.length === 0) return
    try {
      await this.ctx.node.peerStore.merge(peerIdFromString(c.peerId), { multiaddrs: addrs })
    } catch (err) {
      this.ctx.log.debug('could not remember addresses', { error: (err as Error).name })
    }
  }

  private connectionChanged (connection: Connection): void {
    this.updatePresence(connection.remotePeer.toString())
  }

  /** Recomputes a peer's presence from its open connections; announces a change. */
  private updatePresence (peer: string): void {
    const contactId = this.byPeer.get(peer)
    if (contactId == null) return
    const open = this.ctx.node.getConnections(peerIdFromString(peer)).filter(c => c.status === 'open')
    const presence: Presence = open.length === 0 ? 'offline' : open.some(c => c.limits == null) ? 'direct' : 'relay'
    if ((this.ctx.presence.get(contactId) ?? 'offline') !== presence) {
      this.ctx.presence.set(contactId, presence)
      this.ctx.events.emit('connection', { contactId, presence })
    }
    if (presence !== 'offline') this.courier.peerConnected(contactId)
  }
}
