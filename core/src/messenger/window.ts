// SPDX-License-Identifier: AGPL-3.0-only
/**
 * How much to send, or ask for, at once on a link that may break.
 */

/** Bounds of an {@link AdaptiveWindow}. */
export interface WindowBounds {
  /** The size to start from. */
  initial: number
  /** The size it never shrinks below. */
  min: number
  /** The size it never grows beyond. */
  max: number
}

/**
 * A window that doubles each time a whole window's worth got through, and halves when a link broke
 * with some of it unanswered. On a link that breaks often, what a break costs (everything in
 * flight is sent, or read, again) stays small; on a good link it reaches its maximum within a few
 * round trips.
 */
export class AdaptiveWindow {
  private current: number
  private through = 0

  constructor (private readonly bounds: WindowBounds) {
    this.current = bounds.initial
  }

  /** The window's size now. */
  get size (): number {
    return this.current
  }

  /** `count` more got through: a whole window's worth doubles the window. */
  answered (count = 1): void {
    this.through += count
    if (this.through >= this.current) {
      this.current = Math.min(this.bounds.max, this.current * 2)
      this.through = 0
    }
  }

  /** A link broke with some of the window unanswered: the window halves. */
  broke (): void {
    this.current = Math.max(this.bounds.min, Math.floor(this.current / 2))
    this.through = 0
  }
}
