// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a messenger keeps in its encrypted store, and under which keys.
 *
 * Keys (string parts are hashed by the store, numbers sort numerically):
 * - `['profile']` → {@link ProfileRecord}
 * - `['contact', contactId]` → {@link ContactRecord}
 * - `['msg', contactId, sentAt, order]` → {@link MessageRecord}, a conversation in display order
 * - `['msgid', messageId]` → {@link MessageRef}: finds a message by id; also the replay guard
 * - `['unread', contactId, sentAt, order]` → {@link MessageRef} of an unread incoming message
 * - `['expiry', expiresAt, order]` → {@link MessageRef} of a disappearing message
 * - `['outbox', contactId, seq]` → {@link OutboxRecord}, an envelope still to deliver
 * - `['settings']` → {@link Settings}
 * - `['relay', addr]` → {@link RelayRecord}: a home relay, or one being left
 * - `['rcpt', contactId, messageId]` → {@link PendingReceipt}: a text that came through a relay,
 *   whose end-to-end delivery receipt is still to be sent
 * - `['held-index']`, `['held', seq]` → the quarantine (see quarantine.ts)
 * - `['requests-dropped']` → how many requests were dropped to keep the newest (see requests.ts)
 * - `['relocation']` → `RelocationRecord` (relocation.ts): a restored installation's moving in
 * - `['installation']` → `InstallationRecord` (relocation.ts): this installation was replaced
 */
import { StorageCorruptError } from '../errors.js'
import type { FileRecord } from './file-records.js'
import type { FailureReason, MessageState, Settings } from './types.js'
import type { InviteCard, InviteRelay, RelayToken } from '../protocol/types.js'
import type { RelayInfo } from '../mailbox/index.js'
import type { Key } from '../storage/types.js'

/** The messenger's own profile. */
export interface ProfileRecord {
  name: string
  /** The libp2p identity key, protobuf-encoded. */
  peerKey: Uint8Array
  /** Listen addresses to use when none are given. */
  listen: string[]
  /** Home relay multiaddrs (each ending in /p2p/<relay PeerId>), in order of preference. */
  relays: string[]
  createdAt: number
}

/** A deposit token this messenger made for one contact at one of its home relays. */
export interface IssuedToken {
  /** The home relay's multiaddr (as in {@link ProfileRecord.relays}). */
  relay: string
  token: Uint8Array
  /** The relay has it registered. */
  registered: boolean
  /** The contact was sent it (in a Tokens body). */
  announced: boolean
  /** When the rotation first saw it (ms); it is replaced once the rotation period (token-rotation.ts) old. */
  issuedAt?: number
  /** When a newer token replaced it (ms); it stays valid at the relay for a grace period. */
  retiredAt?: number
}

/** One of this messenger's relays: its mailbox there and what the relay said about itself. */
export interface RelayRecord {
  addr: string
  peerId: string
  /** The mailbox's own Ed25519 key, protobuf-encoded (never the PeerId's key). */
  mailboxKey: Uint8Array
  mailboxId: Uint8Array
  /** The introduction deposit token published in invite cards. */
  introToken: Uint8Array
  /** The mailbox exists at the relay with the introduction token registered. */
  ready: boolean
  /** Contact tokens to revoke there (their contact was blocked or deleted). */
  revoke: Uint8Array[]
  /** Removed by the user: drain and delete the mailbox, then forget the relay. */
  leaving?: boolean
  /** The relay's last relay-info. */
  info?: RelayInfo
  addedAt: number
}

/** A text received through a relay whose delivery receipt is not yet in the outbox. */
export interface PendingReceipt {
  contactId: string
  /** The message (envelope) id, hex. */
  id: string
}

/**
 * A delivery receipt or resend request we sealed, kept so that it can be sealed again under its id
 * when the contact asks: one that waited at a relay while the session moved on no longer decrypts.
 * Purged {@link RELAY_HORIZON_MS} after it was sealed.
 */
export interface SentControl {
  /** The envelope id, hex. */
  id: string
  contactId: string
  sentAt: number
  /** The message ids a delivery receipt carried. */
  deliveryReceipt?: Uint8Array[]
  /** The envelope ids a resend request carried. */
  resendRequest?: Uint8Array[]
  /** A disappearing-timer change: sealed again, it carries the timer as it is then. */
  disappearingTimer?: true
  /** A token list: answered with the list as it is then, in a Tokens message of its own. */
  tokens?: true
  /** The message ids a read receipt carried. */
  readReceipt?: Uint8Array[]
  /** A reaction to this message id: sealed again, it carries our reaction as it is then. */
  reaction?: string
  /** An edit of this message id: sealed again, it carries the text as it is then. */
  edit?: string
  /** A delete for everyone of this message id. */
  delete?: string
  /** A group's membership changes (their ids): sealed again, it carries the same changes. */
  groupUpdate?: { groupId: string, changes: string[] }
  /**
   * An ask to join a group (`answer` unset) or our answer to one: sealed again while the ask is
   * still open, it carries our entry as it is then.
   */
  groupJoin?: { groupId: string, answer?: true }
  /**
   * A reaction, edit or delete sent as a group message (`contactId` is the group id) to the members
   * `to`: sealed again to one of them at their request while they are still a member.
   */
  group?: { groupId: string, to: string[] }
  /** Times sealed again. */
  resends?: number
}

/**
 * Longer than relays keep envelopes (14 days by default): how long {@link SentControl}s and
 * tombstones are kept. An envelope older than that is not redelivered by a relay; one replayed
 * directly is still refused, by the Double Ratchet's own duplicate check.
 */
export const RELAY_HORIZON_MS = 30 * 24 * 60 * 60 * 1000

/** A contact or request. */
export interface ContactRecord {
  id: string
  peerId: string
  displayName: string
  alias: string
  /** `member`: reached only through a group, never shown as a contact (see groups.ts). */
  status: 'contact' | 'request' | 'member'
  identityKey: Uint8Array
  /** A changed identity key waiting to be accepted. */
  pendingIdentityKey?: Uint8Array
  /**
   * A group member who introduced themselves (a request made from a `member` record): what goes
   * to them for the groups they share with the user goes on while the request waits.
   */
  viaGroup?: boolean
  addrs: string[]
  relays: InviteRelay[]
  verified: boolean
  blocked: boolean
  disappearingSeconds: number
  unread: number
  /** Sequence number of the next outgoing text (per conversation). */
  nextSeq: number
  /** Sequence number of the next outbox entry. */
  nextOutbox: number
  /** They have sent us something, so they know who we are: stop attaching our card. */
  heardFrom: boolean
  /** The one-time `inviteTag` of the card we added them by: sent with our card until they answer. */
  inviteTag?: Uint8Array
  /** The guest conversation this contact grew from (they invited a guest of theirs): its history. */
  fromGuest?: string
  /** Deposit tokens made for them at our home relays (none while blocked, none for requests). */
  issued?: IssuedToken[]
  /** Our list of tokens for them changed in a way that needs a new Tokens message. */
  tokensDirty?: boolean
  /**
   * Their relays and the deposit tokens they made for us (from their last Tokens message). While
   * undefined, the introduction tokens of their card are used instead.
   */
  tokens?: RelayToken[]
  lastMessageId?: string
  lastActivity: number
  addedAt: number
  /**
   * The newest installation of the contact's identity known here (absent: 1, the one that made
   * it). Sealed envelopes from an older one are refused: it was replaced by a restore.
   */
  installation?: number
  /**
   * Set in a restored installation until the contact answers: `notify`, its statement that this
   * identity moved is still to be sent; `notified`, sent, no session yet (see relocation.ts).
   */
  relocation?: 'notify' | 'notified'
}

/** A new contact record from an invite card: nothing sent or received yet. */
export function contactFromCard (
  card: Pick<InviteCard, 'userId' | 'peerId' | 'name' | 'addrs' | 'relays'>,
  identityKey: Uint8Array,
  status: ContactRecord['status'],
  heardFrom: boolean,
  now: number
): ContactRecord {
  return {
    id: card.userId,
    peerId: card.peerId,
    displayName: card.name,
    alias: card.name,
    status,
    identityKey,
    addrs: card.addrs,
    relays: card.relays,
    verified: false,
    blocked: false,
    disappearingSeconds: 0,
    unread: 0,
    nextSeq: 0,
    nextOutbox: 0,
    heardFrom,
    lastActivity: now,
    addedAt: now
  }
}

/** One stored message. */
export interface MessageRecord {
  id: string
  contactId: string
  direction: 'in' | 'out'
  text: string
  sentAt: number
  order: number
  storedAt: number
  state: MessageState
  failure?: FailureReason
  readAt?: number
  expiresAt?: number
  /** Outgoing: how often it was sealed again because the recipient could not decrypt it. */
  resends?: number
  /**
   * Incoming, stored from a direct delivery (the run of the messenger that stored it): its sender
   * learns of it from our answer, which stopping right after the write loses. A copy through a
   * relay after a restart then owes a delivery receipt (once).
   */
  storedDirectly?: string
  /** A reply: the id of the quoted message. */
  replyTo?: string
  /** Reactions, one per person (a contact id, or our own user id). */
  reactions?: Array<{ by: string, emoji: string }>
  /** When the text was last edited (the editor's clock). */
  editedAt?: number
  /** Deleted for everyone: text, quote and reactions are gone. */
  deleted?: boolean
  /** The file of a file message (its text is empty). */
  file?: FileRecord
  /** In a group: its id (then `contactId` is the group id too). */
  groupId?: string
  /** In a group: who wrote it (a user id, this messenger's own for outgoing ones). */
  senderId?: string
  /** Outgoing, in a group: the members it was sent to. */
  recipientIds?: string[]
  /** Outgoing, in a group: the members that stored it. */
  deliveredTo?: string[]
  /** Outgoing, in a group: the members that refused it (they blocked the user, …). */
  refusedBy?: string[]
}

/** Where a message lives; a tombstone once it is gone (so a redelivery is not shown again). */
export interface MessageRef {
  contactId: string
  sentAt: number
  order: number
  gone?: boolean
  /** A tombstone's message id, hex (tombstones written before it have none, and stay). */
  id?: string
  /** When it became a tombstone; purged {@link RELAY_HORIZON_MS} later. */
  goneAt?: number
}

/** The tombstone of message `id`: what stays once it is deleted, expired, or was no text. */
export function tombstone (id: string, m: { contactId: string, sentAt: number, order: number }, now: number): MessageRef {
  return { contactId: m.contactId, sentAt: m.sentAt, order: m.order, gone: true, id, goneAt: now }
}

/** An envelope waiting to be delivered. */
export interface OutboxRecord {
  contactId: string
  seq: number
  envelopeId: string
  envelope: Uint8Array
  /** The message it carries, when it carries a text (control envelopes have none). */
  messageId?: string
  createdAt: number
  attempts: number
  /** Always false; kept in the record format. */
  sent: boolean
  /**
   * The contact's relays (their addresses) that acknowledged holding the envelope durably. Its
   * message is `sent` from the first; the entry stays until two of the contact's relays hold it
   * (all of them, when it has fewer) or it is delivered directly, so that one relay going down or
   * losing its disk cannot hold back or lose it. Absent: no relay holds it yet.
   */
  heldBy?: string[]
  /**
   * When the first relay took it (ms since epoch): the entry gives up waiting for a second copy
   * some time after (the courier's `secondCopyGiveUpMs`). Absent in entries stored before it was.
   */
  heldSince?: number
}

/** Default settings: private by default, LAN discovery on. */
export const DEFAULT_SETTINGS: Settings = {
  mdns: true,
  readReceipts: false,
  hideIp: false,
  typingIndicators: false,
  excludedJurisdictions: [],
  autoDownloadBytes: 25 * 1024 * 1024,
  maxFileBytes: 100 * 1024 * 1024
}

/** Key builders, so every module spells keys the same way. */
export const keys = {
  profile: (): Key => ['profile'],
  settings: (): Key => ['settings'],
  contact: (id: string): Key => ['contact', id],
  contacts: (): Key => ['contact'],
  message: (m: { contactId: string, sentAt: number, order: number }): Key => ['msg', m.contactId, m.sentAt, m.order],
  conversation: (contactId: string): Key => ['msg', contactId],
  messageRef: (id: string): Key => ['msgid', id],
  unread: (m: { contactId: string, sentAt: number, order: number }): Key => ['unread', m.contactId, m.sentAt, m.order],
  unreadOf: (contactId: string): Key => ['unread', contactId],
  expiry: (expiresAt: number, order: number): Key => ['expiry', expiresAt, order],
  expiries: (): Key => ['expiry'],
  outbox: (contactId: string, seq: number): Key => ['outbox', contactId, seq],
  outboxOf: (contactId: string): Key => ['outbox', contactId],
  relay: (addr: string): Key => ['relay', addr],
  relays: (): Key => ['relay'],
  pendingReceipt: (contactId: string, id: string): Key => ['rcpt', contactId, id],
  pendingReceipts: (): Key => ['rcpt'],
  messageRefs: (): Key => ['msgid'],
  sentControl: (id: string): Key => ['ctl', id],
  sentControls: (): Key => ['ctl']
}

/**
 * The display order of a message within one millisecond: outgoing and incoming texts never
 * collide because incoming orders are odd.
 */
export function messageOrder (seq: number, direction: 'in' | 'out'): number {
  return seq * 2 + (direction === 'in' ? 1 : 0)
}

const BYTES_TAG = '$bytes'

/** Encodes a record as JSON, with byte arrays as base64. */
export function encodeRecord (record: unknown): Uint8Array {
  // Tagging first and stringifying without a replacer keeps JSON.stringify on its fast path.
  return Buffer.from(JSON.stringify(tagBytes(record)), 'utf8')
}

/** Decodes a record written by {@link encodeRecord}. */
export function decodeRecord<T> (bytes: Uint8Array): T {
  try {
    return untagBytes(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))) as T
  } catch (err) {
    throw new StorageCorruptError('a stored record is not readable', { cause: err })
  }
}

/** A copy of `value` with every byte array replaced by `{ $bytes: base64 }`. */
function tagBytes (value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
  if (Array.isArray(value)) return value.map(tagBytes)
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = tagBytes((value as Record<string, unknown>)[key])
  return out
}

/** Turns the `{ $bytes: base64 }` objects of a parsed record back into byte arrays, in place. */
function untagBytes (value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = untagBytes(value[i])
    return value
  }
  const object = value as Record<string, unknown>
  if (BYTES_TAG in object) return new Uint8Array(Buffer.from(String(object[BYTES_TAG]), 'base64'))
  for (const key of Object.keys(object)) object[key] = untagBytes(object[key])
  return object
}
