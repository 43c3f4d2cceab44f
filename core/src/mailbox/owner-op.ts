// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Signing and checking owner operations: an Ed25519 signature by the mailbox key over a context
 * string, one zero byte, and the encoded OwnerOp.
 */

import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { OWNER_OP_CONTEXT } from './constants.js'
import { encodeOwnerOp } from './frames.js'
import { ed25519PublicKeyOf } from './keys.js'
import type { OwnerOpData } from './frames.js'
import type { PrivateKey } from '@libp2p/interface'

const CONTEXT = new TextEncoder().encode(OWNER_OP_CONTEXT)

/** The bytes a mailbox key signs for an encoded OwnerOp. */
export function ownerOpSigningBytes (op: Uint8Array): Uint8Array {
  const out = new Uint8Array(CONTEXT.byteLength + 1 + op.byteLength)
  out.set(CONTEXT, 0)
  out.set(op, CONTEXT.byteLength + 1)
  return out
}

/** A signed owner operation, ready to send as a request. */
export interface SignedOwnerOp {
  publicKey: Uint8Array
  op: Uint8Array
  signature: Uint8Array
}

/** Encodes and signs an owner operation with the mailbox key. */
export async function signOwnerOp (key: PrivateKey, op: OwnerOpData): Promise<SignedOwnerOp> {
  const publicKey = ed25519PublicKeyOf(key)
  const encoded = encodeOwnerOp(op)
  const signature = await key.sign(ownerOpSigningBytes(encoded))
  return { publicKey, op: encoded, signature }
}

/** Whether `signature` is the mailbox key's signature over the encoded op. Never throws for bad input. */
export async function verifyOwnerOp (publicKey: Uint8Array, op: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    return await publicKeyFromRaw(publicKey).verify(ownerOpSigningBytes(op), signature)
  } catch {
    return false
  }
}
