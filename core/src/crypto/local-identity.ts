// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The local messaging identity: a Sotto user id, a libsignal registration id and identity key
 * pair, and (through `prekeys.ts`) the prekeys that let others start sessions with it.
 */
import { randomInt, randomUUID } from 'node:crypto'
import { IdentityKeyPair } from '@signalapp/libsignal-client'
import { z } from 'zod'
import { BugError, InvalidInputError, StorageCorruptError } from '../errors.js'
import { arrayBufferBytes, assertTime, assertUserId, fromBase64, toBase64 } from './bytes.js'
import { LOCAL_IDENTITY_KEY } from './keys.js'
import { initPreKeys } from './prekeys.js'
import type { StoreReader, Transaction } from '../storage/types.js'

/** Sotto runs one libsignal device per user: every address uses this device id. */
export const DEVICE_ID = 1

/** The local user's messaging identity. Holds the private identity key: never log it. */
export interface LocalIdentity {
  /** The Sotto user id: a random UUID v4, also the libsignal address name and sender-certificate UUID. */
  readonly userId: string
  /** Always {@link DEVICE_ID}. */
  readonly deviceId: typeof DEVICE_ID
  /** libsignal registration id, 1–16380. */
  readonly registrationId: number
  /** The identity public key, serialized (33 bytes): what contacts record and compare. */
  readonly identityKey: Uint8Array
  /** The identity key pair (libsignal object). Secret. */
  readonly keyPair: IdentityKeyPair
  /** When the identity was created (ms since epoch). */
  readonly createdAt: number
  /**
   * Which installation of the identity this is: 1 (or absent) where it was made, the next number
   * at each restore from a backup. Stated in every sealed message's certificate.
   */
  readonly installation?: number
}

/** The stored form of the identity, as a backup carries it. Holds the private key: never log it. */
export interface LocalIdentityBackup {
  userId: string
  registrationId: number
  /** The serialized identity key pair. */
  keyPair: Uint8Array
  createdAt: number
  installation: number
}

/** Options for {@link createLocalIdentity}. */
export interface CreateLocalIdentityOptions {
  /**
   * Reuse this user id instead of a fresh random one (restoring an account's id under a new key).
   * Contacts then see an identity change.
   */
  userId?: string
}

const identityRecord = z.object({
  v: z.literal(1),
  userId: z.string(),
  registrationId: z.number().int().min(1).max(16380),
  keyPair: z.base64(),
  createdAt: z.number().int().nonnegative(),
  installation: z.number().int().min(1).max(0xFFFFFFFF).optional()
})

/**
 * Creates the local identity and its prekeys (a signed prekey, a last-resort Kyber prekey, and pools
 * of one-time EC and Kyber prekeys), writing them to `tx`. The caller commits.
 *
 * @param now - the current time, ms since epoch (prekey timestamps)
 * @throws {BugError} when the store already holds an identity: replacing it would lose every session
 */
export async function createLocalIdentity (tx: Transaction, now: number, options: CreateLocalIdentityOptions = {}): Promise<LocalIdentity> {
  assertTime(now)
  if (await tx.get(LOCAL_IDENTITY_KEY) !== undefined) {
    throw new BugError('this store already holds a local identity')
  }
  const userId = options.userId ?? randomUUID()
  assertUserId(userId)
  const keyPair = IdentityKeyPair.generate()
  const identity: LocalIdentity = {
    userId,
    deviceId: DEVICE_ID,
    // libsignal registration ids are 14 bits and never 0.
    registrationId: randomInt(1, 16381),
    identityKey: keyPair.publicKey.serialize(),
    keyPair,
    createdAt: now
  }
  const record: z.infer<typeof identityRecord> = {
    v: 1,
    userId,
    registrationId: identity.registrationId,
    keyPair: toBase64(keyPair.serialize()),
    createdAt: now
  }
  tx.put(LOCAL_IDENTITY_KEY, new TextEncoder().encode(JSON.stringify(record)))
  await initPreKeys(tx, identity, now)
  return identity
}

/**
 * Loads the local identity, or undefined when none was created yet.
 *
 * @throws {StorageCorruptError} when the stored record cannot be read
 */
export async function loadLocalIdentity (reader: StoreReader): Promise<LocalIdentity | undefined> {
  const bytes = await reader.get(LOCAL_IDENTITY_KEY)
  if (bytes === undefined) {
    return undefined
  }
  let record: z.infer<typeof identityRecord>
  let keyPair: IdentityKeyPair
  try {
    record = identityRecord.parse(JSON.parse(new TextDecoder().decode(bytes)))
    assertUserId(record.userId)
    keyPair = IdentityKeyPair.deserialize(fromBase64(record.keyPair))
  } catch (err) {
    throw new StorageCorruptError('the local identity record cannot be read', { cause: err })
  }
  return {
    userId: record.userId,
    deviceId: DEVICE_ID,
    registrationId: record.registrationId,
    identityKey: keyPair.publicKey.serialize(),
    keyPair,
    createdAt: record.createdAt,
    installation: record.installation ?? 1
  }
}

/** The identity as a backup carries it: the stored record, with its installation number. */
export function backupOfLocalIdentity (identity: LocalIdentity): LocalIdentityBackup {
  return {
    userId: identity.userId,
    registrationId: identity.registrationId,
    keyPair: identity.keyPair.serialize(),
    createdAt: identity.createdAt,
    installation: identity.installation ?? 1
  }
}

/**
 * Writes an identity from a backup to `tx` as installation `installation`, with fresh prekeys of
 * its own (none of the old installation's). The caller commits.
 *
 * @throws {BugError} when the store already holds an identity
 * @throws {InvalidInputError} when the backup's key pair or user id is not valid
 */
export async function restoreLocalIdentity (tx: Transaction, backup: LocalIdentityBackup, installation: number, now: number): Promise<LocalIdentity> {
  assertTime(now)
  if (await tx.get(LOCAL_IDENTITY_KEY) !== undefined) throw new BugError('this store already holds a local identity')
  let keyPair: IdentityKeyPair
  try {
    assertUserId(backup.userId)
    keyPair = IdentityKeyPair.deserialize(arrayBufferBytes(backup.keyPair))
    identityRecord.parse({ v: 1, userId: backup.userId, registrationId: backup.registrationId, keyPair: toBase64(backup.keyPair), createdAt: backup.createdAt, installation })
  } catch (err) {
    throw new InvalidInputError('the backup\'s identity is not valid', { cause: err })
  }
  const record: z.infer<typeof identityRecord> = { v: 1, userId: backup.userId, registrationId: backup.registrationId, keyPair: toBase64(backup.keyPair), createdAt: backup.createdAt, installation }
  tx.put(LOCAL_IDENTITY_KEY, new TextEncoder().encode(JSON.stringify(record)))
  const identity: LocalIdentity = {
    userId: backup.userId,
    deviceId: DEVICE_ID,
    registrationId: backup.registrationId,
    identityKey: keyPair.publicKey.serialize(),
    keyPair,
    createdAt: backup.createdAt,
    installation
  }
  await initPreKeys(tx, identity, now)
  return identity
}
