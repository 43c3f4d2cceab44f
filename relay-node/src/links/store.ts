// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Where the relay keeps short links: a LevelDB in `<data>/links`, every write synced. A link is
 * its id, the mailbox that owns it, the sealed card (opaque: the key is in the link alone), and
 * when it expires; a deleted link stays as a tombstone until then, so that it answers "revoked".
 */
import { ClassicLevel } from 'classic-level'

/** One stored link. */
export interface LinkRecord {
  /** The owning mailbox's id, hex. */
  mailbox: string
  /** The sealed card; absent once revoked. */
  sealed?: Uint8Array
  /** Milliseconds since the epoch. */
  expiresAt: number
}

/** The link database, with an in-memory count of live links per mailbox. */
export class LinkStore {
  private readonly db: ClassicLevel<string, Uint8Array>
  private readonly perMailbox = new Map<string, number>()
  private total = 0

  constructor (location: string) {
    this.db = new ClassicLevel(location, { keyEncoding: 'utf8', valueEncoding: 'view' })
  }

  /** Opens the database and counts what it holds. */
  async open (): Promise<void> {
    await this.db.open()
    for await (const value of this.db.values()) this.count(decode(value), 1)
  }

  /** Closes the database. */
  async close (): Promise<void> {
    await this.db.close()
  }

  /** The link with this id (hex), expired or not, or undefined. */
  async get (id: string): Promise<LinkRecord | undefined> {
    const value = await this.db.get(id)
    return value == null ? undefined : decode(value)
  }

  /** Writes a link (or its tombstone), synced. */
  async put (id: string, record: LinkRecord): Promise<void> {
    const old = await this.get(id)
    await this.db.put(id, encode(record), { sync: true })
    if (old != null) this.count(old, -1)
    this.count(record, 1)
  }

  /** Live links (not revoked) of a mailbox. */
  liveLinks (mailbox: string): number {
    return this.perMailbox.get(mailbox) ?? 0
  }

  /** Links and tombstones held. */
  get size (): number {
    return this.total
  }

  /** Deletes every link and tombstone that expired; resolves to how many. */
  async purgeExpired (now: number): Promise<number> {
    const gone: Array<[string, LinkRecord]> = []
    for await (const [id, value] of this.db.iterator()) {
      const record = decode(value)
      if (record.expiresAt <= now) gone.push([id, record])
    }
    if (gone.length === 0) return 0
    await this.db.batch(gone.map(([id]) => ({ type: 'del' as const, key: id })), { sync: true })
    for (const [, record] of gone) this.count(record, -1)
    return gone.length
  }

  private count (record: LinkRecord, delta: number): void {
    this.total += delta
    if (record.sealed == null) return
    const n = (this.perMailbox.get(record.mailbox) ?? 0) + delta
    if (n <= 0) this.perMailbox.delete(record.mailbox)
    else this.perMailbox.set(record.mailbox, n)
  }
}

// A value: expiry (8 bytes, big-endian ms), the mailbox id (32 bytes), then the sealed card, if any.
function encode (record: LinkRecord): Uint8Array {
  const out = Buffer.alloc(40 + (record.sealed?.byteLength ?? 0))
  out.writeBigUInt64BE(BigInt(record.expiresAt), 0)
  Buffer.from(record.mailbox, 'hex').copy(out, 8)
  if (record.sealed != null) out.set(record.sealed, 40)
  return out
}

function decode (bytes: Uint8Array): LinkRecord {
  const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const record: LinkRecord = { mailbox: value.subarray(8, 40).toString('hex'), expiresAt: Number(value.readBigUInt64BE(0)) }
  if (value.byteLength > 40) record.sealed = new Uint8Array(value.subarray(40))
  return record
}
