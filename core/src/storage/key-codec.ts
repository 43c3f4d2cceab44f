// SPDX-License-Identifier: AGPL-3.0-only
/**
 * How a {@link Key} becomes the bytes level stores:
 *
 * ```
 * space (ASCII [a-z0-9-]) 0x00 { 0x01 uint64be(number) | 0x02 hmac16(string) }*
 * ```
 *
 * The space ends with 0x00, which no space contains, so one space is never a prefix of another.
 * Every part has a tag and a fixed width, so a prefix of parts only ever matches keys that start
 * with exactly those parts. String parts are a keyed hash: the key files reveal no identifier.
 */

import { createHmac, createSecretKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { BugError } from '../errors.js'
import type { Key, KeyPart, RangeOptions } from './types.js'

const SPACE = /^[a-z0-9][a-z0-9-]{0,31}$/
const LONE_SURROGATE = /\p{Cs}/u
const SPACE_END = 0x00
const TAG_NUMBER = 0x01
const TAG_STRING = 0x02
/** Greater than every tag: appended to a prefix, bounds everything below it. */
const AFTER_ALL_TAGS = 0xff
const NUMBER_WIDTH = 8
const STRING_WIDTH = 16

/**
 * The reserved key of the meta record. It starts with 0x00, which no space name does, so no
 * encoded key and no range ever reaches it.
 */
export const META_KEY: Uint8Array = new Uint8Array([0x00, ...new TextEncoder().encode('sotto-meta')])

/** The bounds of a range scan over encoded keys: `gte` inclusive, `lt` exclusive. */
export interface EncodedRange {
  gte: Uint8Array
  lt: Uint8Array
}

/**
 * Encodes keys with the store's key-hashing key.
 */
export class KeyCodec {
  private readonly hashKey: KeyObject
  /** Encoded string parts by string: encodings are never mutated by callers (they are copied). */
  private readonly hashed = new Map<string, Uint8Array>()

  constructor (hashKey: Uint8Array) {
    if (hashKey.length !== 32) throw new BugError('the key-hashing key must be 32 bytes')
    this.hashKey = createSecretKey(hashKey)
  }

  /** The bytes of `key`. Throws a BugError for a malformed key: keys come from code, not input. */
  encode (key: Key): Uint8Array {
    if (!Array.isArray(key) || key.length === 0) throw new BugError('a key is a space followed by parts')
    const [space, ...parts] = key
    const chunks: Uint8Array[] = [encodeSpace(space)]
    for (const part of parts) chunks.push(this.encodePart(part))
    return concat(chunks)
  }

  /**
   * The range of encoded keys that start with `prefix`, bounded by `gte`/`lt` on the number part
   * right after it. Without bounds the key equal to the prefix is included; with a bound, only
   * keys whose next part is a number are.
   */
  range (prefix: Key, options: RangeOptions = {}): EncodedRange {
    const base = this.encode(prefix)
    const { gte, lt } = options
    if (gte === undefined && lt === undefined) {
      return { gte: base, lt: concat([base, Uint8Array.of(AFTER_ALL_TAGS)]) }
    }
    return {
      gte: concat([base, encodeNumber(gte ?? 0)]),
      lt: lt === undefined ? concat([base, Uint8Array.of(TAG_STRING)]) : concat([base, encodeNumber(lt)])
    }
  }

  private encodePart (part: KeyPart): Uint8Array {
    if (typeof part === 'number') return encodeNumber(part)
    if (typeof part !== 'string') throw new BugError(`a key part must be a string or a number, not ${typeof part}`)
    // utf8 would map every lone surrogate to U+FFFD, so two different strings would share a key.
    if (LONE_SURROGATE.test(part)) throw new BugError('a string key part must be well-formed UTF-16')
    const known = this.hashed.get(part)
    if (known !== undefined) return known
    const out = new Uint8Array(1 + STRING_WIDTH)
    out[0] = TAG_STRING
    out.set(createHmac('sha256', this.hashKey).update(part, 'utf8').digest().subarray(0, STRING_WIDTH), 1)
    // The same few identifiers (contacts, the own user id) come back on every message.
    if (this.hashed.size >= MAX_HASHED_PARTS) this.hashed.clear()
    this.hashed.set(part, out)
    return out
  }
}

/** Most string parts whose encodings are kept; the cache starts over when full. */
const MAX_HASHED_PARTS = 4096

function encodeSpace (space: unknown): Uint8Array {
  if (typeof space !== 'string' || !SPACE.test(space)) {
    throw new BugError(`a key space must be 1-32 characters of [a-z0-9-], starting with [a-z0-9]: ${String(space)}`)
  }
  const out = new Uint8Array(space.length + 1)
  for (let i = 0; i < space.length; i++) out[i] = space.charCodeAt(i)
  out[space.length] = SPACE_END
  return out
}

function encodeNumber (n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new BugError(`a number key part must be a non-negative safe integer, not ${n}`)
  }
  const out = new Uint8Array(1 + NUMBER_WIDTH)
  out[0] = TAG_NUMBER
  const view = new DataView(out.buffer)
  view.setUint32(1, Math.floor(n / 2 ** 32))
  view.setUint32(5, n >>> 0)
  return out
}

function concat (chunks: Uint8Array[]): Uint8Array {
  let length = 0
  for (const c of chunks) length += c.length
  const out = new Uint8Array(length)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/**
 * A string whose code units are the bytes of `bytes`, so that comparing two such strings with
 * `<` orders them as level orders the bytes. Used as the key of in-memory maps.
 */
export function byteString (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}
