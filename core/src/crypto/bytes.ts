// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Small byte and identifier helpers shared by the crypto modules. Not part of the door.
 */
import { BugError, InvalidInputError } from '../errors.js'

/** libsignal wants `Uint8Array<ArrayBuffer>`; copy only when the bytes sit in another kind of buffer. */
export function arrayBufferBytes (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.buffer instanceof ArrayBuffer) {
    return bytes as Uint8Array<ArrayBuffer>
  }
  return new Uint8Array(bytes)
}

export { equalBytes, toHex } from '../util/bytes.js'

/** Standard base64 of the bytes. */
export function toBase64 (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** Bytes from standard base64 (the caller has validated the shape). */
export function fromBase64 (text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(text, 'base64'))
}

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Whether `userId` is a Sotto user id: a UUID in canonical lower-case form. */
export function isUserId (userId: unknown): userId is string {
  return typeof userId === 'string' && USER_ID.test(userId)
}

/** Throws {@link InvalidInputError} unless `userId` is a canonical lower-case UUID. */
export function assertUserId (userId: unknown): asserts userId is string {
  if (!isUserId(userId)) {
    throw new InvalidInputError('a user id must be a lower-case UUID')
  }
}

/** The 16 bytes of a canonical UUID string. */
export function uuidBytes (userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replaceAll('-', ''), 'hex'))
}

/** Throws a {@link BugError} unless `now` is a plausible timestamp (ms since epoch). */
export function assertTime (now: number): void {
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new BugError('now must be a non-negative integer of ms since epoch')
  }
}
