// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Disappearing messages: each message with an expiry time is indexed by it; a single timer
 * deletes whatever is due, and on start everything that expired while the messenger was stopped
 * is deleted first.
 */
import { putContact, readContact } from './context.js'
import { decodeRecord, encodeRecord, keys, tombstone } from './records.js'
import type { Context } from './context.js'
import type { MessageRecord, MessageRef } from './records.js'
import type { Transaction } from '../storage/types.js'

/** An entry of the expiry index. */
interface Due extends MessageRef {
  id: string
  expiresAt: number
}

/** Longest a timer is set for; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 60 * 60 * 1000

/** Deletes messages when their time is up. */
export class Disappearing {
  private timer?: NodeJS.Timeout
  private running?: Promise<void>
  private stopped = false

  constructor (private readonly ctx: Context) {}

  /** Purges what expired while stopped, then arms the timer. */
  async start (): Promise<void> {
    await this.purge()
  }

  /** Indexes `message` under its expiry time in `tx`. Call {@link rearm} after the commit. */
  schedule (tx: Transaction, message: MessageRecord): void {
    if (message.expiresAt == null) return
    const due: Due = { contactId: message.contactId, sentAt: message.sentAt, order: message.order, id: message.id, expiresAt: message.expiresAt }
    tx.put(keys.expiry(message.expiresAt, message.order), encodeRecord(due))
    const delay = Math.max(0, message.expiresAt - Date.now())
    if (this.timer == null || delay < MAX_TIMER_MS) this.arm(delay)
  }

  /** Re-reads the next expiry and arms the timer for it. */
  rearm (): void {
    if (this.stopped) return
    void this.next().then(at => { if (at != null) this.arm(Math.max(0, at - Date.now())) }, err => {
      // Stopping closes the store under a read in flight; anything else is worth a line.
      if (!this.stopped) this.ctx.log.warn('could not read the next expiry', { error: (err as Error).name })
    })
  }

  /** Stops the timer. */
  stop (): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  private arm (delay: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.purge()
    }, Math.min(delay, MAX_TIMER_MS))
    this.timer.unref()
  }

  private async next (): Promise<number | undefined> {
    for await (const bytes of this.ctx.store.values(keys.expiries(), { limit: 1 })) {
      return decodeRecord<Due>(bytes).expiresAt
    }
    return undefined
  }

  private async purge (): Promise<void> {
    if (this.running != null) return this.running
    this.running = this.purgeDue().finally(() => { this.running = undefined })
    return this.running
  }

  private async purgeDue (): Promise<void> {
    if (this.stopped) return
    const { gone, done } = await this.ctx.lock.run(async () => {
      const now = Date.now()
      const tx = this.ctx.store.transaction()
      const gone = new Map<string, string[]>()
      for await (const bytes of tx.values(keys.expiries(), { lt: now + 1 })) {
        const due = decodeRecord<Due>(bytes)
        tx.del(keys.expiry(due.expiresAt, due.order))
        const mBytes = await tx.get(keys.message(due))
        if (mBytes != null) {
          const m = decodeRecord<MessageRecord>(mBytes)
          tx.del(keys.message(m))
          tx.del(keys.unread(m))
          gone.set(m.contactId, [...gone.get(m.contactId) ?? [], m.id])
        }
        tx.put(keys.messageRef(due.id), encodeRecord(tombstone(due.id, due, Date.now())))
      }
      for (const [contactId, ids] of gone) {
        const c = await readContact(tx, contactId)
        if (c != null && c.lastMessageId != null && ids.includes(c.lastMessageId)) {
          delete c.lastMessageId
          putContact(tx, c)
        }
      }
      return { gone, done: tx.commit() }
    })
    await done
    for (const [contactId, ids] of gone) this.ctx.events.emit('expired', { contactId, ids })
    this.rearm()
  }
}
