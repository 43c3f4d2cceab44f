// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Base45 (RFC 9285): bytes as characters of the QR code alphanumeric mode, which packs 5.5 bits a
 * character where byte mode packs 8. Base64 text in byte mode costs 10.7 bits a byte; base45 in
 * alphanumeric mode costs 8.25, so a larger invite card fits a QR code.
 */
import { InvalidInputError } from '../errors.js'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'

/** Encodes bytes as base45. */
export function toBase45 (bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i + 1 < bytes.byteLength; i += 2) {
    let n = (bytes[i] ?? 0) * 256 + (bytes[i + 1] ?? 0)
    for (let k = 0; k < 3; k++) {
      out += ALPHABET[n % 45] ?? ''
      n = Math.floor(n / 45)
    }
  }
  if (bytes.byteLength % 2 === 1) {
    const n = bytes[bytes.byteLength - 1] ?? 0
    out += (ALPHABET[n % 45] ?? '') + (ALPHABET[Math.floor(n / 45)] ?? '')
  }
  return out
}

/**
 * Decodes base45.
 *
 * @throws InvalidInputError on a character outside the alphabet, a length of 1 modulo 3, or a
 * group whose value does not fit its bytes
 */
export function fromBase45 (text: string): Uint8Array<ArrayBuffer> {
  if (text.length % 3 === 1) {
    throw new InvalidInputError('base45: bad length')
  }
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0))
  let o = 0
  for (let i = 0; i < text.length; i += 3) {
    const group = text.slice(i, i + 3)
    let n = 0
    for (let k = group.length - 1; k >= 0; k--) {
      const digit = ALPHABET.indexOf(group[k] ?? '')
      if (digit < 0) {
        throw new InvalidInputError('base45: character outside the alphabet')
      }
      n = n * 45 + digit
    }
    if (group.length === 3) {
      if (n > 0xffff) throw new InvalidInputError('base45: group out of range')
      out[o++] = n >> 8
      out[o++] = n & 0xff
    } else {
      if (n > 0xff) throw new InvalidInputError('base45: group out of range')
      out[o++] = n
    }
  }
  return out
}
