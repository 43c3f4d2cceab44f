// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The public contract of a messenger: what the desktop app, the `sotto` CLI and the tests see.
 */
import type { GuestCalls } from './guest-calls.js'
import type { LoggerFactory } from '../logger.js'
import type { RateLimitInfo, RelayInfo } from '../mailbox/index.js'
import type { KeySource } from '../storage/types.js'
import type { RelayClientsOptions } from './relay-clients.js'
import type { TokenRotationInit } from './token-rotation.js'
import type { Clock } from '../util/index.js'
import type { CompactionInit } from './compaction.js'

import type { FileProgress, FileReason, FileState, MessageFile, SavedFile } from './file-types.js'
import type { CreateGroupOptions, Group, GroupChangeView, GroupMemberView } from './group-types.js'

export type { RateLimitInfo, RelayInfo }
export type { CreateGroupOptions, FileProgress, FileReason, FileState, Group, GroupChangeView, GroupMemberView, MessageFile, SavedFile }

/**
 * Where an outgoing message is. `queued`: stored, not yet accepted by anyone. `sent`: a relay holds
 * it durably. `delivered`: the recipient stored it durably. `read`: the recipient saw it (only when
 * both sides allow read receipts). `failed`: it will not be retried (see `failure`).
 */
export type MessageState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed'

/** One person's reaction to a message. */
export interface Reaction {
  /** Who reacted: a contact id, or this messenger's own user id. */
  by: string
  /** The emoji. */
  emoji: string
}

/** Why an outgoing message failed. */
export type FailureReason = 'blocked' | 'identity-changed' | 'rejected' | 'expired'

/** How a contact is reachable right now. */
export type Presence = 'direct' | 'relay' | 'offline'

/** One message in a conversation, as shown to the user. */
export interface Message {
  /** The envelope id, hex; unique per message. */
  id: string
  /** The contact the conversation is with. */
  contactId: string
  /** `out`: written here; `in`: received. */
  direction: 'in' | 'out'
  /** The text. */
  text: string
  /** When the sender wrote it (ms since epoch, the sender's clock). */
  sentAt: number
  /** When it was stored here (ms since epoch). */
  storedAt: number
  /** Delivery state of outgoing messages; incoming ones are always `delivered`. */
  state: MessageState
  /** Why it failed, when `state` is `failed`. */
  failure?: FailureReason
  /** When the user read it (incoming) — the start of its disappearing timer. */
  readAt?: number
  /** When it will be deleted (ms since epoch), for disappearing messages. */
  expiresAt?: number
  /** A reply: the id of the message it quotes, in the same conversation. */
  replyTo?: string
  /** Reactions, one per person. */
  reactions?: Reaction[]
  /** When the text was last edited (ms since epoch, the editor's clock). */
  editedAt?: number
  /** Deleted for everyone by its sender: its text is gone, it shows as deleted. */
  deleted?: boolean
  /** A message of a guest conversation (by a guest link): `contactId` is the guest conversation id. */
  guest?: boolean
  /** The file it carries, for a file message (its `text` is empty). */
  file?: MessageFile
  /** In a group: the group's id (`contactId` is the group id too). */
  groupId?: string
  /** In a group: who wrote it (a user id; the messenger's own for outgoing messages). */
  senderId?: string
  /** Outgoing, in a group: how many members stored it ("delivered to N of M"). */
  deliveredCount?: number
  /** Outgoing, in a group: how many members refused it (a member who blocked the user does). */
  refusedCount?: number
  /** Outgoing, in a group: how many members it was sent to. */
  recipientCount?: number
}

/** Someone this messenger knows: a contact, or a stranger whose message waits in requests. */
export interface Contact {
  /** Stable id: the person's Sotto user id (a UUID from their invite card). */
  id: string
  /** The user's own name for the contact; defaults to the display name. */
  alias: string
  /** The name the contact gave themselves (untrusted text). */
  displayName: string
  /** Their libp2p PeerId. */
  peerId: string
  /**
   * `contact`: added or accepted; `request`: a stranger's message waits for a decision; `member`:
   * reached only through a group the user shares with them (never listed among contacts).
   */
  status: 'contact' | 'request' | 'member'
  /** Libsignal's displayable fingerprint of both identity keys: 60 digits in groups of five. */
  safetyNumber: string
  /** The user compared the safety number and marked it verified. */
  verified: boolean
  /** Blocked: nothing from them is accepted, nothing is sent to them. */
  blocked: boolean
  /** Their identity key changed and the change has not been accepted. */
  identityChanged: boolean
  /**
   * Envelopes that came through a relay under their changed identity key, held unopened: accepting
   * the change opens them (in order), blocking drops them. At most 32 (and 1 MiB); the oldest go first.
   */
  held: number
  /** Disappearing-messages timer of the conversation in seconds; 0 is off. */
  disappearingSeconds: number
  /** Incoming messages not yet read. */
  unread: number
  /** The newest message, if any. */
  lastMessage?: Message
  /** How they are reachable now. */
  presence: Presence
  /**
   * How many of their relays hold messages for them while they are offline, with deposit tokens
   * they gave this messenger. 0 until their tokens arrive (until then only the introduction
   * tokens of their invite, which relays rate-limit hard, can be used).
   */
  mailboxes: number
  /**
   * The guest conversation this contact grew from ("Invite to Sotto"): its messages stay readable
   * with `history(fromGuest)`.
   */
  fromGuest?: string
}

/** One of this messenger's home relays, as the relays screen shows it. */
export interface RelayView {
  /** The relay's multiaddr, ending in /p2p/<relay PeerId>. */
  addr: string
  /** The relay's PeerId. */
  peerId: string
  /**
   * What the relay says about itself (operator, contact, jurisdiction, retention, quotas,
   * version), as last fetched; absent until it has answered once.
   */
  info?: RelayInfo
  /** Connected to the relay now. */
  reachable: boolean
  /** Holding a circuit relay reservation: contacts can reach this messenger through the relay. */
  reserved: boolean
  /** The mailbox exists there: contacts can leave messages while this messenger is offline. */
  mailboxReady: boolean
}

/** Settings of a messenger, kept encrypted in its data directory. */
export interface Settings {
  /** Discover peers on the local network with mDNS. */
  mdns: boolean
  /**
   * Send read receipts, and show those of others (off by default): off, neither is done, as in
   * Signal.
   */
  readReceipts: boolean
  /**
   * Hide the IP address from contacts and their relays (off by default; takes effect at the next
   * start): reached only through one's own relays, which forward what goes to others' relays.
   * One's own relays still see it.
   */
  hideIp: boolean
  /** Send typing indicators, and show those of others (off by default). */
  typingIndicators: boolean
  /** ISO 3166-1 alpha-2 codes of jurisdictions whose relays are refused. */
  excludedJurisdictions: string[]
  /** Files from contacts up to this size (bytes) are fetched as they arrive; larger ones when saved. */
  autoDownloadBytes: number
  /** Largest file this messenger sends, in bytes (100 MiB by default). */
  maxFileBytes: number
}

/** This messenger's own identity, safe to show. */
export interface OwnIdentity {
  /** Sotto user id (UUID). */
  userId: string
  /** libp2p PeerId. */
  peerId: string
  /** Display name. */
  name: string
}

/** Events a messenger emits. */
export interface MessengerEvents {
  /** A new incoming message was stored. */
  message: Message
  /**
   * An outgoing message changed state; in a group, also each time one more member stored it
   * (`deliveredCount` of `recipientCount`).
   */
  status: { id: string, contactId: string, state: MessageState, failure?: FailureReason, deliveredCount?: number, recipientCount?: number }
  /** A stranger's message arrived: a new contact request. */
  request: Contact
  /** Older requests were dropped to make room for a new one; `dropped`: how many ever were. */
  requestsDropped: { dropped: number }
  /** A contact was added, accepted or changed. */
  contact: Contact
  /** A contact's presence changed. */
  connection: { contactId: string, presence: Presence }
  /** Messages were deleted because their disappearing timer ran out. */
  expired: { contactId: string, ids: string[] }
  /** A home relay's state changed (reachable, reserved, mailbox ready, relay-info). */
  relay: RelayView
  /** Someone's reaction to a message was set (or removed: `emoji` is empty); `group`: the group of a group's message. */
  reaction: { contactId: string, id: string, by: string, emoji: string, group?: string }
  /** A message's text was edited (here or by its sender): the message as it is now. */
  edit: Message
  /** A message was deleted: for everyone (it stays, marked deleted), or here only (it is gone); `group` as for `reaction`. */
  delete: { contactId: string, id: string, everyone: boolean, group?: string }
  /** A contact started or stopped typing (only when typing indicators are on). */
  typing: { contactId: string, started: boolean }
  /** A file's transfer moved: its state, and bytes of it held by the other side (out) or here (in). */
  file: FileProgress
  /** This installation was replaced by a newer one (a restore elsewhere): it sends nothing more. */
  replaced: InstallationView
  /** A group was created, joined, or its membership changed (here or by another member). */
  group: Group
}

/** Options for {@link Messenger.search}. */
export interface SearchQueryOptions {
  /** Only this conversation (a contact id or alias). */
  in?: string
  /** At most this many results (default 50). */
  limit?: number
}

/** Which installation of its identity a messenger is (see docs/ARCHITECTURE.md, Moving to a new computer). */
export interface InstallationView {
  /** 1 where the identity was made; each restore from a backup takes the next number. */
  number: number
  /** Set once a newer installation said it replaced this one: then nothing is sent from here. */
  replacedBy?: number
}

/** Options for `createMessenger`. */
export interface MessengerOptions {
  /** The data directory. */
  dataDir: string
  /** Unlocks the data directory's storage. */
  keySource: KeySource
  /** Display name, used when the data directory is new. */
  name?: string
  /**
   * The user id to take when the data directory is new (an account's id restored under a new key:
   * contacts see a changed identity); a fresh random one by default.
   */
  userId?: string
  /** Listen addresses (multiaddrs). Defaults to those remembered, else TCP and WebSockets on all interfaces. */
  listen?: string[]
  /**
   * Home relays (multiaddrs ending in /p2p/<peerId>, or relay links). Those not yet known are added as by
   * {@link Messenger.addRelay} (so an unreachable or excluded relay makes `createMessenger` throw)
   * and remembered; relays are removed only with {@link Messenger.removeRelay}.
   */
  relays?: string[]
  /** Loggers; silent by default. */
  logger?: LoggerFactory
  /** Most contact requests kept waiting for the user; a new one drops the oldest (default 200). */
  maxRequests?: number
  /** Turn mDNS off for this run regardless of settings (tests, namespaces). */
  mdns?: boolean
  /** Hide the IP address for this run regardless of settings (`sotto init --hide-ip` stores it too). */
  hideIp?: boolean
  /** ICE servers for WebRTC; none by default, so no third party learns the user's address. */
  iceServers?: string[]
  /** scrypt cost (log2 N) for a new data directory; tests lower it. */
  scryptLogN?: number
  /**
   * The throwaway identities used at others' relays: their clock and rotation (tests move the
   * clock rather than wait a day).
   */
  anonymity?: Pick<RelayClientsOptions, 'now' | 'rotateAfterMs'>
  /** Deposit token rotation: its clock and periods (tests move the clock rather than wait a week). */
  tokenRotation?: TokenRotationInit & { clock?: Clock }
  /** When the database is compacted so that deleted data leaves its files (default: after 500 deletes, or hourly after any). */
  compaction?: CompactionInit
}

/** A listener for one messenger event. */
export type MessengerListener<K extends keyof MessengerEvents> = (event: MessengerEvents[K]) => void

/** Options for {@link Messenger.history}. */
export interface HistoryOptions {
  /** Only messages older than this message id. */
  before?: string
  /** At most this many, newest last. Default: all. */
  limit?: number
}

/**
 * A running messenger: one identity, one data directory, one libp2p node.
 * Contact arguments accept a contact id or an alias.
 */
export interface Messenger extends GuestCalls {
  /** This messenger's own identity. */
  identity(): OwnIdentity
  /** The multiaddrs this messenger listens on, each ending in /p2p/<peerId>. */
  addresses(): string[]
  /** A fresh invite link `sotto://invite/...` with current addresses and prekeys. */
  invite(): Promise<string>
  /** The same invite in the compact form for QR codes (`SOTTO://INVITE/...`, base45). */
  inviteQr(): Promise<string>
  /**
   * The short invite link (`sotto://s/…`, at most 200 characters): the card sealed at the first
   * ready home relay, refreshed while the messenger runs. Undefined with no ready home relay.
   */
  shortInvite(): Promise<string | undefined>
  /** "New link": revokes the short invite link at its relay (later lookups fail) and makes another. */
  newShortInvite(): Promise<string | undefined>
  /**
   * Adds a contact from an invite link, long or short (a short one is read from its relay:
   * `InviteLinkRevokedError`, `InviteLinkExpiredError`). Accepting an own or malformed invite throws.
   */
  addContact(invite: string, options?: { alias?: string }): Promise<Contact>
  /** Contacts (not requests), sorted by newest activity. */
  contacts(): Promise<Contact[]>
  /** Pending contact requests. */
  requests(): Promise<Contact[]>
  /** How many requests were dropped, oldest first, to keep the newest 200 (or {@link MessengerOptions.maxRequests}). */
  droppedRequests(): Promise<number>
  /** One contact or request. */
  contact(contact: string): Promise<Contact>
  /** Accepts a request: the stranger becomes a contact. */
  accept(contact: string): Promise<Contact>
  /** Blocks a contact or request: their messages are refused, nothing is sent to them. */
  block(contact: string): Promise<Contact>
  /** Unblocks. */
  unblock(contact: string): Promise<Contact>
  /** Deletes a contact and the whole conversation. */
  deleteContact(contact: string): Promise<void>
  /** Renames a contact locally. */
  setAlias(contact: string, alias: string): Promise<Contact>
  /** Marks the safety number as compared (or not). */
  setVerified(contact: string, verified: boolean): Promise<Contact>
  /** Accepts a changed identity key so messaging can go on. */
  acceptIdentityChange(contact: string): Promise<Contact>
  /**
   * Dismisses a changed identity key, keeping the one the contact had (anyone can claim a user id
   * under a key of their own): what came under the new key is dropped, and sending goes on.
   */
  keepIdentity(contact: string): Promise<Contact>
  /** Sets the disappearing-messages timer of a conversation and tells the contact. 0 turns it off. */
  setDisappearing(contact: string, seconds: number): Promise<Contact>
  /**
   * Stores a message (state `queued`) and starts delivering it; resolves once it is durable.
   * `contact` may name a group (its id or name), which then gets the message.
   */
  send(contact: string, text: string): Promise<Message>
  /** Resolves when the message reaches one of `states` (`read` counts as `delivered`) or `failed`; rejects with TimeoutError. */
  waitForState(id: string, states: MessageState[], timeoutMs: number): Promise<Message>
  /** A conversation's messages, oldest first; `contact` may name a group (its id or name). */
  history(contact: string, options?: HistoryOptions): Promise<Message[]>
  /**
   * Sends the file at `path` (state `queued`, its `file.state` `waiting`): sealed into the data
   * directory, then fetched by the contact directly or uploaded to one of its relays. Resolves once
   * it is durable. `contact` may name a group (its id or name): the file is sealed once, its
   * pointer goes in the group message, and it is placed with each member so (its `file.state` is
   * `done` once every member's copy is). Throws `FileTooLargeError` over `Settings.maxFileBytes`.
   */
  sendFile(contact: string, path: string): Promise<Message>
  /**
   * Decrypts a file message's file to `path`, fetching it first if needed and waiting up to
   * `timeoutMs` (default 60 s) for it. Throws `FileFromRequestError` for a request's file,
   * `TimeoutError`, `NotFoundError`.
   */
  saveFile(id: string, path: string, options?: { timeoutMs?: number }): Promise<SavedFile>
  /**
   * Stops a file's transfer (`file.state` `cancelled`) and tells the contact: the recipient of a
   * sent file shows it cancelled by its sender; the sender of a received one stops offering it.
   * Downloading or saving an incoming file starts it again.
   */
  cancelFile(id: string): Promise<void>
  /**
   * Fetches a received file into the encrypted store whatever its size (progress in `file`
   * events); resolves once asked. Throws `FileFromRequestError` for a request's file, `NotFoundError`
   * for one its sender cancelled.
   */
  downloadFile(id: string): Promise<void>
  /**
   * The plaintext of a file message's file that is here (sent, or downloaded), a chunk at a time,
   * decrypted in memory only (to show a photo, or for a download the user asked for). Throws
   * `NotFoundError` while it is not here.
   */
  readFile(id: string): AsyncGenerator<Uint8Array>
  /**
   * Marks every incoming message of a conversation read (starting disappearing timers), and sends
   * read receipts when the settings allow.
   */
  markRead(contact: string): Promise<void>
  /**
   * Sends a reply quoting message `replyTo` of the conversation with a contact, or of a group (by
   * its id or name); `NotFoundError` if it has no such message.
   */
  reply(contact: string, replyTo: string, text: string): Promise<Message>
  /**
   * Sets this user's reaction to a message (replacing an earlier one); an empty emoji removes it.
   * `NotFoundError` for an unknown or deleted message.
   */
  react(messageId: string, emoji: string): Promise<Message>
  /**
   * Changes the text of one of this user's messages, within 24 hours of sending it:
   * `NotYourMessageError`, `EditWindowClosedError`, `NotFoundError`.
   */
  edit(messageId: string, text: string): Promise<Message>
  /**
   * Deletes a message here; with `everyone`, one of this user's messages for the contact too,
   * within 24 hours (`NotYourMessageError`, `EditWindowClosedError`). `NotFoundError` if unknown.
   */
  deleteMessage(messageId: string, options?: { everyone?: boolean }): Promise<void>
  /** Tells a directly connected contact that this user started or stopped typing (if the settings allow). */
  typing(contact: string, started: boolean): Promise<void>
  /** Messages whose visible text holds every word of `query` (the last may be a prefix), newest first. */
  search(query: string, options?: SearchQueryOptions): Promise<Message[]>
  /**
   * Changes how the data directory is unlocked: a new passphrase, or a key from the OS keychain
   * instead (and back). `current` must unlock it now, else `WrongPassphraseError` with nothing
   * written; a new passphrase must meet the rule (`WeakPassphraseError`). Only the wrapped data key
   * is rewritten, atomically: a crash leaves the old key source working or the new one.
   */
  changeKeySource(current: KeySource, next: KeySource): Promise<void>
  /** Which installation this is, and whether it was replaced. */
  installation(): InstallationView
  /**
   * A backup file of this messenger (identity, contacts, settings, relays and, unless `history`
   * is false, the messages), sealed under the recovery passphrase; see `restoreBackup`.
   */
  exportBackup(options: { passphrase: string, history?: boolean, scryptLogN?: number }): Promise<Uint8Array>
  /** Current settings. */
  settings(): Promise<Settings>
  /**
   * Changes settings. Excluding a jurisdiction also removes the home relays there, as
   * {@link removeRelay} does (their mailboxes are drained one last time, contacts are told).
   */
  updateSettings(patch: Partial<Settings>): Promise<Settings>
  /** The home relays, in order of preference, with their relay-info and state. */
  relays(): Promise<RelayView[]>
  /**
   * Adds a home relay (a multiaddr ending in /p2p/<relay PeerId>): fetches its relay-info, creates
   * a mailbox there with an introduction token, then keeps a reservation and a subscription on it
   * and gives every contact a deposit token there. Adding a relay already present returns it.
   * Throws `InvalidInputError` for a malformed address (or beyond 8 relays),
   * `ExcludedJurisdictionError` when its jurisdiction is in `settings.excludedJurisdictions`,
   * `RelayUnreachableError` when it cannot be reached or does not answer as a Sotto relay, and the
   * relay's own refusals (`QuotaExceededError`, `RateLimitedError`). `addr` may be a relay link
   * (`sotto://relay/…`); an invite-only relay needs a join code (in the link's `code`, or
   * `options.joinCode`), else `JoinCodeRequiredError`.
   */
  addRelay(addr: string, options?: { joinCode?: string }): Promise<RelayView>
  /**
   * Removes a home relay: contacts get the new list of tokens, what waits in the mailbox is
   * fetched, and the mailbox (with its tokens) is deleted at the relay, at once if it is reachable,
   * else later. Throws `NotFoundError` if it is not a home relay.
   */
  removeRelay(addr: string): Promise<void>
  /**
   * Creates a group with the user as its first admin, and asks each member (contacts, by id or
   * alias) to join: each member's messenger answers with its entry, and is then added. Throws
   * `GroupFullError` beyond `maxMembers`.
   */
  createGroup(name: string, members: string[], options?: CreateGroupOptions): Promise<Group>
  /** The groups, newest activity first. */
  groups(): Promise<Group[]>
  /** One group, by id or name. */
  group(group: string): Promise<Group>
  /** Asks a contact to join a group (admins only); they are added once their answer comes. */
  addToGroup(group: string, contact: string): Promise<Group>
  /** Removes a member (by user id, alias or name; admins only). */
  removeFromGroup(group: string, member: string): Promise<Group>
  /** Leaves a group. */
  leaveGroup(group: string): Promise<Group>
  /** Makes a member an admin (by user id, alias or name; admins only). */
  makeGroupAdmin(group: string, member: string): Promise<Group>
  /** Renames a group (admins only; checked as `createGroup`'s name): every member shows the new name. */
  renameGroup(group: string, name: string): Promise<Group>
  /** A group's membership changes, oldest first, for its timeline. */
  groupChanges(group: string): Promise<GroupChangeView[]>
  /**
   * Sets a group's disappearing timer (0 turns it off): the user's texts carry it from now on, and
   * each member adopts it with the next one.
   */
  setGroupDisappearing(group: string, seconds: number): Promise<Group>
  /** Subscribes to an event. */
  on<K extends keyof MessengerEvents>(event: K, listener: MessengerListener<K>): void
  /** Unsubscribes. */
  off<K extends keyof MessengerEvents>(event: K, listener: MessengerListener<K>): void
  /** Stops networking, flushes storage and releases the data directory. */
  stop(): Promise<void>
}

export type { GuestConversation, GuestLinkView } from './guest-records.js'
export type { GuestLinkOptions } from './guests.js'
export type { GuestCalls } from './guest-calls.js'
