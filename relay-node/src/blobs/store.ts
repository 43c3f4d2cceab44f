// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Where a relay keeps blobs: files, not LevelDB values, so a 100 MiB blob is streamed from disk a
 * chunk at a time and its space returns the moment it is deleted (no compaction).
 *
 * `blobs/<mailbox id hex>/<file id hex>/` is a chunk store (sealed chunks, hashes, bitmap; see
 * `ChunkStore` in core) and `<file id hex>.json` beside it records the bytes reserved against the
 * mailbox's quota and when the blob expires. The record is written (synced) before the chunk
 * store, so a blob on disk is always counted and always expires.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { ChunkStore, TAG_LENGTH, chunkCount, sealedChunkLength, writeFileDurably } from '@sotto/core/files'
import { FileQuotaError, FileTooLargeError } from '../errors.js'
import type { ChunkLayout } from '@sotto/core/files'

/** What a blob's record holds. */
interface BlobRecord {
  /** Sealed bytes reserved against the quota. */
  bytes: number
  /** Milliseconds since the epoch after which the blob is deleted. */
  expiresAt: number
}

/** Limits a new blob is checked against. */
export interface BlobLimits {
  /** Largest file (its real size), in bytes. */
  maxFileBytes: number
  /** Per mailbox: most sealed bytes of blobs held. */
  maxBytesPerMailbox: number
}

function hex (b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
}

/** Sealed bytes of a file of this layout. */
export function sealedBytesOf (layout: ChunkLayout): number {
  const count = chunkCount(layout.size, layout.chunkSize)
  return (count - 1) * (layout.chunkSize + TAG_LENGTH) + sealedChunkLength(layout.size, count - 1, layout.chunkSize)
}

/** The relay's blobs, under one directory. */
export class BlobStore {
  /** Reservations run one at a time per mailbox, so two uploads cannot both take the last bytes. */
  private readonly locks = new Map<string, Promise<unknown>>()

  constructor (private readonly root: string) {}

  private dirOf (mailboxId: Uint8Array, fileId: Uint8Array): string {
    return join(this.root, hex(mailboxId), hex(fileId))
  }

  /** Sealed bytes a mailbox's blobs hold (reserved), from their records. */
  async usage (mailboxId: Uint8Array): Promise<number> {
    let total = 0
    for (const record of await this.records(join(this.root, hex(mailboxId)))) total += record.bytes
    return total
  }

  private async records (dir: string): Promise<BlobRecord[]> {
    const names = await readdir(dir).catch(() => [] as string[])
    const out: BlobRecord[] = []
    for (const name of names.filter(n => n.endsWith('.json'))) {
      const record = await readRecord(join(dir, name))
      if (record != null) out.push(record)
    }
    return out
  }

  /**
   * Opens the blob for an upload, making it if it is new: checks the size and the mailbox's quota,
   * records the reservation, then makes the chunk store. Throws {@link FileTooLargeError},
   * {@link FileQuotaError}, or `FileIntegrityError` when another file is stored under the id.
   */
  async reserve (mailboxId: Uint8Array, fileId: Uint8Array, layout: ChunkLayout, hashes: Uint8Array[], limits: BlobLimits, expiresAt: number): Promise<ChunkStore> {
    if (layout.size > limits.maxFileBytes) throw new FileTooLargeError(`the relay takes files of at most ${limits.maxFileBytes} bytes`)
    const key = hex(mailboxId)
    const previous = this.locks.get(key) ?? Promise.resolve()
    const task = previous.catch(() => {}).then(async () => {
      const dir = this.dirOf(mailboxId, fileId)
      if (await readRecord(`${dir}.json`) == null) {
        const bytes = sealedBytesOf(layout)
        const used = await this.usage(mailboxId)
        if (used + bytes > limits.maxBytesPerMailbox) {
          throw new FileQuotaError(`the mailbox's file quota (${limits.maxBytesPerMailbox} bytes) has ${Math.max(0, limits.maxBytesPerMailbox - used)} bytes left`)
        }
        const record: BlobRecord = { bytes, expiresAt }
        await mkdir(join(this.root, key), { recursive: true })
        await writeFileDurably(`${dir}.json`, JSON.stringify(record))
      }
      return ChunkStore.create(dir, layout, hashes)
    })
    this.locks.set(key, task)
    try {
      return await task
    } finally {
      if (this.locks.get(key) === task) this.locks.delete(key)
    }
  }

  /** Opens a blob; undefined when there is none. */
  async open (mailboxId: Uint8Array, fileId: Uint8Array): Promise<ChunkStore | undefined> {
    return ChunkStore.open(this.dirOf(mailboxId, fileId))
  }

  /** Deletes a blob and its record; false when there was none. */
  async remove (mailboxId: Uint8Array, fileId: Uint8Array): Promise<boolean> {
    const dir = this.dirOf(mailboxId, fileId)
    const existed = await readRecord(`${dir}.json`) != null
    await ChunkStore.remove(dir)
    await rm(`${dir}.json`, { force: true })
    return existed
  }

  /** Deletes every blob expired at `now`, and leftovers of interrupted writes; returns how many blobs. */
  async purgeExpired (now: number): Promise<number> {
    let purged = 0
    for (const mailbox of await readdir(this.root).catch(() => [] as string[])) {
      const dir = join(this.root, mailbox)
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const path = join(dir, name)
        if (name.includes('.part-') || name.includes('.tmp-')) {
          await rm(path, { recursive: true, force: true })
          continue
        }
        if (!name.endsWith('.json')) continue
        const record = await readRecord(path)
        if (record != null && record.expiresAt > now) continue
        await ChunkStore.remove(path.slice(0, -'.json'.length))
        await rm(path, { force: true })
        purged++
      }
    }
    return purged
  }
}

async function readRecord (path: string): Promise<BlobRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(path, 'utf8')) as Partial<BlobRecord>
    if (typeof record.bytes !== 'number' || typeof record.expiresAt !== 'number') return { bytes: 0, expiresAt: 0 }
    return { bytes: record.bytes, expiresAt: record.expiresAt }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    // A damaged record expires at once rather than holding its space forever.
    return { bytes: 0, expiresAt: 0 }
  }
}
