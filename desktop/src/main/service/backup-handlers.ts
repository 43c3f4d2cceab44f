// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Moving to a new computer: exporting a backup from Settings (to a file the user chooses, or, where
 * no file dialog exists, into `<dataDir>/backups`), and restoring one at onboarding instead of
 * creating an identity. The restored installation then tells its contacts it moved (core's
 * relocation), and the replaced one stops.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { checkNewPassphrase, restoreBackup } from '@sotto/core'
import { PassphraseRequiredError, WrongPhaseError } from '../errors.js'
import { DEFAULT_PREFS } from '../desktop-config.js'
import { undoSetup } from './onboarding-handlers.js'
import type { HandlerGroup } from './handlers.js'
import type { OnboardingHandlersComponents } from './onboarding-handlers.js'
import type { KeySource } from '@sotto/core'

/** What the backup handlers use. */
export interface BackupHandlersComponents extends Omit<OnboardingHandlersComponents, 'relayEntries'> {
  /** Asks the user where to save a backup (Electron's save dialog); undefined when cancelled. */
  chooseBackupFile?: (suggested: string) => Promise<string | undefined>
  /** scrypt cost of a restored data directory's passphrase (tests lower it). */
  scryptLogN?: number
}

/** The handlers of the backup calls. */
export function backupHandlers (components: BackupHandlersComponents): HandlerGroup<'exportBackup' | 'restoreBackup'> {
  return {
    exportBackup: async ({ passphrase, history }) => {
      const messenger = components.messenger()
      checkNewPassphrase(passphrase)
      const day = new Date().toISOString().slice(0, 10)
      const suggested = join(components.dataDir, 'backups', `sotto-${day}.sotto-backup`)
      const file = components.chooseBackupFile != null ? await components.chooseBackupFile(suggested) : suggested
      if (file == null) return { file: '', bytes: 0 }
      const sealed = await messenger.exportBackup({ passphrase, history })
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
      // Written whole under another name first: never half a backup under the chosen one.
      const tmp = `${file}.${process.pid}.tmp`
      try {
        await writeFile(tmp, sealed, { mode: 0o600 })
        await rename(tmp, file)
      } finally {
        await rm(tmp, { force: true })
      }
      return { file, bytes: sealed.length }
    },
    restoreBackup: async ({ file, recoveryPassphrase, passphrase }) => {
      if (components.phase() !== 'setup') throw new WrongPhaseError('Sotto is already set up')
      const secret = passphrase ?? components.passphrase
      if (secret != null) checkNewPassphrase(secret)
      if (secret == null && components.keyVault?.available() !== true) {
        throw new PassphraseRequiredError('This system has no keychain: choose a passphrase')
      }
      await mkdir(components.dataDir, { recursive: true, mode: 0o700 })
      await components.guarded(() => restoreAndOpen(components, new Uint8Array(Buffer.from(file, 'base64')), recoveryPassphrase, secret))
      return components.status()
    }
  }
}

/** Restores into the messenger's (new) directory, writes the config and opens the restored messenger. */
async function restoreAndOpen (components: BackupHandlersComponents, file: Uint8Array, recoveryPassphrase: string, secret: string | undefined): Promise<void> {
  const keySource: KeySource = secret == null
    ? { kind: 'host-key', key: await components.keyVault!.create() }
    : { kind: 'passphrase', passphrase: secret }
  try {
    await restoreBackup({
      file,
      recoveryPassphrase,
      dataDir: components.messengerDir,
      keySource,
      ...(components.scryptLogN != null ? { scryptLogN: components.scryptLogN } : {})
    })
    // The backup's relays are joined by the restored messenger itself.
    await components.saveConfig({ version: 1, keyMode: keySource.kind, relays: [], prefs: { ...DEFAULT_PREFS } })
    await components.open(keySource, { failPhase: 'setup' })
  } catch (err) {
    await undoSetup(components, keySource)
    throw err
  }
}
