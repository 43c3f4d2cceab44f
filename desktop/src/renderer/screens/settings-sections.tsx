// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The sections of the settings screen that edit preferences: theme, notifications, privacy,
 * downloads and excluded jurisdictions. Each shows `settings` and hands changes to `save`.
 */
import { useId, useState } from 'react'
import { askBrowserPermission, browserNotificationState } from '../browser-notifications.js'
import type { FormEvent, ReactNode } from 'react'
import type { Requests, SettingsView, Theme } from '../../shared/contract.js'

/** Props of each preference section. */
export interface SectionProps {
  /** The settings shown. */
  settings: SettingsView
  /** Saves a change. */
  save: (patch: Requests['updateSettings']) => void
}

const THEMES: ReadonlyArray<[Theme, string]> = [['system', 'Same as the system'], ['light', 'Light'], ['dark', 'Dark']]

/** The colour theme. */
export function ThemeSection ({ settings, save }: SectionProps): ReactNode {
  return (
    <fieldset>
      <legend>Theme</legend>
      {THEMES.map(([value, label]) => (
        <label key={value} className='choice'>
          <input type='radio' name='theme' value={value} checked={settings.theme === value} onChange={() => { save({ theme: value }) }} />
          {label}
        </label>
      ))}
    </fieldset>
  )
}

/** A checkbox with its label, on a line of its own. */
function Toggle ({ checked, onChange, children }: { checked: boolean, onChange: (checked: boolean) => void, children: ReactNode }): ReactNode {
  const id = useId()
  return (
    <p>
      <input id={id} type='checkbox' checked={checked} onChange={e => { onChange(e.target.checked) }} />
      <label htmlFor={id}>{children}</label>
    </p>
  )
}

/** Whether to notify, and what notifications show. */
export function NotificationSection ({ settings, save }: SectionProps): ReactNode {
  const previewId = useId()
  return (
    <fieldset>
      <legend>Notifications</legend>
      <Toggle checked={settings.notifications} onChange={notifications => { save({ notifications }) }}>Notify me of new messages</Toggle>
      <label htmlFor={previewId}>Notifications show</label>
      <select
        id={previewId}
        value={settings.notificationPreview}
        disabled={!settings.notifications}
        onChange={e => { save({ notificationPreview: e.target.value as SettingsView['notificationPreview'] }) }}
      >
        <option value='none'>Only that a message arrived</option>
        <option value='name'>The sender's name</option>
        <option value='name-and-text'>The sender's name and the message</option>
      </select>
      <BrowserPermission />
    </fieldset>
  )
}

/** In headless mode: asks the browser for permission to notify, or says it refused. */
function BrowserPermission (): ReactNode {
  const [state, setState] = useState(browserNotificationState())
  if (state === 'ask') {
    const ask = (): void => { void askBrowserPermission().finally(() => { setState(browserNotificationState()) }) }
    return <p><button type='button' onClick={ask}>Let this browser show notifications</button></p>
  }
  if (state === 'blocked') return <p className='hint'>This browser blocks Sotto's notifications; allow them in its site settings.</p>
  return null
}

/** Closing into the tray and starting at login, where the app offers them (Electron). */
export function BackgroundSection ({ settings, save }: SectionProps): ReactNode {
  if (settings.closeToTray == null && settings.startAtLogin == null) return null
  return (
    <fieldset>
      <legend>Staying online</legend>
      <p className='hint'>While Sotto runs, contacts reach you directly; when it is closed, only your relays hold their messages.</p>
      {settings.closeToTray != null && (
        <Toggle checked={settings.closeToTray} onChange={closeToTray => { save({ closeToTray }) }}>Keep Sotto running in the tray when its window is closed</Toggle>
      )}
      {settings.startAtLogin != null && (
        <Toggle checked={settings.startAtLogin} onChange={startAtLogin => { save({ startAtLogin }) }}>Start Sotto when I log in</Toggle>
      )}
    </fieldset>
  )
}

/** LAN discovery, read receipts and hiding the IP address. */
export function PrivacySection ({ settings, save }: SectionProps): ReactNode {
  return (
    <fieldset>
      <legend>Privacy</legend>
      <Toggle checked={settings.mdns} onChange={mdns => { save({ mdns }) }}>Find contacts on this local network (LAN discovery)</Toggle>
      <Toggle checked={settings.readReceipts} onChange={readReceipts => { save({ readReceipts }) }}>Send read receipts</Toggle>
      <Toggle checked={settings.hideIp} onChange={hideIp => { save({ hideIp }) }}>Hide my IP address from contacts</Toggle>
      <p className='hint' id='hide-ip-explained'>
        Contacts and their relays then never see your IP address: you are reached only through your own
        relays, and they pass on what you send. It costs time — every message takes a detour through a
        relay — and your relays carry more traffic. Your own relays still see your IP address. It takes
        effect the next time Sotto starts; LAN discovery is off while it is on.
      </p>
      <Toggle checked={settings.typingIndicators} onChange={typingIndicators => { save({ typingIndicators }) }}>Send typing indicators</Toggle>
    </fieldset>
  )
}

const MiB = 1024 * 1024
const DOWNLOAD_SIZES: ReadonlyArray<[number, string]> = [
  [0, 'None: I press Download'], [MiB, 'Up to 1 MB'], [5 * MiB, 'Up to 5 MB'], [25 * MiB, 'Up to 25 MB'], [100 * MiB, 'Up to 100 MB']
]

/** Which files from contacts download by themselves: those up to a size the user chooses. */
export function DownloadSection ({ settings, save }: SectionProps): ReactNode {
  const sizeId = useId()
  const sizes = DOWNLOAD_SIZES.some(([bytes]) => bytes === settings.autoDownloadBytes)
    ? DOWNLOAD_SIZES
    : [...DOWNLOAD_SIZES, [settings.autoDownloadBytes, `Up to ${(settings.autoDownloadBytes / MiB).toFixed(1)} MB`] as const]
  return (
    <fieldset>
      <legend>Downloads</legend>
      <label htmlFor={sizeId}>Photos and files from contacts download by themselves</label>
      <select id={sizeId} value={settings.autoDownloadBytes} onChange={e => { save({ autoDownloadBytes: Number(e.target.value) }) }}>
        {sizes.map(([bytes, label]) => <option key={bytes} value={bytes}>{label}</option>)}
      </select>
      <p className='hint'>Larger ones wait until you press Download. Files in a contact request are never downloaded before you accept it.</p>
    </fieldset>
  )
}

/** Countries whose relays are never used; `onInvalid` shows a malformed entry's error. */
export function JurisdictionSection ({ settings, save, onInvalid }: SectionProps & { onInvalid: (error: string | undefined) => void }): ReactNode {
  const inputId = useId()
  const [jurisdiction, setJurisdiction] = useState('')
  const excluded = settings.excludedJurisdictions
  const add = (event: FormEvent): void => {
    event.preventDefault()
    const code = jurisdiction.trim().toUpperCase()
    if (!/^[A-Z]{2}$/.test(code)) { onInvalid('Enter a two-letter country code, such as DE'); return }
    onInvalid(undefined)
    setJurisdiction('')
    if (!excluded.includes(code)) save({ excludedJurisdictions: [...excluded, code] })
  }
  return (
    <fieldset>
      <legend>Excluded jurisdictions</legend>
      <p className='hint'>Relays that say they run in these countries are never used.</p>
      <ul className='chips' aria-label='Excluded jurisdictions'>
        {excluded.map(code => (
          <li key={code}>
            {code}
            <button type='button' aria-label={`Allow ${code} again`} onClick={() => { save({ excludedJurisdictions: excluded.filter(c => c !== code) }) }}>×</button>
          </li>
        ))}
      </ul>
      <form className='row' onSubmit={add} aria-label='Exclude a jurisdiction'>
        <label htmlFor={inputId} className='visually-hidden'>Country code to exclude</label>
        <input id={inputId} value={jurisdiction} onChange={e => { setJurisdiction(e.target.value) }} maxLength={2} placeholder='DE' autoComplete='off' />
        <button type='submit'>Exclude</button>
      </form>
    </fieldset>
  )
}
