// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The encrypted store of a data directory: one classic-level database at `<dir>/db`.
 *
 * Writes go through transactions. A commit lays its writes over the store at once (the overlay),
 * so every read sees them, and queues them; one writer hands level everything queued while the
 * previous batch was in flight as one batch (group commit), sealing only the last value each key
 * takes in it, and synced unless no commit in it asked for that. A commit's promise resolves when
 * its batch is written, and its overlay entries are then dropped, unless a later commit, still
 * pending, has written the same key since.
 */

import { chmod, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ClassicLevel } from 'classic-level'
import {
  BugError, DataDirectoryLockedError, InvalidInputError, StorageCorruptError, StorageWriteError,
  StoreClosedError, UnsupportedSchemaError
} from '../errors.js'
import { byteString, KeyCodec, META_KEY } from './key-codec.js'
import { mergeLayers, sortedRange } from './merge.js'
import type { LayerEntry } from './merge.js'
import {
  checkKeySource, checkScryptLogN, DEFAULT_SCRYPT_LOG_N, deriveSubKeys, encodeMeta, newDataKey,
  newKdfParams, unlockMeta, wrapDataKey
} from './meta-record.js'
import type { KdfParams } from './meta-record.js'
import { BASE_SCHEMA_VERSION, latestSchemaVersion, storeMigrations } from './migrations.js'
import { StoreTransaction } from './store-transaction.js'
import type { BatchOp, TransactionHost } from './store-transaction.js'
import type { BatchInfo, Key, KeySource, OpenStoreOptions, RangeOptions, Store, Transaction } from './types.js'
import { ValueCache } from './value-cache.js'
import { ValueCipher } from './value-cipher.js'

type Database = ClassicLevel<Uint8Array, Uint8Array>

interface PendingEntry extends LayerEntry {
  /** The commit that wrote it. */
  seq: number
}

interface PendingCommit {
  seq: number
  /** Its writes, sealed only when its batch is written. */
  writes: readonly LayerEntry[]
  /** Raw operations (the meta record), written as they are. */
  raw: BatchOp[]
  /** Must be synced (see `CommitOptions.sync` in types.ts). */
  sync: boolean
  resolve: () => void
  reject: (err: Error) => void
}

/** How the data key is wrapped, kept to rewrite the meta record. */
interface KeyWrapping {
  dataKey: Uint8Array
  kdf: KdfParams
  wrappedKey: Uint8Array
  metaKey: Uint8Array
}

/**
 * Opens (creating it if new) the encrypted store of `options.dir`, runs pending migrations and
 * holds the directory's lock until {@link Store.close}.
 *
 * Throws InvalidInputError for bad options (a host key that is not 32 bytes, an empty passphrase),
 * WrongPassphraseError if the key source does not unlock the directory, DataDirectoryLockedError if
 * it is open elsewhere, UnsupportedSchemaError if a newer Sotto wrote it, StorageCorruptError if it
 * is damaged. On any error the directory's data is left as it was.
 */
export async function openStore (options: OpenStoreOptions): Promise<Store> {
  if (options == null || typeof options.dir !== 'string' || options.dir === '') {
    throw new InvalidInputError('openStore needs a data directory')
  }
  checkKeySource(options.keySource)
  const logN = options.scryptLogN ?? DEFAULT_SCRYPT_LOG_N
  checkScryptLogN(logN)
  const migrations = options.migrations ?? storeMigrations
  const latest = latestSchemaVersion(migrations)

  if (await mkdir(options.dir, { recursive: true, mode: 0o700 }) !== undefined) {
    // mkdir's mode is masked by the umask; the directory must be private regardless.
    await chmod(options.dir, 0o700)
  }
  const db: Database = new ClassicLevel(join(options.dir, 'db'), { keyEncoding: 'view', valueEncoding: 'view' })
  try {
    await db.open()
  } catch (err) {
    throw mapOpenError(err, options.dir)
  }

  try {
    const existing = await db.get(META_KEY)
    let wrapping: KeyWrapping
    let schemaVersion: number
    if (existing === undefined) {
      for await (const _ of db.keys({ limit: 1 })) {
        throw new StorageCorruptError(`the data directory ${options.dir} holds data but no meta record`)
      }
      const dataKey = newDataKey()
      const kdf = newKdfParams(options.keySource, logN)
      const wrappedKey = await wrapDataKey(dataKey, options.keySource, kdf)
      wrapping = { dataKey, kdf, wrappedKey, metaKey: deriveSubKeys(dataKey).meta }
      schemaVersion = latest
      await db.put(META_KEY, encodeMeta(kdf, wrappedKey, schemaVersion, wrapping.metaKey), { sync: true })
    } else {
      const meta = await unlockMeta(existing, options.keySource)
      if (meta.schemaVersion > latest) {
        throw new UnsupportedSchemaError(`the data directory is at storage schema ${meta.schemaVersion}; this Sotto knows up to ${latest}. Update Sotto`)
      }
      wrapping = { dataKey: meta.dataKey, kdf: meta.kdf, wrappedKey: meta.wrappedKey, metaKey: meta.subKeys.meta }
      schemaVersion = meta.schemaVersion
    }

    const store = new EncryptedStore(db, wrapping, schemaVersion, options.onBatch)
    for (const migration of migrations.slice(schemaVersion - BASE_SCHEMA_VERSION)) {
      const tx = new StoreTransaction(store)
      await migration.migrate(tx)
      await tx.commitWith([store.metaOp(migration.version, wrapping)])
      store.migrated(migration.version)
    }
    return store
  } catch (err) {
    await db.close().catch(() => {})
    throw err
  }
}

/** Options for {@link changeKeySource}. */
export interface ChangeKeySourceOptions {
  /** scrypt cost (log2 N) for a new passphrase; default {@link DEFAULT_SCRYPT_LOG_N}. */
  scryptLogN?: number
  /**
   * The key source the user says opens the directory now: checked against the stored meta record
   * first, and a WrongPassphraseError thrown, with nothing written, if it does not unlock it.
   */
  current?: KeySource
}

/**
 * Re-wraps the data key of an open store for a new key source (a new passphrase, or a key from the
 * OS keychain instead of a passphrase). Only the meta record changes, in one synced write of one
 * key: a crash leaves the old record or the new one, never a mix. It is durable when this
 * resolves, and the old key source no longer opens the directory.
 */
export async function changeKeySource (store: Store, keySource: KeySource, options: ChangeKeySourceOptions = {}): Promise<void> {
  const encrypted = ownStore(store)
  checkKeySource(keySource)
  const logN = options.scryptLogN ?? DEFAULT_SCRYPT_LOG_N
  checkScryptLogN(logN)
  if (options.current !== undefined) {
    checkKeySource(options.current)
    await encrypted.verify(options.current)
  }
  await encrypted.rewrap(keySource, logN)
}

/**
 * Compacts the whole database: values deleted or overwritten, and the deletion markers themselves,
 * are dropped from its files (the write-ahead log included), so deleted data does not linger on
 * disk. Waits for queued commits first. Takes a while on a large store; reads and writes go on.
 */
export async function compactStore (store: Store): Promise<void> {
  await ownStore(store).compact()
}

function ownStore (store: Store): EncryptedStore {
  if (!(store instanceof EncryptedStore)) throw new BugError('this needs a store from openStore')
  return store
}

function mapOpenError (err: unknown, dir: string): Error {
  const code = (err as { code?: unknown } | null)?.code
  const causeCode = (err as { cause?: { code?: unknown } } | null)?.cause?.code
  if (code === 'LEVEL_LOCKED' || causeCode === 'LEVEL_LOCKED') {
    return new DataDirectoryLockedError(`the data directory ${dir} is in use: another Sotto (or this one) has it open`, { cause: err })
  }
  if (code === 'LEVEL_CORRUPTION' || causeCode === 'LEVEL_CORRUPTION') {
    return new StorageCorruptError(`the database in ${dir} is damaged`, { cause: err })
  }
  return err instanceof Error ? err : new Error(String(err))
}

class EncryptedStore implements Store, TransactionHost {
  private readonly db: Database
  private readonly codec: KeyCodec
  private readonly cipher: ValueCipher
  private readonly onBatch: ((batch: BatchInfo) => void) | undefined
  private wrapping: KeyWrapping
  private version: number
  /** Writes of commits not yet durable, newest per key; null values are deletions. */
  private readonly overlay = new Map<string, PendingEntry>()
  /** Durable values recently read or written (null: absent), so hot keys skip level and the cipher. */
  private readonly cache = new ValueCache()
  private queue: PendingCommit[] = []
  private writing = false
  private writeScheduled = false
  private seq = 0
  private state: 'open' | 'closing' | 'closed' = 'open'
  private failure: Error | undefined
  private idleWaiters: Array<() => void> = []
  private closing: Promise<void> | undefined
  private dbClosing: Promise<void> | undefined

  constructor (db: Database, wrapping: KeyWrapping, schemaVersion: number, onBatch: ((batch: BatchInfo) => void) | undefined) {
    const subKeys = deriveSubKeys(wrapping.dataKey)
    this.db = db
    this.codec = new KeyCodec(subKeys.keyHash)
    this.cipher = new ValueCipher(subKeys.value)
    this.wrapping = wrapping
    this.version = schemaVersion
    this.onBatch = onBatch
  }

  get schemaVersion (): number {
    return this.version
  }

  /** Records that a migration to `version` is durable. */
  migrated (version: number): void {
    this.version = version
  }

  transaction (): Transaction {
    this.assertOpen()
    return new StoreTransaction(this)
  }

  async put (key: Key, value: Uint8Array): Promise<void> {
    const tx = this.transaction()
    tx.put(key, value)
    await tx.commit()
  }

  async del (key: Key): Promise<void> {
    const tx = this.transaction()
    tx.del(key)
    await tx.commit()
  }

  async get (key: Key): Promise<Uint8Array | undefined> {
    this.assertOpen()
    const encoded = this.codec.encode(key)
    return await this.read(encoded, byteString(encoded))
  }

  values (prefix: Key, options?: RangeOptions): AsyncIterable<Uint8Array> {
    return this.iterate(prefix, options, undefined)
  }

  async close (): Promise<void> {
    if (this.closing !== undefined) return await this.closing
    if (this.state === 'open') this.state = 'closing'
    this.closing = (async () => {
      await this.idle()
      this.state = 'closed'
      await this.closeDb()
    })()
    return await this.closing
  }

  /** Throws StoreClosedError once the store is closing, closed or failed. */
  assertOpen (): void {
    if (this.state !== 'open') {
      throw new StoreClosedError(this.failure !== undefined
        ? 'the store closed itself after a failed write'
        : 'the store is closed', { cause: this.failure })
    }
  }

  encode (key: Key): Uint8Array {
    return this.codec.encode(key)
  }

  /** The value of an encoded key as the store sees it: pending commits first, then the database. */
  async read (encoded: Uint8Array, k: string): Promise<Uint8Array | undefined> {
    const pending = this.overlay.get(k)
    if (pending !== undefined) return pending.value?.slice()
    const cached = this.cache.get(k)
    if (cached !== undefined) return cached?.slice()
    let sealed: Uint8Array | undefined
    try {
      // Synchronous: a point read is a bloom filter check or one block, mostly from memory, far
      // cheaper than a round trip through the thread pool — which callers holding the messenger's
      // mutex would otherwise wait for.
      sealed = this.db.getSync(encoded)
    } catch (err) {
      throw this.readError(err)
    }
    const value = sealed === undefined ? undefined : this.cipher.open(encoded, sealed)
    this.cache.set(k, value ?? null)
    return value?.slice()
  }

  /**
   * Values under `prefix`: `own` (a transaction's writes) over pending commits over the database.
   */
  async * iterate (prefix: Key, options: RangeOptions = {}, own: Map<string, LayerEntry> | undefined): AsyncGenerator<Uint8Array> {
    this.assertOpen()
    const { limit, reverse = false } = options
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
      throw new BugError(`limit must be a non-negative integer, not ${limit}`)
    }
    const range = this.codec.range(prefix, options)
    if (limit === 0) return
    const gte = byteString(range.gte)
    const lt = byteString(range.lt)
    // The overlay and the database iterator's snapshot are taken in the same tick: an entry
    // leaves the overlay only once its batch is in the database, so none is missed or doubled.
    const pending = sortedRange(this.overlay.values(), gte, lt, reverse)
    const iterator = this.db.iterator({ gte: range.gte, lt: range.lt, reverse })
    try {
      let merged = mergeLayers(this.stored(iterator), pending, reverse)
      if (own !== undefined && own.size > 0) merged = mergeLayers(merged, sortedRange(own.values(), gte, lt, reverse), reverse)
      let count = 0
      for await (const entry of merged) {
        if (entry.value === null) continue
        // Layers above the database hold arrays that later reads share: hand out copies.
        yield entry.value.slice()
        if (++count === limit) return
      }
    } catch (err) {
      throw this.readError(err)
    } finally {
      await iterator.close().catch(() => {})
    }
  }

  /**
   * Applies `writes` and `raw` atomically: visible to reads now, written (synced unless `sync` is
   * false) when the promise resolves.
   */
  commit (writes: readonly LayerEntry[], raw: BatchOp[], sync = true): Promise<void> {
    if (this.state !== 'open') {
      try {
        this.assertOpen()
      } catch (err) {
        return Promise.reject(err)
      }
    }
    const seq = ++this.seq
    for (const w of writes) this.overlay.set(w.k, { ...w, seq })
    const done = new Promise<void>((resolve, reject) => {
      this.queue.push({ seq, writes, raw, sync, resolve, reject })
    })
    this.scheduleWrite()
    return done
  }

  /** The batch operation writing the meta record at `schemaVersion`. */
  metaOp (schemaVersion: number, wrapping: KeyWrapping): BatchOp {
    return { type: 'put', key: META_KEY, value: encodeMeta(wrapping.kdf, wrapping.wrappedKey, schemaVersion, wrapping.metaKey) }
  }

  /** Throws WrongPassphraseError unless `keySource` unlocks the stored meta record. */
  async verify (keySource: KeySource): Promise<void> {
    this.assertOpen()
    await this.idle()
    const stored = await this.db.get(META_KEY)
    if (stored === undefined) throw new StorageCorruptError('the data directory has no meta record')
    await unlockMeta(stored, keySource)
  }

  /** Compacts every key of the database once queued commits are written. */
  async compact (): Promise<void> {
    this.assertOpen()
    await this.idle()
    // Every encoded key, the meta record's 0x00 included, sorts from 0x00 up to below 0xff 0xff.
    await this.db.compactRange(new Uint8Array([0x00]), new Uint8Array([0xff, 0xff]))
  }

  /** Wraps the data key for `keySource` and commits the new meta record. */
  async rewrap (keySource: KeySource, logN: number): Promise<void> {
    this.assertOpen()
    const kdf = newKdfParams(keySource, logN)
    const wrappedKey = await wrapDataKey(this.wrapping.dataKey, keySource, kdf)
    const wrapping = { ...this.wrapping, kdf, wrappedKey }
    const written = this.commit([], [this.metaOp(this.version, wrapping)])
    // Set now, in commit order, so that a later meta write (a migration) keeps this wrapping.
    this.wrapping = wrapping
    await written
  }

  /**
   * Writes the queue on the next turn of the event loop: the continuations of commits that just
   * resolved run first and usually commit again, so they join the same batch.
   */
  private scheduleWrite (): void {
    if (this.writeScheduled || this.writing) return
    this.writeScheduled = true
    setImmediate(() => {
      this.writeScheduled = false
      this.writeQueued()
    })
  }

  /** Hands everything queued to level as one synced batch, unless a batch is in flight. */
  private writeQueued (): void {
    if (this.writing || this.state === 'closed') return
    const group = this.queue
    if (group.length === 0) {
      for (const wake of this.idleWaiters.splice(0)) wake()
      return
    }
    this.queue = []
    this.writing = true
    const ops = this.batchOps(group)
    // Synced if any commit needs it: a synced write makes every earlier one durable with it.
    const sync = group.some(c => c.sync)
    const started = performance.now()
    const written = ops.length > 0 ? this.db.batch(ops, { sync }) : Promise.resolve()
    written.then(() => {
      const last = group[group.length - 1]?.seq ?? 0
      for (const c of group) {
        for (const { k } of c.writes) {
          const entry = this.overlay.get(k)
          if (entry !== undefined && entry.seq <= last) {
            this.overlay.delete(k)
            this.cache.set(k, entry.value)
          }
        }
      }
      this.writing = false
      if (ops.length > 0) {
        try {
          this.onBatch?.({ commits: group.length, operations: ops.length, deletions: ops.filter(op => op.type === 'del').length, synced: sync, durationMs: performance.now() - started })
        } catch {
          // A hook that throws must not lose the commits' outcome.
        }
      }
      for (const c of group) c.resolve()
      if (this.queue.length > 0) this.scheduleWrite()
      else for (const wake of this.idleWaiters.splice(0)) wake()
    }, (err: unknown) => {
      this.fail(err, group)
    })
  }

  /**
   * The operations of `group` as one batch: the last write of each key, sealed. A batch is atomic,
   * so the values a key held in between would never be seen on disk; a session or contact record
   * rewritten by every commit of a burst is sealed once per batch.
   */
  private batchOps (group: PendingCommit[]): BatchOp[] {
    const last = new Map<string, LayerEntry>()
    for (const c of group) for (const w of c.writes) last.set(w.k, w)
    const ops: BatchOp[] = []
    for (const w of last.values()) {
      ops.push(w.value === null
        ? { type: 'del', key: w.key }
        : { type: 'put', key: w.key, value: this.cipher.seal(w.key, w.value) })
    }
    for (const c of group) ops.push(...c.raw)
    return ops
  }

  /** A batch failed: the process's view is ahead of the disk, so reject everything and close. */
  private fail (err: unknown, group: PendingCommit[]): void {
    const failure = new StorageWriteError('a synced write to the data directory failed; the store closed itself', { cause: err })
    this.failure = failure
    this.state = 'closed'
    this.writing = false
    for (const c of group) c.reject(failure)
    const closed = new StoreClosedError('the store closed itself after a failed write', { cause: failure })
    for (const c of this.queue.splice(0)) c.reject(closed)
    this.overlay.clear()
    this.cache.clear()
    for (const wake of this.idleWaiters.splice(0)) wake()
    void this.closeDb()
  }

  private async idle (): Promise<void> {
    if (!this.writing && this.queue.length === 0) return
    await new Promise<void>(resolve => { this.idleWaiters.push(resolve) })
  }

  private async closeDb (): Promise<void> {
    this.dbClosing ??= this.db.close().catch(() => {})
    await this.dbClosing
  }

  private async * stored (iterator: AsyncIterable<[Uint8Array, Uint8Array]>): AsyncGenerator<LayerEntry> {
    for await (const [key, sealed] of iterator) {
      yield { k: byteString(key), key, value: this.cipher.open(key, sealed) }
    }
  }

  private readError (err: unknown): unknown {
    if (this.state !== 'open' && !(err instanceof StorageCorruptError)) {
      return new StoreClosedError('the store was closed during the read', { cause: err })
    }
    return err
  }
}
