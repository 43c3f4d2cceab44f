// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A file's sealed chunks on disk, with a bitmap of the chunks held durably: what a sender serves
 * from, what a recipient fills, what a relay keeps. Only sealed chunks are written (encrypted with
 * the file key, which lives in the encrypted message store), so the directory is encrypted at rest.
 *
 * One directory per file: `meta.json` (size, chunk size, count), `hashes` (the chunk hashes, in
 * order), `chunks` (chunk i at offset i × (chunk size + 16); the file is sparse while it fills) and
 * `bitmap` (bit i set once chunk i is durable). A directory appears whole: it is built under a
 * temporary name, synced, then renamed. Chunks are written as they come and {@link ChunkStore.commit}
 * syncs them before their bits are set and the bitmap synced, so after a kill -9 a set bit always
 * names a chunk on disk; chunks written but not committed are fetched again.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { FileIntegrityError, InvalidInputError } from '../errors.js'
import { HASH_LENGTH, TAG_LENGTH, chunkCount, chunkMatches, rootOf, sealedChunkLength } from './chunks.js'
import { bitmapLength, hasBit, setBit } from './frames.js'
import type { FileHandle } from 'node:fs/promises'

/** How a stored file is cut. */
export interface ChunkLayout {
  /** The file's real size in bytes. */
  size: number
  /** Plaintext bytes per chunk. */
  chunkSize: number
}

interface Meta extends ChunkLayout {
  version: 1
  count: number
}

async function syncDir (dir: string): Promise<void> {
  const fd = await open(dir, 'r')
  try {
    await fd.sync()
  } finally {
    await fd.close()
  }
}

async function writeSynced (path: string, data: Uint8Array | string): Promise<void> {
  const fd = await open(path, 'w')
  try {
    await fd.writeFile(data)
    await fd.sync()
  } finally {
    await fd.close()
  }
}

function concatHashes (hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_LENGTH)
  hashes.forEach((h, i) => { out.set(h, i * HASH_LENGTH) })
  return out
}

/** Sealed chunks of one file in one directory. Not safe for two writers at once. */
export class ChunkStore {
  /** Chunks written since the last commit, not yet in the bitmap. */
  private pending: number[] = []
  private held: number

  private constructor (
    /** The directory. */
    readonly dir: string,
    /** The layout. */
    readonly layout: ChunkLayout,
    /** Chunks in the file. */
    readonly count: number,
    private readonly hashList: Uint8Array,
    private readonly bits: Uint8Array<ArrayBuffer>,
    private readonly chunks: FileHandle,
    private readonly bitmapFile: FileHandle
  ) {
    this.held = 0
    for (let i = 0; i < count; i++) if (hasBit(bits, i)) this.held++
  }

  /**
   * Creates the directory for a file whose chunk hashes are known (a recipient's, after checking
   * them against the root; a relay's), with no chunk held. If it exists with the same layout and
   * hashes, opens it; if it exists with others, throws {@link FileIntegrityError}.
   */
  static async create (dir: string, layout: ChunkLayout, hashes: readonly Uint8Array[]): Promise<ChunkStore> {
    const count = checkLayout(layout)
    if (hashes.length !== count) throw new FileIntegrityError('the chunk list has the wrong length')
    const existing = await ChunkStore.open(dir)
    if (existing != null) {
      if (existing.layout.size !== layout.size || existing.layout.chunkSize !== layout.chunkSize ||
        !Buffer.from(existing.hashList).equals(concatHashes(hashes))) {
        await existing.close()
        throw new FileIntegrityError('another file is stored under this id')
      }
      return existing
    }
    await build(dir, layout, async (part) => {
      await writeSynced(join(part, 'hashes'), concatHashes(hashes))
      await writeSynced(join(part, 'bitmap'), new Uint8Array(bitmapLength(count)))
      await writeSynced(join(part, 'chunks'), new Uint8Array(0))
    })
    const store = await ChunkStore.open(dir)
    if (store == null) throw new FileIntegrityError('the chunk store vanished as it was made')
    return store
  }

  /**
   * Stores a whole file from its sealed chunks in order (a sender's copy to serve from), and
   * returns it with every chunk held. Memory stays one chunk, whatever the file's size.
   */
  static async fromChunks (dir: string, layout: ChunkLayout, sealed: AsyncIterable<{ index: number, sealed: Uint8Array, hash: Uint8Array }>): Promise<ChunkStore> {
    const count = checkLayout(layout)
    await build(dir, layout, async (part) => {
      const fd = await open(join(part, 'chunks'), 'w')
      const hashes: Uint8Array[] = []
      try {
        for await (const c of sealed) {
          if (c.index !== hashes.length) throw new InvalidInputError('chunks must come in order')
          await fd.write(c.sealed, 0, c.sealed.byteLength, c.index * (layout.chunkSize + TAG_LENGTH))
          hashes.push(c.hash)
        }
        await fd.sync()
      } finally {
        await fd.close()
      }
      if (hashes.length !== count) throw new InvalidInputError(`${hashes.length} chunks for a file of ${count}`)
      await writeSynced(join(part, 'hashes'), concatHashes(hashes))
      await writeSynced(join(part, 'bitmap'), new Uint8Array(bitmapLength(count)).fill(0xff))
    })
    const store = await ChunkStore.open(dir)
    if (store == null) throw new FileIntegrityError('the chunk store vanished as it was made')
    return store
  }

  /** Opens a file's directory; undefined when there is none. Throws for a damaged one. */
  static async open (dir: string): Promise<ChunkStore | undefined> {
    let meta: Meta
    try {
      meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Meta
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new FileIntegrityError('the chunk store is damaged', { cause: err })
    }
    const count = checkLayout(meta)
    if (meta.version !== 1 || meta.count !== count) throw new FileIntegrityError('the chunk store is damaged')
    const hashList = new Uint8Array(await readFile(join(dir, 'hashes')))
    const bits = new Uint8Array(await readFile(join(dir, 'bitmap')))
    if (hashList.byteLength !== count * HASH_LENGTH || bits.byteLength !== bitmapLength(count)) {
      throw new FileIntegrityError('the chunk store is damaged')
    }
    const chunks = await open(join(dir, 'chunks'), 'r+')
    const bitmapFile = await open(join(dir, 'bitmap'), 'r+')
    return new ChunkStore(dir, { size: meta.size, chunkSize: meta.chunkSize }, count, hashList, bits, chunks, bitmapFile)
  }

  /** Deletes a file's directory (nothing if there is none). */
  static async remove (dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true })
  }

  /** The hash of chunk `i`. */
  hash (i: number): Uint8Array {
    return this.hashList.subarray(i * HASH_LENGTH, (i + 1) * HASH_LENGTH)
  }

  /** Every chunk hash, in order. */
  hashes (): Uint8Array[] {
    return Array.from({ length: this.count }, (_, i) => this.hash(i))
  }

  /** SHA-256 over the chunk hashes. */
  root (): Uint8Array {
    return rootOf(this.hashes())
  }

  /** Whether chunk `i` is held durably. */
  has (i: number): boolean {
    return hasBit(this.bits, i)
  }

  /** A copy of the bitmap of durable chunks. */
  bitmap (): Uint8Array<ArrayBuffer> {
    return this.bits.slice()
  }

  /** Chunks held durably. */
  get heldCount (): number {
    return this.held
  }

  /** Chunks written since the last commit. */
  get pendingCount (): number {
    return this.pending.length
  }

  /** Whether every chunk is held durably. */
  get complete (): boolean {
    return this.held === this.count
  }

  /** Sealed bytes of the whole file. */
  get sealedBytes (): number {
    return (this.count - 1) * (this.layout.chunkSize + TAG_LENGTH) + sealedChunkLength(this.layout.size, this.count - 1, this.layout.chunkSize)
  }

  /**
   * Writes sealed chunk `i` after checking it against its hash; it counts as held after the next
   * {@link commit}. Throws {@link FileIntegrityError} for a chunk that is not the one named.
   */
  async write (i: number, sealed: Uint8Array): Promise<void> {
    if (!Number.isSafeInteger(i) || i < 0 || i >= this.count) throw new FileIntegrityError(`chunk ${i} is not in a file of ${this.count}`)
    if (!chunkMatches(sealed, this.hash(i))) throw new FileIntegrityError(`chunk ${i} does not match its hash`)
    if (this.has(i)) return
    await this.chunks.write(sealed, 0, sealed.byteLength, i * (this.layout.chunkSize + TAG_LENGTH))
    this.pending.push(i)
  }

  /** Makes the chunks written so far durable, then records them in the bitmap (synced). */
  async commit (): Promise<void> {
    if (this.pending.length === 0) return
    const done = this.pending
    this.pending = []
    await this.chunks.datasync()
    for (const i of done) {
      if (!this.has(i)) {
        setBit(this.bits, i)
        this.held++
      }
    }
    await this.bitmapFile.write(this.bits, 0, this.bits.byteLength, 0)
    await this.bitmapFile.datasync()
  }

  /** Reads sealed chunk `i`, which must be held. */
  async read (i: number): Promise<Uint8Array<ArrayBuffer>> {
    if (!this.has(i)) throw new FileIntegrityError(`chunk ${i} is not held`)
    const length = sealedChunkLength(this.layout.size, i, this.layout.chunkSize)
    const out = new Uint8Array(length)
    const { bytesRead } = await this.chunks.read(out, 0, length, i * (this.layout.chunkSize + TAG_LENGTH))
    if (bytesRead !== length) throw new FileIntegrityError(`chunk ${i} is cut short on disk`)
    return out
  }

  /** Closes the files (uncommitted chunks are not counted as held). */
  async close (): Promise<void> {
    await Promise.allSettled([this.chunks.close(), this.bitmapFile.close()])
  }
}

function checkLayout (layout: ChunkLayout): number {
  if (!Number.isSafeInteger(layout.chunkSize) || layout.chunkSize < 1024 || layout.chunkSize > 1024 * 1024) {
    throw new InvalidInputError('a chunk holds 1 KiB to 1 MiB')
  }
  return chunkCount(layout.size, layout.chunkSize)
}

async function build (dir: string, layout: ChunkLayout, fill: (part: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(dir), { recursive: true })
  const part = `${dir}.part-${randomBytes(4).toString('hex')}`
  await mkdir(part)
  try {
    await fill(part)
    const meta: Meta = { version: 1, size: layout.size, chunkSize: layout.chunkSize, count: chunkCount(layout.size, layout.chunkSize) }
    await writeSynced(join(part, 'meta.json'), JSON.stringify(meta))
    await syncDir(part)
    await rename(part, dir)
    await syncDir(dirname(dir))
  } catch (err) {
    await rm(part, { recursive: true, force: true })
    throw err
  }
}

/** Writes a file atomically and durably (for small sidecar records next to chunk stores). */
export async function writeFileDurably (path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`
  await writeSynced(tmp, data)
  await rename(tmp, path)
  await syncDir(dirname(path))
}
