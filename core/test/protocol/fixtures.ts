// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Real keys and cards for the protocol tests.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { KEMKeyPair, PrivateKey } from '@signalapp/libsignal-client'
import { InvalidInputError } from '../../src/errors.js'
import type { InviteCard, PreKeyBundleData } from '../../src/protocol/index.js'

/** Someone with a libsignal identity, a prekey bundle and a libp2p PeerId. */
export interface TestIdentity {
  identityKey: PrivateKey
  bundle: PreKeyBundleData
  peerId: string
}

/** A fresh identity with real keys (one-time EC prekey included). */
export async function makeIdentity (): Promise<TestIdentity> {
  const identityKey = PrivateKey.generate()
  const signedPreKey = PrivateKey.generate().getPublicKey().serialize()
  const kyberPreKey = KEMKeyPair.generate().getPublicKey().serialize()
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  return {
    identityKey,
    peerId,
    bundle: {
      registrationId: 4242,
      deviceId: 1,
      preKeyId: 7,
      preKey: PrivateKey.generate().getPublicKey().serialize(),
      signedPreKeyId: 3,
      signedPreKey,
      signedPreKeySignature: identityKey.sign(signedPreKey),
      identityKey: identityKey.getPublicKey().serialize(),
      kyberPreKeyId: 11,
      kyberPreKey,
      kyberPreKeySignature: identityKey.sign(kyberPreKey)
    }
  }
}

/** A valid card for `who`, with one direct address and one relay. */
export function makeCard (who: TestIdentity, overrides: Partial<Omit<InviteCard, 'version'>> = {}): Omit<InviteCard, 'version'> {
  return {
    name: 'Alice ✨',
    userId: randomUUID(),
    peerId: who.peerId,
    bundle: who.bundle,
    addrs: [`/ip4/192.0.2.7/tcp/4001/p2p/${who.peerId}`],
    relays: [{
      addr: '/dns4/relay.example.org/tcp/443/wss/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN',
      mailboxId: new Uint8Array(32).fill(1),
      introToken: new Uint8Array(32).fill(2)
    }],
    createdAt: 1_767_225_600_000,
    ...overrides
  }
}

/** Byte array from hex. */
export function fromHex (hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

export { toHex } from '../../src/util/index.js'

/**
 * Runs `fn`; it must return, or throw an InvalidInputError (TooLargeError and BadSignatureError
 * are subclasses). Anything else (TypeError, RangeError, a library's own error) fails the test.
 */
export function returnsOrThrowsNamed (fn: () => unknown): void {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof InvalidInputError, `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`)
  }
}
