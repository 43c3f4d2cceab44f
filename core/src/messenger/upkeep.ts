// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Daily upkeep of a running messenger: prekey maintenance (refill the one-time pools, rotate the
 * signed and last-resort prekeys, delete rotated-out keys after their grace period), and the purge
 * of delivery receipts and resend requests kept for resending once they are too old to be asked
 * for. Prekey maintenance also runs at start-up in `createMessenger`; this keeps both running for
 * messengers that stay up for weeks.
 */
import { maintainPreKeys } from '../crypto/index.js'
import { SENT_CONTROL_KEEP_MS, decodeRecord, keys } from './records.js'
import type { Context } from './context.js'
import type { PreKeyMaintenance } from '../crypto/index.js'
import type { SentControl } from './records.js'

/** What one upkeep run did. */
export interface UpkeepResult extends PreKeyMaintenance {
  /** Kept delivery receipts and resend requests deleted for their age. */
  controlsPurged: number
}

/** How often upkeep runs: daily, so a key rotates at most a day after it is due. */
export const UPKEEP_INTERVAL_MS = 24 * 60 * 60 * 1000

/** Options for {@link Upkeep}. */
export interface UpkeepOptions {
  /** Time between runs (default {@link UPKEEP_INTERVAL_MS}). */
  intervalMs?: number
  /** The clock (default `Date.now`). */
  now?: () => number
}

/** Runs {@link maintainPreKeys} on a timer, under the messenger's lock. */
export class Upkeep {
  private timer?: NodeJS.Timeout
  private running?: Promise<void>
  private readonly intervalMs: number
  private readonly now: () => number

  constructor (private readonly ctx: Pick<Context, 'store' | 'identity' | 'lock' | 'log'>, options: UpkeepOptions = {}) {
    this.intervalMs = options.intervalMs ?? UPKEEP_INTERVAL_MS
    this.now = options.now ?? Date.now
  }

  /** Arms the timer; the first run is one interval from now. */
  start (): void {
    if (this.timer != null) return
    this.timer = setInterval(() => {
      this.running ??= this.run()
        .then(done => {
          if (done.signedPreKeyRotated || done.lastResortKyberRotated || done.preKeysAdded > 0 || done.kyberPreKeysAdded > 0 || done.retiredDeleted > 0 || done.controlsPurged > 0) {
            this.ctx.log.info('prekey upkeep', { ...done })
          }
        }, (err: Error) => { this.ctx.log.error('prekey upkeep failed', { error: err.name }) })
        .finally(() => { this.running = undefined })
    }, this.intervalMs)
    this.timer.unref()
  }

  /** Disarms the timer and waits for a run in progress. */
  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }

  /** One upkeep run, committed durably. */
  async run (): Promise<UpkeepResult> {
    const { result, done } = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      const now = this.now()
      const maintenance = await maintainPreKeys(tx, this.ctx.identity, now)
      let controlsPurged = 0
      for await (const bytes of tx.values(keys.sentControls())) {
        const control = decodeRecord<SentControl>(bytes)
        if (now - control.sentAt <= SENT_CONTROL_KEEP_MS) continue
        tx.del(keys.sentControl(control.id))
        controlsPurged++
      }
      return { result: { ...maintenance, controlsPurged }, done: tx.commit() }
    })
    await done
    return result
  }
}
