// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about the app's own state and identity: status, first set-up (keychain or passphrase,
 * name, relays), unlocking with the passphrase, and the own identity.
 */
import { mkdir, rm } from 'node:fs/promises'
import { checkNewPassphrase } from '@sotto/core'
import { PassphraseRequiredError, WrongPhaseError } from '../errors.js'
import { DEFAULT_PREFS, configPath } from '../desktop-config.js'
import { identityView } from '../views.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { AppStatus, Phase } from '../../shared/contract.js'
import type { DesktopConfig, RelayEntry } from '../desktop-config.js'
import type { KeyVault } from '../key-vault.js'
import type { KeySource } from '@sotto/core'

/** How the service opens the messenger; on failure the phase becomes `failPhase` and it throws. */
export type OpenMessenger = (keySource: KeySource, options: { name?: string, relays?: string[], failPhase: Phase }) => Promise<void>

/** What the onboarding handlers use. */
export interface OnboardingHandlersComponents extends MessengerComponents {
  /** The app's data directory. */
  dataDir: string
  /** The messenger's data directory. */
  messengerDir: string
  /** The OS keychain; absent in headless mode. */
  keyVault?: KeyVault
  /** A passphrase supplied by the environment. */
  passphrase?: string
  /** The current phase. */
  phase: () => Phase
  /** Resolves once the service's start has settled the phase (setup, locked, ready, failed). */
  settled: () => Promise<void>
  /** The current status. */
  status: () => AppStatus
  /** A relay link carrying a join code, as the messenger takes an invite-only relay. */
  joinLink: (address: string, code: string) => Promise<string>
  /** Config entries for the relays chosen in onboarding. */
  relayEntries: (addresses: readonly string[]) => RelayEntry[]
  /** Writes the desktop config (and keeps it). */
  saveConfig: (next: DesktopConfig) => Promise<void>
  /** Forgets the desktop config after a failed set-up. */
  forgetConfig: () => void
  /** Opens the messenger. */
  open: OpenMessenger
  /** Runs one opening at a time; refuses a second with `WrongPhaseError`. */
  guarded: (work: () => Promise<void>) => Promise<void>
}

/** The handlers of the onboarding calls. */
export function onboardingHandlers (components: OnboardingHandlersComponents): HandlerGroup<'status' | 'setup' | 'unlock' | 'identity'> {
  const { phase, status, keyVault, guarded, open } = components
  return {
    status: async () => status(),
    setup: async ({ name, passphrase, relays, joinCodes }) => {
      await components.settled()
      if (phase() !== 'setup') throw new WrongPhaseError('Sotto is already set up')
      const secret = passphrase ?? components.passphrase
      // One rule for the app and the CLI: SOTTO_PASSPHRASE bypasses the form's own check.
      if (secret != null) checkNewPassphrase(secret)
      if (secret == null && keyVault?.available() !== true) {
        throw new PassphraseRequiredError('This system has no keychain: choose a passphrase')
      }
      const chosen = components.relayEntries(relays)
      // An invite-only relay goes to the messenger as a relay link with its code: a refused code
      // fails the set-up, which leaves nothing behind.
      const codes = new Map((joinCodes ?? []).map(j => [j.address, j.code]))
      const joining = await Promise.all(relays.map(async a => codes.has(a) ? components.joinLink(a, codes.get(a)!) : a))
      await mkdir(components.dataDir, { recursive: true, mode: 0o700 })
      await guarded(() => firstOpen(components, { name, secret, relays: chosen, joining }))
      return status()
    },
    unlock: async ({ passphrase }) => {
      await components.settled()
      if (phase() !== 'locked') throw new WrongPhaseError('Sotto is not locked')
      await guarded(() => open({ kind: 'passphrase', passphrase }, { failPhase: 'locked' }))
      return status()
    },
    identity: async () => identityView(components.messenger().identity())
  }
}

/** Creates the storage key (or takes the passphrase), writes the config and opens a new messenger. */
async function firstOpen (
  components: OnboardingHandlersComponents,
  { name, secret, relays, joining }: { name: string, secret: string | undefined, relays: RelayEntry[], joining: string[] }
): Promise<void> {
  const { keyVault } = components
  const keySource: KeySource = secret == null
    ? { kind: 'host-key', key: await keyVault!.create() }
    : { kind: 'passphrase', passphrase: secret }
  await components.saveConfig({ version: 1, keyMode: keySource.kind, relays, prefs: { ...DEFAULT_PREFS } })
  try {
    await components.open(keySource, { name, relays: joining, failPhase: 'setup' })
  } catch (err) {
    await undoSetup(components, keySource)
    throw err
  }
}

/** A fresh set-up (or restore) that failed leaves nothing behind, so it can be tried again. */
export async function undoSetup (components: Pick<OnboardingHandlersComponents, 'dataDir' | 'messengerDir' | 'keyVault' | 'forgetConfig'>, keySource: KeySource): Promise<void> {
  await rm(configPath(components.dataDir), { force: true })
  await rm(components.messengerDir, { recursive: true, force: true })
  if (keySource.kind === 'host-key') await components.keyVault?.remove()
  components.forgetConfig()
}
