// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The outbox: sealing content for a contact into an entry, in the transaction of a state change.
 * An entry is held back from the courier until that change is durable: an envelope must never
 * leave before the session state that made it is on disk.
 */
import { seal } from '../crypto/index.js'
import { groupChangeId } from '../groups/index.js'
import { NotFoundError, ReplacedInstallationError } from '../errors.js'
import { encodeContent, encodeEnvelope } from '../protocol/index.js'
import { toHex } from '../util/index.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { Content } from '../protocol/types.js'
import type { Transaction } from '../storage/types.js'
import type { ContactRecord, OutboxRecord, SentControl } from './records.js'
import type { ChangeControl, Repositories } from './state.js'

/** What the outbox uses. */
export interface OutboxComponents {
  identity: LocalIdentity
  repos: Pick<Repositories, 'outbox' | 'controls'>
  /** Delivers entries once released. */
  courier: {
    holdUntilDurable(entry: OutboxRecord): void
    release(entry: OutboxRecord, durable: boolean): void
    kick(contactId: string): void
  }
  /** This messenger's signed card, attached until the contact has answered. */
  ownCard(): Promise<Uint8Array>
  /** Whether this installation was replaced (then nothing is sealed: `ReplacedInstallationError`). */
  replaced?(): boolean
}

/** Seals content into outbox entries. */
export interface Outbox {
  /**
   * Seals `content` for `contact` into a new entry in `tx` (advancing `contact.nextOutbox`; the
   * caller writes the contact). Once the change commits durably, the entry goes to the courier and
   * its contact's delivery starts.
   */
  add(tx: Transaction, control: ChangeControl, contact: ContactRecord, content: Omit<Content, 'senderCard'>, messageId?: string): Promise<OutboxRecord>
  /**
   * As {@link add}, for content sealed already (a member's part of a group message): an entry for
   * `contact` carrying `sealed` under envelope id `id`.
   */
  addSealed(tx: Transaction, control: ChangeControl, contact: ContactRecord, sealed: { id: Uint8Array, sentAt: number, sealed: Uint8Array }, messageId?: string): OutboxRecord
}

/** The outbox of a messenger, which also takes envelopes sealed already. */
export interface SealedOutbox extends Outbox {
  /** As {@link Outbox.add}, for an envelope sealed already (an installation's statement, sealed without a session). */
  addSealed(tx: Transaction, control: ChangeControl, contact: ContactRecord, envelope: { id: Uint8Array, sealed: Uint8Array, sentAt: number }): OutboxRecord
}

/** The outbox of a messenger. */
export function createOutbox (components: OutboxComponents): SealedOutbox {
  const { identity, repos, courier } = components
  const heldBy = new WeakMap<ChangeControl, OutboxRecord[]>()
  const hold = (control: ChangeControl, entry: OutboxRecord): void => {
    courier.holdUntilDurable(entry)
    let held = heldBy.get(control)
    if (held == null) {
      const entries: OutboxRecord[] = held = []
      heldBy.set(control, held)
      control.onSettled(durable => {
        for (const e of entries) courier.release(e, durable)
        if (durable) for (const contactId of new Set(entries.map(e => e.contactId))) courier.kick(contactId)
      })
    }
    held.push(entry)
  }
  const enqueue = (tx: Transaction, change: ChangeControl, contact: ContactRecord, envelope: { id: Uint8Array, sealed: Uint8Array, sentAt: number }, messageId?: string): OutboxRecord => {
    if (components.replaced?.() === true) throw new ReplacedInstallationError('this installation was replaced by a restore on another computer: it no longer sends')
    const entry: OutboxRecord = {
      contactId: contact.id,
      seq: contact.nextOutbox++,
      envelopeId: toHex(envelope.id),
      envelope: encodeEnvelope({ id: envelope.id, sealed: envelope.sealed }),
      ...(messageId != null ? { messageId } : {}),
      createdAt: envelope.sentAt,
      attempts: 0,
      sent: false
    }
    repos.outbox.put(tx, entry)
    hold(change, entry)
    return entry
  }
  const outbox: Outbox = {
    async add (tx, change, contact, content, messageId) {
      if (components.replaced?.() === true) throw new ReplacedInstallationError('this installation was replaced by a restore on another computer: it no longer sends')
      // A restored installation has no session with them until they answer its move (relocation.ts).
      if (contact.relocation != null) throw new NotFoundError(`${contact.alias} has not answered since Sotto was restored here: messages can go to them once they have`)
      const senderCard = contact.heardFrom ? undefined : await components.ownCard()
      const intro = senderCard != null ? { senderCard, ...(contact.inviteTag != null ? { inviteTag: contact.inviteTag } : {}) } : {}
      const sealed = await seal(tx, identity, contact.id, encodeContent({ ...content, ...intro }))
      const entry = enqueue(tx, change, contact, { id: content.id, sealed, sentAt: content.sentAt }, messageId)
      const isControl = messageId == null && (content.deliveryReceipt ?? content.resendRequest ?? content.disappearingTimer ?? content.tokens ??
        content.readReceipt ?? content.reaction ?? content.edit ?? content.delete ?? content.groupUpdate ?? content.groupJoin) != null
      if (isControl) repos.controls.put(tx, sentControl(entry, content))
      return entry
    },
    addSealed: enqueue
  }
  return outbox
}

/** The record kept of a control envelope, to seal it again when asked. */
function sentControl (entry: OutboxRecord, content: Omit<Content, 'senderCard'>): SentControl {
  return {
    id: entry.envelopeId,
    contactId: entry.contactId,
    sentAt: content.sentAt,
    ...(content.deliveryReceipt != null ? { deliveryReceipt: content.deliveryReceipt.ids } : {}),
    ...(content.resendRequest != null ? { resendRequest: content.resendRequest.ids } : {}),
    ...(content.disappearingTimer != null ? { disappearingTimer: true as const } : {}),
    ...(content.tokens != null ? { tokens: true as const } : {}),
    ...(content.readReceipt != null ? { readReceipt: content.readReceipt.ids } : {}),
    // Reactions and edits keep only their target: sealed again, they carry the state as it is then
    // (so no text outlives a delete in this record).
    ...(content.reaction != null ? { reaction: toHex(content.reaction.target) } : {}),
    ...(content.edit != null ? { edit: toHex(content.edit.target) } : {}),
    ...(content.delete != null ? { delete: toHex(content.delete.target) } : {}),
    // The ids only: sealed again, the changes are read from the group's log.
    ...(content.groupUpdate != null ? { groupUpdate: { groupId: toHex(content.groupUpdate.groupId), changes: content.groupUpdate.changes.map(groupChangeId) } } : {}),
    // Which group only: sealed again, an ask or answer carries the entry and token as they are then.
    ...(content.groupJoin != null ? { groupJoin: { groupId: toHex(content.groupJoin.groupId), ...(content.groupJoin.card != null ? { answer: true as const } : {}) } } : {})
  }
}
