// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The commands that work on a data directory's store alone, without starting a messenger (no
 * network): `passphrase`, which changes the passphrase.
 */
import { InvalidInputError } from '../errors.js'
import { checkNewPassphrase } from '../passphrase.js'
import { changeKeySource, hasStore, openStore } from '../storage/index.js'
import type { CliIo } from './run-session.js'

type Env = Record<string, string | undefined>

/** Their lines of `sotto --help`. */
export const STORE_USAGE = `  passphrase                       (changes the passphrase: SOTTO_PASSPHRASE the old one, SOTTO_NEW_PASSPHRASE the new)`

/** The names of these commands. */
export const STORE_COMMANDS: readonly string[] = ['passphrase']

/**
 * Runs a store command. Throws `WrongPassphraseError` when SOTTO_PASSPHRASE does not open the
 * directory and `WeakPassphraseError` when the new one breaks the rule, writing nothing either way.
 */
export async function runStoreCommand (name: string, dataDir: string, args: string[], env: Env, io: CliIo): Promise<number> {
  if (name !== 'passphrase') throw new InvalidInputError(`unknown command ${JSON.stringify(name)}; see sotto --help`)
  if (args.length > 0) throw new InvalidInputError('passphrase takes no arguments: the passphrases come from SOTTO_PASSPHRASE and SOTTO_NEW_PASSPHRASE')
  const current = env.SOTTO_PASSPHRASE
  const next = env.SOTTO_NEW_PASSPHRASE
  if (current == null || current === '') throw new InvalidInputError('set SOTTO_PASSPHRASE to the data directory\'s passphrase')
  if (next == null || next === '') throw new InvalidInputError('set SOTTO_NEW_PASSPHRASE to the new passphrase')
  checkNewPassphrase(next)
  if (!hasStore(dataDir)) throw new InvalidInputError(`there is no Sotto data directory at ${dataDir}`)
  const store = await openStore({ dir: dataDir, keySource: { kind: 'passphrase', passphrase: current } })
  try {
    await changeKeySource(store, { kind: 'passphrase', passphrase: next })
  } finally {
    await store.close()
  }
  io.out(JSON.stringify({ changed: true }) + '\n')
  return 0
}
