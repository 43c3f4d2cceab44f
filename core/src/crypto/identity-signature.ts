// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Signatures by the identity key (XEd25519, as libsignal makes them): what binds an invite card to
 * its owner's messaging identity.
 */
import { PublicKey } from '@signalapp/libsignal-client'
import { InvalidInputError } from '../errors.js'
import { arrayBufferBytes } from './bytes.js'
import type { LocalIdentity } from './local-identity.js'

/** Signs `message` with the identity key of `identity` (64-byte signature). */
export function signWithIdentity (identity: LocalIdentity, message: Uint8Array): Uint8Array {
  return identity.keyPair.privateKey.sign(arrayBufferBytes(message))
}

/**
 * Whether `signature` is the signature of `message` by the identity key `identityKey` (serialized).
 *
 * @throws {InvalidInputError} when `identityKey` is not a valid public key
 */
export function verifyIdentitySignature (identityKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  let key: PublicKey
  try {
    key = PublicKey.deserialize(arrayBufferBytes(identityKey))
  } catch (err) {
    throw new InvalidInputError('the identity key is not a valid public key', { cause: err })
  }
  return key.verify(arrayBufferBytes(message), arrayBufferBytes(signature))
}
