// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import { safetyNumber } from '../../src/crypto/index.js'
import { InvalidInputError } from '../../src/errors.js'
import { cleanUp, newParty } from './fixtures.js'
import type { Party } from './fixtures.js'

describe('crypto safety numbers', () => {
  let alice: Party
  let bob: Party
  let carol: Party

  before(async () => {
    [alice, bob, carol] = await Promise.all([newParty(), newParty(), newParty()])
  })

  after(async () => {
    await cleanUp(alice, bob, carol)
  })

  it('is the same 60 digits on both sides, in twelve groups of five', () => {
    const atAlice = safetyNumber(alice.identity, bob.identity.userId, bob.identity.identityKey)
    const atBob = safetyNumber(bob.identity, alice.identity.userId, alice.identity.identityKey)
    assert.equal(atAlice, atBob)
    assert.match(atAlice, /^\d{5}( \d{5}){11}$/)
  })

  it('changes with either key or user id', () => {
    const reference = safetyNumber(alice.identity, bob.identity.userId, bob.identity.identityKey)
    assert.notEqual(safetyNumber(alice.identity, bob.identity.userId, carol.identity.identityKey), reference)
    assert.notEqual(safetyNumber(alice.identity, carol.identity.userId, bob.identity.identityKey), reference)
    assert.notEqual(safetyNumber(carol.identity, bob.identity.userId, bob.identity.identityKey), reference)
  })

  it('refuses a malformed key or user id', () => {
    assert.throws(() => safetyNumber(alice.identity, bob.identity.userId, new Uint8Array(33)), InvalidInputError)
    assert.throws(() => safetyNumber(alice.identity, bob.identity.userId.toUpperCase(), bob.identity.identityKey), InvalidInputError)
  })
})
