// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Keyed mutual exclusion: work for one key runs one at a time, in call order.
 */

/** Runs functions one at a time per key. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>()

  /** Runs `fn` once every earlier call for `key` has settled. */
  async run<T> (key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const result = previous.then(fn, fn)
    const tail = result.catch(() => {})
    this.tails.set(key, tail)
    try {
      return await result
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
