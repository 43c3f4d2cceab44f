// SPDX-License-Identifier: AGPL-3.0-only
/** The store's cache of decrypted durable values, so hot keys skip level and the cipher. */

/**
 * A bounded map of decrypted durable values. Evicts the oldest entries when full; large values are
 * not kept.
 */
export class ValueCache {
  private static readonly MAX_ENTRIES = 4096
  private static readonly MAX_VALUE_BYTES = 16 * 1024
  private readonly entries = new Map<string, Uint8Array | null>()

  /** The cached value (null: known absent), or undefined when not cached. */
  get (k: string): Uint8Array | null | undefined {
    return this.entries.get(k)
  }

  /** Caches a copy of `value` (null: known absent) under `k`, unless it is large. */
  set (k: string, value: Uint8Array | null): void {
    this.entries.delete(k)
    if (value !== null && value.byteLength > ValueCache.MAX_VALUE_BYTES) return
    this.entries.set(k, value === null ? null : value.slice())
    // Evicted an eighth at a time: a Map finds its oldest entry by skipping the ones deleted before
    // it, so evicting one per insertion costs a walk over ever more of them.
    if (this.entries.size > ValueCache.MAX_ENTRIES + ValueCache.MAX_ENTRIES / 8) {
      let excess = this.entries.size - ValueCache.MAX_ENTRIES
      for (const oldest of this.entries.keys()) {
        this.entries.delete(oldest)
        if (--excess === 0) break
      }
    }
  }

  /** Forgets every value. */
  clear (): void {
    this.entries.clear()
  }
}
