// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import {
  ContentHint,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SenderCertificate,
  ServerCertificate,
  UnidentifiedSenderMessageContent,
  sealedSenderEncrypt,
  signalEncrypt
} from '@signalapp/libsignal-client'
import fc from 'fast-check'
import { acceptIdentity, createSignalStores, recordedIdentityKey, unseal } from '../../src/crypto/index.js'
import {
  DecryptionError,
  DuplicateEnvelopeError,
  IdentityChangedError,
  IdentityKeyChangedError,
  SottoError,
  UndecryptableMessageError
} from '../../src/errors.js'
import { cleanUp, connect, inTx, newParty, receive, rejection, send, text } from './fixtures.js'
import type { Party } from './fixtures.js'

/** Unseals at `to` in a transaction that is never committed: each attempt starts from the same state. */
async function tryUnseal (to: Party, sealed: Uint8Array): Promise<unknown> {
  const tx = to.store.transaction()
  return await unseal(tx, to.identity, sealed)
}

/**
 * Mallory's hand-made sealed message to `to`: her session and her identity seal it, with a sender
 * certificate she makes up (`claimedUserId`, `claimedKey`), signed by her own identity key.
 */
async function forge (mallory: Party, to: Party, claimedUserId: string, claimedKey: Uint8Array, trustRoot?: PrivateKey): Promise<Uint8Array> {
  return await sealWith(mallory, to, certify(mallory, claimedUserId, claimedKey, Date.now() + 1e10, trustRoot))
}

/** A sender certificate for `claimedUserId` and `claimedKey`, signed by `by`'s identity key. */
function certify (by: Party, claimedUserId: string, claimedKey: Uint8Array, expiresAt: number, trustRoot?: PrivateKey): SenderCertificate {
  const { privateKey, publicKey } = by.identity.keyPair
  const server = ServerCertificate.new(1, publicKey, trustRoot ?? privateKey)
  return SenderCertificate.new(claimedUserId, null, 1, PublicKey.deserialize(new Uint8Array(claimedKey)), expiresAt, server, privateKey)
}

/** A message from `from` to `to`, sealed with `certificate`. */
async function sealWith (from: Party, to: Party, certificate: SenderCertificate): Promise<Uint8Array> {
  return await inTx(from.store, async tx => {
    const stores = createSignalStores(tx, from.identity)
    const address = ProtocolAddress.new(to.identity.userId, 1)
    const message = await signalEncrypt(new TextEncoder().encode('trust me'), address, ProtocolAddress.new(from.identity.userId, 1), stores.session, stores.identity)
    const content = UnidentifiedSenderMessageContent.new(message, certificate, ContentHint.Default, null)
    return await sealedSenderEncrypt(content, address, stores.identity)
  })
}

describe('crypto sealed sender', () => {
  let alice: Party
  let bob: Party
  let whisper: Uint8Array
  let preKey: Uint8Array

  before(async () => {
    alice = await newParty()
    bob = await newParty()
    await connect(alice, bob)
    preKey = await send(alice, bob, 'first, with the PreKey message inside')
    assert.equal(text(await receive(bob, preKey)), 'first, with the PreKey message inside')
    await receive(alice, await send(bob, alice, 'reply'))
    whisper = await send(alice, bob, 'a normal message')
  })

  after(async () => {
    await cleanUp(alice, bob)
  })

  it('hides the sender: the sealed bytes do not contain the sender user id or key', async () => {
    const haystack = Buffer.from(whisper)
    assert.equal(haystack.includes(Buffer.from(alice.identity.userId)), false)
    assert.equal(haystack.includes(Buffer.from(alice.identity.userId.replaceAll('-', ''), 'hex')), false)
    assert.equal(haystack.includes(Buffer.from(alice.identity.identityKey)), false)
  })

  it('fails with DecryptionError on every single-byte change, and still opens the original', async () => {
    for (let i = 0; i < whisper.byteLength; i++) {
      const tampered = whisper.slice()
      tampered[i] = (tampered[i] ?? 0) ^ 0x01
      await assert.rejects(tryUnseal(bob, tampered), DecryptionError, `byte ${i}`)
    }
    await assert.rejects(tryUnseal(bob, whisper.subarray(0, whisper.byteLength - 1)), DecryptionError)
    await assert.rejects(tryUnseal(bob, new Uint8Array(0)), DecryptionError)
    assert.equal(text(await receive(bob, whisper)), 'a normal message')
  })

  it('fails with DecryptionError for a message sealed to someone else', async () => {
    const carol = await newParty()
    await connect(alice, carol)
    const toCarol = await send(alice, carol, 'for carol only')
    await assert.rejects(tryUnseal(bob, toCarol), DecryptionError)
    assert.equal(text(await receive(carol, toCarol)), 'for carol only')
    await cleanUp(carol)
  })

  it('rejects Mallory claiming Alice\'s user id with her own key', async () => {
    const mallory = await newParty(Date.now(), { userId: alice.identity.userId })
    await connect(mallory, bob)
    const sealed = await send(mallory, bob, 'hi, it is alice')
    const err = await rejection(tryUnseal(bob, sealed), IdentityKeyChangedError)
    assert.equal(err.userId, alice.identity.userId)
    assert.deepEqual(err.identityKey, mallory.identity.identityKey)
    assert.deepEqual(await recordedIdentityKey(bob.store, alice.identity.userId), alice.identity.identityKey)
    await cleanUp(mallory)
  })

  it('rejects the same claim on first contact when the user id was recorded from an invite card', async () => {
    const dave = await newParty()
    const mallory = await newParty(Date.now(), { userId: alice.identity.userId })
    await inTx(dave.store, async tx => { await acceptIdentity(tx, alice.identity.userId, alice.identity.identityKey) })
    await connect(mallory, dave)
    await assert.rejects(tryUnseal(dave, await send(mallory, dave, 'hi, it is alice')), IdentityChangedError)
    await cleanUp(dave, mallory)
  })

  it('rejects a forged certificate naming Alice\'s id and key but signed by Mallory', async () => {
    const mallory = await newParty()
    await connect(mallory, bob)
    await assert.rejects(tryUnseal(bob, await forge(mallory, bob, alice.identity.userId, alice.identity.identityKey)), DecryptionError)
    // Same for a user Bob has never heard of: the certificate names a key Mallory does not hold.
    const stranger = await newParty()
    await assert.rejects(tryUnseal(bob, await forge(mallory, bob, stranger.identity.userId, stranger.identity.identityKey)), DecryptionError)
    // Her own key, but a server certificate signed by another key: the chain does not reach her key.
    await assert.rejects(tryUnseal(bob, await forge(mallory, bob, mallory.identity.userId, mallory.identity.identityKey, PrivateKey.generate())), DecryptionError)
    // Her own honest certificate, as a control, opens.
    const honest = await tryUnseal(bob, await forge(mallory, bob, mallory.identity.userId, mallory.identity.identityKey))
    assert.ok(typeof honest === 'object' && honest !== null && 'senderUserId' in honest)
    assert.equal(honest.senderUserId, mallory.identity.userId)
    await cleanUp(mallory, stranger)
  })

  it('rejects an inner message from a different key than the certificate\'s', async () => {
    // Mallory holds two identities under one made-up user id: the session with Bob is on the
    // first, the certificate and sealed layer on the second.
    const inner = await newParty()
    const outer = await newParty(Date.now(), { userId: inner.identity.userId })
    await connect(inner, bob)
    await inTx(outer.store, async tx => { await acceptIdentity(tx, bob.identity.userId, bob.identity.identityKey) })
    const sealed = await inTx(inner.store, async tx => {
      const innerStores = createSignalStores(tx, inner.identity)
      const outerStores = createSignalStores(outer.store.transaction(), outer.identity)
      const address = ProtocolAddress.new(bob.identity.userId, 1)
      const message = await signalEncrypt(new TextEncoder().encode('two faces'), address, ProtocolAddress.new(inner.identity.userId, 1), innerStores.session, innerStores.identity)
      const { privateKey, publicKey } = outer.identity.keyPair
      const certificate = SenderCertificate.new(outer.identity.userId, null, 1, publicKey, Date.now() + 1e10, ServerCertificate.new(1, publicKey, privateKey), privateKey)
      const content = UnidentifiedSenderMessageContent.new(message, certificate, ContentHint.Default, null)
      return await sealedSenderEncrypt(content, address, outerStores.identity)
    })
    await assert.rejects(tryUnseal(bob, sealed), DecryptionError)
    assert.equal(await recordedIdentityKey(bob.store, inner.identity.userId), undefined)
    await cleanUp(inner, outer)
  })

  it('stops opening messages under a certificate once it expires, though it verified before', async () => {
    const carol = await newParty()
    await connect(carol, bob)
    // The same certificate (same bytes) seals both messages; signing again would change its bytes.
    const expiresAt = Date.now() + 1500
    const certificate = certify(carol, carol.identity.userId, carol.identity.identityKey, expiresAt)
    const first = await sealWith(carol, bob, certificate)
    const second = await sealWith(carol, bob, certificate)
    await inTx(bob.store, async tx => { await unseal(tx, bob.identity, first) })
    await new Promise(resolve => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 50))
    await assert.rejects(tryUnseal(bob, second), DecryptionError)
    await cleanUp(carol)
  })

  it('rejects a certificate that claims to be the recipient', async () => {
    const mallory = await newParty()
    await connect(mallory, bob)
    await assert.rejects(tryUnseal(bob, await forge(mallory, bob, bob.identity.userId, mallory.identity.identityKey)), DecryptionError)
    await cleanUp(mallory)
  })

  it('throws only named errors for random and mutated sealed bytes', async () => {
    const valid = await send(alice, bob, 'property')
    const mutated = fc.tuple(fc.constantFrom(valid, preKey, whisper), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat())
      .map(([base, flips, cut]) => {
        const bytes = base.slice(0, Math.max(1, base.byteLength - (cut % 8)))
        for (const [at, xor] of flips) {
          const i = at % bytes.byteLength
          bytes[i] = (bytes[i] ?? 0) ^ xor
        }
        return bytes
      })
    const anyBytes = fc.uint8Array({ maxLength: 3000 }).map(bytes => new Uint8Array(bytes))
    // A version byte that passes the first check, so the fuzzing reaches deeper.
    const versioned = fc.uint8Array({ minLength: 1, maxLength: 600 }).map(bytes => new Uint8Array([0x11, ...bytes]))
    const originals = [valid, preKey, whisper].map(bytes => Buffer.from(bytes))
    await fc.assert(fc.asyncProperty(fc.oneof(mutated, anyBytes, versioned), async sealed => {
      // Two flips of one byte can cancel out; an unchanged message is not the point here.
      fc.pre(!originals.some(original => original.equals(sealed)))
      try {
        await tryUnseal(bob, sealed)
      } catch (err) {
        assert.ok(err instanceof SottoError, `not a named error: ${String(err)}`)
        assert.ok(err instanceof DecryptionError || err instanceof DuplicateEnvelopeError || err instanceof IdentityChangedError, err.name)
        return
      }
      assert.fail('mutated or random bytes opened')
    }), { numRuns: 400 })
    assert.equal(text(await receive(bob, valid)), 'property')
  })
})

describe('crypto sealed sender: a message that waited while the ratchet turned', () => {
  it('decrypts after five round trips; after six its chain is gone and the error names the sender', async () => {
    const alice = await newParty()
    const bob = await newParty()
    try {
      await connect(alice, bob)
      await receive(bob, await send(alice, bob, 'hello'))
      const outcomes: string[] = []
      for (const roundTrips of [5, 6]) {
        const held = await send(alice, bob, 'held at a relay')
        for (let i = 0; i < roundTrips; i++) {
          await receive(bob, await send(alice, bob, 'direct'))
          await receive(alice, await send(bob, alice, 'reply'))
        }
        try {
          outcomes.push(text(await receive(bob, held)))
        } catch (err) {
          assert.ok(err instanceof UndecryptableMessageError, String(err))
          assert.ok(err instanceof DecryptionError)
          assert.equal(err.senderUserId, alice.identity.userId)
          outcomes.push('undecryptable')
        }
      }
      assert.deepEqual(outcomes, ['held at a relay', 'undecryptable'])
    } finally {
      await cleanUp(alice, bob)
    }
  })
})
