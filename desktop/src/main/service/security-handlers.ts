// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about how the data directory is protected: which key source opens it, and changing it (a
 * new passphrase, or the OS keychain instead of a passphrase, and back). Only the wrapped data key
 * is rewritten (core's `changeKeySource`); the desktop config then records the new mode.
 *
 * The order keeps every crash recoverable: the keychain's key is created before the store is
 * re-wrapped for it and removed only after the config no longer names it, and the service's
 * reopening tries the other key source when the config's does not fit (see `reopen`).
 */
import { PassphraseRequiredError, UnsupportedError, WrongPhaseError } from '../errors.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { Requests, SecurityView } from '../../shared/contract.js'
import type { DesktopConfig } from '../desktop-config.js'
import type { KeyVault } from '../key-vault.js'
import type { KeySource } from '@sotto/core'

/** What the security handlers use. */
export interface SecurityHandlersComponents extends MessengerComponents {
  /** The desktop config; throws `NotReadyError` before set-up. */
  config: () => DesktopConfig
  /** Writes the desktop config. */
  saveConfig: (next: DesktopConfig) => Promise<void>
  /** The OS keychain; absent in headless mode. */
  keyVault?: KeyVault
  /** A passphrase supplied by the environment, which the app must not change. */
  passphrase?: string
}

/** The handlers of the security calls. */
export function securityHandlers (components: SecurityHandlersComponents): HandlerGroup<'security' | 'changeKeySource'> {
  const view = (): SecurityView => ({
    keyMode: components.config().keyMode === 'host-key' ? 'keychain' : 'passphrase',
    keychainAvailable: components.keyVault?.available() === true,
    passphraseProvided: components.passphrase != null
  })
  return {
    security: async () => view(),
    changeKeySource: async (request) => {
      await changeKeySource(components, request)
      return view()
    }
  }
}

async function changeKeySource (components: SecurityHandlersComponents, request: Requests['changeKeySource']): Promise<void> {
  const { keyVault } = components
  const config = components.config()
  if (components.passphrase != null) throw new UnsupportedError('The passphrase comes from the environment (SOTTO_PASSPHRASE): change it there')
  const current = await currentKeySource(config, keyVault, request.current)
  const messenger = components.messenger()
  if (request.keychain === true) {
    if (config.keyMode === 'host-key') throw new WrongPhaseError('The OS keychain already holds the key')
    if (keyVault?.available() !== true) throw new UnsupportedError('This system has no keychain to keep the key in')
    const key = await keyVault.create()
    try {
      await messenger.changeKeySource(current, { kind: 'host-key', key })
    } catch (err) {
      await keyVault.remove()
      throw err
    }
    await components.saveConfig({ ...config, keyMode: 'host-key' })
    return
  }
  await messenger.changeKeySource(current, { kind: 'passphrase', passphrase: request.passphrase as string })
  if (config.keyMode === 'host-key') {
    await components.saveConfig({ ...config, keyMode: 'passphrase' })
    await keyVault?.remove()
  }
}

/** What opens the directory now: the keychain's key, or the passphrase the user typed. */
async function currentKeySource (config: DesktopConfig, keyVault: KeyVault | undefined, typed: string | undefined): Promise<KeySource> {
  if (config.keyMode === 'host-key') {
    const key = await keyVault?.load()
    if (key == null) throw new UnsupportedError('The storage key is missing from the OS keychain')
    return { kind: 'host-key', key }
  }
  if (typed == null) throw new PassphraseRequiredError('Type the current passphrase')
  return { kind: 'passphrase', passphrase: typed }
}
