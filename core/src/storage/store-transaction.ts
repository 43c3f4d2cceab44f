// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A transaction of the encrypted store: its writes, kept apart (and seen by its own reads) until
 * it commits them to the store in one piece.
 */

import { BugError } from '../errors.js'
import { byteString } from './key-codec.js'
import type { LayerEntry } from './merge.js'
import type { CommitOptions, Key, RangeOptions, Transaction } from './types.js'

/** A raw operation of a level batch. */
export type BatchOp =
  | { type: 'put', key: Uint8Array, value: Uint8Array }
  | { type: 'del', key: Uint8Array }

/** What a transaction needs of its store. */
export interface TransactionHost {
  /** Throws StoreClosedError once the store is closing, closed or failed. */
  assertOpen(): void
  /** The encoded form of `key`. */
  encode(key: Key): Uint8Array
  /** The value of an encoded key as the store sees it (`k` is its byte string). */
  read(encoded: Uint8Array, k: string): Promise<Uint8Array | undefined>
  /** Values under `prefix`, with `own` (the transaction's writes) over the store's. */
  iterate(prefix: Key, options: RangeOptions | undefined, own: Map<string, LayerEntry> | undefined): AsyncIterable<Uint8Array>
  /** Applies `writes` and `raw` atomically; resolves once they are written. */
  commit(writes: readonly LayerEntry[], raw: BatchOp[], sync?: boolean): Promise<void>
}

/** A transaction of a {@link TransactionHost}; usable until it is committed. */
export class StoreTransaction implements Transaction {
  private readonly store: TransactionHost
  private readonly writes = new Map<string, LayerEntry>()
  private committed = false

  constructor (store: TransactionHost) {
    this.store = store
  }

  put (key: Key, value: Uint8Array): void {
    this.assertUsable()
    if (!(value instanceof Uint8Array)) throw new BugError('a stored value must be a Uint8Array')
    const encoded = this.store.encode(key)
    // Copied (a Buffer's slice would share memory): the caller may reuse its buffer.
    this.writes.set(byteString(encoded), { k: byteString(encoded), key: encoded, value: new Uint8Array(value) })
  }

  del (key: Key): void {
    this.assertUsable()
    const encoded = this.store.encode(key)
    this.writes.set(byteString(encoded), { k: byteString(encoded), key: encoded, value: null })
  }

  async get (key: Key): Promise<Uint8Array | undefined> {
    this.assertUsable()
    this.store.assertOpen()
    const encoded = this.store.encode(key)
    const k = byteString(encoded)
    const own = this.writes.get(k)
    if (own !== undefined) return own.value?.slice()
    return await this.store.read(encoded, k)
  }

  values (prefix: Key, options?: RangeOptions): AsyncIterable<Uint8Array> {
    this.assertUsable()
    return this.store.iterate(prefix, options, this.writes)
  }

  commit (options: CommitOptions = {}): Promise<void> {
    return this.commitWith([], options.sync ?? true)
  }

  /** Commits the transaction's writes together with raw operations (the meta record). */
  commitWith (raw: BatchOp[], sync = true): Promise<void> {
    try {
      this.assertUsable()
    } catch (err) {
      return Promise.reject(err)
    }
    this.committed = true
    return this.store.commit([...this.writes.values()], raw, sync)
  }

  private assertUsable (): void {
    if (this.committed) throw new BugError('this transaction was already committed')
  }
}
