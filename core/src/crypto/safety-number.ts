// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Safety numbers: libsignal's displayable fingerprint of both identity keys, for two people to
 * compare out of band.
 */
import { Fingerprint, PublicKey } from '@signalapp/libsignal-client'
import { InvalidInputError } from '../errors.js'
import { arrayBufferBytes, assertUserId, uuidBytes } from './bytes.js'
import type { LocalIdentity } from './local-identity.js'

/** Signal's iteration count and fingerprint version 2 (identifiers are the 16 bytes of the UUID). */
const ITERATIONS = 5200
const VERSION = 2

/**
 * The safety number of the conversation between `identity` and `remoteUserId` (whose identity key
 * is `remoteIdentityKey`): 60 digits in twelve groups of five, separated by spaces. Both sides
 * compute the same string.
 *
 * @throws {InvalidInputError} when the user id or key is malformed
 */
export function safetyNumber (identity: LocalIdentity, remoteUserId: string, remoteIdentityKey: Uint8Array): string {
  assertUserId(remoteUserId)
  let remoteKey: PublicKey
  try {
    remoteKey = PublicKey.deserialize(arrayBufferBytes(remoteIdentityKey))
  } catch (err) {
    throw new InvalidInputError('the identity key is not a valid public key', { cause: err })
  }
  const digits = Fingerprint.new(ITERATIONS, VERSION, uuidBytes(identity.userId), identity.keyPair.publicKey,
    uuidBytes(remoteUserId), remoteKey).displayableFingerprint().toString()
  return digits.match(/\d{5}/g)?.join(' ') ?? digits
}
