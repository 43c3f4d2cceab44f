// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Length-prefixed frames on a libp2p stream: an unsigned varint length, then that many bytes.
 *
 * The length prefix itself is bounded: it may have no more bytes than the largest allowed length
 * needs. (`lpStream` from `@libp2p/utils` keeps reading an unterminated prefix forever, so a peer
 * sending 0xff bytes would grow its buffer without end.)
 */

import { byteStream } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { InvalidInputError, TooLargeError } from '../errors.js'
import type { AbortOptions, Stream } from '@libp2p/interface'

/** Reads and writes frames on one stream. */
export interface FrameStream {
  /**
   * The next frame, or null if the stream ended cleanly between frames. Throws
   * {@link TooLargeError} for a length above the maximum and {@link InvalidInputError} for a
   * malformed length prefix (both before reading the frame's body); other errors when the stream
   * fails.
   */
  read(options?: AbortOptions): Promise<Uint8ArrayList | null>
  /** Writes one frame, waiting for the stream to drain if its buffer is full. */
  write(frame: Uint8Array, options?: AbortOptions): Promise<void>
  /** The stream. */
  readonly stream: Stream
}

/** Bytes of an unsigned varint encoding `n`. */
export function varintLength (n: number): number {
  let len = 1
  while (n >= 0x80) {
    n = Math.floor(n / 0x80)
    len++
  }
  return len
}

/** Encodes an unsigned varint. */
export function encodeVarint (n: number): Uint8Array {
  const out = new Uint8Array(varintLength(n))
  let i = 0
  while (n >= 0x80) {
    out[i++] = (n % 0x80) | 0x80
    n = Math.floor(n / 0x80)
  }
  out[i] = n
  return out
}

/**
 * Wraps `stream` for frames of at most `maxFrameBytes` in, any size out. `maxBufferBytes` bounds
 * what may arrive unread before the stream is aborted (default: four frames at the maximum).
 */
export function frameStream (stream: Stream, maxFrameBytes: number, maxBufferBytes = 4 * maxFrameBytes + 1024): FrameStream {
  const bytes = byteStream(stream, { maxBufferSize: maxBufferBytes })
  const maxPrefix = varintLength(maxFrameBytes)
  return {
    stream,
    async read (options) {
      let length = 0
      let scale = 1
      for (let i = 0; ; i++) {
        let b: number
        try {
          b = (await bytes.read({ ...options, bytes: 1 })).get(0)
        } catch (err) {
          if (i === 0 && (err as Error).name === 'UnexpectedEOFError') return null
          throw err
        }
        length += (b & 0x7f) * scale
        scale *= 0x80
        if ((b & 0x80) === 0) break
        if (i + 1 >= maxPrefix) throw new InvalidInputError('frame length prefix is malformed or too long')
      }
      if (length > maxFrameBytes) throw new TooLargeError(`frame of ${length} bytes exceeds ${maxFrameBytes}`)
      if (length === 0) return new Uint8ArrayList()
      return bytes.read({ ...options, bytes: length })
    },
    async write (frame, options) {
      await bytes.write(new Uint8ArrayList(encodeVarint(frame.byteLength), frame), options)
    }
  }
}
