// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Length-prefixed frames on a libp2p stream: an unsigned varint length, then that many bytes.
 *
 * Frames are cut out of the stream's messages as they arrive. The length prefix is bounded (no
 * more bytes than the largest allowed length needs; `lpStream` from `@libp2p/utils` keeps reading
 * an unterminated prefix forever) and checked before the body is awaited. When frames pile up
 * unread, the stream is paused, so the sender is held back by the muxer's flow control instead of
 * filling memory. Writes made in the same turn of the event loop leave in one message.
 */

import { Uint8ArrayList } from 'uint8arraylist'
import { InvalidInputError, TooLargeError } from '../errors.js'
import { encodeVarint, varintLength } from './wire.js'
import type { AbortOptions, Stream } from '@libp2p/interface'

/**
 * Yamux stream options for a node whose streams carry frames. A reader that pauses a stream still
 * receives whatever window it had granted: that must fit the stream's read buffer, or the paused
 * stream is reset. Yamux's default window grows to 16 MiB, beyond libp2p's 4 MiB buffer; here it
 * stops at 2 MiB.
 */
export const FRAMED_STREAM_OPTIONS = {
  /** Largest receive window of a stream. */
  maxStreamWindowSize: 2 * 1024 * 1024,
  /** Most bytes a stream buffers unread (libp2p's default), above the window. */
  maxReadBufferLength: 4 * 1024 * 1024
} as const

/** Reads and writes frames on one stream. */
export interface FrameStream {
  /**
   * The next frame, or null once the stream ended cleanly between frames. Throws
   * {@link TooLargeError} for a length above the maximum and {@link InvalidInputError} for a
   * malformed length prefix or a stream that ends inside a frame (after every whole frame before
   * it was read); the stream's error if it failed.
   */
  read(options?: AbortOptions): Promise<Uint8ArrayList | null>
  /**
   * Queues one frame. Frames queued in the same turn of the event loop are sent together;
   * the promise settles once they were handed to the stream (after it drained, if it was full).
   */
  write(frame: Uint8Array, options?: AbortOptions): Promise<void>
  /** The stream. */
  readonly stream: Stream
}

interface Deferred {
  promise: Promise<void>
  resolve(): void
  reject(err: Error): void
}

function deferred (): Deferred {
  let resolve!: () => void
  let reject!: (err: Error) => void
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej })
  promise.catch(() => {})
  return { promise, resolve, reject }
}

/**
 * Wraps `stream` for frames of at most `maxFrameBytes` in, any size out. When more than
 * `maxQueuedBytes` of whole frames wait unread (default: four frames at the maximum), the stream is
 * paused until they are read.
 */
export function frameStream (stream: Stream, maxFrameBytes: number, maxQueuedBytes = 4 * maxFrameBytes): FrameStream {
  return new FramedStream(stream, maxFrameBytes, maxQueuedBytes)
}

/** How the length prefix at the start of `buffer` reads, looking at most `maxPrefix` bytes. */
type LengthPrefix =
  | { complete: true, length: number, prefix: number }
  | { complete: false, malformed: boolean }

function readLengthPrefix (buffer: Uint8ArrayList, maxPrefix: number): LengthPrefix {
  let length = 0
  let scale = 1
  let prefix = 0
  while (prefix < buffer.byteLength && prefix < maxPrefix) {
    const b = buffer.get(prefix++)
    length += (b & 0x7f) * scale
    scale *= 0x80
    if ((b & 0x80) === 0) return { complete: true, length, prefix }
  }
  return { complete: false, malformed: prefix >= maxPrefix }
}

/**
 * Sends `batch` and settles `done` once the stream took it: at once, or when it drained (rejected
 * if it closed first).
 */
function sendBatch (stream: Stream, batch: Uint8ArrayList, done: Deferred): void {
  try {
    if (stream.send(batch)) {
      done.resolve()
      return
    }
  } catch (err) {
    done.reject(err as Error)
    return
  }
  const onDrain = (): void => {
    stream.removeEventListener('close', onClose)
    done.resolve()
  }
  const onClose = (): void => {
    stream.removeEventListener('drain', onDrain)
    done.reject(new Error('stream closed before it drained'))
  }
  stream.addEventListener('drain', onDrain, { once: true })
  stream.addEventListener('close', onClose, { once: true })
}

class FramedStream implements FrameStream {
  readonly stream: Stream
  private readonly maxFrameBytes: number
  private readonly maxQueuedBytes: number
  private readonly maxPrefix: number
  private readonly buffer = new Uint8ArrayList()
  private readonly frames: Uint8ArrayList[] = []
  private queued = 0
  private failure: Error | undefined
  private ended = false
  private streamError: Error | undefined
  private paused = false
  private wake: (() => void) | undefined
  private outbox: Uint8Array[] = []
  private flushed: Deferred | undefined

  constructor (stream: Stream, maxFrameBytes: number, maxQueuedBytes: number) {
    this.stream = stream
    this.maxFrameBytes = maxFrameBytes
    this.maxQueuedBytes = maxQueuedBytes
    this.maxPrefix = varintLength(maxFrameBytes)
    stream.addEventListener('message', (evt) => {
      if (this.failure != null) return
      this.buffer.append(evt.data)
      this.parse()
      if (this.queued > this.maxQueuedBytes) queueMicrotask(this.pauseIfFull)
      this.notify()
    })
    stream.addEventListener('end', () => {
      this.ended = true
      this.notify()
    })
    stream.addEventListener('close', (evt) => {
      this.ended = true
      this.streamError ??= (evt as Event & { error?: Error }).error
      this.notify()
    })
  }

  async read (options?: AbortOptions): Promise<Uint8ArrayList | null> {
    while (true) {
      const frame = this.frames.shift()
      if (frame != null) {
        this.queued -= frame.byteLength
        if (this.paused && this.queued <= this.maxQueuedBytes / 2 && this.stream.readStatus === 'paused') {
          this.paused = false
          this.stream.resume()
        }
        return frame
      }
      if (this.failure != null) throw this.failure
      if (this.streamError != null) throw this.streamError
      if (this.ended) {
        if (this.buffer.byteLength > 0) throw new InvalidInputError('stream ended inside a frame')
        return null
      }
      options?.signal?.throwIfAborted()
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => { reject(options?.signal?.reason) }
        options?.signal?.addEventListener('abort', onAbort, { once: true })
        this.wake = () => {
          options?.signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      })
    }
  }

  async write (frame: Uint8Array, options?: AbortOptions): Promise<void> {
    options?.signal?.throwIfAborted()
    this.outbox.push(encodeVarint(frame.byteLength), frame)
    if (this.flushed == null) {
      this.flushed = deferred()
      setImmediate(this.flush)
    }
    return this.flushed.promise
  }

  /** Cuts the whole frames at the start of the buffer into the queue. */
  private parse (): void {
    while (this.failure == null) {
      const head = readLengthPrefix(this.buffer, this.maxPrefix)
      if (!head.complete) {
        if (head.malformed) this.failure = new InvalidInputError('frame length prefix is malformed or too long')
        return
      }
      const { length, prefix } = head
      if (length > this.maxFrameBytes) {
        this.failure = new TooLargeError(`frame of ${length} bytes exceeds ${this.maxFrameBytes}`)
        return
      }
      if (this.buffer.byteLength < prefix + length) return
      const frame = this.buffer.sublist(prefix, prefix + length)
      this.buffer.consume(prefix + length)
      this.frames.push(frame)
      this.queued += frame.byteLength
    }
  }

  private notify (): void {
    const w = this.wake
    this.wake = undefined
    w?.()
  }

  // Paused in a microtask, not inside the message event: that event may come from `resume()`
  // dispatching what arrived while paused, and yamux's resume, which runs after the dispatch,
  // would undo a pause made inside it (granting window again to a stream that no longer reads).
  private readonly pauseIfFull = (): void => {
    if (this.queued > this.maxQueuedBytes && !this.paused && this.stream.readStatus === 'readable') {
      this.paused = true
      this.stream.pause()
    }
  }

  private readonly flush = (): void => {
    const batch = new Uint8ArrayList(...this.outbox)
    const done = this.flushed
    this.outbox = []
    this.flushed = undefined
    if (done == null) return
    sendBatch(this.stream, batch, done)
  }
}
