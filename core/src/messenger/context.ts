// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the parts of a messenger share: its store, identity, node, logger and event bus.
 */
import { publicFile } from './file-records.js'
import type { Mutex } from './lock.js'
import type { Repositories } from './state.js'
import type { RelayClients } from './relay-clients.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { Logger, LoggerFactory } from '../logger.js'
import type { MessengerNode } from '../net/node.js'
import type { Store } from '../storage/types.js'
import type { ContactRecord, MessageRecord, ProfileRecord } from './records.js'
import type { Contact, Message, MessengerEvents, MessengerListener, Presence } from './types.js'

/** A typed event bus. */
export class Events {
  private readonly listeners = new Map<keyof MessengerEvents, Set<(e: never) => void>>()

  on<K extends keyof MessengerEvents> (event: K, listener: MessengerListener<K>): void {
    let set = this.listeners.get(event)
    if (set == null) this.listeners.set(event, set = new Set())
    set.add(listener as (e: never) => void)
  }

  off<K extends keyof MessengerEvents> (event: K, listener: MessengerListener<K>): void {
    this.listeners.get(event)?.delete(listener as (e: never) => void)
  }

  emit<K extends keyof MessengerEvents> (event: K, detail: MessengerEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as MessengerListener<K>)(detail)
      } catch {
        // A listener's failure is the listener's; the messenger goes on.
      }
    }
  }
}

/**
 * The shared parts of one running messenger, as `createMessenger` opens them. No component takes it
 * whole: each names what it uses in its own components interface.
 */
export interface Context {
  store: Store
  identity: LocalIdentity
  profile: ProfileRecord
  node: MessengerNode
  events: Events
  loggers: LoggerFactory
  log: Logger
  /** Held by every read-modify-write of the messenger's state (see {@link Mutex}). */
  lock: Mutex
  /** The records, and the one way to change them. */
  repos: Repositories
  /** Mailbox clients of relays: our own and our contacts'. */
  clients: RelayClients
  /** The data directory (the store lives in its `db`, files in its `files`). */
  dataDir: string
  /** The user hides their IP address: the node has no WebRTC and reaches nobody directly. */
  hidden?: boolean
  /** The ICE servers WebRTC uses now: the user's own, then its home relays' STUN responders. */
  iceServers: () => Promise<string[]>
}

/** The public view of a message record. */
export function toMessage (record: MessageRecord): Message {
  const { order: _order, file, recipientIds, deliveredTo, refusedBy, ...message } = record
  const shown: Message = file != null ? { ...message, file: publicFile(file) } : message
  if (recipientIds == null) return shown
  return { ...shown, deliveredCount: deliveredTo?.length ?? 0, refusedCount: refusedBy?.length ?? 0, recipientCount: recipientIds.length }
}

/** The public view of a contact record. */
export function toContact (record: ContactRecord, safetyNumber: string, presence: Presence, lastMessage?: MessageRecord, held = 0): Contact {
  return {
    id: record.id,
    alias: record.alias,
    displayName: record.displayName,
    peerId: record.peerId,
    status: record.status,
    safetyNumber,
    verified: record.verified,
    blocked: record.blocked,
    identityChanged: record.pendingIdentityKey != null,
    held,
    disappearingSeconds: record.disappearingSeconds,
    unread: record.unread,
    ...(lastMessage != null ? { lastMessage: toMessage(lastMessage) } : {}),
    presence,
    mailboxes: record.tokens?.length ?? 0,
    ...(record.fromGuest != null ? { fromGuest: record.fromGuest } : {})
  }
}
