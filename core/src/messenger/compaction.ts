// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Compaction on a schedule. A deleted value (a disappeared message, a deleted conversation, a
 * delivered outbox entry) stays in level's files until a compaction drops it, and a value
 * overwritten stays there likewise. This component counts the deletes the store writes and
 * compacts the database after many of them, or at the next hourly check after any.
 */
import { every, systemClock } from '../util/index.js'
import type { Logger } from '../logger.js'
import type { Clock } from '../util/index.js'

/** Options of the compaction schedule. */
export interface CompactionInit {
  /** Compact as soon as this many deletes were written since the last compaction (default 500). */
  afterDeletions?: number
  /** How often to compact when anything at all was deleted since the last time (default 1 h). */
  everyMs?: number
}

/** What the compaction schedule uses. */
export interface CompactionComponents {
  /** Compacts the whole store (`compactStore`). */
  compact: () => Promise<void>
  log: Logger
  /** Default: the system clock. */
  clock?: Clock
}

/** Makes the compaction schedule; feed it {@link Compaction.noteDeletions} and start it. */
export function createCompaction (components: CompactionComponents, init: CompactionInit = {}): Compaction {
  return new Compaction(components, init)
}

/** Compacts the store when deletes have piled up, or hourly after any. */
export class Compaction {
  private readonly afterDeletions: number
  private readonly everyMs: number
  private pending = 0
  private running: Promise<void> | undefined
  private again = false
  private cancel: (() => void) | undefined
  private stopped = false
  /** Compactions finished, for tests and metrics. */
  done = 0

  constructor (private readonly components: CompactionComponents, init: CompactionInit = {}) {
    this.afterDeletions = init.afterDeletions ?? 500
    this.everyMs = init.everyMs ?? 60 * 60 * 1000
  }

  /** Starts the hourly check. */
  start (): void {
    this.cancel = every(this.components.clock ?? systemClock, this.everyMs, () => {
      if (this.pending > 0) this.run()
    })
  }

  /** Counts `count` deletes just written; compacts now when they reach the threshold. */
  noteDeletions (count: number): void {
    this.pending += count
    if (this.pending >= this.afterDeletions && !this.stopped) this.run()
  }

  /**
   * Stops the schedule and waits for a compaction in progress, and for the one more it owes when
   * deletes were written while it ran (the last deletes of a session are compacted too).
   */
  async stop (): Promise<void> {
    this.stopped = true
    this.cancel?.()
    while (this.running !== undefined) await this.running
  }

  /** Compacts now, or once more after the compaction in progress. */
  private run (): void {
    if (this.running !== undefined) {
      this.again = true
      return
    }
    this.pending = 0
    this.running = this.components.compact().then(() => {
      this.done++
    }, (err: unknown) => {
      // Closing the store under a compaction ends it; nothing is lost, the next one catches up.
      if (!this.stopped) this.components.log.warn('compaction failed', { error: (err as Error).name })
    }).finally(() => {
      this.running = undefined
      if (this.again) {
        this.again = false
        if (this.pending > 0) this.run()
      }
    })
  }
}
