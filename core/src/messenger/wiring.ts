// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The one place where the messenger's components are made and wired, in the order they depend on
 * each other.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { createEphemeralNode } from '../net/ephemeral-node.js'
import { Attachments } from './attachments.js'
import { Relocation } from './relocation.js'
import { ContactBook } from './contacts.js'
import { Conversations } from './conversations.js'
import { ConversationActions } from './conversation-actions.js'
import { MessageSearch } from './message-search.js'
import { TypingIndicators, directDialer } from './typing.js'
import { createCourier } from './courier.js'
import { libp2pDialer } from './courier-routes.js'
import { createDisappearing } from './disappearing.js'
import { createHomeRelays, libp2pReserver } from './home-relays.js'
import { guestInvitations } from './guest-invites.js'
import { createInbox } from './inbox.js'
import { Invites } from './invites.js'
import { createOutbox } from './outbox.js'
import { Peers } from './peers.js'
import { DirectPaths } from '../net/direct-path.js'
import { createQuarantine } from './quarantine.js'
import { RequestLimits } from './requests.js'
import { Receipts } from './receipts.js'
import { ShortLinks, linkOwner } from './short-links.js'
import { TokenAnnouncer } from './token-announcer.js'
import { TokenRotation } from './token-rotation.js'
import { createUpkeep } from './upkeep.js'
import { GroupInbox } from './group-inbox.js'
import { groupCounts } from './group-records.js'
import { Groups } from './groups.js'
import { Guests } from './guests.js'
import type { Compaction } from './compaction.js'
import type { Context } from './context.js'
import type { Courier } from './courier.js'
import type { Disappearing } from './disappearing.js'
import type { Inbox } from './inbox.js'
import type { Upkeep } from './upkeep.js'
import type { HomeRelays } from './home-relays.js'
import type { Outbox } from './outbox.js'
import type { Contact, MessengerOptions } from './types.js'

/** The components of one messenger. */
export interface Parts {
  ctx: Context
  courier: Courier
  outbox: Outbox
  peers: Peers
  invites: Invites
  tokens: TokenAnnouncer
  tokenRotation: TokenRotation
  receipts: Receipts
  inbox: Inbox
  homeRelays: HomeRelays
  disappearing: Disappearing
  upkeep: Upkeep
  contacts: ContactBook
  conversations: Conversations
  shortLinks: ShortLinks
  actions: ConversationActions
  search: MessageSearch
  typing: TypingIndicators
  attachments: Attachments
  requests: RequestLimits
  compaction: Compaction
  relocation: Relocation
  /** Set once a newer installation replaced this one: nothing is sent from then on. */
  replaced: { by?: number }
  groups: Groups
  /** What arrives for groups; starts the groups. */
  groupInbox: GroupInbox
  guests: Guests
  /** Accepts a request: what waited for the user's answer goes now. */
  accept(ref: string): Promise<Contact>
}

/**
 * Makes the components, each given only what it uses. Components that call each other both ways
 * (the outbox needs the invite card, which needs the home relays, which feed the inbox, which
 * writes to the outbox) reach each other through functions called only once all exist.
 */
export function wire (ctx: Context, compaction: Compaction, options: Pick<MessengerOptions, 'maxRequests' | 'tokenRotation'> = {}): Parts {
  const rotation = options.tokenRotation ?? {}
  const { repos, identity, profile, node, events, log } = ctx
  const courier = createCourier({ repos, dialer: libp2pDialer(node, ctx.clients), clients: ctx.clients, events, log })
  // A hidden node has no WebRTC: its contacts reach it only through its relays.
  const direct = ctx.hidden === true ? undefined : new DirectPaths({ node, log: ctx.loggers.forComponent('core:direct-path'), iceServers: ctx.iceServers })
  const peers = new Peers({ node, events, log, courier, clients: ctx.clients, ...(direct != null ? { direct } : {}) })
  const invites = new Invites({ identity, store: ctx.store, profile, node, homeRelays: { ready: async () => homeRelays.ready() } })
  const replaced: Parts['replaced'] = {}
  const outbox = createOutbox({ identity, repos, courier, ownCard: async () => invites.ownCard(), replaced: () => replaced.by != null })
  const tokens = new TokenAnnouncer({ repos, outbox, profile, log })
  const receipts = new Receipts({ repos, outbox, log })
  const disappearing = createDisappearing({ repos, events, log })
  const upkeep = createUpkeep({ identity, repos, log })
  const tokenRotation = new TokenRotation({ repos, profile, homeRelays: { sync: async ms => homeRelays.sync(ms) }, tokens, log, clock: rotation.clock }, rotation)
  const homeRelays: HomeRelays = createHomeRelays({
    repos,
    profile,
    node,
    reserver: libp2pReserver(node),
    clients: ctx.clients,
    events,
    loggers: ctx.loggers,
    inbox: { receive: async (envelope, route) => inbox.receive(envelope, route) },
    tokens,
    receipts,
    courier
  })
  const quarantine = createQuarantine(repos.state)
  const contacts = new ContactBook({
    repos, identity, profile, events, outbox, peers, courier, homeRelays, tokens, quarantine, receipts,
    inbox: { receive: async (envelope, route) => inbox.receive(envelope, route) }
  })
  const groups = new Groups({ repos, identity, events, log, outbox, contacts, disappearing, clients: ctx.clients, ownCard: async () => invites.ownCard() })
  const groupInbox = new GroupInbox(groups)
  const actions = new ConversationActions({ repos, events, outbox, contacts, ownId: identity.userId, log, groups: groupInbox.actions })
  const conversations = new Conversations({ repos, events, outbox, contacts, disappearing, onRead: async (tx, change, c, ids) => actions.queueReadReceipts(tx, change, c, ids) })
  const search = new MessageSearch({ repos, events, log })
  const typing = new TypingIndicators({ repos, identity, contacts, peers, dialer: directDialer(node), log })
  const requests = new RequestLimits({ repos }, options.maxRequests != null ? { maxRequests: options.maxRequests } : {})
  const inbox: Inbox = createInbox({ repos, identity, log, outbox, actions, quarantine, requests, groups: groupInbox, invitations: guestInvitations, onAccepted: accepted => {
    if (accepted.request != null) {
      const request = accepted.request
      peers.follow(request)
      peers.update(request.peerId)
      void contacts.view(request).then(c => {
        events.emit('request', c)
        // A guest the user invited to Sotto: the user's invitation was the answer.
        if (accepted.invited === true) void accept(request.id).catch(err => { log.warn('an invited guest not accepted', { error: (err as Error).name }) })
      })
    }
    if (accepted.contact != null) {
      void contacts.view(accepted.contact).then(c => { events.emit('contact', c) })
      // Their tokens may have changed: what waits for them may now have somewhere to go.
      courier.kick(accepted.contact.id)
    }
    if (accepted.droppedRequests != null) events.emit('requestsDropped', { dropped: accepted.droppedRequests })
    if (accepted.message != null) events.emit('message', accepted.message)
    if (accepted.tokensAsked) void tokens.announce().catch(() => {})
    if (accepted.moved != null) {
      // Links to the replaced installation end; what is queued goes to the new one.
      void Promise.resolve(node.hangUp(peerIdFromString(accepted.moved.from))).catch(() => {})
      peers.follow(accepted.moved.contact)
      peers.update(accepted.moved.contact.peerId)
      void tokens.announce().catch(() => {})
    }
    if (accepted.replaced != null) {
      replaced.by = accepted.replaced.replacedBy
      void courier.stop()
      events.emit('replaced', { number: identity.installation ?? 1, replacedBy: accepted.replaced.replacedBy })
    }
    for (const m of accepted.delivered) events.emit('status', { id: m.id, contactId: m.contactId, state: m.groupId != null ? m.state : 'delivered', ...groupCounts(m) })
    for (const m of accepted.requeued) events.emit('status', { id: m.id, contactId: m.contactId, state: 'queued' })
    for (const e of accepted.events ?? []) events.emit(e.event, e.detail as never)
    if (accepted.fileNotice != null) attachments.noticed(accepted.fileNotice)
  } })
  const shortLinks = new ShortLinks({ store: ctx.store, lock: ctx.lock, log, repos, links: linkOwner(node) }, async () => invites.ownCard(), async () => homeRelays.ready())
  const attachments = new Attachments({
    repos, events, log: ctx.loggers.forComponent('core:files'), node, throwaway: createEphemeralNode, contacts, conversations, peers, outbox, groups, dataDir: ctx.dataDir
  })
  events.on('connection', () => { attachments.wake() })
  // Every message shown, a group message opened once its sender key came too: its file may start.
  events.on('message', message => { attachments.arrived(message) })
  events.on('expired', () => { void attachments.sweep().catch(() => {}) })
  const relocation = new Relocation({
    repos,
    identity,
    outbox,
    log: ctx.loggers.forComponent('core:relocation'),
    ownCard: async () => invites.ownCard(),
    joinRelay: async addr => { await homeRelays.add(addr) },
    deposit: async (addr, mailboxId, token, envelope) => { await ctx.clients.get(addr).deposit(mailboxId, token, envelope) }
  })
  const guests = new Guests({ store: ctx.store, node, events, log: ctx.loggers.forComponent('core:guests'), lock: ctx.lock, clients: ctx.clients, relays: async () => homeRelays.list(), inviteLink: guestInviteLink(invites, shortLinks) })
  const accept = acceptPath({ contacts, receipts, courier, attachments })
  return { accept, guests, ctx, courier, outbox, peers, invites, tokens, tokenRotation, receipts, inbox, homeRelays, disappearing, upkeep, contacts, conversations, shortLinks, actions, search, typing, attachments, requests, compaction, relocation, replaced, groups, groupInbox }
}

/** The accept path: a request becomes a contact, and what waited for the user's answer goes now. */
function acceptPath ({ contacts, receipts, courier, attachments }: Pick<Parts, 'contacts' | 'receipts' | 'courier' | 'attachments'>): (ref: string) => Promise<Contact> {
  return async ref => {
    const contact = await contacts.accept(ref)
    // Receipts, and anything queued to them.
    receipts.flush()
    courier.kick(contact.id)
    // Files of a request wait for this.
    await attachments.resume()
    return contact
  }
}

/** A guest's invitation: the short form when a home relay holds one (it fits a message), the long link otherwise. */
function guestInviteLink (invites: Invites, shortLinks: ShortLinks): (tag: Uint8Array) => Promise<string> {
  return async tag => (await shortLinks.once(await invites.ownCard(tag))) ?? await invites.link(tag)
}
