// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Checks and conversions shared by the codecs of this folder. Not part of the door.
 */
import { InvalidInputError, TooLargeError } from '../errors.js'

/** Throws unless `bytes` is a Uint8Array of at most `max` bytes: the check before any decoding. */
export function checkSize (bytes: unknown, max: number, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidInputError(`${what}: expected bytes`)
  }
  if (bytes.byteLength > max) {
    throw new TooLargeError(`${what}: ${bytes.byteLength} bytes, at most ${max} allowed`)
  }
}

/** Runs a generated protons decoder, turning whatever it throws into an InvalidInputError. */
export function decodeProto<T> (decode: () => T, what: string): T {
  try {
    return decode()
  } catch (err) {
    throw new InvalidInputError(`${what}: malformed protobuf (${errorMessage(err)})`, { cause: err })
  }
}

/** Throws unless `bytes` is a Uint8Array whose length lies in [min, max]. */
export function checkBytes (bytes: unknown, min: number, max: number, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidInputError(`${what}: expected bytes`)
  }
  if (bytes.byteLength < min || bytes.byteLength > max) {
    const expected = min === max ? `${min}` : `${min}-${max}`
    throw new InvalidInputError(`${what}: ${bytes.byteLength} bytes, expected ${expected}`)
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger (value: unknown, min: number, max: number, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${what}: expected an integer in [${min}, ${max}]`)
  }
}

/** A decoded uint64 as a number; throws when it is not a safe integer. */
export function toSafeNumber (value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidInputError(`${what}: larger than ${Number.MAX_SAFE_INTEGER}`)
  }
  return Number(value)
}

/** Number of Unicode code points in `text`. */
export function codePoints (text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0)
}

/**
 * Throws unless `text` is a string of at most `max` code points with no unpaired surrogate (which
 * could not survive UTF-8) and, when `plain` is set, no control or bidirectional-override character.
 */
export function checkText (text: unknown, max: number, what: string, plain: boolean): asserts text is string {
  if (typeof text !== 'string') {
    throw new InvalidInputError(`${what}: expected a string`)
  }
  // Cheap bound first: a string of more than 2 * max UTF-16 units has more than max code points.
  if (text.length > 2 * max || codePoints(text) > max) {
    throw new InvalidInputError(`${what}: longer than ${max} characters`)
  }
  if (/\p{Cs}/u.test(text)) {
    throw new InvalidInputError(`${what}: contains an unpaired surrogate`)
  }
  // Control and bidi-override characters in a name can disguise it as someone else's.
  if (plain && /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(text)) {
    throw new InvalidInputError(`${what}: contains a control character`)
  }
}

/** A fresh copy of `bytes` that owns its ArrayBuffer (callers may mutate their input safely). */
export function copyBytes (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes)
}

export { equalBytes } from '../util/bytes.js'

/** Bytes of `value` as an unsigned varint. */
export function varintLength (value: number): number {
  let n = 1
  while (value >= 128) {
    value = Math.floor(value / 128)
    n++
  }
  return n
}

/** Encodes an unsigned varint (as protobuf does), for safe integers. */
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
 * The chunks of a `repeated bytes` padding field (field number below 16: a one-byte tag) that add
 * exactly `extra` bytes to an encoded message, or undefined when no padding can (extra = 1).
 * One chunk reaches every size except 1 and those where the chunk's length prefix would have to
 * grow by a byte in the middle (130, 16386, ...); an empty first chunk (2 bytes) moves those off.
 */
export function paddingChunks (extra: number): Array<Uint8Array<ArrayBuffer>> | undefined {
  if (extra === 0) return []
  const one = singleChunkLength(extra)
  if (one !== undefined) return [new Uint8Array(one)]
  const rest = extra >= 4 ? singleChunkLength(extra - 2) : undefined
  if (rest !== undefined) return [new Uint8Array(0), new Uint8Array(rest)]
  return undefined
}

function singleChunkLength (extra: number): number | undefined {
  for (let prefix = 1; prefix <= 5; prefix++) {
    const length = extra - 1 - prefix
    if (length >= 0 && varintLength(length) === prefix) return length
  }
  return undefined
}

/**
 * Throws unless every padding chunk is zero bytes. (Decoders cap the number of chunks at two with
 * the generated decoder's limits.)
 */
export function checkPadding (chunks: Uint8Array[], what: string): void {
  for (const chunk of chunks) {
    let or = 0
    for (let i = 0; i < chunk.length; i++) or |= chunk[i] as number
    if (or !== 0) {
      throw new InvalidInputError(`${what}: padding is not zero bytes`)
    }
  }
}

/** `err.message` when it has one. */
export function errorMessage (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * `bytes` typed as the generated encoders want. They only read it, so a SharedArrayBuffer-backed
 * view would do as well: no copy is needed.
 */
export function wireBytes (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>
}
