// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The one part of `node:crypto` the guest page's dependencies reach for (`randomBytes`, in
 * `@sotto/core`'s mailbox keys), on the browser's CSPRNG.
 */

/** `n` random bytes. */
export function randomBytes (n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n))
}
