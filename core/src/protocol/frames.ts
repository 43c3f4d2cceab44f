// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Length-prefixed frames on a libp2p stream: an unsigned varint length, then that many bytes of one
 * encoded message. The length is checked against a maximum before the frame is read.
 */
import { lpStream } from '@libp2p/utils'
import { InvalidInputError, TooLargeError } from '../errors.js'
import { decodeMessageFrame, encodeMessageFrame } from './message-frame.js'
import { varintLength } from './wire.js'
import type { MessageFrame } from './types.js'
import type { AbortOptions, MessageStream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

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
   * Most bytes the reader keeps buffered before they are read; a peer that sends more is cut off.
   * Default: 16 frames of `maxBytes` (at least 64 KiB).
   */
  maxBufferSize?: number
}

/** Reads and writes one kind of message on a stream. */
export interface Frames<T> {
  /**
   * The next message, or undefined once the remote end has closed its side between two frames.
   * Any error (TooLargeError for an oversize frame, InvalidInputError for a truncated or
   * malformed one, or the stream's own error) aborts the stream.
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
 * Wraps a stream (built on `lpStream` from `@libp2p/utils`, with `maxDataLength` set).
 * Use one `Frames` per stream, and nothing else reading it.
 *
 * @example
 * ```ts
 * const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
 * await f.write({ deliver: { envelope } })
 * const answer = await f.read()
 * ```
 */
export function frames<T> (stream: MessageStream, codec: FrameCodec<T>, options: FramesOptions): Frames<T> {
  const { maxBytes } = options
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new InvalidInputError('frames: maxBytes must be a positive integer')
  }
  const maxLengthLength = varintLength(maxBytes)
  // Bytes of the current frame's length prefix seen so far: 0 at a frame boundary.
  let prefixBytes = 0
  const lp = lpStream(stream, {
    maxDataLength: maxBytes,
    maxLengthLength,
    maxBufferSize: options.maxBufferSize ?? Math.max(16 * maxBytes, 65536),
    lengthDecoder: (data: Uint8ArrayList): number => {
      prefixBytes = data.byteLength
      return decodeLength(data, maxLengthLength, maxBytes)
    }
  })

  return {
    async read (readOptions) {
      prefixBytes = 0
      let bytes: Uint8Array
      try {
        bytes = (await lp.read(readOptions)).subarray()
      } catch (err) {
        if (errorName(err) === 'UnexpectedEOFError' && prefixBytes === 0) return undefined
        throw abort(stream, framingError(err, maxBytes))
      }
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
      await lp.write(bytes, writeOptions)
    }
  }
}

/**
 * Reads an unsigned varint. Throws RangeError while incomplete (lpStream then reads another byte),
 * TooLargeError once it is longer than any length below `maxBytes` needs.
 */
function decodeLength (data: Uint8ArrayList, maxLengthLength: number, maxBytes: number): number {
  let value = 0
  for (let i = 0; i < data.byteLength; i++) {
    if (i === maxLengthLength) break
    const byte = data.get(i)
    value += (byte & 0x7f) * 2 ** (7 * i)
    if (byte < 0x80) return value
  }
  if (data.byteLength >= maxLengthLength) {
    throw new TooLargeError(`frame length prefix longer than ${maxLengthLength} bytes: frame above ${maxBytes} bytes`)
  }
  throw new RangeError('incomplete varint')
}

function framingError (err: unknown, maxBytes: number): unknown {
  switch (errorName(err)) {
    case 'InvalidDataLengthError':
    case 'InvalidDataLengthLengthError':
      return new TooLargeError(`frame longer than ${maxBytes} bytes`, { cause: err })
    case 'StreamBufferError':
      return new TooLargeError('peer sent more unread data than allowed', { cause: err })
    case 'InvalidMessageLengthError':
      return new InvalidInputError('invalid frame length', { cause: err })
    case 'UnexpectedEOFError':
      return new InvalidInputError('stream ended inside a frame', { cause: err })
    default:
      return err
  }
}

function abort (stream: MessageStream, err: unknown): unknown {
  stream.abort(err instanceof Error ? err : new Error(String(err)))
  return err
}

function errorName (err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined
}

