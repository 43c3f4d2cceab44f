// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The storage contract the rest of `core` codes against. The implementation (`open-store.ts`)
 * keeps everything in one level database, every value encrypted, every identifying key part hashed.
 */

/**
 * One part of a key. Strings are identifiers (peer ids, contact ids, message ids) and are stored
 * only as a keyed hash, so the database's key files reveal no contact. Numbers (sequence numbers,
 * timestamps) are stored as fixed-width big-endian so that ranges iterate in numeric order.
 * Numbers must be non-negative safe integers.
 */
export type KeyPart = string | number

/**
 * A key: a space (a short plain name such as `'session'` or `'msg'`, stored as is, never an
 * identifier) followed by parts.
 */
export type Key = readonly [space: string, ...parts: KeyPart[]]

/** Reads, seeing the writes queued by every committed transaction even before they reach disk. */
export interface StoreReader {
  /** The value at `key`, or undefined. */
  get(key: Key): Promise<Uint8Array | undefined>
  /**
   * Values whose keys start with `prefix`, in key order (numeric order for number parts).
   * `gte`/`lt` bound the first part after the prefix, which must be a number.
   *
   * Without bounds the key equal to `prefix` comes first, then number parts, then string parts
   * (strings in an order that is fixed per data directory but reveals nothing: their keyed hash).
   */
  values(prefix: Key, options?: RangeOptions): AsyncIterable<Uint8Array>
}

/** Options for {@link StoreReader.values}. */
export interface RangeOptions {
  /** Lowest value (inclusive) of the numeric part right after the prefix. */
  gte?: number
  /** Highest value (exclusive) of the numeric part right after the prefix. */
  lt?: number
  /** Newest first. */
  reverse?: boolean
  /** At most this many values. */
  limit?: number
}

/**
 * A unit of work: reads see its own writes first, then the store. Nothing is written until
 * {@link Transaction.commit}, which applies all its writes atomically.
 */
export interface Transaction extends StoreReader {
  put(key: Key, value: Uint8Array): void
  del(key: Key): void
  /**
   * Queues the writes for one atomic, synced write (group commit with other transactions).
   * From the moment `commit` is called, reads of the store see these writes. The promise resolves
   * once they are durable on disk; it rejects if the write failed, and then the store is closed
   * (a failed synced write leaves the process's view ahead of the disk).
   */
  commit(options?: CommitOptions): Promise<void>
}

/** How a commit reaches the disk. */
export interface CommitOptions {
  /**
   * `false`: the promise resolves once the writes are with the operating system, without waiting
   * for the disk. They survive the process being killed, and the next synced commit makes them
   * durable along with its own; a power cut may lose them, but only together with everything
   * committed after them. For state that is learnt again after such a loss (a delivery receipt:
   * the envelope is sent again and answered as a duplicate). Default `true`.
   */
  sync?: boolean
}

/** The encrypted store of one data directory. */
export interface Store extends StoreReader {
  /** Starts a transaction. */
  transaction(): Transaction
  /** A convenience: one transaction with one put, committed. */
  put(key: Key, value: Uint8Array): Promise<void>
  /** A convenience: one transaction with one delete, committed. */
  del(key: Key): Promise<void>
  /** Waits for queued commits, then closes the database and releases the directory lock. */
  close(): Promise<void>
  /** The schema version the data directory is at. */
  readonly schemaVersion: number
}

/** Where the storage key comes from. */
export type KeySource =
  | { kind: 'passphrase', passphrase: string }
  | { kind: 'host-key', key: Uint8Array }

/** Options for `openStore`. */
export interface OpenStoreOptions {
  /** The data directory; created if missing. The database lives in `<dir>/db`. */
  dir: string
  /** Unlocks (or, on first open, creates) the data directory. */
  keySource: KeySource
  /**
   * scrypt cost for passphrases, as log2(N). Default 17 (N = 131072, r = 8, p = 1, 128 MiB).
   * Tests may lower it; the value used is recorded in the directory.
   */
  scryptLogN?: number
  /**
   * The migrations to run, oldest first. Defaults to Sotto's own (`storeMigrations`); tests pass
   * their own to exercise the mechanism.
   */
  migrations?: readonly Migration[]
  /** Called after each batch is written: lets tests and metrics see group commit at work. */
  onBatch?: (batch: BatchInfo) => void
}

/** The view of the store a migration works on: one transaction, committed by the store. */
export type MigrationTransaction = Omit<Transaction, 'commit'>

/** One numbered step of the storage schema. */
export interface Migration {
  /** The version this step brings a directory to: 2 for the first step, then 3, and so on. */
  readonly version: number
  /** What changes, in a few words. */
  readonly description: string
  /** Rewrites the data. It must not commit `tx`; throwing leaves the directory as it was. */
  migrate(tx: MigrationTransaction): Promise<void> | void
}

/** What one batch carried. */
export interface BatchInfo {
  /** Transactions committed by this batch. */
  commits: number
  /** Puts and deletes in it. */
  operations: number
  /** How many of them were deletes. */
  deletions: number
  /** Whether it was synced: true unless every commit in it asked for `sync: false`. */
  synced: boolean
  /** Time from handing the batch to level until it was written, in milliseconds. */
  durationMs: number
}
