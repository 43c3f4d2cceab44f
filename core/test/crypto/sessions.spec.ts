// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import {
  acceptIdentity,
  hasSession,
  recordedIdentityKey,
  seal,
  startSession
} from '../../src/crypto/index.js'
import {
  DuplicateEnvelopeError,
  IdentityChangedError,
  IdentityKeyChangedError,
  InvalidInputError,
  NotFoundError
} from '../../src/errors.js'
import { bundleOf, cleanUp, connect, inTx, newParty, receive, rejection, reopen, send, text } from './fixtures.js'
import type { Party } from './fixtures.js'

describe('crypto sessions', () => {
  let alice: Party
  let bob: Party

  before(async () => {
    alice = await newParty()
    bob = await newParty()
  })

  after(async () => {
    await cleanUp(alice, bob)
  })

  it('sets up from a bundle and carries messages both ways', async () => {
    assert.equal(await hasSession(alice.store, alice.identity, bob.identity.userId), false)
    await connect(alice, bob)
    assert.equal(await hasSession(alice.store, alice.identity, bob.identity.userId), true)
    assert.equal(await hasSession(bob.store, bob.identity, alice.identity.userId), false)

    const first = await receive(bob, await send(alice, bob, 'hello bob'))
    assert.equal(text(first), 'hello bob')
    assert.equal(first.senderUserId, alice.identity.userId)
    assert.deepEqual(first.senderIdentityKey, alice.identity.identityKey)
    assert.equal(await hasSession(bob.store, bob.identity, alice.identity.userId), true)
    assert.deepEqual(await recordedIdentityKey(bob.store, alice.identity.userId), alice.identity.identityKey)

    const reply = await receive(alice, await send(bob, alice, 'hello alice'))
    assert.equal(text(reply), 'hello alice')
    assert.equal(reply.senderUserId, bob.identity.userId)
    assert.equal(text(await receive(bob, await send(alice, bob, 'again'))), 'again')
  })

  it('decrypts messages delivered out of order', async () => {
    const sealed: Uint8Array[] = []
    for (let i = 0; i < 20; i++) {
      sealed.push(await send(alice, bob, `m${i}`))
    }
    const order = [19, 3, 0, 7, 18, 1, 2, 4, 5, 6, 8, 9, 17, 10, 11, 16, 12, 13, 15, 14]
    for (const i of order) {
      assert.equal(text(await receive(bob, sealed[i] as Uint8Array)), `m${i}`)
    }
  })

  it('rejects a duplicate with DuplicateEnvelopeError, without changing the session', async () => {
    const sealed = await send(bob, alice, 'once')
    assert.equal(text(await receive(alice, sealed)), 'once')
    await assert.rejects(receive(alice, sealed), DuplicateEnvelopeError)
    assert.equal(text(await receive(alice, await send(bob, alice, 'still fine'))), 'still fine')
  })

  it('rejects a duplicated first PreKey message', async () => {
    const carol = await newParty()
    await connect(carol, bob)
    const sealed = await send(carol, bob, 'first')
    assert.equal(text(await receive(bob, sealed)), 'first')
    await assert.rejects(receive(bob, sealed), DuplicateEnvelopeError)
    await cleanUp(carol)
  })

  it('carries 1,000 messages back and forth, with sessions surviving store reopen', async () => {
    for (let i = 0; i < 1000; i++) {
      const [from, to] = i % 3 === 2 ? [bob, alice] : [alice, bob]
      const message = await receive(to, await send(from, to, `n${i}`))
      assert.equal(text(message), `n${i}`)
      assert.equal(message.senderUserId, from.identity.userId)
      if (i % 250 === 249) {
        await reopen(alice)
        await reopen(bob)
      }
    }
  })

  it('loses nothing when a transaction is not committed: the session stays where it was', async () => {
    const tx = alice.store.transaction()
    await seal(tx, alice.identity, bob.identity.userId, new Uint8Array([1, 2, 3]))
    // tx dropped without commit: the next message reuses the same chain position, and still decrypts.
    assert.equal(text(await receive(bob, await send(alice, bob, 'after abort'))), 'after abort')
  })

  it('refuses to seal without a session, and to oneself', async () => {
    const dave = await newParty()
    await assert.rejects(send(alice, dave, 'hi'), NotFoundError)
    await assert.rejects(inTx(alice.store, async tx => await seal(tx, alice.identity, alice.identity.userId, new Uint8Array(1))), InvalidInputError)
    await assert.rejects(inTx(alice.store, async tx => await seal(tx, alice.identity, 'not-a-uuid', new Uint8Array(1))), InvalidInputError)
    await cleanUp(dave)
  })

  it('refuses malformed bundles with InvalidInputError', async () => {
    const good = await bundleOf(bob)
    const cases = [
      { ...good, signedPreKeySignature: new Uint8Array(64) },
      { ...good, kyberPreKeySignature: new Uint8Array(64) },
      { ...good, identityKey: new Uint8Array(33) },
      { ...good, kyberPreKey: new Uint8Array(10) },
      { ...good, deviceId: 2 },
      { ...good, preKey: undefined }
    ]
    for (const bundle of cases) {
      await assert.rejects(inTx(alice.store, async tx => { await startSession(tx, alice.identity, bob.identity.userId, bundle) }), InvalidInputError)
    }
    // Bob's signed key is real but signed by someone else's identity.
    await assert.rejects(inTx(alice.store, async tx => {
      await startSession(tx, alice.identity, bob.identity.userId, { ...good, identityKey: alice.identity.identityKey })
    }), IdentityChangedError)
  })

  it('stops at a changed identity until it is accepted', async () => {
    // Bob reinstalls: same user id, new identity key.
    const bob2 = await newParty(Date.now(), { userId: bob.identity.userId })
    assert.notDeepEqual(bob2.identity.identityKey, bob.identity.identityKey)

    const bundle = await bundleOf(bob2)
    const refused = await rejection(inTx(alice.store, async tx => { await startSession(tx, alice.identity, bob.identity.userId, bundle) }), IdentityKeyChangedError)
    assert.equal(refused.name, 'IdentityChangedError')
    assert.equal(refused.userId, bob.identity.userId)
    assert.deepEqual(refused.identityKey, bob2.identity.identityKey)
    assert.deepEqual(await recordedIdentityKey(alice.store, bob.identity.userId), bob.identity.identityKey)

    // A message from the new key is refused too, and nothing is recorded.
    await connect(bob2, alice)
    const sealed = await send(bob2, alice, 'it is me, new phone')
    const unsealError = await rejection(receive(alice, sealed), IdentityKeyChangedError)
    assert.equal(unsealError.userId, bob.identity.userId)
    assert.deepEqual(unsealError.identityKey, bob2.identity.identityKey)

    // The old session still works until the change is accepted.
    assert.equal(text(await receive(bob, await send(alice, bob, 'old bob?'))), 'old bob?')

    await inTx(alice.store, async tx => { await acceptIdentity(tx, bob.identity.userId, unsealError.identityKey) })
    assert.deepEqual(await recordedIdentityKey(alice.store, bob.identity.userId), bob2.identity.identityKey)
    // The session on the old key is archived: nothing more is sealed with it.
    assert.equal(await hasSession(alice.store, alice.identity, bob.identity.userId), false)

    // The waiting message now opens and starts the new session.
    assert.equal(text(await receive(alice, sealed)), 'it is me, new phone')
    assert.equal(text(await receive(bob2, await send(alice, bob2, 'welcome back'))), 'welcome back')
    // The old key is now the stranger.
    await assert.rejects(receive(alice, await send(bob, alice, 'old key')), IdentityChangedError)
    await cleanUp(bob2)
  })

  it('accepting the recorded key again changes nothing', async () => {
    const recorded = await recordedIdentityKey(alice.store, bob.identity.userId)
    if (recorded === undefined) {
      assert.fail('no identity recorded')
    }
    await inTx(alice.store, async tx => { await acceptIdentity(tx, bob.identity.userId, recorded) })
    assert.equal(await hasSession(alice.store, alice.identity, bob.identity.userId), true)
    await assert.rejects(inTx(alice.store, async tx => { await acceptIdentity(tx, bob.identity.userId, new Uint8Array(33)) }), InvalidInputError)
  })
})
