// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Stored values: XChaCha20-Poly1305 with a 24-byte nonce, laid out as `nonce || ciphertext`.
 * The associated data is the encoded key, so a value moved to another key no longer opens.
 *
 * XChaCha20-Poly1305 is ChaCha20-Poly1305 (RFC 8439) under a subkey: HChaCha20 of the key and the
 * nonce's first 16 bytes, with the nonce's last 8 bytes (after four zero bytes) as the 12-byte
 * nonce. HChaCha20 is one block, computed here; the bulk runs in Node's native ChaCha20-Poly1305.
 *
 * The nonces one cipher makes share a random 16-byte prefix, drawn when it is made (a store's
 * opening), and end with a counter: never repeated, and the subkey is derived once rather than for
 * every value, which cost as much as the encryption of a small value. Values are opened whatever
 * their nonce, so those written before, with nonces random throughout, open as they did.
 */

import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto'
import { hchacha } from '@noble/ciphers/chacha.js'
import { BugError, StorageCorruptError } from '../errors.js'
import type { KeyObject } from 'node:crypto'

const NONCE_LENGTH = 24
/** The part of a nonce that makes the subkey. */
const PREFIX_LENGTH = 16
const TAG_LENGTH = 16
const ALGORITHM = 'chacha20-poly1305'
/** "expand 32-byte k", the ChaCha constants, as little-endian words. */
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574])

/** How many subkeys of other nonce prefixes (values of earlier openings) a cipher keeps. */
const KEPT_SUBKEYS = 64

/** Seals and opens values with the store's value key. */
export class ValueCipher {
  private readonly keyWords: Uint32Array
  /** The first 16 bytes of every nonce this cipher makes. */
  private readonly prefix: Buffer
  private readonly prefixKey: KeyObject
  /** Values sealed so far: the last 8 bytes of the next nonce. */
  private sealed = 0
  /** Subkeys of other prefixes, by prefix (latin1), oldest first. */
  private readonly subKeys = new Map<string, KeyObject>()

  constructor (key: Uint8Array) {
    if (key.length !== 32) throw new BugError('the value key must be 32 bytes')
    this.keyWords = littleEndianWords(key, 8)
    this.prefix = randomBytes(PREFIX_LENGTH)
    this.prefixKey = this.subKey(this.prefix)
  }

  /** `nonce || ciphertext` of `plaintext`, bound to `encodedKey`. */
  seal (encodedKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const out = new Uint8Array(NONCE_LENGTH + plaintext.length + TAG_LENGTH)
    const nonce = out.subarray(0, NONCE_LENGTH)
    nonce.set(this.prefix)
    const count = this.sealed++
    const view = new DataView(out.buffer, PREFIX_LENGTH, 8)
    view.setUint32(0, Math.floor(count / 2 ** 32))
    view.setUint32(4, count >>> 0)
    const cipher = createCipheriv(ALGORITHM, this.prefixKey, innerNonce(nonce), { authTagLength: TAG_LENGTH })
    cipher.setAAD(encodedKey, { plaintextLength: plaintext.length })
    const body = cipher.update(plaintext)
    const final = cipher.final()
    out.set(body, NONCE_LENGTH)
    out.set(final, NONCE_LENGTH + body.length)
    out.set(cipher.getAuthTag(), NONCE_LENGTH + plaintext.length)
    return out
  }

  /** The plaintext of a sealed value; a StorageCorruptError if it does not authenticate. */
  open (encodedKey: Uint8Array, sealed: Uint8Array): Uint8Array {
    if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new StorageCorruptError('a stored value is truncated')
    }
    const nonce = sealed.subarray(0, NONCE_LENGTH)
    try {
      const decipher = createDecipheriv(ALGORITHM, this.keyOf(nonce.subarray(0, PREFIX_LENGTH)), innerNonce(nonce), { authTagLength: TAG_LENGTH })
      const body = sealed.subarray(NONCE_LENGTH, sealed.length - TAG_LENGTH)
      decipher.setAAD(encodedKey, { plaintextLength: body.length })
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH))
      const head = decipher.update(body)
      const tail = decipher.final()
      const plaintext = new Uint8Array(head.length + tail.length)
      plaintext.set(head, 0)
      plaintext.set(tail, head.length)
      return plaintext
    } catch (err) {
      throw new StorageCorruptError('a stored value does not authenticate: it was altered or moved', { cause: err })
    }
  }

  /** The subkey of a nonce prefix: this cipher's own, or one derived (and kept) for it. */
  private keyOf (prefix: Uint8Array): KeyObject {
    if (this.prefix.equals(prefix)) return this.prefixKey
    const id = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength).toString('latin1')
    let key = this.subKeys.get(id)
    if (key === undefined) {
      key = this.subKey(prefix)
      if (this.subKeys.size >= KEPT_SUBKEYS) this.subKeys.delete(this.subKeys.keys().next().value as string)
      this.subKeys.set(id, key)
    }
    return key
  }

  /**
   * HChaCha20 of the key and a nonce's first 16 bytes, as a KeyObject: Node's ciphers take a raw
   * key only after failed brand checks that cost more than the encryption of a small value.
   */
  private subKey (prefix: Uint8Array): KeyObject {
    const out = new Uint32Array(8)
    hchacha(SIGMA, this.keyWords, littleEndianWords(prefix, 4), out)
    const bytes = new Uint8Array(32)
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < 8; i++) view.setUint32(4 * i, out[i] as number, true)
    return createSecretKey(bytes)
  }
}

/** The 12-byte ChaCha20-Poly1305 nonce of an XChaCha20 nonce: four zero bytes, then its last 8. */
function innerNonce (nonce: Uint8Array): Uint8Array {
  const inner = new Uint8Array(12)
  inner.set(nonce.subarray(16, 24), 4)
  return inner
}

function littleEndianWords (bytes: Uint8Array, count: number): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4 * count)
  const words = new Uint32Array(count)
  for (let i = 0; i < count; i++) words[i] = view.getUint32(4 * i, true)
  return words
}
