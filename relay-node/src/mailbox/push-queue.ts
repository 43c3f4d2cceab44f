// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Pushes to one subscriber. At most so many pushes, and so many bytes, wait unsent; beyond that, deposits are not
 * pushed, and once everything queued has been written the subscriber gets one push with `more`
 * instead: "read the mailbox". Between the first push skipped and that `more`, nothing else is
 * pushed. A subscriber reads after the last id it was pushed, so a later push arriving first would
 * carry it past the envelopes it never heard of, and they would wait unread at the relay.
 */

import type { MailboxEnvelope, MailboxResponseInit } from '@sotto/core/mailbox'

/** Writes one response to the subscriber's stream; settles once it is written (or failed). */
export type PushSender = (res: MailboxResponseInit) => Promise<void>

/** The pushes of one subscription. */
export class PushQueue {
  private pending = 0
  private pendingBytes = 0
  private behind = false
  private ended = false

  /**
   * @param send - writes a response to the subscriber's stream
   * @param maxPending - most pushes written but not yet handed to the stream
   * @param maxPendingBytes - most envelope bytes written but not yet handed to the stream
   */
  constructor (private readonly send: PushSender, private readonly maxPending: number, private readonly maxPendingBytes = Infinity) {}

  /** Pushes `envelope`, or skips it when the subscriber is behind; returns whether it was pushed. */
  push (envelope: MailboxEnvelope): boolean {
    if (this.ended) return false
    const size = envelope.envelope.byteLength
    if (this.behind || this.pending >= this.maxPending || (this.pending > 0 && this.pendingBytes + size > this.maxPendingBytes)) {
      this.behind = true
      return false
    }
    this.write({ id: 0, status: 'OK', pushed: envelope }, size)
    return true
  }

  /** No more pushes, and no `more`. */
  end (): void {
    this.ended = true
  }

  private write (res: MailboxResponseInit, size = 0): void {
    this.pending++
    this.pendingBytes += size
    void this.send(res).finally(() => {
      this.pending--
      this.pendingBytes -= size
      if (this.pending === 0 && this.behind && !this.ended) {
        this.behind = false
        this.write({ id: 0, status: 'OK', more: true })
      }
    })
  }
}
