// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The two halves of moving sealed chunks over one stream of `/sotto/file/1.0.0`, shared by peers
 * and relays: {@link sendChunks} (Hashes frames, then the chunks asked for, then Done) and
 * {@link receiveChunks} (the hash list checked against the root before any chunk is accepted,
 * every chunk checked by its hash before it is stored, the bitmap committed in batches).
 *
 * Memory stays flat: one chunk is read ahead while one is written, every write waits for the
 * stream to drain, and a reader that falls behind pauses the stream (see `frameStream`).
 */
import {
  FileIntegrityError, NotFoundError, ProtocolError, QuotaExceededError, RelayRequestError, TooLargeError, UnauthorizedError
} from '../errors.js'
import { HASH_LENGTH, TAG_LENGTH, checkChunkHashes, chunkCount } from './chunks.js'
import { FlightWindow } from './flight.js'
import { ChunkStore } from './chunk-store.js'
import { FileStatus, HASHES_PER_FRAME, MAX_CHUNKS, MAX_PROTOCOL_CHUNK_SIZE, bitmapLength, hasBit } from './frames.js'
import type { ChunkLayout } from './chunk-store.js'
import type { FileSecrets } from './chunks.js'
import type { FileFrame } from './frames.js'
import type { Frames } from '../protocol/index.js'

/** Chunks a receiver writes between two commits (2 MiB at 64 KiB chunks): one fsync per batch. */
export const COMMIT_EVERY = 32

/** Called as chunks become durable: chunks held, of how many. */
export type ProgressListener = (held: number, count: number) => void

/** Sends the hash list in frames of {@link HASHES_PER_FRAME}. */
export async function sendHashes (f: Frames<FileFrame>, hashes: Uint8Array[]): Promise<void> {
  for (let start = 0; start < hashes.length; start += HASHES_PER_FRAME) {
    const page = hashes.slice(start, start + HASHES_PER_FRAME)
    const packed = new Uint8Array(page.length * HASH_LENGTH)
    page.forEach((h, i) => { packed.set(h, i * HASH_LENGTH) })
    await f.write({ hashes: { start, hashes: packed } })
  }
}

/** Reads a hash list of `count` hashes, in order. */
export async function readHashes (f: Frames<FileFrame>, count: number): Promise<Uint8Array[]> {
  const hashes: Uint8Array[] = []
  while (hashes.length < count) {
    const frame = await f.read()
    if (frame?.done != null) throw errorOf(frame.done.status, frame.done.message)
    if (frame?.hashes == null) throw new ProtocolError('expected the chunk hashes')
    if (frame.hashes.start !== hashes.length) throw new FileIntegrityError('the chunk hashes came out of order')
    const packed = frame.hashes.hashes
    for (let o = 0; o < packed.byteLength; o += HASH_LENGTH) hashes.push(packed.slice(o, o + HASH_LENGTH))
    if (hashes.length > count) throw new FileIntegrityError('the chunk list is too long')
  }
  return hashes
}

/** Checks a layout a peer announced: sizes the protocol carries. Returns the chunk count. */
export function checkProtocolLayout (layout: ChunkLayout): number {
  if (!Number.isSafeInteger(layout.chunkSize) || layout.chunkSize < 1024 || layout.chunkSize > MAX_PROTOCOL_CHUNK_SIZE) {
    throw new ProtocolError('the chunk size is outside what the protocol carries')
  }
  if (!Number.isSafeInteger(layout.size) || layout.size < 0) throw new ProtocolError('the file size is not valid')
  const count = chunkCount(layout.size, layout.chunkSize)
  if (count > MAX_CHUNKS) throw new TooLargeError('the file has more chunks than the protocol carries')
  return count
}

/**
 * Serves a FETCH: the hash list, then each held chunk from `from` on that the requester does not
 * have (`have`), then Done. A chunk is read from disk while the previous one is being sent.
 */
export async function sendChunks (f: Frames<FileFrame>, store: ChunkStore, from: number, have: Uint8Array, acks = false): Promise<number> {
  await sendHashes(f, store.hashes())
  const flight = acks ? new AckedFlight(f, store.layout.chunkSize + TAG_LENGTH) : undefined
  const sent = await sendHeld(f, store, from, have, flight)
  await f.write({ done: { status: FileStatus.OK, message: '' } })
  return sent
}

/**
 * A {@link FlightWindow} fed by the reader's Received frames, read as they arrive (so that each
 * acknowledgement's delay is measured when it came, not when the sender next looked).
 */
class AckedFlight {
  private readonly window: FlightWindow
  private ended?: Error
  private wake?: () => void

  constructor (private readonly f: Frames<FileFrame>, chunkBytes: number) {
    this.window = new FlightWindow({ chunkBytes })
    this.read().then(
      () => { this.ended = new ProtocolError('the reader stopped acknowledging chunks') },
      (err: unknown) => { this.ended = err instanceof Error ? err : new Error(String(err)) }
    ).finally(() => { this.wake?.() })
  }

  private async read (): Promise<void> {
    while (true) {
      const frame = await this.f.read()
      // The reader closes its side once it has the Done frame; nothing more is acknowledged then.
      if (frame == null) return
      if (frame.received == null) throw new ProtocolError('expected a Received frame')
      try {
        this.window.onAcked(frame.received.chunks)
      } catch (err) {
        throw new ProtocolError('the reader acknowledged chunks that were not sent', { cause: err })
      }
      this.wake?.()
    }
  }

  /** Resolves once `bytes` more may be sent; throws what ended the acknowledgements. */
  async room (bytes: number): Promise<void> {
    while (!this.window.mayCarry(bytes)) {
      if (this.ended != null) throw this.ended
      await new Promise<void>(resolve => { this.wake = resolve })
    }
  }

  /** A chunk of `bytes` went out. */
  sent (bytes: number): void { this.window.onSent(bytes) }
}

/**
 * Sends each chunk from `from` on that the store holds and `skip` does not name, reading the
 * next from disk while one is being sent. Returns how many were sent.
 */
export async function sendHeld (f: Frames<FileFrame>, store: ChunkStore, from: number, skip: Uint8Array, flight?: Pick<AckedFlight, 'room' | 'sent'>): Promise<number> {
  const nextWanted = (start: number): number => {
    let i = Math.max(0, start)
    while (i < store.count && (hasBit(skip, i) || !store.has(i))) i++
    return i
  }
  let sent = 0
  let i = nextWanted(from)
  let next = i < store.count ? store.read(i) : undefined
  while (next != null) {
    const sealed = await next
    const j = nextWanted(i + 1)
    next = j < store.count ? store.read(j) : undefined
    await flight?.room(sealed.byteLength)
    await f.write({ chunk: { index: i, sealed } })
    flight?.sent(sealed.byteLength)
    sent++
    i = j
  }
  return sent
}

/** What a receiver asks for: the first chunk it lacks and the bitmap of those it holds. */
export async function resumePoint (dir: string): Promise<{ from: number, have: Uint8Array }> {
  const store = await ChunkStore.open(dir)
  if (store == null) return { from: 0, have: new Uint8Array(0) }
  try {
    let from = 0
    while (from < store.count && store.has(from)) from++
    return { from, have: store.bitmap() }
  } finally {
    await store.close()
  }
}

/** Options of {@link receiveChunks}. */
export interface ReceiveOptions {
  /** Called after each commit. */
  onProgress?: ProgressListener
  /** Acknowledge each chunk on receipt with a Received frame (the FETCH asked for `acks`). */
  acks?: boolean
}

/**
 * Receives a FETCH's answer into the chunk store at `dir`: checks the hash list against the
 * file's root before accepting any chunk, each chunk against its hash before storing it, commits
 * every {@link COMMIT_EVERY} chunks and when the stream ends. Resolves once every chunk is held;
 * throws {@link FileIntegrityError} for a bad hash list or chunk, the mapped error for a Done
 * that is not OK, {@link ProtocolError} when the sender stops early.
 */
export async function receiveChunks (f: Frames<FileFrame>, secrets: FileSecrets, dir: string, options: ReceiveOptions = {}): Promise<void> {
  const count = checkProtocolLayout(secrets)
  const hashes = await readHashes(f, count)
  checkChunkHashes(secrets, hashes)
  const store = await ChunkStore.create(dir, { size: secrets.size, chunkSize: secrets.chunkSize }, hashes)
  let written = 0
  try {
    while (true) {
      const frame = await f.read()
      if (frame?.chunk != null) {
        // On receipt, before the disk: the sender paces itself on the link, not on our fsyncs. Not
        // awaited: acknowledgements written in one turn go out together, and the chunk is not held
        // up by a write; a write that fails means the stream failed, which the next read reports.
        if (options.acks === true) f.write({ received: { chunks: written + 1 } }).catch(() => {})
        await store.write(frame.chunk.index, frame.chunk.sealed)
        if (++written % COMMIT_EVERY === 0) {
          await store.commit()
          options.onProgress?.(store.heldCount, store.count)
        }
        continue
      }
      await store.commit()
      options.onProgress?.(store.heldCount, store.count)
      if (frame?.done == null) throw new ProtocolError(frame == null ? 'the sender stopped early' : 'unexpected frame from the sender')
      if (frame.done.status !== FileStatus.OK) throw errorOf(frame.done.status, frame.done.message)
      if (!store.complete) throw new ProtocolError(`the sender stopped with ${store.count - store.heldCount} chunks missing`)
      return
    }
  } catch (err) {
    // Whatever arrived whole and checked is kept, so the next attempt resumes after it.
    await store.commit().catch(() => {})
    throw err
  } finally {
    await store.close()
  }
}

/** The error a Done status stands for. */
export function errorOf (status: FileStatus, message: string): Error {
  const text = message !== '' ? message : status
  switch (status) {
    case FileStatus.UNAUTHORIZED: return new UnauthorizedError(text)
    case FileStatus.QUOTA: return new QuotaExceededError(text)
    case FileStatus.TOO_LARGE: return new TooLargeError(text)
    case FileStatus.NOT_FOUND: return new NotFoundError(text)
    case FileStatus.BAD_REQUEST: return new ProtocolError(text)
    default: return new RelayRequestError(text, status)
  }
}

/** A Have frame over a store's durable chunks. */
export function haveOf (store: ChunkStore): FileFrame {
  return { have: { count: store.count, bitmap: store.bitmap() } }
}

/** An empty bitmap for `count` chunks. */
export function emptyBitmap (count: number): Uint8Array {
  return new Uint8Array(bitmapLength(count))
}
