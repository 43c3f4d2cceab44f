// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Byte helpers used across core: comparison and hex.
 */
import { InvalidInputError } from '../errors.js'

/**
 * Whether two byte arrays hold the same bytes. Every byte is looked at whatever the first
 * difference, so the time taken says nothing about where two equal-length arrays differ.
 */
export function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  let diff = 0
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/** Lower-case hex of the bytes. */
export function toHex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** Bytes of lower-case hex (a whole number of bytes); anything else is bad input. */
export function fromHex (hex: string): Uint8Array<ArrayBuffer> {
  if (!/^([0-9a-f]{2})+$/.test(hex)) throw new InvalidInputError('not a hex id')
  return new Uint8Array(Buffer.from(hex, 'hex'))
}
