// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Base64url and random bytes that work alike in Node and in a browser (the guest page bundles this
 * folder, so it uses neither `Buffer` nor `node:crypto`).
 */
import { InvalidInputError } from '../errors.js'

const BASE64URL = /^[A-Za-z0-9_-]*$/

/** Base64url without padding. */
export function toBase64url (bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** Reads base64url without padding; throws {@link InvalidInputError} naming `what` otherwise. */
export function fromBase64url (text: string, what: string): Uint8Array<ArrayBuffer> {
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new InvalidInputError(`${what}: not base64url`)
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/** Reads base64url of exactly `length` bytes. */
export function fixedBase64url (text: unknown, length: number, what: string): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string') throw new InvalidInputError(`${what}: missing`)
  const bytes = fromBase64url(text, what)
  if (bytes.byteLength !== length) throw new InvalidInputError(`${what}: ${length} bytes expected`)
  return bytes
}

/** `n` bytes from the platform's CSPRNG. */
export function randomBytes (n: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(n))
}

/** Lower-case hex. */
export function hex (bytes: Uint8Array): string {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}
