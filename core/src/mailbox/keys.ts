// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Mailbox keys, mailbox ids and deposit tokens.
 */

import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidInputError } from '../errors.js'
import { DEPOSIT_TOKEN_BYTES } from './constants.js'
import type { Ed25519PrivateKey, PrivateKey } from '@libp2p/interface'

/** A new per-mailbox Ed25519 key. Keep one per relay: it, not the PeerId, owns the mailbox. */
export async function generateMailboxKey (): Promise<Ed25519PrivateKey> {
  return generateKeyPair('Ed25519')
}

/** The id of the mailbox owned by `key`: SHA-256 of its raw 32-byte Ed25519 public key. */
export function mailboxIdOf (key: PrivateKey | Uint8Array): Uint8Array {
  const raw = key instanceof Uint8Array ? key : ed25519PublicKeyOf(key)
  if (raw.byteLength !== 32) throw new InvalidInputError('a mailbox public key is 32 bytes')
  return sha256(raw)
}

/** The raw 32-byte public key of an Ed25519 mailbox key. */
export function ed25519PublicKeyOf (key: PrivateKey): Uint8Array {
  if (key.type !== 'Ed25519') throw new InvalidInputError(`a mailbox key must be Ed25519, not ${key.type}`)
  return key.publicKey.raw
}

/** A new random deposit token (32 bytes), to hand to one contact or to put in an invite card. */
export function generateDepositToken (): Uint8Array {
  return new Uint8Array(randomBytes(DEPOSIT_TOKEN_BYTES))
}

/** What a relay stores of a token: its SHA-256. */
export function hashDepositToken (token: Uint8Array): Uint8Array {
  if (token.byteLength !== DEPOSIT_TOKEN_BYTES) throw new InvalidInputError(`a deposit token is ${DEPOSIT_TOKEN_BYTES} bytes`)
  return sha256(token)
}
