// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Sessions with other users, and the identity keys recorded for them (trust on first use).
 */
import {
  KEMPublicKey,
  PreKeyBundle,
  ProtocolAddress,
  PublicKey,
  processPreKeyBundle
} from '@signalapp/libsignal-client'
import { InvalidInputError } from '../errors.js'
import { arrayBufferBytes, assertUserId, equalBytes } from './bytes.js'
import { identityRecordKey, sessionKey } from './keys.js'
import { DEVICE_ID } from './local-identity.js'
import { withSignal } from './signal-errors.js'
import { createSignalStores, readIdentity, readSession } from './stores.js'
import type { PreKeyBundleData } from '../protocol/types.js'
import type { StoreReader, Transaction } from '../storage/types.js'
import type { LocalIdentity } from './local-identity.js'

/** The libsignal address of a Sotto user. */
export function addressOf (userId: string): ProtocolAddress {
  return ProtocolAddress.new(userId, DEVICE_ID)
}

function publicKey (bytes: Uint8Array, what: string): PublicKey {
  try {
    return PublicKey.deserialize(arrayBufferBytes(bytes))
  } catch (err) {
    throw new InvalidInputError(`${what} is not a valid public key`, { cause: err })
  }
}

function preKeyBundle (data: PreKeyBundleData): PreKeyBundle {
  if (data.deviceId !== DEVICE_ID) {
    throw new InvalidInputError('a Sotto prekey bundle is for device 1')
  }
  if ((data.preKeyId === undefined) !== (data.preKey === undefined)) {
    throw new InvalidInputError('a one-time prekey needs both its id and its key')
  }
  let kyberPreKey: KEMPublicKey
  try {
    kyberPreKey = KEMPublicKey.deserialize(arrayBufferBytes(data.kyberPreKey))
  } catch (err) {
    throw new InvalidInputError('the Kyber prekey is not a valid public key', { cause: err })
  }
  try {
    return PreKeyBundle.new(
      data.registrationId,
      data.deviceId,
      data.preKeyId ?? null,
      data.preKey === undefined ? null : publicKey(data.preKey, 'the one-time prekey'),
      data.signedPreKeyId,
      publicKey(data.signedPreKey, 'the signed prekey'),
      arrayBufferBytes(data.signedPreKeySignature),
      publicKey(data.identityKey, 'the identity key'),
      data.kyberPreKeyId,
      kyberPreKey,
      arrayBufferBytes(data.kyberPreKeySignature)
    )
  } catch (err) {
    if (err instanceof InvalidInputError) {
      throw err
    }
    throw new InvalidInputError('the prekey bundle is malformed', { cause: err })
  }
}

/**
 * Starts a session with `remoteUserId` from their prekey bundle (PQXDH through libsignal), writing
 * the session and, on first use, their identity key to `tx`. The caller commits. Messages sealed
 * to them are PreKey messages until they reply.
 *
 * @throws {InvalidInputError} when the bundle is malformed or its signatures do not verify
 * @throws {IdentityKeyChangedError} when a different identity key is recorded for this user (accept it first)
 */
export async function startSession (tx: Transaction, identity: LocalIdentity, remoteUserId: string, bundle: PreKeyBundleData): Promise<void> {
  assertUserId(remoteUserId)
  if (remoteUserId === identity.userId) {
    throw new InvalidInputError('a session with oneself is not possible')
  }
  const stores = createSignalStores(tx, identity)
  const fallback = (message: string, options: ErrorOptions): InvalidInputError => new InvalidInputError(`the prekey bundle was refused: ${message}`, options)
  await withSignal(stores.context, fallback, async () => {
    await processPreKeyBundle(preKeyBundle(bundle), addressOf(remoteUserId), addressOf(identity.userId), stores.session, stores.identity)
  })
}

/** Whether there is a session with `userId` that messages can be sealed with. */
export async function hasSession (reader: StoreReader, identity: LocalIdentity, userId: string): Promise<boolean> {
  assertUserId(userId)
  if (userId === identity.userId) {
    return false
  }
  const record = await readSession(reader, userId)
  return record?.hasCurrentState() ?? false
}

/** The identity key recorded for `userId` (serialized, 33 bytes), or undefined when none is. */
export async function recordedIdentityKey (reader: StoreReader, userId: string): Promise<Uint8Array | undefined> {
  assertUserId(userId)
  return await readIdentity(reader, userId)
}

/**
 * Accepts `key` as the identity key of `userId` (after the user saw the change), writing it to
 * `tx`. When it replaces a different key, the session built on the old key is archived: it can no
 * longer be used, and a new one starts from their next PreKey message or a fresh bundle. The caller
 * commits.
 *
 * @throws {InvalidInputError} when `key` is not a valid identity public key
 */
export async function acceptIdentity (tx: Transaction, userId: string, key: Uint8Array): Promise<void> {
  assertUserId(userId)
  const serialized = publicKey(key, 'the identity key').serialize()
  const recorded = await readIdentity(tx, userId)
  if (recorded !== undefined && equalBytes(recorded, serialized)) {
    return
  }
  tx.put(identityRecordKey(userId), serialized)
  if (recorded === undefined) {
    return
  }
  const session = await readSession(tx, userId)
  if (session?.hasCurrentState() === true) {
    session.archiveCurrentState()
    tx.put(sessionKey(userId), session.serialize())
  }
}
