// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MIN_PASSPHRASE_LENGTH, checkNewPassphrase } from '../src/index.js'

describe('the passphrase rule', () => {
  it('takes eight characters and refuses seven', () => {
    assert.equal(MIN_PASSPHRASE_LENGTH, 8)
    checkNewPassphrase('12345678')
    for (const short of ['', 'x', '1234567']) {
      assert.throws(() => { checkNewPassphrase(short) }, { name: 'WeakPassphraseError', message: 'a new passphrase needs at least 8 characters' })
    }
  })

  it('counts characters as the key derivation sees them, not UTF-16 units', () => {
    // Four emoji are eight UTF-16 units but four characters.
    assert.throws(() => { checkNewPassphrase('🔑🔑🔑🔑') }, { name: 'WeakPassphraseError' })
    checkNewPassphrase('🔑🔑🔑🔑🔑🔑🔑🔑')
    // NFKC composes "e" + combining acute into one "é": seven characters, not eight.
    assert.throws(() => { checkNewPassphrase('caf\u0065\u0301123') }, { name: 'WeakPassphraseError' })
  })

  it('is an InvalidInputError, as other bad user input', async () => {
    const { InvalidInputError } = await import('../src/index.js')
    assert.throws(() => { checkNewPassphrase('x') }, InvalidInputError)
  })
})
