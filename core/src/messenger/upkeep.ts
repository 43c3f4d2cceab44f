// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Daily upkeep of a running messenger: prekey maintenance (refill the one-time pools, rotate the
 * signed and last-resort prekeys, delete rotated-out keys after their grace period), and the purge
 * of delivery receipts and resend requests kept for resending, and of tombstones, once no relay
 * can bring back what they answer for. Prekey maintenance also runs at start-up in
 * `createMessenger`; this keeps both running for messengers that stay up for weeks.
 */
import { maintainPreKeys } from '../crypto/index.js'
import { RELAY_HORIZON_MS, keys } from './records.js'
import { Recurring, systemClock } from '../util/index.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { Logger } from '../logger.js'
import type { Clock } from '../util/index.js'
import type { PreKeyMaintenance } from '../crypto/index.js'
import type { Repositories, Repository } from './state.js'
import type { Key } from '../storage/types.js'

/** What one upkeep run did. */
export interface UpkeepResult extends PreKeyMaintenance {
  /** Kept delivery receipts and resend requests deleted for their age. */
  controlsPurged: number
  /** Tombstones of messages gone long enough ago, deleted. */
  tombstonesPurged: number
}

/** How often upkeep runs: daily, so a key rotates at most a day after it is due. */
export const UPKEEP_INTERVAL_MS = 24 * 60 * 60 * 1000

/** Options of upkeep. */
export interface UpkeepInit {
  /** Time between runs (default {@link UPKEEP_INTERVAL_MS}). */
  intervalMs?: number
}

/** What upkeep uses. */
export interface UpkeepComponents {
  identity: LocalIdentity
  repos: Pick<Repositories, 'state' | 'controls' | 'refs'>
  log: Logger
  /** Default: the system clock. */
  clock?: Clock
}

/** Makes the upkeep component. */
export function createUpkeep (components: UpkeepComponents, init: UpkeepInit = {}): Upkeep {
  return new Upkeep(components, init)
}

/** Runs {@link maintainPreKeys} on a timer, under the messenger's lock. */
export class Upkeep {
  private readonly recurring: Recurring
  private readonly clock: Clock

  constructor (private readonly ctx: UpkeepComponents, init: UpkeepInit = {}) {
    this.clock = ctx.clock ?? systemClock
    this.recurring = new Recurring(this.clock, init.intervalMs ?? UPKEEP_INTERVAL_MS, async () => {
      const done = await this.run()
      if (done.signedPreKeyRotated || done.lastResortKyberRotated || done.preKeysAdded > 0 || done.kyberPreKeysAdded > 0 || done.retiredDeleted > 0 || done.controlsPurged > 0 || done.tombstonesPurged > 0) {
        this.ctx.log.info('prekey upkeep', { ...done })
      }
    }, err => { this.ctx.log.error('prekey upkeep failed', { error: err.name }) })
  }

  /** Arms the timer; the first run is one interval from now. */
  start (): void {
    this.recurring.start()
  }

  /** Disarms the timer and waits for a run in progress. */
  async stop (): Promise<void> {
    await this.recurring.stop()
  }

  /** One upkeep run, committed durably. */
  async run (): Promise<UpkeepResult> {
    const now = this.clock.now()
    // Found outside the lock (a read of every such record): what is old and gone stays so.
    const { repos } = this.ctx
    const controls = await this.outdated(repos.controls, keys.sentControls(), c => now - c.sentAt > RELAY_HORIZON_MS ? keys.sentControl(c.id) : undefined)
    const tombstones = await this.outdated(repos.refs, keys.messageRefs(), r =>
      r.gone === true && r.id != null && r.goneAt != null && now - r.goneAt > RELAY_HORIZON_MS ? keys.messageRef(r.id) : undefined)
    const maintenance = await repos.state.change(async tx => {
      const maintenance = await maintainPreKeys(tx, this.ctx.identity, now)
      for (const key of [...controls, ...tombstones]) tx.del(key)
      return maintenance
    })
    return { ...maintenance, controlsPurged: controls.length, tombstonesPurged: tombstones.length }
  }

  /** The keys of the records under `prefix` that `purge` names. */
  private async outdated<T> (records: Pick<Repository<T, never>, 'values'>, prefix: Key, purge: (record: T) => Key | undefined): Promise<Key[]> {
    const out: Key[] = []
    for await (const record of records.values(prefix)) {
      const key = purge(record)
      if (key != null) out.push(key)
    }
    return out
  }
}
