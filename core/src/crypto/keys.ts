// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Where the crypto layer keeps its records in the store. Not part of the door.
 *
 * String parts (user ids, base keys) are hashed by the store; number parts (prekey ids) sort.
 */
import type { Key } from '../storage/types.js'

/** The local identity record (user id, registration id, identity key pair). */
export const LOCAL_IDENTITY_KEY: Key = ['signal-local', 'identity']

/** Bookkeeping of the local prekeys: id counters, current and retired keys. */
export const PREKEY_STATE_KEY: Key = ['signal-local', 'prekeys']

/** The libsignal session record with a user. */
export function sessionKey (userId: string): Key {
  return ['signal-session', userId]
}

/** The identity key recorded for a user (trust on first use). */
export function identityRecordKey (userId: string): Key {
  return ['signal-identity', userId]
}

/** A one-time EC prekey. */
export function preKeyKey (id: number): Key {
  return ['signal-prekey', id]
}

/** A signed prekey (current or retired). */
export function signedPreKeyKey (id: number): Key {
  return ['signal-signed-prekey', id]
}

/** A one-time Kyber prekey. */
export function kyberPreKeyKey (id: number): Key {
  return ['signal-kyber-prekey', id]
}

/** A last-resort Kyber prekey (current or retired). */
export function lastResortKyberKey (id: number): Key {
  return ['signal-kyber-last-resort', id]
}

/** Prefix of the base keys seen with a last-resort Kyber prekey. */
export function kyberUsedPrefix (kyberId: number): Key {
  return ['signal-kyber-used', kyberId]
}

/** One use of a last-resort Kyber prekey: (Kyber id, signed prekey id, base key). */
export function kyberUsedKey (kyberId: number, signedPreKeyId: number, baseKeyHex: string): Key {
  return ['signal-kyber-used', kyberId, signedPreKeyId, baseKeyHex]
}
