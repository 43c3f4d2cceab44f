// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Exponential backoff with jitter: how long to wait before trying again.
 */

/** Options of a {@link Backoff}. */
export interface BackoffOptions {
  /** The first delay (ms). */
  initialMs: number
  /** The longest delay (ms); growth stops there. */
  maxMs: number
  /** How much each delay grows over the last (default 2). */
  factor?: number
  /**
   * Spread of each delay, as a fraction either side (default 0.25: from 0.75× to 1.25×). Jitter
   * keeps many waiters that failed together from trying again in lockstep; 0 turns it off.
   */
  jitter?: number
  /** A number in [0, 1) (default `Math.random`). */
  random?: () => number
}

/** A delay that grows with each failure, up to a maximum, until reset. */
export class Backoff {
  private delay: number

  constructor (private readonly options: BackoffOptions) {
    this.delay = options.initialMs
  }

  /** The delay before the next attempt, without its jitter. */
  get current (): number {
    return this.delay
  }

  /** The delay to wait now (with jitter); the one after grows by the factor. */
  next (): number {
    const { jitter = 0.25, random = Math.random, factor = 2, maxMs } = this.options
    const wait = this.delay * (1 - jitter + 2 * jitter * random())
    this.delay = Math.min(this.delay * factor, maxMs)
    return wait
  }

  /** Back to the first delay. */
  reset (): void {
    this.delay = this.options.initialMs
  }
}
