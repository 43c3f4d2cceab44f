// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Settings: appearance, notifications, privacy (LAN discovery, read receipts, excluded
 * jurisdictions) and relays.
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import { BackgroundSection, JurisdictionSection, NotificationSection, PrivacySection, ThemeSection } from './settings-sections.js'
import { RelaySection } from './settings-relays.js'
import type { ReactNode } from 'react'
import type { RelayView, Requests, SettingsView } from '../../shared/contract.js'

export { relayState } from './settings-relays.js'

/** Props of {@link Settings}. */
export interface SettingsProps {
  /** Called with the new settings after every change (the app applies the theme). */
  onChanged?: (settings: SettingsView) => void
}

/** The settings screen. */
export function Settings ({ onChanged }: SettingsProps): ReactNode {
  const client = useClient()
  const titleId = useId()
  const [settings, setSettings] = useState<SettingsView>()
  const [relays, setRelays] = useState<RelayView[]>()
  const [inputError, setInputError] = useState<string>()

  const load = useAction(async () => {
    const [s, r] = await Promise.all([client.settings(), client.relays()])
    setSettings(s)
    setRelays(r)
  })
  // Load once when the screen opens.
  useEffect(() => { void load.run() }, [])

  const save = useAction(async (patch: Requests['updateSettings']) => {
    // Show the change at once (controls stay where the user put them); the reply confirms or reverts it.
    const before = settings
    setSettings(current => current != null ? { ...current, ...patch } : current)
    try {
      const next = await client.updateSettings(patch)
      setSettings(next)
      onChanged?.(next)
    } catch (err) {
      setSettings(before)
      throw err
    }
  })

  if (settings == null || relays == null) {
    return <section className='settings'>{load.error != null ? <p role='alert' className='error'>{load.error}</p> : <p aria-busy='true'>Loading…</p>}</section>
  }
  const sectionProps = { settings, save: (patch: Requests['updateSettings']) => { void save.run(patch) } }
  const error = save.error ?? inputError

  return (
    <section className='settings' aria-labelledby={titleId}>
      <h2 id={titleId}>Settings</h2>
      {error != null && <p role='alert' className='error'>{error}</p>}
      <ThemeSection {...sectionProps} />
      <NotificationSection {...sectionProps} />
      <BackgroundSection {...sectionProps} />
      <PrivacySection {...sectionProps} />
      <JurisdictionSection {...sectionProps} onInvalid={setInputError} />
      <RelaySection initial={relays} onError={setInputError} />
    </section>
  )
}
