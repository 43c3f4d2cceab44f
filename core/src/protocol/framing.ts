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
  const maxPrefix = varintLength(maxFrameBytes)
  const buffer = new Uint8ArrayList()
  const frames: Uint8ArrayList[] = []
  let queued = 0
  let failure: Error | undefined
  let ended = false
  let streamError: Error | undefined
  let paused = false
  let wake: (() => void) | undefined

  const parse = (): void => {
    while (failure == null) {
      let length = 0
      let scale = 1
      let prefix = 0
      let complete = false
      while (prefix < buffer.byteLength && prefix < maxPrefix) {
        const b = buffer.get(prefix++)
        length += (b & 0x7f) * scale
        scale *= 0x80
        if ((b & 0x80) === 0) {
          complete = true
          break
        }
      }
      if (!complete) {
        if (prefix >= maxPrefix) failure = new InvalidInputError('frame length prefix is malformed or too long')
        return
      }
      if (length > maxFrameBytes) {
        failure = new TooLargeError(`frame of ${length} bytes exceeds ${maxFrameBytes}`)
        return
      }
      if (buffer.byteLength < prefix + length) return
      const frame = buffer.sublist(prefix, prefix + length)
      buffer.consume(prefix + length)
      frames.push(frame)
      queued += frame.byteLength
    }
  }

  const notify = (): void => {
    const w = wake
    wake = undefined
    w?.()
  }

  // Paused in a microtask, not inside the message event: that event may come from `resume()`
  // dispatching what arrived while paused, and yamux's resume, which runs after the dispatch,
  // would undo a pause made inside it (granting window again to a stream that no longer reads).
  const pauseIfFull = (): void => {
    if (queued > maxQueuedBytes && !paused && stream.readStatus === 'readable') {
      paused = true
      stream.pause()
    }
  }
  stream.addEventListener('message', (evt) => {
    if (failure != null) return
    buffer.append(evt.data)
    parse()
    if (queued > maxQueuedBytes) queueMicrotask(pauseIfFull)
    notify()
  })
  stream.addEventListener('end', () => {
    ended = true
    notify()
  })
  stream.addEventListener('close', (evt) => {
    ended = true
    streamError ??= (evt as Event & { error?: Error }).error
    notify()
  })

  let outbox: Uint8Array[] = []
  let flushed: Deferred | undefined

  const flush = (): void => {
    const batch = new Uint8ArrayList(...outbox)
    const done = flushed
    outbox = []
    flushed = undefined
    if (done == null) return
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

  return {
    stream,
    async read (options) {
      while (true) {
        const frame = frames.shift()
        if (frame != null) {
          queued -= frame.byteLength
          if (paused && queued <= maxQueuedBytes / 2 && stream.readStatus === 'paused') {
            paused = false
            stream.resume()
          }
          return frame
        }
        if (failure != null) throw failure
        if (streamError != null) throw streamError
        if (ended) {
          if (buffer.byteLength > 0) throw new InvalidInputError('stream ended inside a frame')
          return null
        }
        options?.signal?.throwIfAborted()
        await new Promise<void>((resolve, reject) => {
          const onAbort = (): void => { reject(options?.signal?.reason) }
          options?.signal?.addEventListener('abort', onAbort, { once: true })
          wake = () => {
            options?.signal?.removeEventListener('abort', onAbort)
            resolve()
          }
        })
      }
    },
    async write (frame, options) {
      options?.signal?.throwIfAborted()
      outbox.push(encodeVarint(frame.byteLength), frame)
      if (flushed == null) {
        flushed = deferred()
        setImmediate(flush)
      }
      return flushed.promise
    }
  }
}
