// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The one way the messenger's state changes, and typed repositories over its records.
 *
 * Every change takes the messenger's lock, runs in one transaction, commits it (which makes its
 * writes visible at once) and releases the lock; the caller then waits for the commit to be
 * durable, outside the lock, so that the next holder works while the disk writes. Reads check
 * each record against its schema: a record of the wrong shape is a {@link StorageCorruptError}.
 */
import { BugError, NotFoundError, StorageCorruptError } from '../errors.js'
import { DEFAULT_SETTINGS, decodeRecord, encodeRecord, keys } from './records.js'
import { fileKey, fileRefSchema } from './file-records.js'
import type { FileRef } from './file-records.js'
import {
  contactSchema, dueSchema, messageRefSchema, messageSchema, outboxSchema, pendingReceiptSchema, profileSchema,
  relaySchema, sentControlSchema, settingsSchema
} from './schemas.js'
import type { Mutex } from './lock.js'
import type { ContactRecord, MessageRecord, MessageRef, OutboxRecord, PendingReceipt, ProfileRecord, RelayRecord, SentControl } from './records.js'
import type { Settings } from './types.js'
import type { CommitOptions, Key, RangeOptions, Store, StoreReader, Transaction } from '../storage/types.js'
import type { z } from 'zod'

/** What a change may do besides writing to its transaction. */
export interface ChangeControl {
  /** Nothing changed: the transaction is dropped, not committed. */
  discard(): void
  /** Drops what was written so far: the fresh transaction returned is the one committed. */
  fresh(): Transaction
  /** Runs `fn` right after the commit, still under the lock (the writes are visible, not yet durable). */
  afterCommit(fn: () => void): void
  /** Runs `fn` once the commit settled: `durable` is false when it failed. */
  onSettled(fn: (durable: boolean) => void): void
}

/** A change that committed: what it returned, and the commit's durability. */
export interface Begun<R> {
  result: R
  /** Resolves once the commit is durable (or at once, when the change was discarded). */
  durable: Promise<void>
}

/** The store and the lock every change of the messenger's state goes through. */
export class State {
  constructor (readonly store: Store, readonly lock: Mutex) {}

  /**
   * Runs `fn` under the lock in a fresh transaction and commits it; resolves with what `fn`
   * returned once the commit is durable. `sync: false` for what may be learnt again after a power
   * cut (see {@link CommitOptions}).
   */
  async change<R> (fn: (tx: Transaction, control: ChangeControl) => Promise<R>, options: CommitOptions = {}): Promise<R> {
    const { result, durable } = await this.begin(fn, options)
    await durable
    return result
  }

  /** As {@link change}, but resolves once the lock is released, before the commit is durable. */
  async begin<R> (fn: (tx: Transaction, control: ChangeControl) => Promise<R>, options: CommitOptions = {}): Promise<Begun<R>> {
    const settled: Array<(durable: boolean) => void> = []
    const { result, commit } = await this.lock.run(async () => {
      let tx = this.store.transaction()
      let discarded = false
      const after: Array<() => void> = []
      const result = await fn(tx, {
        discard: () => { discarded = true },
        fresh: () => (tx = this.store.transaction()),
        afterCommit: f => { after.push(f) },
        onSettled: f => { settled.push(f) }
      })
      if (discarded) return { result, commit: Promise.resolve() }
      const commit = tx.commit(options)
      for (const f of after) f()
      return { result, commit }
    })
    const durable = commit.then(
      () => { for (const f of settled) f(true) },
      (err: unknown) => {
        for (const f of settled) f(false)
        throw err
      })
    return { result, durable }
  }
}

/** Records of one kind, by id: read with a check of their shape, written in a transaction. */
export class Repository<T, Id> {
  constructor (
    private readonly state: State,
    private readonly schema: z.ZodType<T>,
    private readonly keyOf: (id: Id) => Key,
    private readonly idOf: (record: T) => Id,
    private readonly name: string
  ) {}

  /** Checks bytes read from the store against the schema. */
  decode (bytes: Uint8Array): T {
    const parsed = this.schema.safeParse(decodeRecord<unknown>(bytes))
    if (!parsed.success) throw new StorageCorruptError(`a stored ${this.name} record is malformed`, { cause: parsed.error })
    return parsed.data
  }

  /** The record with `id`, or undefined; from `reader` (a transaction) or the store. */
  async get (id: Id, reader: StoreReader = this.state.store): Promise<T | undefined> {
    const bytes = await reader.get(this.keyOf(id))
    return bytes == null ? undefined : this.decode(bytes)
  }

  /** The record with `id`; throws NotFoundError without one. */
  async require (id: Id, reader: StoreReader = this.state.store): Promise<T> {
    const record = await this.get(id, reader)
    if (record == null) throw new NotFoundError(`no ${this.name} ${String(id)}`)
    return record
  }

  /** Writes `record` in `tx`, under its own id unless `id` is given. */
  put (tx: Transaction, record: T, id: Id = this.idOf(record)): void {
    tx.put(this.keyOf(id), encodeRecord(record))
  }

  /** Deletes the record with `id` in `tx`. */
  del (tx: Transaction, id: Id): void {
    tx.del(this.keyOf(id))
  }

  /** The records under `prefix` (a key of this kind without its last parts), in key order. */
  async * values (prefix: Key, options: RangeOptions = {}, reader: StoreReader = this.state.store): AsyncIterable<T> {
    for await (const bytes of reader.values(prefix, options)) yield this.decode(bytes)
  }

  /**
   * Changes the record with `id`: under the lock, reads it, runs `fn` on it (which may write more
   * in `tx`, or return false when nothing changed), writes it and commits; resolves with the record
   * once durable, or undefined when there is none.
   */
  async update (
    id: Id,
    fn: (record: T, tx: Transaction, control: ChangeControl) => Promise<boolean | void> | boolean | void,
    options: CommitOptions = {}
  ): Promise<T | undefined> {
    return this.state.change(async (tx, control) => {
      const record = await this.get(id, tx)
      if (record == null || await fn(record, tx, control) === false) {
        control.discard()
        return record
      }
      this.put(tx, record)
      return record
    }, options)
  }
}

/** A repository of a record kept under one fixed key. */
export class Singleton<T> {
  private readonly records: Repository<T, null>

  constructor (state: State, schema: z.ZodType<T>, key: Key, name: string) {
    this.records = new Repository(state, schema, () => key, () => null, name)
  }

  /** The record, or undefined. */
  async get (reader?: StoreReader): Promise<T | undefined> {
    return this.records.get(null, reader)
  }

  /** Writes it in `tx`. */
  put (tx: Transaction, record: T): void {
    this.records.put(tx, record)
  }
}

type Place = Pick<MessageRef, 'contactId' | 'sentAt' | 'order'>
type Due = MessageRef & { id: string, expiresAt: number }

/** The messenger's repositories, one per kind of record (see {@link ./records.ts} for the keys). */
export class Repositories {
  readonly profile: Singleton<ProfileRecord>
  readonly settings: Singleton<Partial<Settings>>
  readonly contacts: Repository<ContactRecord, string>
  /** Messages by place (conversation, time, order). */
  readonly messages: Repository<MessageRecord, Place>
  /** Where each message is, by id; tombstones included. */
  readonly refs: Repository<MessageRef, string>
  /** The unread index, by place. */
  readonly unread: Repository<MessageRef, Place>
  /** The expiry index, by time and order. */
  readonly expiries: Repository<Due, { expiresAt: number, order: number }>
  readonly outbox: Repository<OutboxRecord, { contactId: string, seq: number }>
  readonly relays: Repository<RelayRecord, string>
  readonly receipts: Repository<PendingReceipt, { contactId: string, id: string }>
  readonly controls: Repository<SentControl, string>
  /** The files of messages, by file id (hex). */
  readonly files: Repository<FileRef, string>

  constructor (readonly state: State) {
    this.profile = new Singleton(state, profileSchema, keys.profile(), 'profile')
    this.settings = new Singleton(state, settingsSchema, keys.settings(), 'settings')
    this.contacts = new Repository(state, contactSchema, keys.contact, c => c.id, 'contact')
    this.messages = new Repository<MessageRecord, Place>(state, messageSchema, keys.message, m => m, 'message')
    this.refs = new Repository<MessageRef, string>(state, messageRefSchema, keys.messageRef, r => {
      if (r.id == null) throw new BugError('a live message reference is written under its message id')
      return r.id
    }, 'message reference')
    this.unread = new Repository(state, messageRefSchema, keys.unread, r => r, 'unread')
    this.expiries = new Repository(state, dueSchema, d => keys.expiry(d.expiresAt, d.order), d => d, 'expiry')
    this.outbox = new Repository(state, outboxSchema, e => keys.outbox(e.contactId, e.seq), e => e, 'outbox')
    this.relays = new Repository(state, relaySchema, keys.relay, r => r.addr, 'relay')
    this.receipts = new Repository(state, pendingReceiptSchema, r => keys.pendingReceipt(r.contactId, r.id), r => r, 'pending receipt')
    this.controls = new Repository(state, sentControlSchema, keys.sentControl, c => c.id, 'sent control')
    this.files = new Repository(state, fileRefSchema, fileKey, f => f.fileId, 'file')
  }

  /** The settings, with defaults for what is not stored. */
  async currentSettings (): Promise<Settings> {
    return { ...DEFAULT_SETTINGS, ...await this.settings.get() }
  }

  /** A message by id, or undefined (also when it has disappeared). */
  async message (id: string, reader?: StoreReader): Promise<MessageRecord | undefined> {
    const ref = await this.refs.get(id, reader)
    if (ref == null || ref.gone === true) return undefined
    return this.messages.get(ref, reader)
  }
}
