// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The inbox takes envelopes from any route (direct streams, relay mailboxes), opens them, and
 * stores what they carry in one atomic write with the session state they advanced. Only then is
 * the envelope acknowledged. Replays are recognised by envelope id. An envelope of a contact that
 * no longer decrypts (it waited at a relay while the session moved on) is answered with a resend
 * request, queued before the envelope is acknowledged; a resend request is answered by sealing
 * the messages named again, under their ids.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { SEALED_V2_RECEIVED, unseal } from '../crypto/index.js'
import { DecryptionError, DuplicateEnvelopeError, IdentityChangedError, IdentityKeyChangedError, InvalidInputError, ReplacedInstallationError, UndecryptableMessageError } from '../errors.js'
import { decodeContent, decodeEnvelope, verifySignedInviteCard } from '../protocol/index.js'
import { toMessage } from './context.js'
import { isConversationAction } from './conversation-actions.js'
import { hasGroupBody } from './group-inbox.js'
import { contentFileOf, fileIdTaken, fileRecordOf, fileRefOf } from './file-records.js'
import { applyFileNotice } from './file-notices.js'
import { deliveredBy } from './delivery-receipts.js'
import { contactFromCard, keys, messageOrder, tombstone } from './records.js'
import { takeMoved, takeReplaced } from './relocation.js'
import { equalBytes, fromHex, toHex } from '../util/index.js'
import type { AdmitSender, LocalIdentity } from '../crypto/index.js'
import type { Logger } from '../logger.js'
import type { GuestInvitations } from './guest-invites.js'
import type { Repositories } from './state.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { Transaction } from '../storage/types.js'
import type { GroupInbox } from './group-inbox.js'
import type { Outbox } from './outbox.js'
import type { Quarantine } from './quarantine.js'
import type { RequestLimits } from './requests.js'
import type { ContactRecord, MessageRecord, MessageRef, OutboxRecord } from './records.js'
import type { InstallationRecord } from './relocation.js'
import type { Content } from '../protocol/types.js'
import type { ChangeControl } from './state.js'
import type { Message } from './types.js'
import type { ActionEvent, ConversationActions } from './conversation-actions.js'
import type { FileNoticed } from './file-notices.js'

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
  repos: Pick<Repositories, 'state' | 'contacts' | 'messages' | 'unread' | 'receipts' | 'refs' | 'controls' | 'message' | 'files'>
  identity: LocalIdentity
  log: Logger
  /** Where answers (resend requests, messages sealed again) go. */
  outbox: Outbox
  /** Where envelopes from a relay under a contact's changed identity key wait for the user. */
  quarantine: Pick<Quarantine, 'hold'>
  /** Room for a new request, and what a waiting request may keep. */
  requests: Pick<RequestLimits, 'admit' | 'full'>
  /** Told what an accepted envelope changed, once it is durable. */
  onAccepted(accepted: AcceptedView): void
  /** Applies reactions, edits, deletes, read receipts and typing; seals ours again when asked. */
  actions?: Pick<ConversationActions, 'receive' | 'resealed'>
  /** What arrives for groups; without it, group messages and bodies are refused or ignored. */
  groups?: GroupInbox
  /** Guests' invitations to Sotto: a request carrying an open one's tag is the invited guest. */
  invitations?: GuestInvitations
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
  /** What a reaction, edit, delete, read receipt or typing indicator changed, to announce. */
  events?: ActionEvent[]
  /** A file notice changed one of the conversation's files (file-notices.ts). */
  fileNotice?: FileNoticed
  /** Older requests were dropped to make room for this one: how many ever were. */
  droppedRequests?: number
  /** The contact's identity moved to a newer installation (see relocation.ts), from the PeerId `from`. */
  moved?: { contact: ContactRecord, from: string }
  /** This installation was replaced by a newer one of its identity. */
  replaced?: InstallationRecord
  /** The request is a guest the user invited to Sotto: accept it at once. */
  invited?: boolean
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
  /** This run of the messenger: what it stored directly is marked with it (see {@link duplicate}). */
  private readonly run = randomUUID()

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
      const outcome = await this.open(tx, change, id, envelope.id, envelope.sealed, route, envelopeBytes)
      // Whatever is refused leaves no trace.
      if (outcome.commit !== true) change.discard()
      const stored = outcome.accepted?.message
      if (route === 'direct' && outcome.result.status === 'STORED' && stored != null) {
        stored.storedDirectly = this.run
        this.components.repos.messages.put(tx, stored)
      }
      return outcome
    })
    await durable
    if (outcome.accepted != null) {
      const { message, ...rest } = outcome.accepted
      this.components.onAccepted({ ...rest, ...(message != null ? { message: toMessage(message) } : {}) })
    }
    return outcome.result
  }

  private async open (tx: Transaction, change: ChangeControl, id: string, idBytes: Uint8Array, sealed: Uint8Array, route: Route, envelopeBytes: Uint8Array): Promise<InboxOutcome> {
    if (await this.components.repos.state.store.get(keys.messageRef(id)) != null) return this.duplicate(tx, id, route)
    const { groups } = this.components
    if (groups != null && sealed[0] === SEALED_V2_RECEIVED) return groups.openMessage(tx, change, id, sealed, route)
    const unsealed = await this.unsealContent(tx, change, id, idBytes, sealed, route, envelopeBytes)
    if ('result' in unsealed) return unsealed
    const { opened, content } = unsealed
    if (opened.sessionless) return await this.statement(tx, change, opened.senderUserId, content, id)
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
      const guest = content.inviteTag != null ? await this.components.invitations?.claim(tx, content.inviteTag, request.id, Date.now()) : undefined
      if (guest != null) {
        // A guest the user invited: accepted once this is durable (see wiring.ts).
        contact.fromGuest = guest
        accepted.invited = true
      }
      const dropped = await this.components.requests.admit(tx, request)
      if (dropped != null) accepted.droppedRequests = dropped
    } else if (contact.blocked) {
      return { result: { status: 'REJECTED', reason: 'refused' } }
    } else if (contact.status === 'request' && content.text != null && await this.components.requests.full(tx, contact)) {
      this.components.log.info('a waiting request holds as many messages as it may; refused another', {})
      return { result: { status: 'REJECTED', reason: 'refused' } }
    } else if (contact.status === 'member' && this.requestFrom(opened.senderUserId, opened.senderIdentityKey, content.senderCard) != null) {
      // Someone known from a group introduces themselves: a request, as from anyone.
      contact.status = 'request'
      contact.viaGroup = true
      accepted.request = contact
    }
    contact.heardFrom = true
    delete contact.inviteTag
    contact.lastActivity = Date.now()
    if (contact.relocation != null) this.relocated(contact, accepted)

    if (content.file != null && await fileIdTaken(tx, this.components.repos.files, content.file.id)) {
      this.components.log.warn('a file pointer names a file here already', {})
      return { result: { status: 'REJECTED', reason: 'tampered' } }
    }
    let ref: MessageRef = tombstone(id, { contactId: contact.id, sentAt: content.sentAt, order: 0 }, Date.now())
    const shown = content.text ?? content.file
    // A member reached only through a group writes in the group, not to the user alone.
    if (shown != null && contact.status !== 'member') {
      const message: MessageRecord = {
        id,
        contactId: contact.id,
        direction: 'in',
        text: content.text?.text ?? '',
        sentAt: content.sentAt,
        order: messageOrder(shown.seq, 'in'),
        storedAt: Date.now(),
        state: 'delivered',
        ...(content.text?.replyTo != null ? { replyTo: toHex(content.text.replyTo) } : {}),
        ...(content.file != null ? { file: fileRecordOf(content.file) } : {})
      }
      messages.put(tx, message)
      if (message.file != null) this.components.repos.files.put(tx, fileRefOf({ ...message, file: message.file }))
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
      accepted.delivered.push(...await deliveredBy(tx, this.components.repos, groups, contact.id, content.deliveryReceipt.ids))
    } else if (content.fileNotice != null) {
      const noticed = await applyFileNotice(tx, this.components.repos, contact, content.fileNotice)
      if (noticed != null) accepted.fileNotice = noticed
    } else if (this.components.actions != null && isConversationAction(content)) {
      accepted.events = await this.components.actions.receive(tx, contact, content, route)
    }
    refs.put(tx, ref, id)
    contacts.put(tx, contact)
    return { result: { status: 'STORED' }, accepted, commit: true }
  }

  /** What an envelope that did not open comes to; throws what is no refusal. */

  /**
   * The sender's certificate names another identity key than the one recorded for its user id: a
   * contact who reinstalled, or an impostor. Refused either way, and decided at once, so that a relay
   * may delete it: a blocked contact's is dropped (block counts before the key); otherwise the
   * contact shows the change, and an envelope from a relay is held in the quarantine until the user
   * accepts the change (then it is opened) or blocks (then it is dropped).
   */
  private async identityChanged (change: ChangeControl, err: IdentityChangedError, id: string, envelopeBytes: Uint8Array, route: Route): Promise<InboxOutcome> {
    const refused: DeliveryResult = { status: 'REJECTED', reason: 'identity' }
    // A fresh transaction: the one the envelope failed in must not be committed.
    const tx = change.fresh()
    const contact = err instanceof IdentityKeyChangedError ? await this.components.repos.contacts.get(err.userId, tx) : undefined
    if (contact == null || !(err instanceof IdentityKeyChangedError)) {
      this.components.log.warn('envelope from a changed identity of no contact refused', {})
      return { result: refused }
    }
    if (contact.blocked) return { result: { status: 'REJECTED', reason: 'refused' } }
    const accepted: Accepted = { delivered: [], requeued: [] }
    if (contact.pendingIdentityKey == null || !equalBytes(contact.pendingIdentityKey, err.identityKey)) {
      contact.pendingIdentityKey = err.identityKey
      this.components.repos.contacts.put(tx, contact)
      accepted.contact = contact
    }
    if (route === 'relay') {
      const held = await this.components.quarantine.hold(tx, { contactId: contact.id, envelopeId: id, envelope: envelopeBytes, identityKey: err.identityKey })
      // The contact's view counts what is held.
      if (held.held) accepted.contact = contact
      this.components.log.warn('envelope from a changed identity held until the user decides', { dropped: held.dropped })
    } else {
      this.components.log.warn('envelope from a changed identity refused', {})
    }
    return { result: refused, accepted, commit: true }
  }

  /** Opens and decodes a one-to-one envelope, or says how it is refused. */
  private async unsealContent (tx: Transaction, change: ChangeControl, id: string, idBytes: Uint8Array, sealed: Uint8Array, route: Route, envelopeBytes: Uint8Array): Promise<{ opened: Awaited<ReturnType<typeof unseal>>, content: Content } | InboxOutcome> {
    let opened
    try {
      opened = await unseal(tx, this.components.identity, sealed, this.admit(tx))
    } catch (err) {
      if (err instanceof DuplicateEnvelopeError) return { result: { status: 'DUPLICATE' } }
      if (err instanceof ReplacedInstallationError) return { result: { status: 'REJECTED', reason: 'replaced' } }
      if (err instanceof UndecryptableMessageError) return this.askResend(change, err.senderUserId, idBytes)
      if (err instanceof IdentityChangedError) return this.identityChanged(change, err, id, envelopeBytes, route)
      if (err instanceof DecryptionError || err instanceof InvalidInputError) {
        this.components.log.warn('envelope does not decrypt', { error: err.name, reason: err.message })
        return { result: { status: 'REJECTED', reason: 'undecryptable' } }
      }
      throw err
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
    return { opened, content }
  }

  /**
   * An envelope seen before. A text stored from a direct delivery whose answer was lost (we
   * stopped after the write) is counted by its sender only from a receipt: its copy through a
   * relay, deposited since, owes one, once. Without it the text showed `sent`, or a group text
   * "delivered to N-1 of N", for ever (found by relay-node/test/group-model.spec.ts). Within the
   * run that stored it, the answer went out (a relay copy then comes from a sender that deposited
   * while delivering directly, and settled it from our answer): no receipt is owed.
   */
  private async duplicate (tx: Transaction, id: string, route: Route): Promise<InboxOutcome> {
    const duplicate: InboxOutcome = { result: { status: 'DUPLICATE' } }
    if (route !== 'relay') return duplicate
    const { messages, receipts } = this.components.repos
    const message = await this.components.repos.message(id, tx)
    if (message?.direction !== 'in' || message.storedDirectly == null || message.storedDirectly === this.run) return duplicate
    delete message.storedDirectly
    messages.put(tx, message)
    receipts.put(tx, { contactId: message.groupId != null ? message.senderId as string : message.contactId, id })
    return { ...duplicate, commit: true }
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
    if (message.contactId !== contact.id || message.direction !== 'out' || message.state === 'delivered' || message.state === 'read' || message.deleted === true) return undefined
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
    const replyTo = message.replyTo != null ? { replyTo: fromHex(message.replyTo) } : {}
    const body = message.file != null ? { file: contentFileOf(message.file, seq) } : { text: { text: message.text, seq, ...replyTo } }
    return this.outbox.add(tx, change, contact, { id: fromHex(message.id), sentAt: message.sentAt, ...body }, message.id)
  }

  /**
   * Seals one of our controls to `contact` again, under its id, at the contact's request (unless it
   * was sealed again too often, or is no longer kept): a delivery receipt or resend request as it
   * was, a disappearing-timer change with the timer as it is now, a group's membership changes as
   * they were (read from its log). A token list is answered with the current list, in a Tokens
   * message of its own (see {@link Accepted.tokensAsked}).
   */
  private async resendControl (tx: Transaction, change: ChangeControl, contact: ContactRecord, id: string, accepted: Accepted): Promise<OutboxRecord | undefined> {
    const { controls } = this.components.repos
    const control = await controls.get(id, tx)
    if (control == null) return undefined
    const sentTo = control.group != null ? control.group.to.includes(contact.id) : control.contactId === contact.id
    if (!sentTo || (control.resends ?? 0) >= this.maxResends) return undefined
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
        : control.disappearingTimer === true
          ? { disappearingTimer: { seconds: contact.disappearingSeconds } }
          : control.groupUpdate != null || control.groupJoin != null || control.group != null
            ? await this.components.groups?.resealed(tx, contact, control, change)
            : await this.components.actions?.resealed(tx, control)
    if (content == null) return undefined
    const entry = await this.outbox.add(tx, change, contact, { id: fromHex(id), sentAt: control.sentAt, ...content })
    // After the enqueue, which records the control afresh: the count of resends stays.
    control.resends = (control.resends ?? 0) + 1
    controls.put(tx, control)
    return entry
  }

  /** Refuses, before any session is touched, an installation of a sender that a newer one replaced. */
  private admit (tx: Transaction): AdmitSender {
    return async (userId, installation) => {
      const known = await this.components.repos.contacts.get(userId, tx)
      if (installation < (known?.installation ?? 1)) throw new ReplacedInstallationError('this installation of the sender was replaced')
    }
  }

  /** A restored installation has a session with `contact` now: its tokens can go to them. */
  private relocated (contact: ContactRecord, accepted: Accepted): void {
    delete contact.relocation
    accepted.tokensAsked = true
    accepted.contact = contact
  }

  /**
   * An installation's statement, sealed without a session: a contact's identity moved to a newer
   * installation, or this one was replaced. Nothing else is taken without a session.
   */
  private async statement (tx: Transaction, change: ChangeControl, senderUserId: string, content: Content, id: string): Promise<InboxOutcome> {
    const { identity, repos, log } = this.components
    const refused: InboxOutcome = { result: { status: 'REJECTED', reason: 'refused' } }
    const accepted: Accepted = { delivered: [], requeued: [] }
    try {
      if (content.installationReplaced != null && senderUserId === identity.userId) {
        const record = await takeReplaced(tx, repos.state, identity, content.installationReplaced)
        if (record != null) accepted.replaced = record
      } else if (content.installationMoved != null) {
        const contact = await repos.contacts.get(senderUserId, tx)
        if (contact == null || contact.status !== 'contact' || contact.blocked) return refused
        const from = await takeMoved(tx, change, contact, content.installationMoved, { identity, outbox: this.outbox })
        if (from != null) {
          repos.contacts.put(tx, contact)
          accepted.contact = contact
          accepted.moved = { contact, from }
        }
      } else {
        return refused
      }
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err
      log.warn('an installation statement does not hold', { error: err.name })
      return { result: { status: 'REJECTED', reason: 'invalid' } }
    }
    // Remembered by id, so that a copy is a duplicate.
    repos.refs.put(tx, tombstone(id, { contactId: senderUserId, sentAt: content.sentAt, order: 0 }, Date.now()), id)
    return { result: { status: 'STORED' }, accepted, commit: true }
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
