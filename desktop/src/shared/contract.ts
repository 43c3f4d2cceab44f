// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The IPC contract between the main side (Electron main process, or the headless server) and the
 * renderer: the data the renderer sees, a schema for every request payload, and the reply type of
 * every call. Schemas are strict: unknown keys are refused.
 */
import { z } from 'zod'
import { groupRequestSchemas } from './group-contract.js'
import type { EventName, Method } from './channels.js'
import { guestRequestSchemas } from './guest-contract.js'
import type { GuestReplies } from './guest-contract.js'
import type { GroupEvents, GroupMessageFields, GroupReplies } from './group-contract.js'
export type { GroupChangeEntry, GroupEvents, GroupMemberInfo, GroupMessageFields, GroupReplies, GroupView } from './group-contract.js'
import type { FileProgressView, FileView } from './file-contract.js'
export type { FileProgressView, FileView } from './file-contract.js'
import type { Contact, FailureReason, FileReason, FileState, Message, MessageState, Presence } from '@sotto/core'

// ---------------------------------------------------------------------------------------------
// Data shown to the renderer. The value types are `@sotto/core`'s own (imported as types only: no
// core code reaches the page); the views list their fields one by one, and the main side maps
// each field, so nothing core adds later crosses to the renderer by accident.

export type { FailureReason, FileReason, FileState, MessageState, Presence }

/** One message of a conversation. `text` is untrusted when `direction` is `in`. */
export interface MessageView extends GroupMessageFields {
  /** Envelope id, hex. */
  id: string
  /** The contact the conversation is with. */
  contactId: string
  /** `out`: written here; `in`: received. */
  direction: Message['direction']
  /** The text; always rendered as text. */
  text: string
  /** When the sender wrote it (ms since epoch, sender's clock). */
  sentAt: number
  /** When it was stored here (ms since epoch). */
  storedAt: number
  /** Delivery state. */
  state: MessageState
  /** Why it failed, when `state` is `failed`. */
  failure?: FailureReason
  /** When it was read (incoming). */
  readAt?: number
  /** When it will disappear (ms since epoch). */
  expiresAt?: number
  /** A reply: the id of the quoted message, in the same conversation. */
  replyTo?: string
  /** Reactions, one per person (`by`: a contact id, or the own user id). */
  reactions?: Array<{ by: string, emoji: string }>
  /** When it was last edited (ms since epoch, the editor's clock). */
  editedAt?: number
  /** Deleted for everyone: no text, shown as deleted. */
  deleted?: boolean
  /** The file of a file message (its `text` is empty). */
  file?: FileView
}

/** A contact or a contact request. `displayName` is untrusted. */
export interface ContactView {
  /** Stable id. */
  id: string
  /** The user's own name for the contact. */
  alias: string
  /** The name the contact chose (untrusted text). */
  displayName: string
  /** Their libp2p PeerId. */
  peerId: string
  /** `contact`, or `request` while a stranger's message waits. */
  status: Contact['status']
  /** 60 digits in groups of five. */
  safetyNumber: string
  /** The safety number was compared and marked verified. */
  verified: boolean
  /** Nothing is accepted from or sent to them. */
  blocked: boolean
  /** Their identity key changed and the change waits to be accepted. */
  identityChanged: boolean
  /** Disappearing-messages timer in seconds; 0 is off. */
  disappearingSeconds: number
  /** Unread incoming messages. */
  unread: number
  /** The newest message. */
  lastMessage?: MessageView
  /** How they are reachable now. */
  presence: Presence
  /** They were a guest the user invited to Sotto: that guest conversation (in Guests) holds the earlier messages. */
  fromGuest?: string
}

/** This messenger's own identity. */
export interface IdentityView {
  /** Sotto user id. */
  userId: string
  /** libp2p PeerId. */
  peerId: string
  /** Display name. */
  name: string
}

/**
 * A relay as shown in onboarding and settings. Operator, contact and jurisdiction are what the
 * relay publishes about itself (in onboarding, what Sotto's list says until it is asked).
 */
export interface RelayView {
  /** Multiaddr ending in /p2p/<peerId>. */
  address: string
  /** Who runs it, when known. */
  operator?: string
  /** How to reach the operator (a URI), when known. */
  contact?: string
  /** ISO 3166-1 alpha-2 code of where it runs, when known. */
  jurisdiction?: string
  /** Longest time it keeps a message, in seconds, when known. */
  retentionSeconds?: number
  /** `default`: from Sotto's list; `user`: added by the user. */
  source: 'default' | 'user'
  /** In use by this messenger. */
  enabled: boolean
  /** Connected to it now. */
  reachable: boolean
  /** Contacts can reach this messenger through it (a reservation is held). */
  reserved: boolean
  /** The mailbox there exists: contacts can leave messages while this messenger is offline. */
  mailboxReady: boolean
  /** New users need a join code from the operator (as the relay says, when it was asked). */
  inviteOnly?: boolean
  /** A join code that came with the relay's link or list entry. */
  joinCode?: string
}

/** An invite read before adding its owner: the question "Add Alice?" and the owner's relays. */
export interface InvitePreviewView {
  /** The owner's display name (untrusted text). */
  name: string
  /** The owner's relays that accept new users (answered relay-info and are not invite-only). */
  openRelays: RelayView[]
}

/** The own invite: the short link (with a home relay that stores it), the long one, and a QR text. */
export interface InviteView {
  /** The short link, `sotto://s/…`; absent without a ready home relay. */
  short?: string
  /** The long link: works without any relay (on a LAN). */
  link: string
  /** The text of the QR code: the short link when there is one, else the long link's QR form. */
  qr: string
}

/** Colour theme. */
export type Theme = 'system' | 'light' | 'dark'

/** What a notification may show: nothing, the sender's name, or name and text. */
export type NotificationPreview = 'none' | 'name' | 'name-and-text'

/** Settings: the messenger's own, plus the desktop app's preferences. */
export interface SettingsView {
  /** Discover peers on the local network (mDNS). */
  mdns: boolean
  /** Send read receipts and show others' (both sides must allow them). */
  readReceipts: boolean
  /** Hide the IP address from contacts and their relays (from the next start). */
  hideIp: boolean
  /** Send typing indicators and show others' (both sides must allow them). */
  typingIndicators: boolean
  /** ISO 3166-1 alpha-2 codes whose relays are refused. */
  excludedJurisdictions: string[]
  /** Files from contacts up to this many bytes download by themselves; larger ones wait for Download (0: every one waits). */
  autoDownloadBytes: number
  /** Colour theme. */
  theme: Theme
  /** Show notifications for new messages. */
  notifications: boolean
  /** What notifications show. */
  notificationPreview: NotificationPreview
  /** Closing the window keeps Sotto running in the tray; present where there is a tray (Electron). */
  closeToTray?: boolean
  /** Sotto starts when the user logs in; present where the OS offers it (Electron, macOS and Windows). */
  startAtLogin?: boolean
}

/** The largest backup file the app restores: 64 MiB. */
export const MAX_BACKUP_BYTES = 64 * 1024 * 1024

/** How the data directory is protected, for the settings' security section. */
export interface SecurityView {
  /** `keychain`: by a key in the OS keychain; `passphrase`: by a passphrase typed at start. */
  keyMode: 'keychain' | 'passphrase'
  /** The OS keychain can hold the key on this machine (so the user may switch to it). */
  keychainAvailable: boolean
  /** The passphrase comes from the environment (`SOTTO_PASSPHRASE`): the app cannot change it. */
  passphraseProvided: boolean
}

/**
 * The app's lifecycle. `setup`: no identity yet (onboarding). `locked`: waits for the passphrase.
 * `starting`: opening storage and network. `ready`: the messenger runs. `failed`: it could not
 * start (see `error`). `stopped`: shut down.
 */
export type Phase = 'setup' | 'locked' | 'starting' | 'ready' | 'failed' | 'stopped'

/** An error as it crosses a process boundary: a name to check and a message to show. Never a stack. */
export interface ErrorView {
  /** The error class name, e.g. `WrongPassphraseError`. */
  name: string
  /** A message fit for the user. */
  message: string
}

/**
 * A notification for an incoming message, as the user's preferences allow it: by default only
 * "New message", with neither the sender's name nor the text.
 */
export interface NotificationView {
  /** Title line. */
  title: string
  /** Body line. */
  body: string
  /** The conversation it is about (to open it on click). */
  contactId: string
}

/** The state of the app. */
export interface AppStatus {
  /** Lifecycle phase. */
  phase: Phase
  /** `keychain`: the storage key can live in the OS keychain; `passphrase`: only a passphrase can protect it. */
  keyStorage: 'keychain' | 'passphrase'
  /** The passphrase was supplied by the environment (`SOTTO_PASSPHRASE`); do not ask for one. */
  passphraseProvided: boolean
  /** The relays offered during onboarding. */
  defaultRelays: RelayView[]
  /** Own identity, once ready. */
  identity?: IdentityView
  /** Listening and, when relays are configured, a relay reservation is made. */
  online: boolean
  /** The last start or unlock error. */
  error?: ErrorView
  /** A restore from a backup on another computer replaced this installation: it sends nothing more. */
  replaced?: boolean
}

/** A reply across the boundary: a value, or an error. */
export type Result<T> = { ok: true, value: T } | { ok: false, error: ErrorView }

// ---------------------------------------------------------------------------------------------
// Request schemas.

/** Bidi control characters (embeddings, overrides, isolates, marks). */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

const contactId = z.string().min(1).max(128)
const messageId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a message id')
const name = z.string().trim().min(1).max(64)
  .refine(s => !/[\p{Cc}]/u.test(s), 'must not contain control characters')
const passphrase = z.string().min(8, 'must be at least 8 characters').max(1024)

/** A relay multiaddr: a network part followed by /p2p/<peerId>. */
export const relayAddressSchema = z.string().max(512)
  .regex(/^\/(ip4|ip6|dns|dns4|dns6)\/[^/\s]+\/(tcp|udp)\/\d{1,5}(\/[A-Za-z0-9._~-]+)*\/p2p\/[A-Za-z0-9]{32,128}$/,
    'must be a multiaddr ending in /p2p/<peer id>')

/** An https URL without credentials. Main checks it again with a URL parser before opening it. */
export const httpsUrlSchema = z.string().max(2048)
  .regex(/^https:\/\/[^\s/?#@\\]+(?:[/?#][^\s]*)?$/, 'must be an https URL')

/** An invite: the long link, the text of its QR code (base45, what a scanner reads), or a short link. */
export const inviteLinkSchema = z.string().max(32768)
  .regex(/^(sotto:\/\/invite\/[A-Za-z0-9_-]+|SOTTO:\/\/INVITE\/[0-9A-Z $%*+./:-]+|sotto:\/\/s\/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+)$/, 'must be a sotto://invite/ or sotto://s/ link')

/** A relay link, `sotto://relay/…` (main decodes it). */
export const relayLinkSchema = z.string().trim().max(2048)
  .regex(/^sotto:\/\/relay\/\S+$/, 'must be a sotto://relay/ link')

/** A relay's join code. */
const joinCodeSchema = z.string().trim().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'must be printable characters without spaces')

/** Disappearing timers offered, in seconds; 0 is off. */
export const DISAPPEARING_CHOICES = [0, 10, 30, 300, 3600, 28800, 86400, 604800, 2419200] as const

const empty = z.undefined()

/** Largest piece of a file sent in one `uploadChunk` call, in bytes (its base64 fits a headless frame). */
export const UPLOAD_CHUNK_BYTES = 96 * 1024

/** A file name from the user's system: no path, no control characters, not `.` or `..`. */
const fileName = z.string().min(1).max(255)
  .refine(s => !/[/\\\p{Cc}]/u.test(s) && s !== '.' && s !== '..', 'must be a file name without a path')
const uploadId = z.string().regex(/^[0-9a-f]{32}$/, 'must be an upload id')
const ref = z.strictObject({ contactId })

/** The schema of every request payload, by call name. */
export const requestSchemas = {
  status: empty,
  setup: z.strictObject({
    name,
    passphrase: passphrase.optional(),
    relays: z.array(relayAddressSchema).max(16),
    joinCodes: z.array(z.strictObject({ address: relayAddressSchema, code: joinCodeSchema })).max(16).optional()
  }),
  unlock: z.strictObject({ passphrase: z.string().min(1).max(1024) }),
  identity: empty,
  createInvite: empty,
  contacts: empty,
  contact: ref,
  addContact: z.strictObject({ invite: inviteLinkSchema, alias: name.optional() }),
  renameContact: z.strictObject({ contactId, alias: name }),
  block: ref,
  unblock: ref,
  deleteContact: ref,
  setVerified: z.strictObject({ contactId, verified: z.boolean() }),
  acceptKeyChange: ref,
  keepKey: ref,
  setDisappearing: z.strictObject({
    contactId,
    seconds: z.number().int().refine(n => (DISAPPEARING_CHOICES as readonly number[]).includes(n), 'is not an offered timer')
  }),
  requests: empty,
  droppedRequests: empty,
  accept: ref,
  history: z.strictObject({
    contactId,
    before: z.string().regex(/^[0-9a-f]{1,128}$/).optional(),
    limit: z.number().int().min(1).max(500).optional()
  }),
  send: z.strictObject({
    contactId,
    text: z.string().max(16000).refine(s => s.trim().length > 0, 'must not be empty')
  }),
  markRead: ref,
  reply: z.strictObject({
    contactId,
    replyTo: messageId,
    text: z.string().max(16000).refine(s => s.trim().length > 0, 'must not be empty')
  }),
  react: z.strictObject({ messageId, emoji: z.string().max(64).refine(s => !/\p{Cc}/u.test(s), 'must not contain control characters') }),
  editMessage: z.strictObject({ messageId, text: z.string().max(16000).refine(s => s.trim().length > 0, 'must not be empty') }),
  deleteMessage: z.strictObject({ messageId, everyone: z.boolean() }),
  search: z.strictObject({ query: z.string().max(256), contactId: contactId.optional() }),
  typing: z.strictObject({ contactId, started: z.boolean() }),
  settings: empty,
  updateSettings: z.strictObject({
    mdns: z.boolean().optional(),
    readReceipts: z.boolean().optional(),
    hideIp: z.boolean().optional(),
    typingIndicators: z.boolean().optional(),
    autoDownloadBytes: z.number().int().min(0).max(2 ** 40).optional(),
    excludedJurisdictions: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be ISO 3166-1 alpha-2 codes')).max(250).optional(),
    theme: z.enum(['system', 'light', 'dark']).optional(),
    notifications: z.boolean().optional(),
    notificationPreview: z.enum(['none', 'name', 'name-and-text']).optional(),
    closeToTray: z.boolean().optional(),
    startAtLogin: z.boolean().optional()
  }),
  relays: empty,
  addRelay: z.strictObject({ address: relayAddressSchema, joinCode: joinCodeSchema.optional() }),
  removeRelay: z.strictObject({ address: relayAddressSchema }),
  openLink: z.strictObject({ url: httpsUrlSchema }),
  pendingInvite: empty,
  pendingRelayLink: empty,
  renewInvite: empty,
  readRelayLink: z.strictObject({ link: relayLinkSchema }),
  previewInvite: z.strictObject({ invite: inviteLinkSchema }),
  requestCamera: empty,
  security: empty,
  changeKeySource: z.strictObject({
    /** The passphrase now; not asked for when the OS keychain holds the key. */
    current: z.string().min(1).max(1024).optional(),
    /** A new passphrase. */
    passphrase: passphrase.optional(),
    /** Keep the key in the OS keychain instead of behind a passphrase. */
    keychain: z.literal(true).optional()
  }).refine(r => (r.passphrase == null) !== (r.keychain == null), 'give either a new passphrase or keychain: true'),
  exportBackup: z.strictObject({
    /** The recovery passphrase, under the same rule as a data directory's. */
    passphrase,
    /** Include the messages. */
    history: z.boolean()
  }),
  restoreBackup: z.strictObject({
    /** The backup file, base64 (at most 64 MiB of file). */
    file: z.base64().max(Math.ceil(MAX_BACKUP_BYTES / 3) * 4),
    recoveryPassphrase: z.string().min(1).max(1024),
    /** The new data directory's passphrase; without one the OS keychain keeps the key. */
    passphrase: passphrase.optional()
  }),
  startUpload: z.strictObject({ name: fileName, size: z.number().int().min(1).max(2 ** 40) }),
  uploadChunk: z.strictObject({
    uploadId,
    offset: z.number().int().min(0).max(2 ** 40),
    data: z.string().min(4).max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
  }),
  sendUpload: z.strictObject({ uploadId, contactId }),
  cancelUpload: z.strictObject({ uploadId }),
  cancelFile: z.strictObject({ messageId }),
  downloadFile: z.strictObject({ messageId }),
  readFile: z.strictObject({ messageId, offset: z.number().int().min(0).max(2 ** 40) }),
  saveFile: z.strictObject({ messageId, name: fileName }),
  ...groupRequestSchemas(DISAPPEARING_CHOICES),
  ...guestRequestSchemas
} satisfies Record<Method, z.ZodType>

/** The request payload of each call. */
export type Requests = { [M in Method]: z.infer<typeof requestSchemas[M]> }

/** The reply value of each call. */
export interface Replies extends GroupReplies, GuestReplies {
  status: AppStatus
  setup: AppStatus
  unlock: AppStatus
  identity: IdentityView
  createInvite: InviteView
  contacts: ContactView[]
  contact: ContactView
  addContact: ContactView
  renameContact: ContactView
  block: ContactView
  unblock: ContactView
  deleteContact: null
  setVerified: ContactView
  acceptKeyChange: ContactView
  keepKey: ContactView
  setDisappearing: ContactView
  requests: ContactView[]
  /** How many older requests were dropped to keep the newest. */
  droppedRequests: { dropped: number }
  accept: ContactView
  history: MessageView[]
  send: MessageView
  markRead: null
  reply: MessageView
  react: MessageView
  editMessage: MessageView
  deleteMessage: null
  search: MessageView[]
  typing: null
  settings: SettingsView
  updateSettings: SettingsView
  relays: RelayView[]
  addRelay: RelayView[]
  removeRelay: RelayView[]
  openLink: { opened: boolean }
  pendingInvite: { invite: string | null }
  /** A relay link opened from outside the app, taken once. */
  pendingRelayLink: { link: string | null }
  renewInvite: InviteView
  readRelayLink: RelayView
  previewInvite: InvitePreviewView
  requestCamera: null
  security: SecurityView
  changeKeySource: SecurityView
  /** Where the backup was written (`file` empty when the user cancelled the file choice). */
  exportBackup: { file: string, bytes: number }
  restoreBackup: AppStatus
  startUpload: { uploadId: string }
  uploadChunk: { received: number }
  sendUpload: MessageView
  cancelUpload: null
  cancelFile: null
  downloadFile: null
  /** A piece of a file that is here, decrypted (base64), and whether it was the last. */
  readFile: { data: string, done: boolean }
  /** `saved`: where the user chose; `cancelled`: nowhere; `download`: the browser fetches `url` (headless: one-time). */
  saveFile: { outcome: 'saved' | 'cancelled' } | { outcome: 'download', url: string }
}

/** The payload of each pushed event. */
export interface Events extends GroupEvents {
  app: AppStatus
  message: MessageView
  status: { id: string, contactId: string, state: MessageState, failure?: FailureReason, deliveredCount?: number, recipientCount?: number }
  request: ContactView
  contact: ContactView
  connection: { contactId: string, presence: Presence }
  expired: { contactId: string, ids: string[] }
  unread: { total: number }
  relay: RelayView
  invite: { invite: string }
  /** A relay link was opened from outside the app (take it with `pendingRelayLink`). */
  relayLink: { link: string }
  notification: NotificationView
  reaction: { contactId: string, id: string, by: string, emoji: string }
  edit: MessageView
  delete: { contactId: string, id: string, everyone: boolean }
  typing: { contactId: string, started: boolean }
  file: FileProgressView
}

/** One pushed event. */
export type PushedEvent = { [E in EventName]: { name: E, payload: Events[E] } }[EventName]
