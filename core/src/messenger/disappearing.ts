// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Disappearing messages: each message with an expiry time is indexed by it; a single timer
 * deletes whatever is due, and on start everything that expired while the messenger was stopped
 * is deleted first.
 */
import { keys, tombstone } from './records.js'
import { systemClock } from '../util/index.js'
import type { Logger } from '../logger.js'
import type { Clock, TimerHandle } from '../util/index.js'
import type { Events } from './context.js'
import type { Repositories } from './state.js'
import type { MessageRecord } from './records.js'
import type { Transaction } from '../storage/types.js'

/** Options of disappearing messages. */
export interface DisappearingInit {
  /** Longest a timer is set for; a later expiry is re-armed when it fires (default 1 h). */
  maxTimerMs?: number
}

/** What disappearing messages use. */
export interface DisappearingComponents {
  repos: Pick<Repositories, 'state' | 'expiries' | 'messages' | 'unread' | 'refs' | 'contacts'>
  events: Events
  log: Logger
  /** Default: the system clock. */
  clock?: Clock
}

/** Makes the disappearing-messages component (start it to purge what expired while stopped). */
export function createDisappearing (components: DisappearingComponents, init: DisappearingInit = {}): Disappearing {
  return new Disappearing(components, init)
}

/** Deletes messages when their time is up. */
export class Disappearing {
  private timer?: TimerHandle
  private running?: Promise<void>
  private stopped = false
  private readonly clock: Clock
  private readonly maxTimerMs: number

  constructor (private readonly components: DisappearingComponents, init: DisappearingInit = {}) {
    this.clock = components.clock ?? systemClock
    this.maxTimerMs = init.maxTimerMs ?? 60 * 60 * 1000
  }

  /** Purges what expired while stopped, then arms the timer. */
  async start (): Promise<void> {
    await this.purge()
  }

  /** Indexes `message` under its expiry time in `tx`. Call {@link rearm} after the commit. */
  schedule (tx: Transaction, message: MessageRecord): void {
    if (message.expiresAt == null) return
    this.components.repos.expiries.put(tx, { contactId: message.contactId, sentAt: message.sentAt, order: message.order, id: message.id, expiresAt: message.expiresAt })
    const delay = Math.max(0, message.expiresAt - this.clock.now())
    if (this.timer == null || delay < this.maxTimerMs) this.arm(delay)
  }

  /** Re-reads the next expiry and arms the timer for it. */
  rearm (): void {
    if (this.stopped) return
    void this.next().then(at => { if (at != null) this.arm(Math.max(0, at - this.clock.now())) }, err => {
      // Stopping closes the store under a read in flight; anything else is worth a line.
      if (!this.stopped) this.components.log.warn('could not read the next expiry', { error: (err as Error).name })
    })
  }

  /** Stops the timer. */
  stop (): void {
    this.stopped = true
    this.clock.clearTimeout(this.timer)
  }

  private arm (delay: number): void {
    if (this.stopped) return
    this.clock.clearTimeout(this.timer)
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined
      void this.purge()
    }, Math.min(delay, this.maxTimerMs))
  }

  private async next (): Promise<number | undefined> {
    for await (const due of this.components.repos.expiries.values(keys.expiries(), { limit: 1 })) return due.expiresAt
    return undefined
  }

  private async purge (): Promise<void> {
    if (this.running != null) return this.running
    this.running = this.purgeDue().finally(() => { this.running = undefined })
    return this.running
  }

  private async purgeDue (): Promise<void> {
    if (this.stopped) return
    const { expiries, messages, unread, refs, contacts } = this.components.repos
    const gone = await this.components.repos.state.change(async tx => {
      const now = this.clock.now()
      const gone = new Map<string, string[]>()
      for await (const due of expiries.values(keys.expiries(), { lt: now + 1 }, tx)) {
        expiries.del(tx, due)
        const m = await messages.get(due, tx)
        if (m != null) {
          messages.del(tx, m)
          unread.del(tx, m)
          gone.set(m.contactId, [...gone.get(m.contactId) ?? [], m.id])
        }
        refs.put(tx, tombstone(due.id, due, this.clock.now()))
      }
      for (const [contactId, ids] of gone) {
        const c = await contacts.get(contactId, tx)
        if (c != null && c.lastMessageId != null && ids.includes(c.lastMessageId)) {
          delete c.lastMessageId
          contacts.put(tx, c)
        }
      }
      return gone
    })
    for (const [contactId, ids] of gone) this.components.events.emit('expired', { contactId, ids })
    this.rearm()
  }
}
