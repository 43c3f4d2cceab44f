// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Settlement: what the courier learns of an envelope — a relay holds it, the recipient answered —
 * written to the outbox entry and its message atomically, and announced once durable.
 */
import { groupCounts, markGroupDelivered, markGroupRefused } from './group-records.js'
import { keys } from './records.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { Logger } from '../logger.js'
import type { Clock } from '../util/index.js'
import type { Events } from './context.js'
import type { MessageRecord, OutboxRecord } from './records.js'
import type { Repositories } from './state.js'
import type { FailureReason } from './types.js'

/** What settlement uses. */
export interface SettlementComponents {
  repos: Pick<Repositories, 'state' | 'outbox' | 'messages' | 'message'>
  events: Events
  log: Logger
  clock: Clock
}

/** Settles outbox entries. */
export class Settlement {
  /** Receipts waiting to be settled, in arrival order (see {@link receipted}). */
  private queue: Receipted[] = []
  private settling = false

  constructor (private readonly components: SettlementComponents) {}

  /**
   * Relay `addr` holds the entry durably: recorded in the entry, which leaves the outbox once
   * `enough` relays hold it; its message becomes `sent` (from `queued`); all atomically.
   */
  async deposited (entry: OutboxRecord, addr: string, enough: (heldBy: string[]) => boolean): Promise<void> {
    // A crash between the relay's answer and this commit leaves the entry as it was: it is
    // deposited again and the recipient drops the copy by its envelope id. A loss is not possible;
    // a duplicate is. (This pump is the only writer of the entry, so `entry.heldBy` is current.)
    const { outbox, messages } = this.components.repos
    const message = await this.components.repos.state.change(async (tx, control) => {
      entry.heldBy = [...new Set([...entry.heldBy ?? [], addr])]
      entry.heldSince ??= this.components.clock.now()
      if (enough(entry.heldBy)) {
        outbox.del(tx, entry)
      } else {
        // Kept for the next copy, unless it was settled meanwhile (its contact removed): a
        // settled entry stays settled.
        if (await tx.get(keys.outbox(entry.contactId, entry.seq)) == null) {
          control.discard()
          return undefined
        }
        outbox.put(tx, entry)
      }
      if (entry.messageId == null) return undefined
      const message = await this.components.repos.message(entry.messageId, tx)
      if (message?.state !== 'queued') return undefined
      message.state = 'sent'
      messages.put(tx, message)
      return message
    })
    if (message != null) this.components.events.emit('status', { id: message.id, contactId: message.contactId, state: 'sent' })
  }

  /**
   * Records a receipt: the entry leaves the outbox and its message changes state, atomically.
   * Resolves once that is written. Receipts that arrive while an earlier settlement waits for the
   * lock are settled together, in one transaction.
   *
   * The write is not synced: a receipt is the one thing a power cut may take back, and it is learnt
   * again. The entry would be back in the outbox, go out again, and be answered as a duplicate. A
   * killed process loses nothing, and the next synced write makes it durable.
   */
  async receipted (entry: OutboxRecord, result: DeliveryResult): Promise<void> {
    if (result.status === 'REJECTED') {
      this.components.log.warn('recipient refused an envelope', { reason: result.reason })
    }
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, result, resolve, reject })
      if (!this.settling) void this.settleReceipted()
    })
  }

  /** Settles what {@link receipted} queued, a transaction per turn of the lock, until none is left. */
  private async settleReceipted (): Promise<void> {
    this.settling = true
    try {
      while (this.queue.length > 0) {
        const batch = this.queue
        this.queue = []
        try {
          const { outbox, messages } = this.components.repos
          const { result: changed, durable } = await this.components.repos.state.begin(async tx => {
            const changed: Array<{ message: MessageRecord, failure?: FailureReason }> = []
            for (const { entry, result } of batch) {
              outbox.del(tx, entry)
              if (entry.messageId == null) continue
              const message = await this.components.repos.message(entry.messageId, tx)
              // A read receipt may have come first (through another route): read stays read.
              if (message == null || message.state === 'read') continue
              if (message.groupId != null) {
                // One member's answer: a refusal by one does not fail the message for the others.
                const news = result.status === 'REJECTED' ? markGroupRefused(message, entry.contactId) : markGroupDelivered(message, entry.contactId)
                if (news) {
                  messages.put(tx, message)
                  changed.push({ message })
                }
                continue
              }
              const failure: FailureReason | undefined = result.status === 'REJECTED' ? 'rejected' : undefined
              message.state = failure != null ? 'failed' : 'delivered'
              if (failure != null) message.failure = failure
              messages.put(tx, message)
              changed.push({ message, ...(failure != null ? { failure } : {}) })
            }
            return changed
          }, { sync: false })
          // The write is awaited outside the lock, while the next receipts are settled.
          durable.then(() => {
            for (const { message, failure } of changed) {
              this.components.events.emit('status', { id: message.id, contactId: message.contactId, state: message.state, ...(failure != null ? { failure } : {}), ...groupCounts(message) })
            }
            for (const r of batch) r.resolve()
          }, (err: Error) => { for (const r of batch) r.reject(err) })
        } catch (err) {
          for (const r of batch) r.reject(err as Error)
        }
      }
    } finally {
      this.settling = false
    }
  }
}

/** A receipt waiting for {@link Settlement.receipted}'s transaction. */
interface Receipted {
  entry: OutboxRecord
  result: DeliveryResult
  resolve: () => void
  reject: (err: Error) => void
}
