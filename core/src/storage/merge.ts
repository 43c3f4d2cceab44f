// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reads see layers: a transaction's own writes over the store's pending commits over the
 * database. Each upper layer is a small sorted array that may hold deletions (tombstones).
 */

/** One entry of a layer, keyed by the {@link byteString} of its encoded key. */
export interface LayerEntry {
  /** The encoded key as a byte string: compares like the bytes. */
  k: string
  /** The encoded key. */
  key: Uint8Array
  /** The plaintext value, or null for a deletion. */
  value: Uint8Array | null
}

/**
 * The entries of `entries` whose `k` lies in [`gte`, `lt`), in iteration order.
 */
export function sortedRange (entries: Iterable<LayerEntry>, gte: string, lt: string, reverse: boolean): LayerEntry[] {
  const out: LayerEntry[] = []
  for (const e of entries) {
    if (e.k >= gte && e.k < lt) out.push(e)
  }
  out.sort(reverse ? (a, b) => compare(b.k, a.k) : (a, b) => compare(a.k, b.k))
  return out
}

/**
 * `top` laid over `base`: both in iteration order (ascending, or descending if `reverse`), an
 * entry of `top` replaces the entry of `base` with the same key, and deletions are dropped.
 */
export async function * mergeLayers (base: AsyncIterable<LayerEntry>, top: readonly LayerEntry[], reverse: boolean): AsyncGenerator<LayerEntry> {
  const before = reverse ? (a: string, b: string) => a > b : (a: string, b: string) => a < b
  let i = 0
  for await (const b of base) {
    let t = top[i]
    while (t !== undefined && before(t.k, b.k)) {
      if (t.value !== null) yield t
      t = top[++i]
    }
    if (t !== undefined && t.k === b.k) {
      if (t.value !== null) yield t
      i++
      continue
    }
    if (b.value !== null) yield b
  }
  for (; i < top.length; i++) {
    const t = top[i]
    if (t !== undefined && t.value !== null) yield t
  }
}

function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
