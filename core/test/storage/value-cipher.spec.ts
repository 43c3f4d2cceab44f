// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import fc from 'fast-check'
import { StorageCorruptError } from '../../src/errors.js'
import { ValueCipher } from '../../src/storage/value-cipher.js'

describe('value cipher', () => {
  it('is XChaCha20-Poly1305: values sealed by either implementation open with the other', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 0, maxLength: 64 }),
      fc.uint8Array({ minLength: 0, maxLength: 5000 }),
      fc.uint8Array({ minLength: 24, maxLength: 24 }),
      (key, encodedKey, plaintext, nonce) => {
        const cipher = new ValueCipher(key)
        const sealed = cipher.seal(encodedKey, plaintext)
        assert.equal(sealed.length, 24 + plaintext.length + 16)
        assert.deepEqual(xchacha20poly1305(key, sealed.subarray(0, 24), encodedKey).decrypt(sealed.subarray(24)), plaintext)
        const reference = new Uint8Array([...nonce, ...xchacha20poly1305(key, nonce, encodedKey).encrypt(plaintext)])
        assert.deepEqual(cipher.open(encodedKey, reference), plaintext)
      }
    ), { numRuns: 200 })
  })

  it('refuses a value that was altered, moved to another key or truncated', () => {
    const cipher = new ValueCipher(new Uint8Array(32).fill(7))
    const key = new Uint8Array([1, 2, 3])
    const sealed = cipher.seal(key, new TextEncoder().encode('a stored value'))
    for (let i = 0; i < sealed.length; i++) {
      const altered = sealed.slice()
      altered[i] = (altered[i] as number) ^ 1
      assert.throws(() => cipher.open(key, altered), StorageCorruptError)
    }
    assert.throws(() => cipher.open(new Uint8Array([1, 2, 4]), sealed), StorageCorruptError)
    assert.throws(() => cipher.open(key, sealed.subarray(0, 39)), StorageCorruptError)
  })

  it('uses a fresh nonce for every value', () => {
    const cipher = new ValueCipher(new Uint8Array(32))
    const plaintext = new Uint8Array(16)
    const nonces = new Set(Array.from({ length: 100 }, () => Buffer.from(cipher.seal(new Uint8Array(0), plaintext).subarray(0, 24)).toString('hex')))
    assert.equal(nonces.size, 100)
  })

  it('draws a nonce prefix per opening and counts after it, and opens values of any opening', () => {
    const key = new Uint8Array(32).fill(3)
    const encodedKey = new Uint8Array([9])
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
    const first = new ValueCipher(key)
    const values = [0, 1, 2].map(i => first.seal(encodedKey, Uint8Array.of(i)))
    assert.equal(new Set(values.map(v => hex(v.subarray(0, 16)))).size, 1, 'one prefix per cipher')
    assert.deepEqual(values.map(v => hex(v.subarray(16, 24))), ['0000000000000000', '0000000000000001', '0000000000000002'])
    // Later openings (more than the subkeys a cipher keeps) draw other prefixes; all values open everywhere.
    const later = Array.from({ length: 70 }, () => new ValueCipher(key))
    const theirs = later.map((c, i) => c.seal(encodedKey, Uint8Array.of(i)))
    assert.equal(new Set(theirs.map(v => hex(v.subarray(0, 16)))).size, 70)
    for (let round = 0; round < 2; round++) {
      theirs.forEach((v, i) => { assert.deepEqual(first.open(encodedKey, v), Uint8Array.of(i)) })
    }
    values.forEach((v, i) => { assert.deepEqual(later[0]?.open(encodedKey, v), Uint8Array.of(i)) })
  })
})
