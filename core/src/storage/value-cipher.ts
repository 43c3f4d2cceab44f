// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Stored values: XChaCha20-Poly1305 with a random 24-byte nonce, laid out as `nonce || ciphertext`.
 * The associated data is the encoded key, so a value moved to another key no longer opens.
 */

import { randomBytes } from 'node:crypto'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { BugError, StorageCorruptError } from '../errors.js'

const NONCE_LENGTH = 24
const TAG_LENGTH = 16

/** Seals and opens values with the store's value key. */
export class ValueCipher {
  private readonly key: Uint8Array

  constructor (key: Uint8Array) {
    if (key.length !== 32) throw new BugError('the value key must be 32 bytes')
    this.key = key
  }

  /** `nonce || ciphertext` of `plaintext`, bound to `encodedKey`. */
  seal (encodedKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const nonce = new Uint8Array(randomBytes(NONCE_LENGTH))
    const out = new Uint8Array(NONCE_LENGTH + plaintext.length + TAG_LENGTH)
    out.set(nonce, 0)
    xchacha20poly1305(this.key, nonce, encodedKey).encrypt(plaintext, out.subarray(NONCE_LENGTH))
    return out
  }

  /** The plaintext of a sealed value; a StorageCorruptError if it does not authenticate. */
  open (encodedKey: Uint8Array, sealed: Uint8Array): Uint8Array {
    if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new StorageCorruptError('a stored value is truncated')
    }
    try {
      return xchacha20poly1305(this.key, sealed.subarray(0, NONCE_LENGTH), encodedKey)
        .decrypt(sealed.subarray(NONCE_LENGTH))
    } catch (err) {
      throw new StorageCorruptError('a stored value does not authenticate: it was altered or moved', { cause: err })
    }
  }
}
