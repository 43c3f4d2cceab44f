// SPDX-License-Identifier: AGPL-3.0-only
/**
 * "Run again if called while running": a task that must not run twice at once, and must see every
 * call made while it runs. A call while it runs makes it run once more when it ends, however many
 * such calls there were (as VS Code's `Throttler`).
 */

/** Options of {@link RunAgainByKey} and {@link RunAgain}. */
export interface RunAgainOptions {
  /** While true, a pending run again is dropped (the owner is stopping). */
  stopped?: () => boolean
  /**
   * Receives a run's failure. Given, a failure does not end the runs (a call made meanwhile still
   * runs it again) and `run` never rejects; not given, a failure ends them and `run` rejects.
   */
  onError?: (err: Error) => void
}

/** A task per key (a contact, a relay), run by the rule of this module, keys independent. */
export class RunAgainByKey<K> {
  private readonly running = new Map<K, Promise<void>>()
  private readonly again = new Set<K>()

  constructor (private readonly task: (key: K) => Promise<void>, private readonly options: RunAgainOptions = {}) {}

  /** Runs the task for `key`, or once more after the run in progress. Resolves when no run is due. */
  async run (key: K): Promise<void> {
    const current = this.running.get(key)
    if (current != null) {
      this.again.add(key)
      return current
    }
    // In the map before the task starts: a call from the task's first steps runs it again.
    let settle!: { resolve: () => void, reject: (err: unknown) => void }
    const running = new Promise<void>((resolve, reject) => { settle = { resolve, reject } })
    this.running.set(key, running)
    this.loop(key).then(settle.resolve, settle.reject)
    return running
  }

  /** Whether a run for `key` is in progress. */
  busy (key: K): boolean {
    return this.running.has(key)
  }

  /** The run in progress has looked at everything asked so far: drop a pending run again. */
  covered (key: K): void {
    this.again.delete(key)
  }

  /** Resolves once no run is in progress (failures included). */
  async idle (): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()])
  }

  private async loop (key: K): Promise<void> {
    try {
      do {
        this.again.delete(key)
        try {
          await this.task(key)
        } catch (err) {
          if (this.options.onError == null) throw err
          this.options.onError(err as Error)
        }
      } while (this.again.has(key) && this.options.stopped?.() !== true)
    } finally {
      // In the same turn as the last check: a call from now on starts a new run.
      this.again.delete(key)
      this.running.delete(key)
    }
  }
}

/** One task, run by the rule of this module. */
export class RunAgain {
  private readonly runs: RunAgainByKey<true>

  constructor (task: () => Promise<void>, options: RunAgainOptions = {}) {
    this.runs = new RunAgainByKey(async () => task(), options)
  }

  /** Runs the task, or once more after the run in progress. Resolves when no run is due. */
  async run (): Promise<void> {
    return this.runs.run(true)
  }

  /** Whether a run is in progress. */
  get busy (): boolean {
    return this.runs.busy(true)
  }

  /** Resolves once no run is in progress. */
  async idle (): Promise<void> {
    await this.runs.idle()
  }
}
