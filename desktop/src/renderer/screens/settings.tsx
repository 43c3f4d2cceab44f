// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Settings: appearance, notifications, privacy (LAN discovery, read receipts, excluded
 * jurisdictions), downloads, the passphrase and relays.
 */
import { useEffect, useId, useRef, useState } from 'react'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import { errorMessage } from '../client.js'
import { BackgroundSection, DownloadSection, JurisdictionSection, NotificationSection, PrivacySection, ThemeSection } from './settings-sections.js'
import { RelaySection } from './settings-relays.js'
import { SecuritySection } from './settings-security.js'
import { MoveSection } from './settings-backup.js'
import type { ReactNode } from 'react'
import type { RelayView, Requests, SettingsView } from '../../shared/contract.js'

export { relayState } from './settings-relays.js'

/** Props of {@link Settings}. */
export interface SettingsProps {
  /** Called with the new settings after every change (the app applies the theme). */
  onChanged?: (settings: SettingsView) => void
  /** A relay link opened from outside the app: Relays asks before adding it. */
  relayLink?: string
}

/** The settings screen. */
export function Settings ({ onChanged, relayLink }: SettingsProps): ReactNode {
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

  // Changes are saved one after another, each one: a toggle flipped while the one before is still
  // being saved must not be lost. The screen shows every change at once; replies confirm them.
  const saving = useRef<Promise<void>>(Promise.resolve())
  const unsaved = useRef<Array<Requests['updateSettings']>>([])
  const [saveError, setSaveError] = useState<string>()
  const shown = (confirmed: SettingsView): SettingsView => Object.assign({ ...confirmed }, ...unsaved.current)
  const save = (patch: Requests['updateSettings']): void => {
    unsaved.current.push(patch)
    setSettings(current => current != null ? { ...current, ...patch } : current)
    saving.current = saving.current.then(async () => {
      try {
        const next = await client.updateSettings(patch)
        unsaved.current.shift()
        setSaveError(undefined)
        setSettings(shown(next))
        onChanged?.(next)
      } catch (err) {
        unsaved.current.shift()
        setSaveError(errorMessage(err))
        // What the service holds is the truth: show it, with the changes still on their way.
        const held = await client.settings().catch(() => undefined)
        if (held != null) setSettings(shown(held))
      }
    })
  }

  if (settings == null || relays == null) {
    return <section className='settings'>{load.error != null ? <p role='alert' className='error'>{load.error}</p> : <p aria-busy='true'>Loading…</p>}</section>
  }
  const sectionProps = { settings, save }
  const error = saveError ?? inputError

  return (
    <section className='settings' aria-labelledby={titleId}>
      <h2 id={titleId}>Settings</h2>
      {error != null && <p role='alert' className='error'>{error}</p>}
      <ThemeSection {...sectionProps} />
      <NotificationSection {...sectionProps} />
      <BackgroundSection {...sectionProps} />
      <PrivacySection {...sectionProps} />
      <DownloadSection {...sectionProps} />
      <JurisdictionSection {...sectionProps} onInvalid={setInputError} />
      <SecuritySection />
      <MoveSection />
      <RelaySection initial={relays} onError={setInputError} {...(relayLink != null ? { offered: relayLink } : {})} />
    </section>
  )
}
