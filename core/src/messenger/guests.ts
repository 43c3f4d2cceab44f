// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Guest links, the seller's side: making, listing and revoking links; receiving guests' messages
 * live (`/sotto/guest/1.0.0` through a circuit) and from each link's own mailbox; replying into the
 * guest's mailbox. Guest conversations are kept apart from contacts (docs/PROTOCOL.md, "Guest
 * links"; the choices in docs/ARCHITECTURE.md, Decisions).
 */
import { generateKeyPair, privateKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { sha256 } from '@noble/hashes/sha2.js'
import { BugError, InvalidInputError, NoGuestPageError, NotFoundError } from '../errors.js'
import {
  GUEST_LINK_ID_BYTES, GUEST_PROTOCOL, MAX_GUEST_LABEL_LENGTH, MAX_GUEST_TEXT_LENGTH, encodeGuestLink, fromBase64url, generateGuestKeyPair,
  hex, openGuestMessage, parseGuestMessage, randomBytes, sealGuestMessage, toBase64url
} from '../guest/index.js'
import { mailboxIdOf } from '../mailbox/index.js'
import { INVITE_TAG_BYTES } from '../protocol/limits.js'
import { serveGuestStream } from './guest-live.js'
import { GuestRecords, toConversationView, toGuestMessage, toLinkView } from './guest-records.js'
import type { GuestAnswer, GuestMessage } from '../guest/index.js'
import type { MailboxClient, MailboxSubscription } from '../mailbox/index.js'
import type { Context } from './context.js'
import type { GuestConversation, GuestConversationRecord, GuestLinkRecord, GuestLinkView } from './guest-records.js'
import type { Message, RelayView } from './types.js'
import type { PrivateKey } from '@libp2p/interface'

/** Options of a new guest link. */
export interface GuestLinkOptions {
  /** Shown on the guest's page (at most 64 characters). Default: none. */
  label?: string
  /**
   * The guest page, e.g. `https://relay.example.org/g`. Default: the page of the home relay the link
   * uses, from the web address it publishes in relay-info.
   */
  page?: string
  /** Most guest conversations this link holds at once. Default 20. */
  maxConversations?: number
  /** Most messages one guest may send in an hour. Default 30. */
  messagesPerHour?: number
  /** Which home relay (its address); default the first that publishes a web address (or, with `page`, the first). */
  relay?: string
}

/** What the component uses. */
export type GuestsComponents = Pick<Context, 'store' | 'node' | 'events' | 'log' | 'lock' | 'clients'> & {
  /** The home relays, as listed. */
  relays(): Promise<RelayView[]>
  /** The user's invite link carrying a guest's one-time `inviteTag` (short when a home relay holds one). */
  inviteLink(inviteTag: Uint8Array): Promise<string>
}

const HOUR_MS = 3_600_000
const RESUBSCRIBE_MS = 5000

/** The seller's guest links and guest conversations. */
export class Guests {
  private readonly records: GuestRecords
  private readonly subscriptions = new Map<string, MailboxSubscription>()
  private running = false

  constructor (private readonly components: GuestsComponents) {
    this.records = new GuestRecords(components.store)
  }

  /** Serves `/sotto/guest/1.0.0` and reads every live link's mailbox. */
  async start (): Promise<void> {
    this.running = true
    await serveGuestStreams(this.components.node, async (link, token, sealed) => this.deliver(link, token, sealed, 'live'), this.components.log)
    for (const link of await this.records.links()) if (link.revokedAt == null) this.watch(link)
  }

  /** Ends the subscriptions. */
  async stop (): Promise<void> {
    this.running = false
    await this.components.node.unhandle(GUEST_PROTOCOL).catch(() => {})
    await Promise.allSettled([...this.subscriptions.values()].map(async s => s.close()))
    this.subscriptions.clear()
  }

  /** Makes a guest link at a home relay: its keys, its mailbox and its (introduction) token there. */
  async create (options: GuestLinkOptions): Promise<GuestLinkView> {
    const label = options.label ?? ''
    if (label.length > MAX_GUEST_LABEL_LENGTH) throw new InvalidInputError(`a label is at most ${MAX_GUEST_LABEL_LENGTH} characters`)
    const { relay, page } = await this.pageAndRelay(options)
    const relayWs = await this.webSocketAddr(relay)
    const keys = await generateGuestKeyPair()
    const mailboxKey = await generateKeyPair('Ed25519')
    const token = randomBytes(32)
    const id = randomBytes(GUEST_LINK_ID_BYTES)
    const client = this.components.clients.get(relay.addr, true)
    await client.create(mailboxKey)
    await client.registerToken(mailboxKey, token, 'introduction')
    const link = encodeGuestLink({ page, seller: this.components.node.peerId.toString(), relay: relayWs, key: keys.publicKey, mailbox: mailboxIdOf(mailboxKey), token, id, label })
    const record: GuestLinkRecord = {
      id: toBase64url(id),
      label,
      relay: relay.addr,
      relayWs,
      page,
      link,
      publicKey: toBase64url(keys.publicKey),
      privateKey: toBase64url(keys.privateKey),
      mailboxKey: toBase64url(mailboxKey.raw),
      token: toBase64url(token),
      maxConversations: options.maxConversations ?? 20,
      messagesPerHour: options.messagesPerHour ?? 30,
      createdAt: Date.now()
    }
    await this.records.putLink(record)
    this.watch(record)
    return toLinkView(record)
  }

  /**
   * The home relay a new link uses and its guest page: the page given, or the one the relay
   * publishes (`<webUrl>/g`); without either named, the first ready relay that publishes one.
   */
  private async pageAndRelay (options: GuestLinkOptions): Promise<{ relay: RelayView, page: string }> {
    if (options.page != null && !/^https?:\/\/[^#\s]+$/.test(options.page)) throw new InvalidInputError('name the guest page: the relay\'s web address followed by /g')
    const relays = (await this.components.relays()).filter(r => r.mailboxReady)
    const relay = options.relay != null
      ? relays.find(r => r.addr === options.relay)
      : options.page != null ? relays[0] : relays.find(r => r.info?.webUrl != null)
    if (relay == null && options.page == null && relays.length > 0) throw new NoGuestPageError('no home relay serves a guest page: add one that does, or name the page (--page URL)')
    if (relay == null) throw new NotFoundError('a guest link needs a home relay whose mailbox is ready')
    const page = options.page ?? (relay.info?.webUrl != null ? `${relay.info.webUrl}/g` : undefined)
    if (page == null) throw new NoGuestPageError('this home relay serves no guest page: name the page (--page URL)')
    return { relay, page }
  }

  /** Every guest link, revoked ones included. */
  async links (): Promise<GuestLinkView[]> { return (await this.records.links()).map(toLinkView) }

  /** Revokes a link: its token and mailbox at the relay go, and live deliveries are refused. */
  async revoke (id: string): Promise<GuestLinkView> {
    const record = await this.link(id)
    await this.components.lock.run(async () => { await this.records.putLink({ ...record, revokedAt: record.revokedAt ?? Date.now() }) })
    await this.subscriptions.get(id)?.close()
    this.subscriptions.delete(id)
    const client = this.components.clients.get(record.relay, true)
    const key = mailboxKeyOf(record)
    await client.revokeToken(key, fromBase64url(record.token, 'token'))
    await client.delete(key)
    return toLinkView({ ...record, revokedAt: record.revokedAt ?? Date.now() })
  }

  /** Guest conversations, newest first. */
  async conversations (): Promise<GuestConversation[]> {
    const labels = new Map((await this.records.links()).map(l => [l.id, l.label]))
    return (await this.records.conversations()).map(c => toConversationView(c, labels.get(c.linkId) ?? ''))
  }

  /** Whether `ref` names a guest conversation. */
  static isGuest (ref: string): boolean { return ref.startsWith('guest-') }

  /** A guest conversation's messages, oldest first. */
  async history (id: string): Promise<Message[]> {
    await this.conversation(id)
    return (await this.records.messages(id)).map(toGuestMessage)
  }

  /** Blocks a guest: its later messages are refused (live: `BLOCKED`), and replies stop. */
  async block (id: string, blocked = true): Promise<GuestConversation> {
    return this.components.lock.run(async () => {
      const c = await this.conversation(id)
      await this.records.putConversation({ ...c, blocked })
      return (await this.conversations()).find(v => v.id === id) as GuestConversation
    })
  }

  /** Marks a guest conversation read. */
  async markRead (id: string): Promise<void> {
    await this.components.lock.run(async () => {
      const c = await this.conversation(id)
      if (c.unread > 0) await this.records.putConversation({ ...c, unread: 0 })
    })
  }

  /**
   * "Invite to Sotto": a one-time tag on the conversation, and a reply carrying the user's invite
   * link with that tag; whoever adds it becomes a contact at once, and the conversation moves there.
   * A new invitation replaces the one before.
   */
  async invite (id: string): Promise<Message> {
    await this.open(id)
    const tag = randomBytes(INVITE_TAG_BYTES)
    const invite = await this.components.inviteLink(tag)
    await this.components.lock.run(async () => {
      await this.records.putConversation({ ...await this.conversation(id), invite: { tag: toBase64url(tag), at: Date.now() } })
    })
    return this.send(id, 'I invite you to Sotto: install it and add me with this link; our conversation goes on there.', invite)
  }

  /** Replies to a guest: sealed to the guest's key, into the guest's mailbox at the link's relay. */
  async send (id: string, text: string, invite?: string): Promise<Message> {
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_GUEST_TEXT_LENGTH) throw new InvalidInputError(`a guest message is 1 to ${MAX_GUEST_TEXT_LENGTH} characters`)
    const { c, link } = await this.open(id)
    const reply = { id: hex(randomBytes(16)), sentAt: Date.now(), text, ...(invite != null ? { invite } : {}) }
    const sealed = await sealGuestMessage(fromBase64url(c.guestKey, 'key'), 'to-guest', fromBase64url(link.id, 'link'), reply)
    let state: 'sent' | 'failed' = 'sent'
    try {
      await this.components.clients.get(link.relay).deposit(fromBase64url(c.mailbox, 'mailbox'), fromBase64url(c.token, 'token'), sealed)
    } catch (err) {
      this.components.log.warn('reply to a guest not deposited', { error: (err as Error).name })
      state = 'failed'
    }
    return this.components.lock.run(async () => {
      const now = await this.conversation(id)
      const record = { id: reply.id, sentAt: reply.sentAt, text, conversationId: id, direction: 'out' as const, storedAt: Date.now(), state, seq: now.seq + 1 }
      await this.records.putMessage({ ...now, seq: record.seq, lastAt: record.storedAt }, record)
      return toGuestMessage(record)
    })
  }

  /** Takes one sealed message from a guest, live or from the link's mailbox. */
  private async deliver (linkId: Uint8Array, token: Uint8Array | undefined, sealed: Uint8Array, path: 'live' | 'mailbox'): Promise<GuestAnswer> {
    const link = await this.records.link(toBase64url(linkId))
    if (link == null || link.revokedAt != null) return { status: 'REVOKED', message: 'this guest link was revoked' }
    if (token != null && toBase64url(token) !== link.token) return { status: 'REVOKED', message: 'this guest link was revoked' }
    let message: GuestMessage
    try {
      message = parseGuestMessage(await openGuestMessage(fromBase64url(link.privateKey, 'key'), 'to-seller', linkId, sealed))
    } catch {
      return { status: 'BAD_REQUEST', message: 'the message does not open' }
    }
    return this.components.lock.run(async () => this.keep(link, message, path))
  }

  /** Applies the link's limits and blocks, then stores the message (under the lock). */
  private async keep (link: GuestLinkRecord, m: GuestMessage, path: 'live' | 'mailbox'): Promise<GuestAnswer> {
    const id = conversationIdOf(link.id, m.guest.key)
    const now = Date.now()
    const existing = await this.records.conversation(id)
    if (existing?.blocked === true) return { status: 'BLOCKED', message: 'the owner of this link blocked you' }
    if (existing?.movedTo != null) return { status: 'BLOCKED', message: 'this conversation moved to the Sotto app' }
    if (await this.records.has(m.id)) return { status: 'OK' }
    if (existing == null) {
      const held = (await this.records.conversations()).filter(c => c.linkId === link.id).length
      if (held >= link.maxConversations) return { status: 'RATE_LIMITED', message: 'this link holds as many conversations as it may', retryAfter: HOUR_MS }
    }
    const recent = (existing?.recent ?? []).filter(t => t > now - HOUR_MS)
    if (recent.length >= link.messagesPerHour) return { status: 'RATE_LIMITED', message: 'too many messages this hour', retryAfter: (recent[0] ?? now) + HOUR_MS - now }
    const c: GuestConversationRecord = {
      ...existing,
      id,
      linkId: link.id,
      guestKey: toBase64url(m.guest.key),
      mailbox: toBase64url(m.guest.mailbox),
      token: toBase64url(m.guest.token),
      blocked: false,
      createdAt: existing?.createdAt ?? now,
      lastAt: now,
      recent: [...recent, now],
      seq: (existing?.seq ?? 0) + 1,
      unread: (existing?.unread ?? 0) + 1
    }
    const record = { id: m.id, conversationId: id, direction: 'in' as const, text: m.text, sentAt: m.sentAt, storedAt: now, state: 'delivered' as const, seq: c.seq }
    await this.records.putMessage(c, record)
    this.components.log.debug('guest message stored', { path })
    this.components.events.emit('message', toGuestMessage(record))
    return { status: 'OK' }
  }

  /** Subscribes to a link's mailbox and reads what waits there; again after a failure, while running. */
  private watch (link: GuestLinkRecord): void {
    if (!this.running || this.subscriptions.has(link.id)) return
    const client = this.components.clients.get(link.relay, true)
    const key = mailboxKeyOf(link)
    const drain = (): void => { void this.drain(client, key, link).catch(err => { this.components.log.warn('guest mailbox not read', { error: (err as Error).name }) }) }
    const retry = (): void => {
      this.subscriptions.delete(link.id)
      if (this.running) setTimeout(() => { void this.records.link(link.id).then(l => { if (l != null && l.revokedAt == null) this.watch(l) }) }, RESUBSCRIBE_MS).unref?.()
    }
    client.subscribe(key, drain).then(sub => {
      if (!this.running) { void sub.close(); return }
      this.subscriptions.set(link.id, sub)
      // Ended by anything but our own close (the relay restarting, the connection dropping): again.
      void sub.closed.then(() => { if (this.subscriptions.get(link.id) === sub) retry() })
      drain()
    }, retry)
  }

  private async drain (client: MailboxClient, key: PrivateKey, link: GuestLinkRecord): Promise<void> {
    const linkId = fromBase64url(link.id, 'link')
    for (let more = true; more;) {
      const page = await client.read(key, { limit: 64 })
      for (const e of page.envelopes) {
        const answer = await this.deliver(linkId, undefined, e.envelope, 'mailbox')
        if (answer.status !== 'OK') this.components.log.info('guest message from the mailbox refused', { status: answer.status })
      }
      if (page.envelopes.length > 0) await client.ack(key, page.envelopes.map(e => e.id))
      more = page.more && page.envelopes.length > 0
    }
  }

  /** The relay's WebSocket address, as identify told the peer store: what a browser can dial. */
  private async webSocketAddr (relay: RelayView): Promise<string> {
    const peer = await this.components.node.peerStore.get(peerIdFromString(relay.peerId)).catch(() => undefined)
    const ws = peer?.addresses.map(a => a.multiaddr.toString()).find(a => /\/(ws|wss)$/.test(a) && !a.includes('p2p-circuit'))
    if (ws == null) throw new NotFoundError('the relay has no WebSocket address: a guest\'s browser cannot reach it')
    return `${ws}/p2p/${relay.peerId}`
  }

  /** A conversation the user may still write in, and its link. */
  private async open (id: string): Promise<{ c: GuestConversationRecord, link: GuestLinkRecord }> {
    const c = await this.conversation(id)
    if (c.movedTo != null) throw new InvalidInputError('this guest moved to a contact: write to them there')
    if (c.blocked) throw new InvalidInputError('this guest is blocked')
    const link = await this.link(c.linkId)
    if (link.revokedAt != null) throw new InvalidInputError('this guest link was revoked')
    return { c, link }
  }

  private async link (id: string): Promise<GuestLinkRecord> {
    const link = await this.records.link(id)
    if (link == null) throw new NotFoundError('no such guest link')
    return link
  }

  private async conversation (id: string): Promise<GuestConversationRecord> {
    const c = await this.records.conversation(id)
    if (c == null) throw new NotFoundError('no such guest conversation')
    return c
  }
}

async function serveGuestStreams (node: Context['node'], deliver: (link: Uint8Array, token: Uint8Array, sealed: Uint8Array) => Promise<GuestAnswer>, log: Context['log']): Promise<void> {
  await node.handle(GUEST_PROTOCOL, (stream) => {
    serveGuestStream(stream, deliver).catch(err => {
      log.debug('guest stream ended with an error', { error: (err as Error).name })
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    })
  }, { runOnLimitedConnection: true, maxInboundStreams: 16 })
}

function mailboxKeyOf (link: GuestLinkRecord): PrivateKey {
  const key = privateKeyFromRaw(fromBase64url(link.mailboxKey, 'mailbox key'))
  if (key.type !== 'Ed25519') throw new BugError('a guest link\'s mailbox key is Ed25519')
  return key
}

/** A guest conversation's id: from the link and the guest's key, so one guest has one per link. */
export function conversationIdOf (linkId: string, guestKey: Uint8Array): string {
  const link = fromBase64url(linkId, 'link')
  const input = new Uint8Array(link.byteLength + guestKey.byteLength)
  input.set(link)
  input.set(guestKey, link.byteLength)
  return `guest-${hex(sha256(input)).slice(0, 32)}`
}
