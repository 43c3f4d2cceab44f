// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A clock for tests: time stands still until the test moves it on with {@link FakeClock.advance}.
 */
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Clock, TimerHandle } from '../../src/util/index.js'

interface Timer {
  id: number
  at: number
  fn: () => void
}

/** A {@link Clock} whose time moves only when told to. */
export class FakeClock implements Clock {
  private time: number
  private nextId = 1
  private timers: Timer[] = []

  constructor (start = Date.UTC(2026, 0, 1)) {
    this.time = start
  }

  now (): number {
    return this.time
  }

  setTimeout (fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), fn }
    this.timers.push(timer)
    return timer.id
  }

  clearTimeout (handle: TimerHandle): void {
    this.timers = this.timers.filter(t => t.id !== handle)
  }

  /** How many timers wait. */
  get pending (): number {
    return this.timers.length
  }

  /** When the earliest timer fires, if any waits. */
  get nextAt (): number | undefined {
    return this.timers.reduce<number | undefined>((min, t) => min == null || t.at < min ? t.at : min, undefined)
  }

  /**
   * Moves time on by `ms`, firing each timer due on the way at its own time, in order, and letting
   * what it started run (I/O included) before the next.
   */
  async advance (ms: number): Promise<void> {
    const until = this.time + ms
    await nextTurn()
    for (;;) {
      const due = this.timers.filter(t => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (due == null) break
      this.timers = this.timers.filter(t => t !== due)
      this.time = Math.max(this.time, due.at)
      due.fn()
      await nextTurn()
    }
    this.time = until
  }
}
