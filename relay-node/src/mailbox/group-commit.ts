// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Writes to the level mailbox store: group commit (every write waits for one synced batch that
 * carries it and its neighbours) and a lane for sections that must not overlap.
 */

import { StoreClosedError } from '../errors.js'
import type { ClassicLevel } from 'classic-level'

/** Most operations in one synced batch: bounds the latency of the writes behind it. */
const MAX_BATCH_OPS = 20_000

/** One write of a batch. */
export type Op = { type: 'put', key: Uint8Array, value: Uint8Array } | { type: 'del', key: Uint8Array }

/** What the group commit reports to. */
export interface GroupCommitInit {
  /** Called after each synced batch with how many writes it carried (for metrics). */
  onCommit?(writes: number, seconds: number): void
  /** Called once if a synced write fails; the store is closed from then on. */
  onFailure?(err: Error): void
}

/** Runs async sections one at a time. */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve()

  async run<T> (fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn)
    this.tail = next.catch(() => {})
    return next
  }
}

/** Group commit: every write waits for one synced batch that carries it and its neighbours. */
export class GroupCommit {
  private queue: Array<{ ops: Op[], resolve(): void, reject(err: Error): void }> = []
  private running = false
  failed?: Error

  constructor (private readonly db: ClassicLevel<Uint8Array, Uint8Array>, private readonly init: GroupCommitInit) {}

  async write (ops: Op[]): Promise<void> {
    if (this.failed != null) throw new StoreClosedError('mailbox store failed', { cause: this.failed })
    const done = new Promise<void>((resolve, reject) => { this.queue.push({ ops, resolve, reject }) })
    if (!this.running) void this.run()
    return done
  }

  private async run (): Promise<void> {
    this.running = true
    while (this.queue.length > 0) {
      let count = 0
      let take = 0
      while (take < this.queue.length && (take === 0 || count + (this.queue[take]?.ops.length ?? 0) <= MAX_BATCH_OPS)) {
        count += this.queue[take]?.ops.length ?? 0
        take++
      }
      const batch = this.queue.splice(0, take)
      const started = process.hrtime.bigint()
      try {
        if (count > 0) await this.db.batch(batch.flatMap(b => b.ops), { sync: true })
      } catch (err) {
        this.failed = err as Error
        const closed = new StoreClosedError('a synced write failed; the mailbox store is closed', { cause: err })
        for (const b of [...batch, ...this.queue.splice(0)]) b.reject(closed)
        this.init.onFailure?.(err as Error)
        break
      }
      this.init.onCommit?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9)
      for (const b of batch) b.resolve()
    }
    this.running = false
  }
}
