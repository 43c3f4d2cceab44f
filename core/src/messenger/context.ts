// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the parts of a messenger share: its store, identity, node, logger and event bus.
 */
import { NotFoundError } from '../errors.js'
import { decodeRecord, encodeRecord, keys } from './records.js'
import type { Mutex } from './lock.js'
import type { RelayClients } from './relay-clients.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { Logger, LoggerFactory } from '../logger.js'
import type { MessengerNode } from '../net/node.js'
import type { Store, StoreReader, Transaction } from '../storage/types.js'
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

/** The shared parts of one running messenger. */
export interface Context {
  store: Store
  identity: LocalIdentity
  profile: ProfileRecord
  node: MessengerNode
  events: Events
  loggers: LoggerFactory
  log: Logger
  /** Presence of contacts by contact id. */
  presence: Map<string, Presence>
  /** Held by every read-modify-write of the messenger's state (see {@link Mutex}). */
  lock: Mutex
  /** Mailbox clients of relays: our own and our contacts'. */
  clients: RelayClients
}

/** Reads a contact record, or undefined. */
export async function readContact (reader: StoreReader, id: string): Promise<ContactRecord | undefined> {
  const bytes = await reader.get(keys.contact(id))
  return bytes == null ? undefined : decodeRecord<ContactRecord>(bytes)
}

/** Reads a contact record that must exist. */
export async function requireContact (reader: StoreReader, id: string): Promise<ContactRecord> {
  const record = await readContact(reader, id)
  if (record == null) throw new NotFoundError(`no contact ${id}`)
  return record
}

/** Writes a contact record. */
export function putContact (tx: Transaction, record: ContactRecord): void {
  tx.put(keys.contact(record.id), encodeRecord(record))
}

/** Reads a message record by id, or undefined (also when it has disappeared). */
export async function readMessage (reader: StoreReader, id: string): Promise<MessageRecord | undefined> {
  const refBytes = await reader.get(keys.messageRef(id))
  if (refBytes == null) return undefined
  const ref = decodeRecord<{ contactId: string, sentAt: number, order: number, gone?: boolean }>(refBytes)
  if (ref.gone === true) return undefined
  const bytes = await reader.get(keys.message(ref))
  return bytes == null ? undefined : decodeRecord<MessageRecord>(bytes)
}

/** The public view of a message record. */
export function toMessage (record: MessageRecord): Message {
  const { order: _order, ...message } = record
  return message
}

/** The public view of a contact record. */
export function toContact (record: ContactRecord, safetyNumber: string, presence: Presence, lastMessage?: MessageRecord): Contact {
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
    disappearingSeconds: record.disappearingSeconds,
    unread: record.unread,
    ...(lastMessage != null ? { lastMessage: toMessage(lastMessage) } : {}),
    presence,
    mailboxes: record.tokens?.length ?? 0
  }
}
