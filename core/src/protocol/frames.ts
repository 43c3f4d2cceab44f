// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Typed frames on a libp2p stream: one encoded message per length-prefixed frame
 * ({@link frameStream}), decoded and checked by a codec.
 */
import { InvalidInputError, TooLargeError } from '../errors.js'
import { frameStream } from './framing.js'
import { decodeMessageFrame, encodeMessageFrame } from './message-frame.js'
import type { MessageFrame } from './types.js'
import type { AbortOptions, Stream } from '@libp2p/interface'

/** Turns messages into bytes and back; `decode` throws InvalidInputError on bad input. */
export interface FrameCodec<T> {
  /** Encodes one message. */
  encode(value: T): Uint8Array
  /** Decodes one message, checking it. */
  decode(bytes: Uint8Array): T
}

/** Options for {@link frames}. */
export interface FramesOptions {
  /** Largest frame, in bytes, read or written; a longer length prefix is refused before reading. */
  maxBytes: number
  /**
   * Bytes of whole frames that may wait unread before the stream is paused (the sender is then
   * held back by the muxer's flow control, never cut off). Default: four frames of `maxBytes`.
   */
  maxQueuedBytes?: number
}

/** Reads and writes one kind of message on a stream. */
export interface Frames<T> {
  /**
   * The next message, or undefined once the remote end has closed its side between two frames.
   * Any error (TooLargeError for an oversize frame, InvalidInputError for a malformed length
   * prefix, a truncated or undecodable frame, or the stream's own error) aborts the stream.
   */
  read(options?: AbortOptions): Promise<T | undefined>
  /**
   * Sends one message, waiting for the stream to drain when its buffer is full.
   *
   * @throws TooLargeError when the encoded message exceeds `maxBytes` (nothing is sent)
   */
  write(value: T, options?: AbortOptions): Promise<void>
}

/** Frames of `/sotto/message/1.0.0`. */
export const messageFrameCodec: FrameCodec<MessageFrame> = {
  encode: encodeMessageFrame,
  decode: decodeMessageFrame
}

/**
 * Wraps a stream. Use one `Frames` per stream, and nothing else reading it.
 *
 * @example
 * ```ts
 * const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
 * await f.write({ deliver: { envelope } })
 * const answer = await f.read()
 * ```
 */
export function frames<T> (stream: Stream, codec: FrameCodec<T>, options: FramesOptions): Frames<T> {
  const { maxBytes } = options
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new InvalidInputError('frames: maxBytes must be a positive integer')
  }
  const raw = frameStream(stream, maxBytes, options.maxQueuedBytes)

  return {
    async read (readOptions) {
      let bytes: Uint8Array | undefined
      try {
        bytes = (await raw.read(readOptions))?.subarray()
      } catch (err) {
        throw abort(stream, err)
      }
      if (bytes == null) return undefined
      try {
        return codec.decode(bytes)
      } catch (err) {
        throw abort(stream, err)
      }
    },

    async write (value, writeOptions) {
      const bytes = codec.encode(value)
      if (bytes.byteLength > maxBytes) {
        throw new TooLargeError(`frame of ${bytes.byteLength} bytes, at most ${maxBytes} allowed`)
      }
      await raw.write(bytes, writeOptions)
    }
  }
}

function abort (stream: Stream, err: unknown): unknown {
  stream.abort(err instanceof Error ? err : new Error(String(err)))
  return err
}
