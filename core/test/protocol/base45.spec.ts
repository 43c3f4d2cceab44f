// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { InvalidInputError } from '../../src/errors.js'
import { fromBase45, toBase45 } from '../../src/protocol/base45.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('base45 (RFC 9285)', () => {
  it('matches the RFC\'s examples', () => {
    assert.equal(toBase45(text('AB')), 'BB8')
    assert.equal(toBase45(text('Hello!!')), '%69 VD92EX0')
    assert.equal(toBase45(text('base-45')), 'UJCLQE7W581')
    assert.deepEqual(fromBase45('QED8WEX0'), text('ietf!'))
    assert.equal(toBase45(new Uint8Array(0)), '')
  })

  it('refuses what is not base45', () => {
    assert.throws(() => fromBase45('GGW'), /out of range/)
    assert.throws(() => fromBase45('ab8'), /outside the alphabet/)
    assert.throws(() => fromBase45('BB8B'), /bad length/)
    assert.throws(() => fromBase45('Z9'), /out of range/)
  })

  it('round-trips any bytes, and decodes any string or throws InvalidInputError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
      assert.deepEqual(fromBase45(toBase45(bytes)), bytes)
    }))
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCXYZ $%*+-./:a~'.split('')), maxLength: 30 }), s => {
      try {
        fromBase45(s)
      } catch (err) {
        assert.ok(err instanceof InvalidInputError)
      }
    }))
  })
})
