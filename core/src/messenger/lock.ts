// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Mutual exclusion for a messenger's state changes.
 */
import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * Longest the mutex hands itself from holder to holder without letting I/O run. A holder whose
 * work needs no I/O (libsignal's stores read from memory) settles in microtasks only, so a queue
 * of them — a burst of sends — would otherwise keep sockets and the disk waiting until all are done.
 */
const TURN_MS = 4

/**
 * Runs functions one at a time, in call order.
 *
 * Every read-modify-write of a messenger's state runs under one mutex: libsignal sessions are
 * advanced both by sending and by receiving, and contact and message records are changed by both,
 * so two transactions must never interleave. A holder commits its transaction before releasing
 * (the commit makes its writes visible at once) but does not wait for the disk, so the mutex is
 * held only for the CPU work. While holders queue up, the mutex lets timers and I/O run every
 * {@link TURN_MS}, so what earlier holders committed leaves while later ones work.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve()
  private waiting = 0
  private busySince = 0

  /** Runs `fn` once every earlier call has settled. */
  async run<T> (fn: () => Promise<T>): Promise<T> {
    if (this.waiting++ === 0) this.busySince = performance.now()
    const turn = async (): Promise<T> => {
      if (performance.now() - this.busySince > TURN_MS) {
        await nextTurn()
        this.busySince = performance.now()
      }
      return await fn()
    }
    const result = this.tail.then(turn, turn)
    this.tail = result.catch(() => {}).finally(() => { this.waiting-- })
    return result
  }
}
