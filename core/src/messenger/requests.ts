// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Limits on contact requests: what strangers holding the user's invite can make the app keep. At
 * most {@link RequestsInit.maxRequests} requests wait for the user; a new one drops the oldest
 * (with its messages), and how many were dropped is counted durably for the user to see. A
 * request keeps at most {@link RequestsInit.maxRequestMessages} messages until it is accepted; more
 * are refused (and taken off the relay).
 *
 * Keys: `['requests-dropped']` → {@link DroppedRequests}.
 */
import { z } from 'zod'
import { keys, tombstone } from './records.js'
import { Singleton } from './state.js'
import type { Transaction, StoreReader } from '../storage/types.js'
import type { ContactRecord } from './records.js'
import type { Repositories } from './state.js'

/** How many requests were dropped to make room for newer ones, ever. */
interface DroppedRequests {
  count: number
}

const droppedSchema: z.ZodType<DroppedRequests> = z.looseObject({ count: z.number().int().nonnegative() })

/** Options of the request limits. */
export interface RequestsInit {
  /** Most requests waiting for the user; the oldest go first (default 200). */
  maxRequests?: number
  /** Most messages a request keeps until it is accepted (default 20). */
  maxRequestMessages?: number
}

/** What the request limits use. */
export interface RequestsComponents {
  repos: Pick<Repositories, 'state' | 'contacts' | 'messages' | 'unread' | 'outbox' | 'refs' | 'expiries'>
}

/**
 * Deletes, in `tx`, the conversation with `contactId`: its messages (leaving tombstones, so a
 * redelivery is not shown again), unread and expiry entries, and what waits in its outbox.
 */
export async function eraseConversation (repos: RequestsComponents['repos'], tx: Transaction, contactId: string): Promise<void> {
  for await (const m of repos.messages.values(keys.conversation(contactId), {}, tx)) {
    repos.messages.del(tx, m)
    repos.refs.put(tx, tombstone(m.id, m, Date.now()))
    if (m.expiresAt != null) repos.expiries.del(tx, { expiresAt: m.expiresAt, order: m.order })
  }
  for await (const r of repos.unread.values(keys.unreadOf(contactId), {}, tx)) repos.unread.del(tx, r)
  for await (const o of repos.outbox.values(keys.outboxOf(contactId), {}, tx)) repos.outbox.del(tx, o)
}

/** The limits on contact requests. */
export class RequestLimits {
  private readonly dropped: Singleton<DroppedRequests>
  private readonly maxRequests: number
  private readonly maxRequestMessages: number

  constructor (private readonly components: RequestsComponents, init: RequestsInit = {}) {
    this.dropped = new Singleton(components.repos.state, droppedSchema, ['requests-dropped'], 'dropped requests')
    this.maxRequests = init.maxRequests ?? 200
    this.maxRequestMessages = init.maxRequestMessages ?? 20
  }

  /**
   * Makes room, in `tx`, for `request`, a new request about to be stored: drops the oldest waiting
   * requests (not blocked ones, which are kept to refuse their senders) and their conversations
   * beyond {@link RequestsInit.maxRequests}, counting them. Resolves with the count of all dropped
   * so far when this dropped any.
   */
  async admit (tx: Transaction, request: ContactRecord): Promise<number | undefined> {
    const { repos } = this.components
    const waiting: ContactRecord[] = []
    for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
      if (c.status === 'request' && !c.blocked && c.id !== request.id) waiting.push(c)
    }
    const over = waiting.length + 1 - this.maxRequests
    if (over <= 0) return undefined
    waiting.sort((a, b) => a.addedAt - b.addedAt || a.lastActivity - b.lastActivity)
    for (const old of waiting.slice(0, over)) {
      await eraseConversation(repos, tx, old.id)
      repos.contacts.del(tx, old.id)
    }
    const count = await this.droppedCount(tx) + over
    this.dropped.put(tx, { count })
    return count
  }

  /** Whether `request` (a waiting request) has as many messages as it may keep. */
  async full (tx: Transaction, request: ContactRecord): Promise<boolean> {
    let n = 0
    for await (const _ of tx.values(keys.conversation(request.id), { limit: this.maxRequestMessages })) n++
    return n >= this.maxRequestMessages
  }

  /** How many requests were dropped to make room for newer ones. */
  async droppedCount (reader?: StoreReader): Promise<number> {
    return (await this.dropped.get(reader))?.count ?? 0
  }
}
