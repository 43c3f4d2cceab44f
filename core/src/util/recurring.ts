// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A task run on a timer, never twice at once: a tick that comes while a run is in progress is
 * skipped (the next tick runs it). Used by the components that look at the store now and then
 * (prekey upkeep, deposit token rotation).
 */
import { every } from './clock.js'
import type { Clock } from './clock.js'

/** Runs `task` every `ms` on `clock` between {@link Recurring.start} and {@link Recurring.stop}. */
export class Recurring {
  private disarm?: () => void
  private running?: Promise<void>

  /** `onError` receives a run's failure; the timer goes on. */
  constructor (
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (err: Error) => void
  ) {}

  /** Arms the timer (nothing while it is armed); with `now`, also runs the task at once. */
  start ({ now = false }: { now?: boolean } = {}): void {
    if (this.disarm != null) return
    this.disarm = every(this.clock, this.ms, () => { this.tick() })
    if (now) this.tick()
  }

  /** Resolves once a run in progress (if any) is done. */
  async idle (): Promise<void> {
    await this.running
  }

  /** Disarms the timer and waits for a run in progress. */
  async stop (): Promise<void> {
    this.disarm?.()
    this.disarm = undefined
    await this.running
  }

  private tick (): void {
    this.running ??= this.task()
      .catch((err: unknown) => { this.onError(err as Error) })
      .finally(() => { this.running = undefined })
  }
}
