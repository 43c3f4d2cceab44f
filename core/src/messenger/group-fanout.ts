// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reaching a group's members: the record each is reached through (their contact record, or one of
 * status `member` made from their card), membership changes sent to them, the group's deposit
 * token registered at our relays, and the group as shown.
 */
import { randomBytes } from 'node:crypto'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { MAX_GROUP_UPDATE_CHANGES } from '../protocol/limits.js'
import { fromHex } from '../util/index.js'
import { memberRoute } from './group-records.js'
import { keys } from './records.js'
import type { MailboxClient } from '../mailbox/index.js'
import type { GroupState } from '../groups/index.js'
import type { Transaction } from '../storage/types.js'
import type { GroupInfo } from './group-records.js'
import type { Outbox } from './outbox.js'
import type { ContactRecord, RelayRecord } from './records.js'
import type { ChangeControl, Repositories, Repository } from './state.js'
import type { Group } from './types.js'

/** Bytes of changes one GroupUpdate carries at most: a Content is at most 48 KiB. */
const UPDATE_BYTES = 36 * 1024

/**
 * The records members are reached through, within one transaction: each read once, changed in
 * place (the outbox advances their counters), and written back by {@link flush}.
 */
export class Routes {
  private readonly cache = new Map<string, ContactRecord | undefined>()

  constructor (private readonly tx: Transaction, private readonly contacts: Repository<ContactRecord, string>, private readonly state: GroupState) {}

  /** The record `userId` is reached through; a `member` record is made from their card when there is none. */
  async get (userId: string): Promise<ContactRecord | undefined> {
    if (this.cache.has(userId)) return this.cache.get(userId)
    const existing = await this.contacts.get(userId, this.tx)
    const member = this.state.members.get(userId)
    const made = member != null ? memberRoute(existing, member, Date.now()) : undefined
    const record = made ?? existing
    this.cache.set(userId, record)
    return record
  }

  /**
   * Reaches `record`'s member through `record` itself: the copy the caller changes and writes too
   * (the inbox's record of a contact whose request it answers), so that the outbox's counter it
   * advances is not written back older by the other copy.
   */
  adopt (record: ContactRecord): void {
    this.cache.set(record.id, record)
  }

  /** Reads (and makes) the record of every member but `selfId`, so that each can be reached. */
  async ensureAll (selfId: string): Promise<void> {
    for (const userId of this.state.members.keys()) {
      if (userId !== selfId) await this.get(userId)
    }
  }

  /** Writes every record read back. */
  flush (): void {
    for (const record of this.cache.values()) {
      if (record != null) this.contacts.put(this.tx, record)
    }
  }
}

/** What sending changes uses. */
export interface ChangeSender {
  outbox: Outbox
  routes: Routes
}

/**
 * Seals `changes` (parents first) to each of `to`, one to one, in as many GroupUpdates as they
 * take. Members that cannot be reached (no record, blocked) are skipped.
 */
export async function sendChanges (tx: Transaction, change: ChangeControl, sender: ChangeSender, groupId: string, to: readonly string[], changes: readonly Uint8Array[]): Promise<void> {
  const batches: Uint8Array[][] = []
  let size = 0
  for (const c of changes) {
    const last = batches.at(-1)
    if (last == null || last.length >= MAX_GROUP_UPDATE_CHANGES || size + c.byteLength > UPDATE_BYTES) {
      batches.push([c])
      size = c.byteLength
    } else {
      last.push(c)
      size += c.byteLength
    }
  }
  for (const userId of to) {
    const route = await sender.routes.get(userId)
    if (route == null || route.blocked) continue
    for (const batch of batches) {
      await sender.outbox.add(tx, change, route, { id: randomBytes(16), sentAt: Date.now(), groupUpdate: { groupId: fromHex(groupId), changes: batch } })
    }
  }
}

/**
 * Registers `token` as a contact deposit token at each of our ready home relays; resolves with the
 * relays that took it (the others are tried again at the next start).
 */
export async function registerAtRelays (relays: Repository<RelayRecord, string>, clients: { get(addr: string, preferred: boolean): MailboxClient }, token: Uint8Array, skip: readonly string[] = []): Promise<string[]> {
  const done: string[] = []
  for await (const r of relays.values(keys.relays())) {
    if (!r.ready || r.leaving === true || skip.includes(r.addr)) continue
    try {
      await clients.get(r.addr, true).registerToken(privateKeyFromProtobuf(r.mailboxKey), token, 'contact', { signal: AbortSignal.timeout(10_000) })
      done.push(r.addr)
    } catch {
      // Unreachable now: tried again at the next start.
    }
  }
  return done
}

/** The group as shown: members named by their contact alias, else by their card. */
export async function groupView (repos: Pick<Repositories, 'contacts'>, selfId: string, state: GroupState, info: GroupInfo): Promise<Group> {
  const members = []
  for (const m of state.members.values()) {
    const contact = m.userId === selfId ? undefined : await repos.contacts.get(m.userId)
    members.push({
      id: m.userId,
      name: contact != null && contact.status !== 'member' ? contact.alias : m.card.name,
      admin: m.admin,
      contact: contact?.status === 'contact'
    })
  }
  const self = state.members.get(selfId)
  return {
    id: state.groupId,
    name: state.name,
    members,
    invited: info.invited,
    member: self != null,
    admin: self?.admin === true,
    maxMembers: state.maxMembers,
    disappearingSeconds: info.disappearingSeconds,
    unread: info.unread,
    lastActivity: info.lastActivity
  }
}
