// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Mutual exclusion for a messenger's state changes.
 */

/**
 * Runs functions one at a time, in call order.
 *
 * Every read-modify-write of a messenger's state runs under one mutex: libsignal sessions are
 * advanced both by sending and by receiving, and contact and message records are changed by both,
 * so two transactions must never interleave. A holder commits its transaction before releasing
 * (the commit makes its writes visible at once) but does not wait for the disk, so the mutex is
 * held only for the CPU work.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `fn` once every earlier call has settled. */
  async run<T> (fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => {})
    return result
  }
}
