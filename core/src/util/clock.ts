// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Time as a component: parts that wait take a {@link Clock}, so that tests can move time on
 * instead of waiting for it.
 */

/** A pending timer of a {@link Clock}. */
export type TimerHandle = unknown

/** Where time comes from. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Calls `fn` once, `ms` from now. A pending timer never keeps the process alive. */
  setTimeout(fn: () => void, ms: number): TimerHandle
  /** Cancels a timer (a fired or unknown one is ignored). */
  clearTimeout(timer: TimerHandle): void
}

/** The system's clock; its timers are unref'd. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms)
    timer.unref()
    return timer
  },
  clearTimeout: timer => { clearTimeout(timer as NodeJS.Timeout | undefined) }
}

/** Resolves `ms` from now on `clock`, or earlier once the function given to `onWake` is called. */
export async function sleep (clock: Clock, ms: number, onWake: (wake: () => void) => void = () => {}): Promise<void> {
  await new Promise<void>(resolve => {
    const timer = clock.setTimeout(resolve, ms)
    onWake(() => {
      clock.clearTimeout(timer)
      resolve()
    })
  })
}

/** Calls `fn` every `ms` on `clock` until the returned function is called. */
export function every (clock: Clock, ms: number, fn: () => void): () => void {
  let timer: TimerHandle
  let stopped = false
  const arm = (): void => {
    timer = clock.setTimeout(() => {
      if (stopped) return
      arm()
      fn()
    }, ms)
  }
  arm()
  return () => {
    stopped = true
    clock.clearTimeout(timer)
  }
}
