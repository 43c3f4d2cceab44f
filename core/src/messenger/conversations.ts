// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Conversations: sending a text, waiting for its state, reading history, marking read.
 */
import { randomBytes } from 'node:crypto'
import { InvalidInputError, NotFoundError, TimeoutError } from '../errors.js'
import { fromHex, systemClock, toHex } from '../util/index.js'
import { toMessage } from './context.js'
import { keys, messageOrder } from './records.js'
import type { Clock } from '../util/index.js'
import type { ContactBook } from './contacts.js'
import type { Events } from './context.js'
import type { Disappearing } from './disappearing.js'
import type { Outbox } from './outbox.js'
import type { ChangeControl, Repositories } from './state.js'
import type { Transaction } from '../storage/types.js'
import type { ContactRecord, MessageRecord } from './records.js'
import type { Content } from '../protocol/types.js'
import type { HistoryOptions, Message, MessageState, MessengerEvents } from './types.js'

/** The body of a Content, without what every Content has. */
export type ContentBody = Omit<Content, 'id' | 'sentAt' | 'senderCard'>

/** Longest text a message may carry, in characters. */
export const MAX_TEXT_LENGTH = 8000

/** What conversations use. */
export interface ConversationsComponents {
  repos: Repositories
  events: Events
  outbox: Outbox
  contacts: Pick<ContactBook, 'resolve' | 'assertSendable'>
  disappearing: Pick<Disappearing, 'schedule' | 'rearm'>
  clock?: Clock
  /** Told, in the write that marks them read, which messages of `contact` were just read (read receipts). */
  onRead?(tx: Transaction, change: ChangeControl, contact: ContactRecord, ids: string[]): Promise<void>
}

/** Options of {@link Conversations.send}. */
export interface SendOptions {
  /** A reply: the id of the quoted message, in the same conversation. */
  replyTo?: string
}

/** The conversations of a messenger. */
export class Conversations {
  private readonly clock: Clock

  constructor (private readonly components: ConversationsComponents) {
    this.clock = components.clock ?? systemClock
  }

  /**
   * Stores a text (state `queued`) and starts delivering it; resolves once it is durable. A reply
   * to a message the conversation does not have (or no longer shows) is a `NotFoundError`.
   */
  async send (ref: string, text: string, options: SendOptions = {}): Promise<Message> {
    const { replyTo } = options
    if (typeof text !== 'string' || text.length === 0) throw new InvalidInputError('a message needs text')
    if (text.length > MAX_TEXT_LENGTH) throw new InvalidInputError(`a message has at most ${MAX_TEXT_LENGTH} characters`)
    const quote = replyTo != null ? { replyTo: fromHex(replyTo) } : {}
    return toMessage(await this.post(ref, seq => ({ text: { text, seq, ...quote } }), { text, ...(replyTo != null ? { replyTo } : {}) }))
  }

  /**
   * Stores an outgoing message (state `queued`) whose body `bodyOf` makes from its sequence number,
   * with the record's `fields`, and starts delivering it; `also` writes what goes with it in the
   * same change. Resolves with the record once it is durable. A reply (`fields.replyTo`) to a
   * message the conversation does not have (or no longer shows) is a `NotFoundError`.
   */
  async post (ref: string, bodyOf: (seq: number) => ContentBody, fields: Pick<MessageRecord, 'text' | 'file' | 'replyTo'>, also?: (tx: Transaction, message: MessageRecord) => void): Promise<MessageRecord> {
    const { repos, contacts, outbox, disappearing } = this.components
    // The contact is resolved under the lock, taken at once: the outbox keeps the order of the calls.
    return repos.state.change(async (tx, change) => {
      // Read under the lock, the record is current: no second read through the transaction.
      const c = await contacts.resolve(ref)
      contacts.assertSendable(c)
      const { replyTo } = fields
      if (replyTo != null) {
        const quoted = /^[0-9a-f]{32}$/.test(replyTo) ? await repos.message(replyTo, tx) : undefined
        if (quoted?.contactId !== c.id || quoted.deleted === true) throw new NotFoundError(`no message ${replyTo} in this conversation`)
      }
      const id = randomBytes(16)
      const sentAt = Date.now()
      const seq = c.nextSeq++
      const message: MessageRecord = {
        id: toHex(id),
        contactId: c.id,
        direction: 'out',
        ...fields,
        sentAt,
        order: messageOrder(seq, 'out'),
        storedAt: sentAt,
        state: 'queued',
        ...(c.disappearingSeconds > 0 ? { expiresAt: sentAt + c.disappearingSeconds * 1000 } : {})
      }
      await outbox.add(tx, change, c, { id, sentAt, ...bodyOf(seq) }, message.id)
      repos.messages.put(tx, message)
      repos.refs.put(tx, { contactId: c.id, sentAt, order: message.order }, message.id)
      if (message.expiresAt != null) disappearing.schedule(tx, message)
      also?.(tx, message)
      c.lastMessageId = message.id
      c.lastActivity = sentAt
      repos.contacts.put(tx, c)
      return message
    })
  }

  /**
   * Resolves when the message reaches one of `states` (`read` counts as `delivered`) or `failed`;
   * rejects with TimeoutError.
   */
  async waitForState (id: string, states: MessageState[], timeoutMs: number): Promise<Message> {
    const { repos, events } = this.components
    // A read message was delivered first: waiting for `delivered` is over at `read` too.
    const wanted = new Set<MessageState>([...states, ...(states.includes('delivered') ? ['read' as const] : []), 'failed'])
    return new Promise<Message>((resolve, reject) => {
      let settled = false
      const finish = (err?: Error, message?: Message): void => {
        if (settled) return
        settled = true
        this.clock.clearTimeout(timer)
        events.off('status', onStatus)
        if (err != null) reject(err)
        else resolve(message as Message)
      }
      const check = async (): Promise<void> => {
        const record = await repos.message(id)
        if (record == null) finish(new NotFoundError(`no message ${id}`))
        else if (wanted.has(record.state)) finish(undefined, toMessage(record))
      }
      const onStatus = (e: MessengerEvents['status']): void => {
        if (e.id === id && wanted.has(e.state)) void check().catch(err => { finish(err as Error) })
      }
      const timer = this.clock.setTimeout(() => {
        void repos.message(id).then(record => {
          finish(new TimeoutError(`message ${id} is still ${record?.state ?? 'unknown'} after ${timeoutMs} ms`))
        }, err => { finish(err as Error) })
      }, timeoutMs)
      events.on('status', onStatus)
      void check().catch(err => { finish(err as Error) })
    })
  }

  /** A conversation's messages, oldest first. */
  async history (ref: string, options: HistoryOptions = {}): Promise<Message[]> {
    const contact = await this.components.contacts.resolve(ref)
    return this.historyOf(contact.id, options)
  }

  /** The messages of the conversation with id `conversationId` (a contact's, or a group's), oldest first. */
  async historyOf (conversationId: string, options: HistoryOptions = {}): Promise<Message[]> {
    const { repos } = this.components
    let lt: number | undefined
    let beforeOrder: number | undefined
    if (options.before != null) {
      const before = await repos.message(options.before)
      if (before == null) throw new NotFoundError(`no message ${options.before}`)
      lt = before.sentAt + 1
      beforeOrder = before.order
    }
    const newestFirst: Message[] = []
    for await (const m of repos.messages.values(keys.conversation(conversationId), { reverse: true, ...(lt != null ? { lt } : {}) })) {
      if (beforeOrder != null && lt != null && m.sentAt === lt - 1 && m.order >= beforeOrder) continue
      newestFirst.push(toMessage(m))
      if (options.limit != null && newestFirst.length >= options.limit) break
    }
    return newestFirst.reverse()
  }

  /** Marks every incoming message of a conversation read, starting disappearing timers. */
  async markRead (ref: string): Promise<void> {
    const { repos, contacts, disappearing } = this.components
    const contact = await contacts.resolve(ref)
    await repos.state.change(async (tx, change) => {
      const c = await repos.contacts.require(contact.id, tx)
      const now = Date.now()
      let changed = false
      const read: string[] = []
      for await (const r of repos.unread.values(keys.unreadOf(c.id), {}, tx)) {
        repos.unread.del(tx, r)
        changed = true
        const m = await repos.messages.get(r, tx)
        if (m == null) continue
        read.push(m.id)
        m.readAt = now
        if (c.disappearingSeconds > 0) {
          m.expiresAt = now + c.disappearingSeconds * 1000
          disappearing.schedule(tx, m)
        }
        repos.messages.put(tx, m)
      }
      if (!changed && c.unread === 0) {
        change.discard()
        return
      }
      await this.components.onRead?.(tx, change, c, read)
      c.unread = 0
      repos.contacts.put(tx, c)
    })
    disappearing.rearm()
  }
}
