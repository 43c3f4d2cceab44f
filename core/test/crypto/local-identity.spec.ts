// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import {
  createLocalIdentity,
  loadLocalIdentity,
  signWithIdentity,
  verifyIdentitySignature
} from '../../src/crypto/index.js'
import { BugError, InvalidInputError } from '../../src/errors.js'
import { cleanUp, inTx, newParty, reopen } from './fixtures.js'
import type { Party } from './fixtures.js'

describe('crypto local identity', () => {
  let alice: Party

  before(async () => {
    alice = await newParty(Date.UTC(2030, 0, 1))
  })

  after(async () => {
    await cleanUp(alice)
  })

  it('has a random UUID v4 user id, device 1, a 14-bit registration id and a 33-byte identity key', () => {
    assert.match(alice.identity.userId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(alice.identity.deviceId, 1)
    assert.ok(alice.identity.registrationId >= 1 && alice.identity.registrationId <= 16380)
    assert.equal(alice.identity.identityKey.byteLength, 33)
    assert.equal(alice.identity.createdAt, Date.UTC(2030, 0, 1))
  })

  it('loads back the same identity after reopening the store', async () => {
    const before = alice.identity
    await reopen(alice)
    assert.notEqual(alice.identity, before)
    assert.equal(alice.identity.userId, before.userId)
    assert.equal(alice.identity.registrationId, before.registrationId)
    assert.deepEqual(alice.identity.identityKey, before.identityKey)
    assert.deepEqual(alice.identity.keyPair.serialize(), before.keyPair.serialize())
  })

  it('is created once per store', async () => {
    await assert.rejects(inTx(alice.store, async tx => await createLocalIdentity(tx, Date.now())), BugError)
    const empty = await newParty()
    assert.notEqual(empty.identity.userId, alice.identity.userId)
    await cleanUp(empty)
  })

  it('loads nothing from a store without an identity, and refuses a malformed user id to restore', async () => {
    const other = await newParty()
    await other.store.del(['signal-local', 'identity'])
    assert.equal(await loadLocalIdentity(other.store), undefined)
    await assert.rejects(inTx(other.store, async tx => await createLocalIdentity(tx, Date.now(), { userId: 'ALICE' })), InvalidInputError)
    const restored = await inTx(other.store, async tx => await createLocalIdentity(tx, Date.now(), { userId: alice.identity.userId }))
    assert.equal(restored.userId, alice.identity.userId)
    assert.notDeepEqual(restored.identityKey, alice.identity.identityKey)
    await cleanUp(other)
  })

  it('signs with the identity key', () => {
    const message = new TextEncoder().encode('invite card')
    const signature = signWithIdentity(alice.identity, message)
    assert.equal(verifyIdentitySignature(alice.identity.identityKey, message, signature), true)
    assert.equal(verifyIdentitySignature(alice.identity.identityKey, new TextEncoder().encode('invite carD'), signature), false)
    assert.throws(() => verifyIdentitySignature(new Uint8Array(3), message, signature), InvalidInputError)
  })
})
