// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What people do in a conversation besides writing: read receipts, reactions, edits and deletes.
 * Each is end-to-end encrypted content sealed into the outbox in the same write that changes the
 * message here, so it reaches an offline contact through relays like a text. A contact's arrive
 * through the inbox and are applied in the write that stores their envelope; an invalid one (an
 * unknown target, someone else's message, outside the window) is dropped with a debug line that
 * says nothing of the content.
 */
import { randomBytes } from 'node:crypto'
import { EditWindowClosedError, InvalidInputError, NotFoundError, NotYourMessageError } from '../errors.js'
import { MAX_EMOJI_LENGTH, MAX_RECEIPT_IDS, MAX_TEXT_LENGTH } from '../protocol/index.js'
import { fromHex, systemClock, toHex } from '../util/index.js'
import { toMessage } from './context.js'
import { tombstone } from './records.js'
import type { Logger } from '../logger.js'
import type { Content } from '../protocol/types.js'
import type { Transaction } from '../storage/types.js'
import type { Clock } from '../util/index.js'
import type { ContactBook } from './contacts.js'
import type { Events } from './context.js'
import type { Route } from './inbox.js'
import type { GroupActions } from './group-actions.js'
import type { Outbox } from './outbox.js'
import type { ContactRecord, MessageRecord, SentControl } from './records.js'
import type { ChangeControl, Repositories } from './state.js'
import type { Message, MessengerEvents } from './types.js'

/** How long after sending a message its author may edit it or delete it for everyone: 24 hours. */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000

/** One event to emit once the write that caused it is durable. */
export type ActionEvent = { [K in keyof MessengerEvents]: { event: K, detail: MessengerEvents[K] } }[keyof MessengerEvents]

/** The bodies this component sends and applies. */
export type ActionBody = Pick<Content, 'readReceipt' | 'typing' | 'reaction' | 'edit' | 'delete'>

/** What conversation actions use. */
export interface ConversationActionsComponents {
  repos: Pick<Repositories, 'state' | 'contacts' | 'messages' | 'refs' | 'unread' | 'message' | 'currentSettings'>
  events: Events
  outbox: Outbox
  contacts: Pick<ContactBook, 'assertSendable'>
  /** This messenger's own user id: the author of its reactions. */
  ownId: string
  /** Seals a reaction, edit or delete of a group message to the group's members (group-actions.ts). */
  groups?: Pick<GroupActions, 'send'>
  log: Logger
  /** Default: the system clock. */
  clock?: Clock
}

/** Whether `content` carries a body {@link ConversationActions.receive} applies. */
export function isConversationAction (content: Content): boolean {
  return (content.readReceipt ?? content.typing ?? content.reaction ?? content.edit ?? content.delete) != null
}

/** Reactions, edits, deletes and read receipts of a messenger. */
export class ConversationActions {
  private readonly clock: Clock

  constructor (private readonly components: ConversationActionsComponents) {
    this.clock = components.clock ?? systemClock
  }

  /** Sets this user's reaction to a message (an empty emoji removes it) and tells the contact. */
  async react (messageId: string, emoji: string): Promise<Message> {
    if (typeof emoji !== 'string' || [...emoji].length > MAX_EMOJI_LENGTH || /\p{Cc}/u.test(emoji)) {
      throw new InvalidInputError(`a reaction is one emoji of at most ${MAX_EMOJI_LENGTH} characters`)
    }
    const { ownId } = this.components
    return this.act(messageId, false, (m) => {
      setReaction(m, ownId, emoji)
      return {
        body: { reaction: { target: fromHex(m.id), emoji } },
        events: [{ event: 'reaction', detail: { contactId: m.contactId, id: m.id, by: ownId, emoji, ...inGroup(m) } }]
      }
    })
  }

  /** Replaces the text of one of this user's messages, within {@link EDIT_WINDOW_MS}, and tells the contact. */
  async edit (messageId: string, text: string): Promise<Message> {
    if (typeof text !== 'string' || text.length === 0) throw new InvalidInputError('an edit needs text')
    if ([...text].length > MAX_TEXT_LENGTH) throw new InvalidInputError(`a message has at most ${MAX_TEXT_LENGTH} characters`)
    return this.act(messageId, true, (m) => {
      m.text = text
      m.editedAt = this.clock.now()
      return { body: { edit: { target: fromHex(m.id), text } }, events: [{ event: 'edit', detail: toMessage(m) }] }
    })
  }

  /**
   * Deletes a message: here only (it is gone), or with `everyone` one of this user's messages,
   * within {@link EDIT_WINDOW_MS}, for the contact too (its text, quote and reactions are removed
   * from storage, and it shows as deleted).
   */
  async delete (messageId: string, everyone: boolean): Promise<void> {
    if (everyone) {
      await this.act(messageId, true, (m) => {
        wipe(m)
        return { body: { delete: { target: fromHex(m.id) } }, events: [{ event: 'delete', detail: { contactId: m.contactId, id: m.id, everyone: true, ...inGroup(m) } }] }
      })
      return
    }
    const { repos } = this.components
    const gone = await repos.state.change(async tx => {
      const m = await repos.message(messageId, tx)
      if (m == null) throw new NotFoundError(`no message ${messageId}`)
      const c = await repos.contacts.get(m.contactId, tx)
      if (await repos.unread.get(m, tx) != null) {
        repos.unread.del(tx, m)
        if (c != null) c.unread = Math.max(0, c.unread - 1)
      }
      repos.messages.del(tx, m)
      repos.refs.put(tx, tombstone(m.id, m, this.clock.now()))
      if (c != null) {
        if (c.lastMessageId === m.id) delete c.lastMessageId
        repos.contacts.put(tx, c)
      }
      return m
    })
    this.components.events.emit('delete', { contactId: gone.contactId, id: gone.id, everyone: false, ...inGroup(gone) })
  }

  /**
   * Seals read receipts of `ids` (messages of `contact` just read) in `tx`, when the settings allow
   * them and the contact may be written to. The caller writes `contact`.
   */
  async queueReadReceipts (tx: Transaction, change: ChangeControl, contact: ContactRecord, ids: string[]): Promise<void> {
    if (ids.length === 0 || contact.status !== 'contact' || contact.blocked || contact.pendingIdentityKey != null) return
    if (!(await this.components.repos.currentSettings()).readReceipts) return
    for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
      const chunk = ids.slice(i, i + MAX_RECEIPT_IDS).map(fromHex)
      await this.components.outbox.add(tx, change, contact, { id: randomBytes(16), sentAt: this.clock.now(), readReceipt: { ids: chunk } })
    }
  }

  /**
   * Applies a contact's read receipt, typing indicator, reaction, edit or delete in `tx` (the
   * inbox's write); resolves with the events to emit once it is durable. Invalid ones change nothing.
   */
  async receive (tx: Transaction, contact: ContactRecord, content: Content, route: Route): Promise<ActionEvent[]> {
    const settings = await this.components.repos.currentSettings()
    if (content.readReceipt != null) return settings.readReceipts ? this.applyRead(tx, contact, content.readReceipt.ids) : []
    if (content.typing != null) {
      // Live only: one that waited at a relay is stale.
      return route === 'direct' && settings.typingIndicators ? [{ event: 'typing', detail: { contactId: contact.id, started: content.typing.started } }] : []
    }
    if (content.reaction != null) {
      const { emoji } = content.reaction
      const m = await this.target(tx, contact, content.reaction.target, 'reaction')
      if (m == null) return []
      setReaction(m, contact.id, emoji)
      this.components.repos.messages.put(tx, m)
      return [{ event: 'reaction', detail: { contactId: contact.id, id: m.id, by: contact.id, emoji } }]
    }
    const change = content.edit ?? content.delete
    if (change == null) return []
    const m = await this.target(tx, contact, change.target, content.edit != null ? 'edit' : 'delete')
    if (m == null || !this.theirsInWindow(m, content.sentAt)) return []
    const events = applyEditOrDelete(m, content)
    if (events.length === 0) return this.ignored('edit', 'stale')
    this.components.repos.messages.put(tx, m)
    return events
  }

  /**
   * The body of a reaction, edit, delete or read receipt of ours, to seal again under its id at
   * the contact's request: as things are now (our current reaction, the current text), or
   * undefined when there is nothing left to send.
   */
  async resealed (tx: Transaction, control: SentControl): Promise<ActionBody | undefined> {
    return resealedAction(tx, this.components.repos, this.components.ownId, control)
  }

  /**
   * Under the lock: reads the message, checks it may be acted on (`own`: written here, within the
   * window), lets `fn` change it and name the body to send, seals that for the contact, writes
   * both, then emits the events once durable.
   */
  private async act (messageId: string, own: boolean, fn: (m: MessageRecord) => { body: ActionBody, events: ActionEvent[] }): Promise<Message> {
    const { repos, contacts, outbox, events } = this.components
    const { message, emitted } = await repos.state.change(async (tx, change) => {
      const m = typeof messageId === 'string' ? await repos.message(messageId, tx) : undefined
      if (m == null || m.deleted === true) throw new NotFoundError(`no message ${String(messageId)}`)
      if (own && m.direction !== 'out') throw new NotYourMessageError('only your own messages can be edited or deleted for everyone')
      if (own && this.clock.now() - m.sentAt > EDIT_WINDOW_MS) throw new EditWindowClosedError('messages can be edited or deleted for everyone for 24 hours')
      if (m.groupId != null) {
        const { body, events: emitted } = fn(m)
        await this.groupSend(tx, change, m, body)
        return { message: m, emitted }
      }
      const c = await repos.contacts.require(m.contactId, tx)
      contacts.assertSendable(c)
      if (c.status === 'request') throw new InvalidInputError('accept the request first')
      const { body, events: emitted } = fn(m)
      await outbox.add(tx, change, c, { id: randomBytes(16), sentAt: this.clock.now(), ...body })
      repos.messages.put(tx, m)
      repos.contacts.put(tx, c)
      return { message: m, emitted }
    })
    for (const e of emitted) events.emit(e.event, e.detail as never)
    return toMessage(message)
  }

  /** Seals `body`, acting on `m` of a group, to the group's members; writes `m`. */
  private async groupSend (tx: Transaction, change: ChangeControl, m: MessageRecord, body: ActionBody): Promise<void> {
    const groups = this.components.groups
    if (groups == null) throw new NotFoundError(`no message ${m.id}`)
    await groups.send(tx, change, m.groupId as string, body, this.clock.now())
    this.components.repos.messages.put(tx, m)
  }

  /** Our outgoing messages of `contact` among `ids` become `read`. */
  private async applyRead (tx: Transaction, contact: ContactRecord, ids: Uint8Array[]): Promise<ActionEvent[]> {
    const out: ActionEvent[] = []
    for (const id of ids) {
      const m = await this.components.repos.message(toHex(id), tx)
      if (m?.contactId !== contact.id || m.direction !== 'out' || m.state === 'read' || m.state === 'failed') continue
      m.state = 'read'
      this.components.repos.messages.put(tx, m)
      out.push({ event: 'status', detail: { id: m.id, contactId: m.contactId, state: 'read' } })
    }
    return out
  }

  /** The message of the conversation with `contact` that `id` names, unless unknown, gone or deleted. */
  private async target (tx: Transaction, contact: ContactRecord, id: Uint8Array, kind: string): Promise<MessageRecord | undefined> {
    const m = await this.components.repos.message(toHex(id), tx)
    if (m == null || m.contactId !== contact.id || m.deleted === true) {
      this.ignored(kind, 'unknown target')
      return undefined
    }
    return m
  }

  /** Whether a contact may edit or delete `m`: theirs, and `at` (their clock) within the window. */
  private theirsInWindow (m: MessageRecord, at: number): boolean {
    const reason = editRefusal(m, at)
    if (reason == null) return true
    this.ignored('edit or delete', reason)
    return false
  }

  /** Notes, without any content, that a contact's action was dropped; there is nothing to emit. */
  private ignored (kind: string, reason: string): ActionEvent[] {
    this.components.log.debug('conversation action ignored', { kind, reason })
    return []
  }
}

/**
 * The body of a reaction, edit, delete or read receipt of ours, to seal again under its id: as
 * things are now (our current reaction, the current text), or undefined when there is nothing left
 * to send (see {@link ConversationActions.resealed}).
 */
export async function resealedAction (tx: Transaction, repos: Pick<Repositories, 'message'>, ownId: string, control: SentControl): Promise<ActionBody | undefined> {
  if (control.readReceipt != null) return { readReceipt: { ids: control.readReceipt } }
  if (control.delete != null) return { delete: { target: fromHex(control.delete) } }
  const id = control.reaction ?? control.edit
  if (id == null) return undefined
  const m = await repos.message(id, tx)
  if (m == null || m.deleted === true) return undefined
  if (control.reaction != null) {
    const emoji = m.reactions?.find(r => r.by === ownId)?.emoji ?? ''
    return { reaction: { target: fromHex(id), emoji } }
  }
  return { edit: { target: fromHex(id), text: m.text } }
}

/**
 * Why its sender's edit or delete of `m` written at `at` (their clock) is refused: not a message
 * received from them, or outside the window; undefined when it is taken.
 */
export function editRefusal (m: MessageRecord, at: number): string | undefined {
  return m.direction !== 'in' ? 'not their message' : at - m.sentAt > EDIT_WINDOW_MS ? 'outside the window' : undefined
}

/**
 * Applies its sender's edit or delete in `content` to `m` (checked to be theirs, within the
 * window); resolves with the event to emit, or none for an edit older than the text shown (edits
 * may arrive out of order: the latest one wins). The caller writes `m`.
 */
export function applyEditOrDelete (m: MessageRecord, content: Pick<Content, 'edit' | 'sentAt'>): ActionEvent[] {
  if (content.edit != null) {
    if (m.editedAt != null && m.editedAt >= content.sentAt) return []
    m.text = content.edit.text
    m.editedAt = content.sentAt
    return [{ event: 'edit', detail: toMessage(m) }]
  }
  wipe(m)
  return [{ event: 'delete', detail: { contactId: m.contactId, id: m.id, everyone: true, ...inGroup(m) } }]
}

/** The `group` field of an event about `m`, when it is a group's. */
function inGroup (m: MessageRecord): { group?: string } {
  return m.groupId != null ? { group: m.groupId } : {}
}

/** Sets (or, with an empty emoji, removes) `by`'s reaction to `m`: one per person. */
export function setReaction (m: MessageRecord, by: string, emoji: string): void {
  const reactions = (m.reactions ?? []).filter(r => r.by !== by)
  if (emoji !== '') reactions.push({ by, emoji })
  if (reactions.length > 0) m.reactions = reactions
  else delete m.reactions
}

/** Deleted for everyone: text, quote, reactions and edit time are removed. */
function wipe (m: MessageRecord): void {
  m.text = ''
  m.deleted = true
  delete m.reactions
  delete m.replyTo
  delete m.editedAt
}
