// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The embedded mailbox store: one LevelDB (classic-level) in the relay's data directory; the
 * layout is in `level-codec.ts`.
 *
 * Every write goes through a group commit: writes queued while a synced batch is on its way to
 * disk go together in the next one, so an acknowledged deposit is always on disk and throughput
 * grows with concurrency. Mailboxes and their usage are held in memory, loaded at open; tokens
 * live on disk, with the most recently used ones cached, so that memory does not grow with them
 * (a mailbox may register thousands).
 */

import { toHex } from '@sotto/core/util'
import { ClassicLevel } from 'classic-level'
import { CapacityError, MailboxFullError, MailboxNotFoundError, StoreClosedError, TokenConflictError } from '../errors.js'
import { GroupCommit, Lane } from './group-commit.js'
import {
  ENVELOPE, EXPIRY, MAILBOX, MAILBOX_TOKEN, MAX_ID, TOKEN, expiryValue, key, kindByte, kindOf,
  metaValue, readExpiry, readMeta, readU64, u64
} from './level-codec.js'
import type { GroupCommitInit, Op } from './group-commit.js'
import type { AppendLimits, EnvelopePage, MailboxRecord, MailboxStore, MailboxUsage, StoreStats, TokenLimits, TokenRecord } from './store.js'
import type { DepositTokenKind, MailboxEnvelope } from '@sotto/core/mailbox'

/** Ids are reserved this many at a time, so most appends need not rewrite the mailbox record. */
const ID_BLOCK = 4096
/** Tokens kept in memory by default, most recently used first: about 20 MiB. */
const TOKEN_CACHE_SIZE = 100_000

/** Options of {@link levelMailboxStore}. */
export interface LevelMailboxStoreInit extends GroupCommitInit {
  /** Directory of the database (created if missing). */
  location: string
  /** The clock (ms), for mailboxes whose records predate owner activity. Default `Date.now`. */
  now?(): number
  /** Most tokens kept in memory; the others are read from disk when used. Default 100,000. */
  tokenCacheSize?: number
}

interface MailboxState {
  record: MailboxRecord
  nextId: number
  /** The ceiling on disk: every id below it may have been handed out, so a restart starts there. */
  idCeiling: number
  usage: MailboxUsage
  tokens: number
  lastActive: number
  /** The owner's last activity as written on disk. */
  persistedActive: number
}

function emptyUsage (): MailboxUsage {
  return { envelopes: 0, bytes: 0, introductionEnvelopes: 0, introductionBytes: 0 }
}

class LevelMailboxStore implements MailboxStore {
  private readonly db: ClassicLevel<Uint8Array, Uint8Array>
  private readonly writer: GroupCommit
  private readonly deletions = new Lane()
  private readonly tokenWrites = new Lane()
  private readonly mailboxes = new Map<string, MailboxState>()
  /** Recently used tokens; a Map iterates in insertion order, so the first is the oldest. */
  private readonly tokenCache = new Map<string, TokenRecord>()
  /** Tokens being revoked: gone for readers before the deletion reaches the disk. */
  private readonly revoking = new Set<string>()
  private readonly deleting = new Map<string, Promise<void>>()
  private readonly total = { tokens: 0, ...emptyUsage() }
  private closed = true

  constructor (private readonly init: LevelMailboxStoreInit) {
    this.db = new ClassicLevel<Uint8Array, Uint8Array>(init.location, { keyEncoding: 'view', valueEncoding: 'view' })
    this.writer = new GroupCommit(this.db, init)
  }

  async open (): Promise<void> {
    await this.db.open()
    const now = (this.init.now ?? Date.now)()
    for await (const [k, v] of this.db.iterator({ gt: key(MAILBOX), lt: key(MAILBOX + 1) })) {
      const id = new Uint8Array(k.subarray(1))
      const meta = readMeta(v)
      // Records from before owner activity was kept start their idle time now.
      const lastActive = meta.lastActive ?? now
      this.mailboxes.set(toHex(id), {
        record: { id, publicKey: meta.publicKey },
        nextId: meta.idCeiling,
        idCeiling: meta.idCeiling,
        usage: emptyUsage(),
        tokens: 0,
        lastActive,
        persistedActive: lastActive
      })
    }
    for await (const v of this.db.values({ gt: key(TOKEN), lt: key(TOKEN + 1) })) {
      const st = this.mailboxes.get(toHex(v.subarray(1, 33)))
      if (st == null) continue
      st.tokens++
      this.total.tokens++
    }
    for await (const [k, v] of this.db.iterator({ gt: key(EXPIRY), lt: key(EXPIRY + 1) })) {
      const st = this.mailboxes.get(toHex(k.subarray(9, 41)))
      if (st == null) continue
      const { size, kind } = readExpiry(v)
      this.count(st, size, kind ?? await this.kindOnDisk(k), 1)
    }
    this.closed = false
  }

  /** The kind of the envelope an expiry index key points at (for index values that lack it). */
  private async kindOnDisk (expiryKey: Uint8Array): Promise<DepositTokenKind> {
    const v = await this.db.get(key(ENVELOPE, expiryKey.subarray(9, 41), expiryKey.subarray(41, 49)))
    return kindOf(v?.[8])
  }

  /** Adds (`sign` 1) or takes away (-1) an envelope from a mailbox's usage and the totals. */
  private count (st: MailboxState | undefined, size: number, kind: DepositTokenKind, sign: 1 | -1): void {
    if (st == null) return
    const usage = st.usage
    usage.envelopes += sign
    usage.bytes += sign * size
    if (kind === 'introduction') {
      usage.introductionEnvelopes += sign
      usage.introductionBytes += sign * size
    }
    this.total.envelopes += sign
    this.total.bytes += sign * size
  }

  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.writer.write([]).catch(() => {})
    await this.deletions.run(async () => {})
    await this.tokenWrites.run(async () => {})
    await this.db.close()
  }

  private async write (ops: Op[]): Promise<void> {
    if (this.closed) throw new StoreClosedError('mailbox store is closed')
    return this.writer.write(ops)
  }

  stats (): StoreStats {
    return { mailboxes: this.mailboxes.size, tokens: this.total.tokens, envelopes: this.total.envelopes, bytes: this.total.bytes }
  }

  private metaOf (st: MailboxState): Op {
    return { type: 'put', key: key(MAILBOX, st.record.id), value: metaValue({ publicKey: st.record.publicKey, idCeiling: st.idCeiling, lastActive: st.persistedActive }) }
  }

  async createMailbox (record: MailboxRecord, maxMailboxes: number, now = Date.now()): Promise<boolean> {
    const h = toHex(record.id)
    // A mailbox being deleted must be gone from disk before it can be made again.
    await this.deleting.get(h)
    if (this.mailboxes.has(h)) return false
    if (this.closed) throw new StoreClosedError('mailbox store is closed')
    if (this.mailboxes.size >= maxMailboxes) throw new CapacityError('the relay holds as many mailboxes as it may')
    const st: MailboxState = { record, nextId: 1, idCeiling: 1, usage: emptyUsage(), tokens: 0, lastActive: now, persistedActive: now }
    this.mailboxes.set(h, st)
    await this.write([this.metaOf(st)])
    return true
  }

  async touch (id: Uint8Array, now: number, persistAfterMs: number): Promise<void> {
    const st = this.mailboxes.get(toHex(id))
    if (st == null || now <= st.lastActive) return
    st.lastActive = now
    if (now - st.persistedActive < persistAfterMs) return
    st.persistedActive = now
    await this.write([this.metaOf(st)])
  }

  idleMailboxes (before: number): Uint8Array[] {
    const out: Uint8Array[] = []
    for (const st of this.mailboxes.values()) if (st.lastActive < before) out.push(st.record.id)
    return out
  }

  async getMailbox (id: Uint8Array): Promise<MailboxRecord | undefined> {
    return this.mailboxes.get(toHex(id))?.record
  }

  async deleteMailbox (id: Uint8Array): Promise<boolean> {
    const h = toHex(id)
    const st = this.mailboxes.get(h)
    if (st == null) return false
    this.mailboxes.delete(h)
    this.total.tokens -= st.tokens
    this.total.envelopes -= st.usage.envelopes
    this.total.bytes -= st.usage.bytes
    const deleted = this.deletions.run(async () => {
      // Appends accepted before the mailbox left memory must reach disk first, to be deleted too.
      await this.write([])
      const ops: Op[] = [{ type: 'del', key: key(MAILBOX, id) }]
      for await (const [k, v] of this.db.iterator({ gt: key(ENVELOPE, id), lt: key(ENVELOPE, id, MAX_ID) })) {
        ops.push({ type: 'del', key: k }, { type: 'del', key: key(EXPIRY, v.subarray(0, 8), id, k.subarray(33, 41)) })
      }
      for await (const k of this.db.keys({ gt: key(MAILBOX_TOKEN, id), lt: key(MAILBOX_TOKEN, id, 0xff) })) {
        ops.push({ type: 'del', key: k }, { type: 'del', key: key(TOKEN, k.subarray(33)) })
        this.tokenCache.delete(toHex(k.subarray(33)))
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

  async putToken (tokenHash: Uint8Array, record: TokenRecord, limits: TokenLimits): Promise<void> {
    await this.tokenWrites.run(async () => {
      const st = this.mailboxes.get(toHex(record.mailboxId))
      if (st == null) throw new MailboxNotFoundError('no such mailbox')
      const h = toHex(tokenHash)
      const existing = await this.getToken(tokenHash)
      if (existing != null && toHex(existing.mailboxId) !== toHex(record.mailboxId)) throw new TokenConflictError('token is registered to another mailbox')
      if (existing == null && st.tokens >= limits.perMailbox) throw new CapacityError('the mailbox has as many tokens as it may')
      if (existing == null && this.total.tokens >= limits.total) throw new CapacityError('the relay holds as many tokens as it may')
      if (existing == null) {
        st.tokens++
        this.total.tokens++
      }
      this.cache(h, { mailboxId: st.record.id, kind: record.kind })
      await this.write([
        { type: 'put', key: key(TOKEN, tokenHash), value: key(kindByte(record.kind), st.record.id) },
        { type: 'put', key: key(MAILBOX_TOKEN, st.record.id, tokenHash), value: new Uint8Array(0) }
      ])
    })
  }

  private cache (h: string, record: TokenRecord): void {
    this.tokenCache.delete(h)
    this.tokenCache.set(h, record)
    if (this.tokenCache.size > (this.init.tokenCacheSize ?? TOKEN_CACHE_SIZE)) {
      const oldest = this.tokenCache.keys().next().value
      if (oldest != null) this.tokenCache.delete(oldest)
    }
  }

  async getToken (tokenHash: Uint8Array): Promise<TokenRecord | undefined> {
    const h = toHex(tokenHash)
    if (this.revoking.has(h)) return undefined
    let record = this.tokenCache.get(h)
    if (record == null) {
      if (this.closed) throw new StoreClosedError('mailbox store is closed')
      const v = await this.db.get(key(TOKEN, tokenHash))
      // Revoked, or its mailbox deleted, while the disk was read.
      if (v == null || this.revoking.has(h)) return undefined
      const st = this.mailboxes.get(toHex(v.subarray(1, 33)))
      if (st == null) return undefined
      record = { mailboxId: st.record.id, kind: kindOf(v[0]) }
    }
    // A token of a deleted mailbox may linger in the cache until its deletion reaches it.
    if (!this.mailboxes.has(toHex(record.mailboxId))) return undefined
    this.cache(h, record)
    return record
  }

  async deleteToken (mailboxId: Uint8Array, tokenHash: Uint8Array): Promise<boolean> {
    return this.tokenWrites.run(async () => {
      const h = toHex(tokenHash)
      const existing = await this.getToken(tokenHash)
      if (existing == null || toHex(existing.mailboxId) !== toHex(mailboxId)) return false
      const st = this.mailboxes.get(toHex(mailboxId))
      if (st != null) st.tokens--
      this.total.tokens--
      this.tokenCache.delete(h)
      this.revoking.add(h)
      try {
        await this.write([
          { type: 'del', key: key(TOKEN, tokenHash) },
          { type: 'del', key: key(MAILBOX_TOKEN, mailboxId, tokenHash) }
        ])
      } finally {
        this.revoking.delete(h)
      }
      return true
    })
  }

  append (mailboxId: Uint8Array, envelope: Uint8Array, expiresAt: number, kind: DepositTokenKind, limits: AppendLimits): Promise<MailboxEnvelope> {
    // Everything up to the write happens now, synchronously: that is what orders calls.
    if (this.closed) return Promise.reject(new StoreClosedError('mailbox store is closed'))
    const st = this.mailboxes.get(toHex(mailboxId))
    if (st == null) return Promise.reject(new MailboxNotFoundError('no such mailbox'))
    const size = envelope.byteLength
    const u = st.usage
    if (u.envelopes + 1 > limits.maxEnvelopes || u.bytes + size > limits.maxBytes) {
      return Promise.reject(new MailboxFullError('mailbox is full'))
    }
    if (kind === 'introduction' &&
      (u.introductionEnvelopes + 1 > (limits.maxIntroductionEnvelopes ?? Infinity) || u.introductionBytes + size > (limits.maxIntroductionBytes ?? Infinity))) {
      return Promise.reject(new MailboxFullError('mailbox holds as many introductions as it may'))
    }
    const id = st.nextId++
    this.count(st, size, kind, 1)
    const idBytes = u64(id)
    const expiry = u64(expiresAt)
    const stored: MailboxEnvelope = { id, envelope, expiresAt, kind }
    const ops: Op[] = [
      { type: 'put', key: key(ENVELOPE, st.record.id, idBytes), value: key(expiry, kindByte(kind), envelope) },
      { type: 'put', key: key(EXPIRY, expiry, st.record.id, idBytes), value: expiryValue(size, kind) }
    ]
    if (id >= st.idCeiling) {
      // Reserve the next block in the same batch: after a crash ids restart above it, never reused.
      st.idCeiling = id + ID_BLOCK
      ops.push(this.metaOf(st))
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
      const st = this.mailboxes.get(toHex(mailboxId))
      values.forEach((v, i) => {
        const k = keys[i]
        if (v == null || k == null) return
        ops.push({ type: 'del', key: k }, { type: 'del', key: key(EXPIRY, v.subarray(0, 8), mailboxId, k.subarray(33, 41)) })
        this.count(st, v.byteLength - 9, kindOf(v[8]), -1)
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
        const st = this.mailboxes.get(toHex(mailboxId))
        if (st != null) {
          const { size, kind } = readExpiry(v)
          this.count(st, size, kind ?? await this.kindOnDisk(k), -1)
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
    const st = this.mailboxes.get(toHex(mailboxId))
    return st == null ? undefined : { ...st.usage }
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
