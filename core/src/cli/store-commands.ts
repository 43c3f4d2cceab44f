// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The commands that work on a data directory's store alone, without starting a messenger (no
 * network): `passphrase`, which changes the passphrase, and `backup export` / `backup restore`.
 */
import { link, readFile, rm, writeFile } from 'node:fs/promises'
import { InvalidInputError } from '../errors.js'
import { Mutex } from '../messenger/lock.js'
import { exportBackup, restoreBackup } from '../messenger/backup.js'
import { Repositories, State } from '../messenger/state.js'
import { checkNewPassphrase } from '../passphrase.js'
import { changeKeySource, hasStore, openStore } from '../storage/index.js'
import type { CliIo } from './run-session.js'
import type { Store } from '../storage/index.js'

type Env = Record<string, string | undefined>

/** Their lines of `sotto --help`. */
export const STORE_USAGE = [
  '  passphrase                       (changes the passphrase: SOTTO_PASSPHRASE the old one, SOTTO_NEW_PASSPHRASE the new)',
  '  backup export FILE [--no-history] (a backup sealed with SOTTO_BACKUP_PASSPHRASE)',
  '  backup restore FILE              (into the new, empty --data DIR, whose passphrase is SOTTO_PASSPHRASE)'
].join('\n')

/** The names of these commands (their first word). */
export const STORE_COMMANDS: readonly string[] = ['passphrase', 'backup']

/** The command-line options only these commands take. */
export const STORE_OPTIONS = { 'no-history': { type: 'boolean' as const } }

/**
 * Runs a store command. Throws `WrongPassphraseError` when SOTTO_PASSPHRASE does not open the
 * directory, `WeakPassphraseError` when a new passphrase breaks the rule, and the backup's errors
 * (`WrongBackupPassphraseError`, `DataDirectoryNotEmptyError`, …), writing nothing in each case.
 */
export async function runStoreCommand (dataDir: string, positionals: string[], options: { 'no-history'?: boolean }, env: Env, io: CliIo): Promise<number> {
  const [name, ...args] = positionals
  if (options['no-history'] === true && !(name === 'backup' && args[0] === 'export')) throw new InvalidInputError('only backup export takes --no-history')
  let result: unknown
  if (name === 'passphrase' && args.length === 0) {
    result = await changePassphrase(dataDir, env)
  } else if (name === 'backup' && args[0] === 'export' && args.length === 2) {
    result = await exportCommand(dataDir, args[1] as string, options['no-history'] !== true, env)
  } else if (name === 'backup' && args[0] === 'restore' && args.length === 2) {
    result = await restoreCommand(dataDir, args[1] as string, env)
  } else {
    throw new InvalidInputError(`usage: ${name === 'passphrase' ? 'sotto --data DIR passphrase' : 'sotto --data DIR backup export FILE [--no-history] | backup restore FILE'}`)
  }
  io.out(JSON.stringify(result) + '\n')
  return 0
}

function required (env: Env, name: string, what: string): string {
  const value = env[name]
  if (value == null || value === '') throw new InvalidInputError(`set ${name} to ${what}`)
  return value
}

async function openExisting (dataDir: string, env: Env): Promise<Store> {
  const passphrase = required(env, 'SOTTO_PASSPHRASE', 'the data directory\'s passphrase')
  if (!hasStore(dataDir)) throw new InvalidInputError(`there is no Sotto data directory at ${dataDir}`)
  return await openStore({ dir: dataDir, keySource: { kind: 'passphrase', passphrase } })
}

async function changePassphrase (dataDir: string, env: Env): Promise<unknown> {
  const next = required(env, 'SOTTO_NEW_PASSPHRASE', 'the new passphrase')
  checkNewPassphrase(next)
  const store = await openExisting(dataDir, env)
  try {
    await changeKeySource(store, { kind: 'passphrase', passphrase: next })
  } finally {
    await store.close()
  }
  return { changed: true }
}

async function exportCommand (dataDir: string, file: string, history: boolean, env: Env): Promise<unknown> {
  const recovery = required(env, 'SOTTO_BACKUP_PASSPHRASE', 'the backup\'s recovery passphrase')
  checkNewPassphrase(recovery)
  const store = await openExisting(dataDir, env)
  let sealed: Uint8Array
  try {
    sealed = await exportBackup(new Repositories(new State(store, new Mutex())), store, { passphrase: recovery, history })
  } finally {
    await store.close()
  }
  // Written whole under another name, then linked: never half a file, never over an existing one.
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, sealed, { mode: 0o600, flag: 'wx' })
  try {
    await link(tmp, file).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EEXIST' ? new InvalidInputError(`${file} exists already: choose a new file name`) : err
    })
  } finally {
    await rm(tmp, { force: true })
  }
  return { file, history, bytes: sealed.length }
}

async function restoreCommand (dataDir: string, file: string, env: Env): Promise<unknown> {
  const passphrase = required(env, 'SOTTO_PASSPHRASE', 'the new data directory\'s passphrase')
  checkNewPassphrase(passphrase)
  const recoveryPassphrase = required(env, 'SOTTO_BACKUP_PASSPHRASE', 'the backup\'s recovery passphrase')
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT' ? new InvalidInputError(`there is no file ${file}`) : err
  })
  const summary = await restoreBackup({ file: new Uint8Array(bytes), recoveryPassphrase, dataDir, keySource: { kind: 'passphrase', passphrase } })
  return { restored: true, ...summary }
}
