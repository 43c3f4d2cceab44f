// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The embedded mailbox store: one LevelDB (classic-level) in the relay's data directory.
 *
 * Every write goes through a group commit: writes queued while a synced batch is on its way to
 * disk go together in the next one, so an acknowledged deposit is always on disk and throughput
 * grows with concurrency. Mailboxes, tokens and usage are also held in memory, loaded at open.
 *
 * Layout (all keys binary):
 * - `01 mailboxId` → version(1) publicKey(32) idCeiling(8): ids below it may have been used
 * - `02 tokenHash` → kind(1) mailboxId(32)
 * - `03 mailboxId tokenHash` → empty (the tokens of a mailbox)
 * - `04 mailboxId id(8)` → expiresAt(8) kind(1) envelope
 * - `05 expiresAt(8) mailboxId id(8)` → size(4) (the expiry index)
 */

import { ClassicLevel } from 'classic-level'
import { CapacityError, MailboxFullError, MailboxNotFoundError, StoreClosedError, TokenConflictError } from '../errors.js'
import type { AppendLimits, EnvelopePage, MailboxRecord, MailboxStore, MailboxUsage, StoreStats, TokenRecord } from './store.js'
import type { DepositTokenKind, MailboxEnvelope } from '@sotto/core/mailbox'

const MAILBOX = 0x01
const TOKEN = 0x02
const MAILBOX_TOKEN = 0x03
const ENVELOPE = 0x04
const EXPIRY = 0x05
const META_VERSION = 1
/** Ids are reserved this many at a time, so most appends need not rewrite the mailbox record. */
const ID_BLOCK = 4096
/** Most operations in one synced batch: bounds the latency of the writes behind it. */
const MAX_BATCH_OPS = 20_000

type Op = { type: 'put', key: Uint8Array, value: Uint8Array } | { type: 'del', key: Uint8Array }

/** Options of {@link levelMailboxStore}. */
export interface LevelMailboxStoreInit {
  /** Directory of the database (created if missing). */
  location: string
  /** Called after each synced batch with how many writes it carried (for metrics). */
  onCommit?(writes: number, seconds: number): void
  /** Called once if a synced write fails; the store is closed from then on. */
  onFailure?(err: Error): void
}

interface MailboxState {
  record: MailboxRecord
  nextId: number
  /** The ceiling on disk: every id below it may have been handed out, so a restart starts there. */
  idCeiling: number
  envelopes: number
  bytes: number
  tokens: Set<string>
}

function hex (b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
}

function key (...parts: Array<number | Uint8Array>): Uint8Array {
  let len = 0
  for (const p of parts) len += typeof p === 'number' ? 1 : p.byteLength
  const out = Buffer.allocUnsafe(len)
  let at = 0
  for (const p of parts) {
    if (typeof p === 'number') {
      out[at++] = p
    } else {
      out.set(p, at)
      at += p.byteLength
    }
  }
  return out
}

function u64 (n: number): Uint8Array {
  const b = Buffer.allocUnsafe(8)
  b.writeBigUInt64BE(BigInt(n))
  return b
}

function readU64 (b: Uint8Array, at: number): number {
  return Number(Buffer.from(b.buffer, b.byteOffset, b.byteLength).readBigUInt64BE(at))
}

function kindByte (kind: DepositTokenKind): number {
  return kind === 'contact' ? 1 : 2
}

function kindOf (byte: number | undefined): DepositTokenKind {
  return byte === 1 ? 'contact' : 'introduction'
}

function metaValue (publicKey: Uint8Array, nextId: number): Uint8Array {
  return key(META_VERSION, publicKey, u64(nextId))
}

const MAX_ID = u64(Number.MAX_SAFE_INTEGER)

/** Runs async sections one at a time. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve()

  async run<T> (fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn)
    this.tail = next.catch(() => {})
    return next
  }
}

/** Group commit: every write waits for one synced batch that carries it and its neighbours. */
class GroupCommit {
  private queue: Array<{ ops: Op[], resolve(): void, reject(err: Error): void }> = []
  private running = false
  failed?: Error

  constructor (private readonly db: ClassicLevel<Uint8Array, Uint8Array>, private readonly init: LevelMailboxStoreInit) {}

  async write (ops: Op[]): Promise<void> {
    if (this.failed != null) throw new StoreClosedError('mailbox store failed', { cause: this.failed })
    const done = new Promise<void>((resolve, reject) => { this.queue.push({ ops, resolve, reject }) })
    if (!this.running) void this.run()
    return done
  }

  private async run (): Promise<void> {
    this.running = true
    while (this.queue.length > 0) {
      let count = 0
      let take = 0
      while (take < this.queue.length && (take === 0 || count + (this.queue[take]?.ops.length ?? 0) <= MAX_BATCH_OPS)) {
        count += this.queue[take]?.ops.length ?? 0
        take++
      }
      const batch = this.queue.splice(0, take)
      const started = process.hrtime.bigint()
      try {
        if (count > 0) await this.db.batch(batch.flatMap(b => b.ops), { sync: true })
      } catch (err) {
        this.failed = err as Error
        const closed = new StoreClosedError('a synced write failed; the mailbox store is closed', { cause: err })
        for (const b of [...batch, ...this.queue.splice(0)]) b.reject(closed)
        this.init.onFailure?.(err as Error)
        break
      }
      this.init.onCommit?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9)
      for (const b of batch) b.resolve()
    }
    this.running = false
  }
}

class LevelMailboxStore implements MailboxStore {
  private readonly db: ClassicLevel<Uint8Array, Uint8Array>
  private readonly writer: GroupCommit
  private readonly deletions = new Lane()
  private readonly mailboxes = new Map<string, MailboxState>()
  private readonly tokens = new Map<string, TokenRecord>()
  private readonly deleting = new Map<string, Promise<void>>()
  private totalEnvelopes = 0
  private totalBytes = 0
  private closed = true

  constructor (private readonly init: LevelMailboxStoreInit) {
    this.db = new ClassicLevel<Uint8Array, Uint8Array>(init.location, { keyEncoding: 'view', valueEncoding: 'view' })
    this.writer = new GroupCommit(this.db, init)
  }

  async open (): Promise<void> {
    await this.db.open()
    for await (const [k, v] of this.db.iterator({ gt: key(MAILBOX), lt: key(MAILBOX + 1) })) {
      const id = k.subarray(1)
      this.mailboxes.set(hex(id), {
        record: { id: new Uint8Array(id), publicKey: new Uint8Array(v.subarray(1, 33)) },
        nextId: readU64(v, 33),
        idCeiling: readU64(v, 33),
        envelopes: 0,
        bytes: 0,
        tokens: new Set()
      })
    }
    for await (const [k, v] of this.db.iterator({ gt: key(TOKEN), lt: key(TOKEN + 1) })) {
      const mailboxId = new Uint8Array(v.subarray(1, 33))
      const h = hex(k.subarray(1))
      this.tokens.set(h, { mailboxId, kind: kindOf(v[0]) })
      this.mailboxes.get(hex(mailboxId))?.tokens.add(h)
    }
    for await (const [k, v] of this.db.iterator({ gt: key(EXPIRY), lt: key(EXPIRY + 1) })) {
      const st = this.mailboxes.get(hex(k.subarray(9, 41)))
      if (st == null) continue
      const size = Buffer.from(v.buffer, v.byteOffset, v.byteLength).readUInt32BE(0)
      st.envelopes++
      st.bytes += size
      this.totalEnvelopes++
      this.totalBytes += size
    }
    this.closed = false
  }

  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.writer.write([]).catch(() => {})
    await this.deletions.run(async () => {})
    await this.db.close()
  }

  private async write (ops: Op[]): Promise<void> {
    if (this.closed) throw new StoreClosedError('mailbox store is closed')
    return this.writer.write(ops)
  }

  stats (): StoreStats {
    return { mailboxes: this.mailboxes.size, tokens: this.tokens.size, envelopes: this.totalEnvelopes, bytes: this.totalBytes }
  }

  async createMailbox (record: MailboxRecord, maxMailboxes: number): Promise<boolean> {
    const h = hex(record.id)
    // A mailbox being deleted must be gone from disk before it can be made again.
    await this.deleting.get(h)
    if (this.mailboxes.has(h)) return false
    if (this.closed) throw new StoreClosedError('mailbox store is closed')
    if (this.mailboxes.size >= maxMailboxes) throw new CapacityError('the relay holds as many mailboxes as it may')
    this.mailboxes.set(h, { record, nextId: 1, idCeiling: 1, envelopes: 0, bytes: 0, tokens: new Set() })
    await this.write([{ type: 'put', key: key(MAILBOX, record.id), value: metaValue(record.publicKey, 1) }])
    return true
  }

  async getMailbox (id: Uint8Array): Promise<MailboxRecord | undefined> {
    return this.mailboxes.get(hex(id))?.record
  }

  async deleteMailbox (id: Uint8Array): Promise<boolean> {
    const h = hex(id)
    const st = this.mailboxes.get(h)
    if (st == null) return false
    this.mailboxes.delete(h)
    for (const t of st.tokens) this.tokens.delete(t)
    this.totalEnvelopes -= st.envelopes
    this.totalBytes -= st.bytes
    const deleted = this.deletions.run(async () => {
      // Appends accepted before the mailbox left memory must reach disk first, to be deleted too.
      await this.write([])
      const ops: Op[] = [{ type: 'del', key: key(MAILBOX, id) }]
      for await (const [k, v] of this.db.iterator({ gt: key(ENVELOPE, id), lt: key(ENVELOPE, id, MAX_ID) })) {
        ops.push({ type: 'del', key: k }, { type: 'del', key: key(EXPIRY, v.subarray(0, 8), id, k.subarray(33, 41)) })
      }
      for await (const k of this.db.keys({ gt: key(MAILBOX_TOKEN, id), lt: key(MAILBOX_TOKEN, id, 0xff) })) {
        ops.push({ type: 'del', key: k }, { type: 'del', key: key(TOKEN, k.subarray(33)) })
      }
      await this.write(ops)
    })
    this.deleting.set(h, deleted.catch(() => {}))
    try {
      await deleted
    } finally {
      this.deleting.delete(h)
    }
    return true
  }

  async putToken (tokenHash: Uint8Array, record: TokenRecord, maxTokens: number): Promise<void> {
    const st = this.mailboxes.get(hex(record.mailboxId))
    if (st == null) throw new MailboxNotFoundError('no such mailbox')
    const h = hex(tokenHash)
    const existing = this.tokens.get(h)
    if (existing != null && hex(existing.mailboxId) !== hex(record.mailboxId)) throw new TokenConflictError('token is registered to another mailbox')
    if (existing == null && st.tokens.size >= maxTokens) throw new CapacityError('the mailbox has as many tokens as it may')
    this.tokens.set(h, { mailboxId: st.record.id, kind: record.kind })
    st.tokens.add(h)
    await this.write([
      { type: 'put', key: key(TOKEN, tokenHash), value: key(kindByte(record.kind), st.record.id) },
      { type: 'put', key: key(MAILBOX_TOKEN, st.record.id, tokenHash), value: new Uint8Array(0) }
    ])
  }

  async getToken (tokenHash: Uint8Array): Promise<TokenRecord | undefined> {
    return this.tokens.get(hex(tokenHash))
  }

  async deleteToken (mailboxId: Uint8Array, tokenHash: Uint8Array): Promise<boolean> {
    const h = hex(tokenHash)
    const existing = this.tokens.get(h)
    if (existing == null || hex(existing.mailboxId) !== hex(mailboxId)) return false
    this.tokens.delete(h)
    this.mailboxes.get(hex(mailboxId))?.tokens.delete(h)
    await this.write([
      { type: 'del', key: key(TOKEN, tokenHash) },
      { type: 'del', key: key(MAILBOX_TOKEN, mailboxId, tokenHash) }
    ])
    return true
  }

  append (mailboxId: Uint8Array, envelope: Uint8Array, expiresAt: number, kind: DepositTokenKind, limits: AppendLimits): Promise<MailboxEnvelope> {
    // Everything up to the write happens now, synchronously: that is what orders calls.
    if (this.closed) return Promise.reject(new StoreClosedError('mailbox store is closed'))
    const st = this.mailboxes.get(hex(mailboxId))
    if (st == null) return Promise.reject(new MailboxNotFoundError('no such mailbox'))
    const size = envelope.byteLength
    if (st.envelopes + 1 > limits.maxEnvelopes || st.bytes + size > limits.maxBytes) {
      return Promise.reject(new MailboxFullError('mailbox is full'))
    }
    const id = st.nextId++
    st.envelopes++
    st.bytes += size
    this.totalEnvelopes++
    this.totalBytes += size
    const idBytes = u64(id)
    const expiry = u64(expiresAt)
    const sizeBytes = Buffer.allocUnsafe(4)
    sizeBytes.writeUInt32BE(size)
    const stored: MailboxEnvelope = { id, envelope, expiresAt, kind }
    const ops: Op[] = [
      { type: 'put', key: key(ENVELOPE, st.record.id, idBytes), value: key(expiry, kindByte(kind), envelope) },
      { type: 'put', key: key(EXPIRY, expiry, st.record.id, idBytes), value: sizeBytes }
    ]
    if (id >= st.idCeiling) {
      // Reserve the next block in the same batch: after a crash ids restart above it, never reused.
      st.idCeiling = id + ID_BLOCK
      ops.push({ type: 'put', key: key(MAILBOX, st.record.id), value: metaValue(st.record.publicKey, st.idCeiling) })
    }
    return this.write(ops).then(() => stored)
  }

  async list (mailboxId: Uint8Array, after: number, limit: number, maxBytes: number, now: number): Promise<EnvelopePage> {
    const envelopes: MailboxEnvelope[] = []
    let bytes = 0
    let more = false
    for await (const [k, v] of this.db.iterator({ gt: key(ENVELOPE, mailboxId, u64(after)), lt: key(ENVELOPE, mailboxId, MAX_ID) })) {
      const expiresAt = readU64(v, 0)
      if (expiresAt <= now) continue
      const envelope = new Uint8Array(v.subarray(9))
      if (envelopes.length >= limit || (envelopes.length > 0 && bytes + envelope.byteLength > maxBytes)) {
        more = true
        break
      }
      envelopes.push({ id: readU64(k, 33), envelope, expiresAt, kind: kindOf(v[8]) })
      bytes += envelope.byteLength
    }
    return { envelopes, more }
  }

  async remove (mailboxId: Uint8Array, ids: number[]): Promise<number> {
    return this.deletions.run(async () => {
      const keys = [...new Set(ids)].map(id => key(ENVELOPE, mailboxId, u64(id)))
      const values = await this.db.getMany(keys)
      const ops: Op[] = []
      const st = this.mailboxes.get(hex(mailboxId))
      values.forEach((v, i) => {
        const k = keys[i]
        if (v == null || k == null) return
        ops.push({ type: 'del', key: k }, { type: 'del', key: key(EXPIRY, v.subarray(0, 8), mailboxId, k.subarray(33, 41)) })
        if (st != null) {
          st.envelopes--
          st.bytes -= v.byteLength - 9
          this.totalEnvelopes--
          this.totalBytes -= v.byteLength - 9
        }
      })
      if (ops.length > 0) await this.write(ops)
      return ops.length / 2
    })
  }

  async purgeExpired (now: number): Promise<number> {
    return this.deletions.run(async () => {
      let purged = 0
      let ops: Op[] = []
      for await (const [k, v] of this.db.iterator({ gt: key(EXPIRY), lt: key(EXPIRY, u64(now + 1)) })) {
        const mailboxId = k.subarray(9, 41)
        ops.push({ type: 'del', key: k }, { type: 'del', key: key(ENVELOPE, mailboxId, k.subarray(41, 49)) })
        const st = this.mailboxes.get(hex(mailboxId))
        if (st != null) {
          const size = Buffer.from(v.buffer, v.byteOffset, v.byteLength).readUInt32BE(0)
          st.envelopes--
          st.bytes -= size
          this.totalEnvelopes--
          this.totalBytes -= size
        }
        purged++
        if (ops.length >= 1000) {
          await this.write(ops)
          ops = []
        }
      }
      if (ops.length > 0) await this.write(ops)
      return purged
    })
  }

  usage (mailboxId: Uint8Array): MailboxUsage | undefined {
    const st = this.mailboxes.get(hex(mailboxId))
    return st == null ? undefined : { envelopes: st.envelopes, bytes: st.bytes }
  }

  async compact (): Promise<void> {
    if (this.closed) return
    await this.db.compactRange(key(0x00), key(0xff))
  }
}

/** The embedded mailbox store, in one LevelDB directory. */
export function levelMailboxStore (init: LevelMailboxStoreInit): MailboxStore {
  return new LevelMailboxStore(init)
}
