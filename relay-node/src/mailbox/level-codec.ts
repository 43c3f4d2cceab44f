// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The byte layout of the level mailbox store's keys and values (all binary):
 * - `01 mailboxId` → version(1) publicKey(32) idCeiling(8) [lastActive(8), version 2]: ids below
 *   the ceiling may have been used; lastActive is the owner's last operation (ms)
 * - `02 tokenHash` → kind(1) mailboxId(32)
 * - `03 mailboxId tokenHash` → empty (the tokens of a mailbox)
 * - `04 mailboxId id(8)` → expiresAt(8) kind(1) envelope
 * - `05 expiresAt(8) mailboxId id(8)` → size(4) [kind(1), since version 2] (the expiry index)
 */

import type { DepositTokenKind } from '@sotto/core/mailbox'

/** Lower-case hex of bytes. */

/** A binary key of one-byte tags and byte strings, concatenated. */
export function key (...parts: Array<number | Uint8Array>): Uint8Array {
  let len = 0
  for (const p of parts) len += typeof p === 'number' ? 1 : p.byteLength
  const out = Buffer.allocUnsafe(len)
  let at = 0
  for (const p of parts) {
    if (typeof p === 'number') {
      out[at++] = p
    } else {
      out.set(p, at)
      at += p.byteLength
    }
  }
  return out
}

/** 8 bytes, big-endian: keys sort by number. */
export function u64 (n: number): Uint8Array {
  const b = Buffer.allocUnsafe(8)
  b.writeBigUInt64BE(BigInt(n))
  return b
}

/** Reads 8 big-endian bytes at `at`. */
export function readU64 (b: Uint8Array, at: number): number {
  return Number(Buffer.from(b.buffer, b.byteOffset, b.byteLength).readBigUInt64BE(at))
}

/** The stored byte of a token kind. */
export function kindByte (kind: DepositTokenKind): number {
  return kind === 'contact' ? 1 : 2
}

/** The token kind of a stored byte. */
export function kindOf (byte: number | undefined): DepositTokenKind {
  return byte === 1 ? 'contact' : 'introduction'
}

/** The largest id, as a key part: the end of a mailbox's envelope range. */
export const MAX_ID = u64(Number.MAX_SAFE_INTEGER)

/** Key tags. */
export const MAILBOX = 0x01
export const TOKEN = 0x02
export const MAILBOX_TOKEN = 0x03
export const ENVELOPE = 0x04
export const EXPIRY = 0x05

/** A mailbox record as stored. */
export interface MailboxMeta {
  publicKey: Uint8Array
  idCeiling: number
  /** Undefined in records written before owner activity was kept. */
  lastActive?: number
}

/** Encodes a mailbox record (version 2). */
export function metaValue (meta: Required<MailboxMeta>): Uint8Array {
  return key(2, meta.publicKey, u64(meta.idCeiling), u64(meta.lastActive))
}

/** Decodes a mailbox record of either version. */
export function readMeta (v: Uint8Array): MailboxMeta {
  return {
    publicKey: new Uint8Array(v.subarray(1, 33)),
    idCeiling: readU64(v, 33),
    lastActive: v[0] === 2 && v.byteLength >= 49 ? readU64(v, 41) : undefined
  }
}

/** Encodes an expiry index value: the envelope's size and kind. */
export function expiryValue (size: number, kind: DepositTokenKind): Uint8Array {
  const b = Buffer.allocUnsafe(5)
  b.writeUInt32BE(size)
  b[4] = kindByte(kind)
  return b
}

/** Decodes an expiry index value; the kind is undefined in values written before it was kept. */
export function readExpiry (v: Uint8Array): { size: number, kind?: DepositTokenKind } {
  const size = Buffer.from(v.buffer, v.byteOffset, v.byteLength).readUInt32BE(0)
  return { size, kind: v.byteLength >= 5 ? kindOf(v[4]) : undefined }
}
