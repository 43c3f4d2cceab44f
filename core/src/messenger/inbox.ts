// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The inbox takes envelopes from any route (direct streams, relay mailboxes), opens them, and
 * stores what they carry in one atomic write with the session state they advanced. Only then is
 * the envelope acknowledged. Replays are recognised by envelope id. An envelope of a contact that
 * no longer decrypts (it waited at a relay while the session moved on) is answered with a resend
 * request, queued before the envelope is acknowledged; a resend request is answered by sealing
 * the messages named again, under their ids.
 */
import { randomBytes } from 'node:crypto'
import { SEALED_V2_RECEIVED, unseal } from '../crypto/index.js'
import { DecryptionError, DuplicateEnvelopeError, IdentityChangedError, InvalidInputError, UndecryptableMessageError } from '../errors.js'
import { decodeContent, decodeEnvelope, verifySignedInviteCard } from '../protocol/index.js'
import { toMessage } from './context.js'
import { hasGroupBody } from './group-inbox.js'
import { contactFromCard, keys, messageOrder, tombstone } from './records.js'
import { equalBytes, fromHex, toHex } from '../util/index.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { Logger } from '../logger.js'
import type { Repositories } from './state.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { Transaction } from '../storage/types.js'
import type { GroupInbox } from './group-inbox.js'
import type { Outbox } from './outbox.js'
import type { ContactRecord, MessageRecord, MessageRef, OutboxRecord } from './records.js'
import type { ChangeControl } from './state.js'
import type { Message } from './types.js'

/**
 * How an envelope arrived: `direct` on a `/sotto/message/1.0.0` stream (whose receipt tells the
 * sender), or from a relay mailbox (so a text's delivery receipt must go back end to end).
 */
export type Route = 'direct' | 'relay'

/** Options of the inbox. */
export interface InboxInit {
  /** Most times one message is sealed again at its recipient's request (default 5). */
  maxResends?: number
}

/** What the inbox uses. */
export interface InboxComponents {
  repos: Pick<Repositories, 'state' | 'contacts' | 'messages' | 'unread' | 'receipts' | 'refs' | 'controls' | 'message'>
  identity: LocalIdentity
  log: Logger
  /** Where answers (resend requests, messages sealed again) go. */
  outbox: Outbox
  /** Told what an accepted envelope changed, once it is durable. */
  onAccepted(accepted: AcceptedView): void
  /** What arrives for groups; without it, group messages and bodies are refused or ignored. */
  groups?: GroupInbox
}

/** What an accepted envelope changed, as announced: the message in its public view. */
export type AcceptedView = Omit<Accepted, 'message'> & { message?: Message }

/** Makes an inbox. */
export function createInbox (components: InboxComponents, init: InboxInit = {}): Inbox {
  return new Inbox(components, init)
}

/** What an accepted envelope changed, announced once it is durable. */
export interface Accepted {
  message?: MessageRecord
  request?: ContactRecord
  contact?: ContactRecord
  delivered: MessageRecord[]
  /** Our messages a direct refusal had marked failed, queued again at the contact's request. */
  requeued: MessageRecord[]
  /** The contact asked for a token list again: it gets the current one. */
  tokensAsked?: boolean
}

/** What opening an envelope came to: the answer, what changed, and whether to commit. */
export interface InboxOutcome {
  result: DeliveryResult
  accepted?: Accepted
  commit?: boolean
}

/** Receives envelopes. */
export class Inbox {
  private readonly maxResends: number
  private readonly outbox: Outbox

  constructor (private readonly components: InboxComponents, init: InboxInit = {}) {
    this.maxResends = init.maxResends ?? 5
    this.outbox = components.outbox
  }

  /**
   * Opens and stores one envelope. Resolves once the result is durable: `STORED` (new),
   * `DUPLICATE` (seen before) or `REJECTED` with a reason that reveals nothing of the content.
   */
  async receive (envelopeBytes: Uint8Array, route: Route = 'direct'): Promise<DeliveryResult> {
    let envelope
    try {
      envelope = decodeEnvelope(envelopeBytes)
    } catch (err) {
      this.components.log.warn('malformed envelope', { error: (err as Error).name })
      return { status: 'REJECTED', reason: 'malformed' }
    }
    const id = toHex(envelope.id)
    // One envelope at a time: the sender is only known after decryption, and two envelopes of
    // one sender must not race on its session.
    const { result: outcome, durable } = await this.components.repos.state.begin(async (tx, change) => {
      const outcome = await this.open(tx, change, id, envelope.id, envelope.sealed, route)
      // Whatever is refused leaves no trace.
      if (outcome.commit !== true) change.discard()
      return outcome
    })
    await durable
    if (outcome.accepted != null) {
      const { message, ...rest } = outcome.accepted
      this.components.onAccepted({ ...rest, ...(message != null ? { message: toMessage(message) } : {}) })
    }
    return outcome.result
  }

  private async open (tx: Transaction, change: ChangeControl, id: string, idBytes: Uint8Array, sealed: Uint8Array, route: Route): Promise<InboxOutcome> {
    if (await this.components.repos.state.store.get(keys.messageRef(id)) != null) return { result: { status: 'DUPLICATE' } }
    const { groups } = this.components
    if (groups != null && sealed[0] === SEALED_V2_RECEIVED) return groups.openMessage(tx, change, id, sealed, route)
    let opened
    try {
      opened = await unseal(tx, this.components.identity, sealed)
    } catch (err) {
      return await this.unsealFailed(err, change, idBytes)
    }
    let content
    try {
      content = decodeContent(opened.plaintext)
    } catch (err) {
      this.components.log.warn('envelope content malformed', { error: (err as Error).name })
      return { result: { status: 'REJECTED', reason: 'malformed' } }
    }
    if (toHex(content.id) !== id) {
      this.components.log.warn('envelope id does not match its content', {})
      return { result: { status: 'REJECTED', reason: 'tampered' } }
    }
    if (groups != null && hasGroupBody(content)) return groups.receive(tx, change, id, opened, content, route)

    const accepted: Accepted = { delivered: [], requeued: [] }
    const { contacts, messages, unread, receipts, refs } = this.components.repos
    let contact = await contacts.get(opened.senderUserId, tx)
    if (contact == null) {
      const request = this.requestFrom(opened.senderUserId, opened.senderIdentityKey, content.senderCard)
      if (request == null) {
        this.components.log.warn('envelope from an unknown sender without an introduction refused', {})
        return { result: { status: 'REJECTED', reason: 'unknown' } }
      }
      contact = request
      accepted.request = contact
    } else if (contact.blocked) {
      return { result: { status: 'REJECTED', reason: 'refused' } }
    } else if (contact.status === 'member' && this.requestFrom(opened.senderUserId, opened.senderIdentityKey, content.senderCard) != null) {
      // Someone known from a group introduces themselves: a request, as from anyone.
      contact.status = 'request'
      contact.viaGroup = true
      accepted.request = contact
    }
    contact.heardFrom = true
    contact.lastActivity = Date.now()

    let ref: MessageRef = tombstone(id, { contactId: contact.id, sentAt: content.sentAt, order: 0 }, Date.now())
    // A member reached only through a group writes in the group, not to the user alone.
    if (content.text != null && contact.status !== 'member') {
      const message: MessageRecord = {
        id,
        contactId: contact.id,
        direction: 'in',
        text: content.text.text,
        sentAt: content.sentAt,
        order: messageOrder(content.text.seq, 'in'),
        storedAt: Date.now(),
        state: 'delivered'
      }
      messages.put(tx, message)
      unread.put(tx, { contactId: contact.id, sentAt: message.sentAt, order: message.order })
      ref = { contactId: contact.id, sentAt: content.sentAt, order: message.order }
      contact.unread += 1
      contact.lastMessageId = id
      accepted.message = message
      if (route === 'relay') {
        // Stored with the message, so a crash cannot lose the receipt the sender waits for.
        receipts.put(tx, { contactId: contact.id, id })
      }
    } else if (content.disappearingTimer != null) {
      contact.disappearingSeconds = content.disappearingTimer.seconds
      accepted.contact = contact
    } else if (content.tokens != null) {
      // The complete list: it replaces what they gave us before.
      contact.tokens = content.tokens.relays
      if (accepted.request == null) accepted.contact = contact
    } else if (content.resendRequest != null) {
      for (const requested of content.resendRequest.ids) await this.resend(tx, change, contact, toHex(requested), accepted)
    } else if (content.deliveryReceipt != null) {
      for (const receiptId of content.deliveryReceipt.ids) {
        const delivered = await this.components.repos.message(toHex(receiptId), tx)
        if (delivered?.groupId != null) {
          if (groups?.delivered(delivered, contact.id) === true) {
            messages.put(tx, delivered)
            if (delivered.state === 'delivered') accepted.delivered.push(delivered)
          }
        } else if (delivered?.contactId === contact.id && delivered.direction === 'out' && delivered.state !== 'delivered') {
          delivered.state = 'delivered'
          messages.put(tx, delivered)
          accepted.delivered.push(delivered)
        }
      }
    }
    refs.put(tx, ref, id)
    contacts.put(tx, contact)
    return { result: { status: 'STORED' }, accepted, commit: true }
  }

  /** What an envelope that did not open comes to; throws what is no refusal. */
  private async unsealFailed (err: unknown, change: ChangeControl, idBytes: Uint8Array): Promise<InboxOutcome> {
    if (err instanceof DuplicateEnvelopeError) return { result: { status: 'DUPLICATE' } }
    if (err instanceof UndecryptableMessageError) return this.askResend(change, err.senderUserId, idBytes)
    if (err instanceof IdentityChangedError) {
      this.components.log.warn('envelope from a changed identity refused', {})
      return { result: { status: 'REJECTED', reason: 'identity' } }
    }
    if (err instanceof DecryptionError || err instanceof InvalidInputError) {
      this.components.log.warn('envelope does not decrypt', { error: err.name, reason: err.message })
      return { result: { status: 'REJECTED', reason: 'undecryptable' } }
    }
    throw err
  }

  /**
   * A contact's envelope does not decrypt: the session moved on past its keys while it waited.
   * Asks the sender to seal it again (the request is durable before the envelope is acknowledged);
   * the envelope itself is refused.
   */
  private async askResend (change: ChangeControl, senderUserId: string, envelopeId: Uint8Array): Promise<InboxOutcome> {
    const refused: DeliveryResult = { status: 'REJECTED', reason: 'undecryptable' }
    // A fresh transaction: the one the envelope failed in must not be committed.
    const tx = change.fresh()
    const contact = await this.components.repos.contacts.get(senderUserId, tx)
    if (contact == null || contact.status === 'request' || contact.blocked || contact.pendingIdentityKey != null) {
      this.components.log.warn('envelope does not decrypt', { error: 'UndecryptableMessageError' })
      return { result: refused }
    }
    await this.outbox.add(tx, change, contact, { id: randomBytes(16), sentAt: Date.now(), resendRequest: { ids: [envelopeId] } })
    this.components.repos.contacts.put(tx, contact)
    this.components.log.info('envelope does not decrypt; asked its sender to seal it again', {})
    return { result: refused, commit: true }
  }

  /**
   * Seals one of our messages to `contact` again, under its id, at the contact's request: unless it
   * is delivered already, gone, or was sealed again too often. Resolves with the new outbox entry.
   */
  private async resend (tx: Transaction, change: ChangeControl, contact: ContactRecord, messageId: string, accepted: Accepted): Promise<OutboxRecord | undefined> {
    const message = await this.components.repos.message(messageId, tx)
    if (message == null) return this.resendControl(tx, change, contact, messageId, accepted)
    if (message.groupId != null) {
      if ((message.resends ?? 0) >= this.maxResends) return undefined
      message.resends = (message.resends ?? 0) + 1
      this.components.repos.messages.put(tx, message)
      await this.components.groups?.resend(tx, change, contact, message)
      return undefined
    }
    if (message.contactId !== contact.id || message.direction !== 'out' || message.state === 'delivered') return undefined
    if ((message.resends ?? 0) >= this.maxResends) return undefined
    message.resends = (message.resends ?? 0) + 1
    // A direct refusal marked it failed; it is on its way again.
    if (message.state === 'failed') {
      message.state = 'queued'
      delete message.failure
      accepted.requeued.push(message)
    }
    this.components.repos.messages.put(tx, message)
    const seq = (message.order - messageOrder(0, 'out')) / 2
    return this.outbox.add(tx, change, contact, { id: fromHex(message.id), sentAt: message.sentAt, text: { text: message.text, seq } }, message.id)
  }

  /**
   * Seals one of our controls to `contact` again, under its id, at the contact's request (unless it
   * was sealed again too often, or is no longer kept): a delivery receipt or resend request as it
   * was, a disappearing-timer change with the timer as it is now. A token list is answered with the
   * current list, in a Tokens message of its own (see {@link Accepted.tokensAsked}).
   */
  private async resendControl (tx: Transaction, change: ChangeControl, contact: ContactRecord, id: string, accepted: Accepted): Promise<OutboxRecord | undefined> {
    const { controls } = this.components.repos
    const control = await controls.get(id, tx)
    if (control == null) return undefined
    if (control.contactId !== contact.id || (control.resends ?? 0) >= this.maxResends) return undefined
    if (control.tokens === true) {
      // A later list may have replaced it since: the contact gets the current one, afresh.
      contact.tokensDirty = true
      accepted.tokensAsked = true
      control.resends = (control.resends ?? 0) + 1
      controls.put(tx, control)
      return undefined
    }
    const content = control.deliveryReceipt != null
      ? { deliveryReceipt: { ids: control.deliveryReceipt } }
      : control.resendRequest != null
        ? { resendRequest: { ids: control.resendRequest } }
        // The timer as it is now: one changed again since must not be undone by the older change.
        : control.disappearingTimer === true ? { disappearingTimer: { seconds: contact.disappearingSeconds } } : undefined
    if (content == null) return undefined
    const entry = await this.outbox.add(tx, change, contact, { id: fromHex(id), sentAt: control.sentAt, ...content })
    // After the enqueue, which records the control afresh: the count of resends stays.
    control.resends = (control.resends ?? 0) + 1
    controls.put(tx, control)
    return entry
  }

  /** A contact request from a stranger's introduction card, or undefined when it does not hold. */
  private requestFrom (userId: string, identityKey: Uint8Array, senderCard: Uint8Array | undefined): ContactRecord | undefined {
    if (senderCard == null) return undefined
    let card
    try {
      card = verifySignedInviteCard(senderCard)
    } catch {
      return undefined
    }
    if (card.userId !== userId || !equalBytes(card.bundle.identityKey, identityKey)) return undefined
    return contactFromCard(card, identityKey, 'request', true, Date.now())
  }
}
