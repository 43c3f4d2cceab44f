// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The one rule for a new data directory's passphrase, shared by the `sotto` CLI and the app. It
 * holds when a passphrase is chosen (a new data directory, a changed passphrase), never when one
 * is typed to open a directory: a directory made under an older, looser rule still opens.
 */
import { WeakPassphraseError } from './errors.js'

/** Fewest characters (Unicode code points, after NFKC as the key derivation sees them) a new passphrase may have. */
export const MIN_PASSPHRASE_LENGTH = 8

/** Throws {@link WeakPassphraseError} unless `passphrase` may protect a new data directory. */
export function checkNewPassphrase (passphrase: string): void {
  if (typeof passphrase !== 'string' || [...passphrase.normalize('NFKC')].length < MIN_PASSPHRASE_LENGTH) {
    throw new WeakPassphraseError(`a new passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`)
  }
}
