// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `createMessenger`: one identity, one data directory, one libp2p node, its components made by
 * `wire` (wiring.ts), and the public surface over them.
 */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { createLocalIdentity, loadLocalIdentity, maintainPreKeys } from '../crypto/index.js'
import { InvalidInputError } from '../errors.js'
import { silentLoggers } from '../logger.js'
import { decodeRelayLink, isRelayLink, isShortLink, joinRelay, relayAddrOf } from '../links/index.js'
import { handleMessages } from '../net/message-protocol.js'
import { DEFAULT_LISTEN, createNode, isCircuitThrough } from '../net/node.js'
import { stunServersOf } from '../net/stun-servers.js'
import { changeKeySource, compactStore, openStore } from '../storage/index.js'
import { checkNewPassphrase } from '../passphrase.js'
import { createCompaction } from './compaction.js'
import { exportBackup } from './backup.js'
import { installationRecord } from './relocation.js'
import { Events } from './context.js'
import { resolveAnonymously } from './invite-preview.js'
import { Mutex } from './lock.js'
import { DEFAULT_SETTINGS, keys } from './records.js'
import { dialRules } from './dial-rules.js'
import { RelayClients, relayPeerIdOf } from './relay-clients.js'
import { Repositories, State } from './state.js'
import type { Context } from './context.js'
import type { ProfileRecord, RelayRecord } from './records.js'
import type { KeySource, Store } from '../storage/types.js'
import type { Contact, CreateGroupOptions, Group, GroupChangeView, HistoryOptions, InstallationView, Message, MessageState, Messenger, MessengerEvents, MessengerListener, MessengerOptions, OwnIdentity, RelayView, SavedFile, SearchQueryOptions, Settings } from './types.js'
import { wire } from './wiring.js'
import { Guests } from './guests.js'
import type { GuestConversation, GuestLinkView } from './guest-records.js'
import type { GuestLinkOptions } from './guests.js'
import type { Parts } from './wiring.js'

export { MAX_TEXT_LENGTH } from './conversations.js'
export { MAX_DISAPPEARING_SECONDS } from './contacts.js'

/**
 * Opens (or creates) a data directory and starts a messenger on it.
 * Throws `WrongPassphraseError` or `DataDirectoryLockedError` without changing anything.
 */
export async function createMessenger (options: MessengerOptions): Promise<Messenger> {
  const loggers = options.logger ?? silentLoggers
  let opened: Store | undefined
  const compaction = createCompaction({
    compact: async () => { if (opened != null) await compactStore(opened) },
    log: loggers.forComponent('core:compaction')
  }, options.compaction)
  const store = opened = await openStore({
    dir: options.dataDir,
    keySource: options.keySource,
    scryptLogN: options.scryptLogN,
    onBatch: batch => { if (batch.deletions > 0) compaction.noteDeletions(batch.deletions) }
  })
  try {
    const repos = new Repositories(new State(store, new Mutex()))
    const { identity, profile } = await openIdentity(repos, options)
    const settings = await repos.currentSettings()
    let clients: RelayClients | undefined
    let parts: Parts | undefined = undefined
    const hideIp = options.hideIp ?? settings.hideIp
    const isHomeRelay = (peer: string): boolean => clients?.isHome(peer) === true || profile.relays.some(a => relayPeerIdOf(a) === peer)
    // Read at each WebRTC connection: the user's own, then the STUN responders of its home relays.
    const iceServers = async (): Promise<string[]> => [...(options.iceServers ?? []), ...stunServersOf(await homeRelayRecords(repos))]
    const node = await createNode({
      privateKey: privateKeyFromProtobuf(profile.peerKey),
      listen: options.listen ?? profile.listen,
      mdns: options.mdns ?? settings.mdns,
      iceServers,
      log: loggers.forComponent('core:net'),
      dialRules: dialRules(store, profile, peer => clients?.isHome(peer) === true),
      ...(hideIp ? { hideIp: { isHomeRelay } } : {})
    })
    const ctx: Context = {
      store,
      identity,
      profile,
      node,
      events: new Events(),
      loggers,
      log: loggers.forComponent('core:messenger'),
      lock: repos.state.lock,
      repos,
      clients: clients = new RelayClients(node, loggers, {
        ...options.anonymity,
        onConnection: peer => { parts?.peers.update(peer) },
        ...(hideIp ? { forwardVia: () => profile.relays.find(a => node.getMultiaddrs().some(m => isCircuitThrough(m, relayPeerIdOf(a)))) } : {})
      }),
      dataDir: options.dataDir,
      hidden: hideIp,
      iceServers
    }
    parts = wire(ctx, compaction, options)
    const messenger = new SottoMessenger(parts, options.scryptLogN)
    try {
      await messenger.start()
      const known = new Set(profile.relays.map(relayPeerIdOf))
      for (const relay of options.relays ?? []) {
        if (!known.has(relayPeerIdOf(relayAddrOf(relay)))) await messenger.addRelay(relay)
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

/** The records of the home relays in use (ready, not being left). */
async function homeRelayRecords (repos: Repositories): Promise<RelayRecord[]> {
  const relays: RelayRecord[] = []
  for await (const r of repos.relays.values(['relay'])) if (r.ready && r.leaving !== true) relays.push(r)
  return relays
}

/** The local identity and profile, made on first use; prekeys are maintained on every start. */
async function openIdentity (repos: Repositories, options: MessengerOptions): Promise<{ identity: Awaited<ReturnType<typeof createLocalIdentity>>, profile: ProfileRecord }> {
  const tx = repos.state.store.transaction()
  const existing = await loadLocalIdentity(tx)
  const stored = await repos.profile.get(tx)
  if (existing != null && stored != null) {
    await maintainPreKeys(tx, existing, Date.now())
    await tx.commit()
    return { identity: existing, profile: stored }
  }
  const identity = await createLocalIdentity(tx, Date.now(), options.userId != null ? { userId: options.userId } : {})
  const profile: ProfileRecord = {
    name: (options.name ?? '').trim().slice(0, 64) || 'Me',
    peerKey: privateKeyToProtobuf(await generateKeyPair('Ed25519')),
    listen: options.listen ?? DEFAULT_LISTEN,
    // Relays are added by the messenger once it runs (they must be reached first).
    relays: [],
    createdAt: Date.now()
  }
  repos.profile.put(tx, profile)
  repos.settings.put(tx, DEFAULT_SETTINGS)
  await tx.commit()
  return { identity, profile }
}

/** The messenger's public surface over its components. */
class SottoMessenger implements Messenger {
  private stopping?: Promise<void>

  constructor (private readonly parts: Parts, private readonly scryptLogN?: number) {}

  /** Starts the components, in order: what receives first, what sends last. */
  async start (): Promise<void> {
    const { ctx, peers, inbox, disappearing, homeRelays, contacts, courier, receipts, upkeep } = this.parts
    this.parts.replaced.by = (await installationRecord(ctx.repos.state).get())?.replacedBy
    for await (const c of ctx.repos.contacts.values(keys.contacts())) {
      peers.follow(c)
      await peers.rememberAddresses(c)
    }
    // Before anything arrives: the index follows the events from here on.
    this.parts.search.start()
    await handleMessages(ctx.node, async (envelope) => inbox.receive(envelope), ctx.loggers.forComponent('core:message-protocol'))
    peers.start()
    await disappearing.start()
    await this.parts.attachments.start()
    await homeRelays.start()
    await this.parts.guests.start()
    if (this.parts.replaced.by == null) await this.parts.relocation.start()
    await contacts.issueMissingTokens()
    await contacts.settleHeld()
    await this.parts.groupInbox.start()
    // A replaced installation delivers nothing, not even what was queued before it learnt so.
    if (this.parts.replaced.by == null) await courier.kickAll()
    else await courier.stop()
    receipts.flush()
    upkeep.start()
    this.parts.tokenRotation.start()
    this.parts.shortLinks.start()
    this.parts.compaction.start()
  }

  async stop (): Promise<void> {
    const { ctx, disappearing, upkeep, homeRelays, courier, receipts, tokens, peers, shortLinks } = this.parts
    this.stopping ??= (async () => {
      disappearing.stop()
      shortLinks.stop()
      await this.parts.search.stop()
      await this.parts.attachments.stop()
      await upkeep.stop()
      await this.parts.tokenRotation.stop()
      await this.parts.guests.stop()
      await homeRelays.stop()
      await courier.stop()
      await receipts.stop()
      await tokens.stop()
      await ctx.node.stop()
      // After the node: its connections closing still update presence, as they always did.
      peers.stop()
      await this.parts.compaction.stop()
      await ctx.store.close()
    })()
    return this.stopping
  }

  identity (): OwnIdentity {
    const { identity, node, profile } = this.parts.ctx
    return { userId: identity.userId, peerId: node.peerId.toString(), name: profile.name }
  }

  addresses (): string[] {
    return this.parts.ctx.node.getMultiaddrs().map(ma => ma.toString())
  }

  async invite (): Promise<string> { return this.parts.invites.link() }
  async inviteQr (): Promise<string> { return this.parts.invites.qr() }
  async shortInvite (): Promise<string | undefined> { return this.parts.shortLinks.current() }
  async newShortInvite (): Promise<string | undefined> { return this.parts.shortLinks.renew() }

  async addContact (invite: string, options: { alias?: string } = {}): Promise<Contact> {
    if (isShortLink(invite) && this.parts.ctx.clients.hidden) {
      // Its relay would see the user's address: a short link is read only with the address shown.
      throw new InvalidInputError('with your IP address hidden, short links cannot be opened: ask for the long invite link')
    }
    return this.parts.contacts.add(isShortLink(invite) ? await resolveAnonymously(invite) : invite, options)
  }

  async contacts (): Promise<Contact[]> { return this.parts.contacts.list('contact') }
  async requests (): Promise<Contact[]> { return this.parts.contacts.list('request') }
  async droppedRequests (): Promise<number> { return this.parts.requests.droppedCount() }
  async contact (ref: string): Promise<Contact> { return this.parts.contacts.view(await this.parts.contacts.resolve(ref)) }
  async accept (ref: string): Promise<Contact> { return this.parts.accept(ref) }

  async block (ref: string): Promise<Contact> { return this.parts.contacts.block(ref) }
  async unblock (ref: string): Promise<Contact> { return this.parts.contacts.unblock(ref) }
  async setAlias (ref: string, alias: string): Promise<Contact> { return this.parts.contacts.setAlias(ref, alias) }
  async setVerified (ref: string, verified: boolean): Promise<Contact> { return this.parts.contacts.setVerified(ref, verified) }
  async acceptIdentityChange (ref: string): Promise<Contact> { return this.parts.contacts.acceptIdentityChange(ref) }
  async keepIdentity (ref: string): Promise<Contact> { return this.parts.contacts.keepIdentity(ref) }
  async deleteContact (ref: string): Promise<void> {
    const contact = await this.parts.contacts.resolve(ref)
    await this.parts.contacts.delete(contact.id)
    this.parts.search.forget(contact.id)
    await this.parts.attachments.sweep()
  }

  async setDisappearing (ref: string, seconds: number): Promise<Contact> { return this.parts.contacts.setDisappearing(ref, seconds) }
  async send (ref: string, text: string): Promise<Message> {
    if (Guests.isGuest(ref)) return this.parts.guests.send(ref, text)
    return this.post(ref, text, {})
  }

  async reply (ref: string, replyTo: string, text: string): Promise<Message> { return this.post(ref, text, { replyTo }) }

  /** A text to the group or contact `ref` names. */
  private async post (ref: string, text: string, options: { replyTo?: string }): Promise<Message> {
    // Named without a read: sends keep the order of the calls.
    const inGroup = this.parts.groups.named(ref) != null
    return this.sent(inGroup ? await this.parts.groups.send(ref, text, options) : await this.parts.conversations.send(ref, text, options))
  }
  async react (id: string, emoji: string): Promise<Message> { return this.parts.actions.react(id, emoji) }
  async edit (id: string, text: string): Promise<Message> { return this.parts.actions.edit(id, text) }
  async deleteMessage (id: string, options: { everyone?: boolean } = {}): Promise<void> { await this.parts.actions.delete(id, options.everyone === true) }
  async typing (ref: string, started: boolean): Promise<void> { await this.parts.typing.send(ref, started) }

  async search (query: string, options: SearchQueryOptions = {}): Promise<Message[]> {
    if (typeof query !== 'string') throw new InvalidInputError('search for a text')
    const conversationId = options.in != null ? (await this.parts.contacts.resolve(options.in)).id : undefined
    return this.parts.search.search(query, { ...(conversationId != null ? { conversationId } : {}), ...(options.limit != null ? { limit: options.limit } : {}) })
  }

  /** A message sent here is searchable at once. */
  private sent (message: Message): Message {
    this.parts.search.put(message)
    return message
  }

  async history (ref: string, options: HistoryOptions = {}): Promise<Message[]> {
    if (Guests.isGuest(ref)) return this.parts.guests.history(ref)
    const group = this.parts.groups.named(ref)
    return group != null ? this.parts.conversations.historyOf(group, options) : this.parts.conversations.history(ref, options)
  }

  async sendFile (ref: string, path: string): Promise<Message> { return this.parts.attachments.send(ref, path) }
  async saveFile (id: string, path: string, options: { timeoutMs?: number } = {}): Promise<SavedFile> {
    return this.parts.attachments.save(id, path, options.timeoutMs ?? 60_000)
  }

  async cancelFile (id: string): Promise<void> { await this.parts.attachments.cancel(id) }
  async downloadFile (id: string): Promise<void> { await this.parts.attachments.download(id) }
  readFile (id: string): AsyncGenerator<Uint8Array> { return this.parts.attachments.read(id) }
  async createGroup (name: string, members: string[], options?: CreateGroupOptions): Promise<Group> { return this.parts.groups.create(name, members, options) }
  async groups (): Promise<Group[]> { return this.parts.groups.list() }
  async group (ref: string): Promise<Group> { return this.parts.groups.require(ref) }
  async addToGroup (ref: string, contact: string): Promise<Group> { return this.parts.groups.add(ref, contact) }
  async removeFromGroup (ref: string, member: string): Promise<Group> { return this.parts.groups.remove(ref, member) }
  async leaveGroup (ref: string): Promise<Group> { return this.parts.groups.leave(ref) }
  async makeGroupAdmin (ref: string, member: string): Promise<Group> { return this.parts.groups.makeAdmin(ref, member) }
  async renameGroup (ref: string, name: string): Promise<Group> { return this.parts.groups.rename(ref, name) }
  async groupChanges (ref: string): Promise<GroupChangeView[]> { return this.parts.groups.history(ref) }
  async setGroupDisappearing (ref: string, seconds: number): Promise<Group> { return this.parts.groups.setDisappearing(ref, seconds) }
  async markRead (ref: string): Promise<void> {
    if (Guests.isGuest(ref)) return this.parts.guests.markRead(ref)
    const group = this.parts.groups.named(ref)
    await (group != null ? this.parts.groups.markRead(group) : this.parts.conversations.markRead(ref))
  }

  async waitForState (id: string, states: MessageState[], timeoutMs: number): Promise<Message> {
    return this.parts.conversations.waitForState(id, states, timeoutMs)
  }

  async changeKeySource (current: KeySource, next: KeySource): Promise<void> {
    if (next?.kind === 'passphrase') checkNewPassphrase(next.passphrase)
    await changeKeySource(this.parts.ctx.store, next, {
      current,
      ...(this.scryptLogN != null ? { scryptLogN: this.scryptLogN } : {})
    })
  }

  installation (): InstallationView {
    const by = this.parts.replaced.by
    return { number: this.parts.ctx.identity.installation ?? 1, ...(by != null ? { replacedBy: by } : {}) }
  }

  async exportBackup (options: { passphrase: string, history?: boolean, scryptLogN?: number }): Promise<Uint8Array> {
    const { repos, store } = this.parts.ctx
    // Under the lock: one consistent state, no change half in.
    return repos.state.lock.run(async () => exportBackup(repos, store, options))
  }

  async settings (): Promise<Settings> {
    return this.parts.ctx.repos.currentSettings()
  }

  async updateSettings (patch: Partial<Settings>): Promise<Settings> {
    const { repos } = this.parts.ctx
    const next: Settings = { ...await this.settings() }
    if (patch.mdns != null) next.mdns = Boolean(patch.mdns)
    if (patch.readReceipts != null) next.readReceipts = Boolean(patch.readReceipts)
    if (patch.hideIp != null) next.hideIp = Boolean(patch.hideIp)
    if (patch.typingIndicators != null) next.typingIndicators = Boolean(patch.typingIndicators)
    for (const key of ['autoDownloadBytes', 'maxFileBytes'] as const) {
      const value = patch[key]
      if (value == null) continue
      if (!Number.isSafeInteger(value) || value < 0) throw new InvalidInputError(`${key} is a number of bytes`)
      next[key] = value
    }
    if (patch.excludedJurisdictions != null) {
      const codes = patch.excludedJurisdictions.map(c => String(c).toUpperCase())
      if (!codes.every(c => /^[A-Z]{2}$/.test(c))) throw new InvalidInputError('jurisdictions are ISO 3166-1 alpha-2 codes')
      next.excludedJurisdictions = [...new Set(codes)].sort()
    }
    await repos.state.change(async tx => { repos.settings.put(tx, next) })
    if (patch.autoDownloadBytes != null) await this.parts.attachments.resume()
    if (patch.excludedJurisdictions != null) {
      for (const relay of await this.parts.homeRelays.list()) {
        if (relay.info != null && next.excludedJurisdictions.includes(relay.info.jurisdiction)) {
          await this.parts.homeRelays.remove(relay.addr)
        }
      }
    }
    return next
  }

  /** Makes a guest link: a page anyone can write to you from, in a browser (see {@link GuestLinkOptions}). */
  async createGuestLink (options: GuestLinkOptions): Promise<GuestLinkView> { return this.parts.guests.create(options) }
  /** Every guest link, revoked ones included. */
  async guestLinks (): Promise<GuestLinkView[]> { return this.parts.guests.links() }
  /** Revokes a guest link: later messages by it are refused, at the relay and here. */
  async revokeGuestLink (id: string): Promise<GuestLinkView> { return this.parts.guests.revoke(id) }
  /** Conversations with guests, apart from contacts, newest first. */
  async guestConversations (): Promise<GuestConversation[]> { return this.parts.guests.conversations() }
  /** "Invite to Sotto": sends the guest a one-time invite link; whoever adds it becomes a contact at once. */
  async inviteGuest (id: string): Promise<Message> { return this.parts.guests.invite(id) }
  /** Blocks (or unblocks) a guest. */
  async blockGuest (id: string, blocked = true): Promise<GuestConversation> { return this.parts.guests.block(id, blocked) }
  async relays (): Promise<RelayView[]> { return this.parts.homeRelays.list() }
  async addRelay (addr: string, options: { joinCode?: string } = {}): Promise<RelayView> {
    const link = isRelayLink(addr) ? decodeRelayLink(addr) : { addr, code: undefined }
    const code = options.joinCode ?? link.code
    const node = this.parts.ctx.node
    return this.parts.homeRelays.add(link.addr, code == null ? undefined : async key => { await joinRelay(node, link.addr, key, code) })
  }

  async removeRelay (addr: string): Promise<void> { await this.parts.homeRelays.remove(addr) }

  on<K extends keyof MessengerEvents> (event: K, listener: MessengerListener<K>): void {
    this.parts.ctx.events.on(event, listener)
  }

  off<K extends keyof MessengerEvents> (event: K, listener: MessengerListener<K>): void {
    this.parts.ctx.events.off(event, listener)
  }
}
