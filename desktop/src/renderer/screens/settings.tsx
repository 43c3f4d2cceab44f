// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Settings: appearance, notifications, privacy (LAN discovery, read receipts, excluded
 * jurisdictions) and relays.
 */
import { useEffect, useId, useState } from 'react'
import { relayAddressSchema } from '../../shared/contract.js'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import { RelayDescription } from './onboarding.js'
import type { FormEvent, ReactNode } from 'react'
import type { RelayView, Requests, SettingsView, Theme } from '../../shared/contract.js'

const THEMES: ReadonlyArray<[Theme, string]> = [['system', 'Same as the system'], ['light', 'Light'], ['dark', 'Dark']]

/** A relay's state, in words. */
export function relayState (relay: Pick<RelayView, 'reachable' | 'reserved' | 'mailboxReady'>): string {
  if (!relay.reachable) return 'Not reachable now'
  if (relay.mailboxReady && relay.reserved) return 'Connected: holds your messages, and contacts reach you through it'
  if (relay.mailboxReady) return 'Connected: holds your messages'
  return 'Connected'
}

/** Props of {@link Settings}. */
export interface SettingsProps {
  /** Called with the new settings after every change (the app applies the theme). */
  onChanged?: (settings: SettingsView) => void
}

/** The settings screen. */
export function Settings ({ onChanged }: SettingsProps): ReactNode {
  const client = useClient()
  const ids = { title: useId(), notify: useId(), preview: useId(), mdns: useId(), receipts: useId(), jurisdiction: useId(), relay: useId() }
  const [settings, setSettings] = useState<SettingsView>()
  const [relays, setRelays] = useState<RelayView[]>([])
  const [jurisdiction, setJurisdiction] = useState('')
  const [relayInput, setRelayInput] = useState('')
  const [inputError, setInputError] = useState<string>()

  const load = useAction(async () => {
    const [s, r] = await Promise.all([client.settings(), client.relays()])
    setSettings(s)
    setRelays(r)
  })
  // Load once when the screen opens.
  useEffect(() => { void load.run() }, [])
  // Follow each relay's state as the messenger reports it.
  useEffect(() => client.bridge.onRelay(relay => {
    setRelays(list => list.map(r => r.address === relay.address ? relay : r))
  }), [client])

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
  const relayAction = useAction(async (fn: () => Promise<RelayView[]>) => { setRelays(await fn()) })

  if (settings == null) {
    return <section className='settings'>{load.error != null ? <p role='alert' className='error'>{load.error}</p> : <p aria-busy='true'>Loading…</p>}</section>
  }

  const addJurisdiction = (event: FormEvent): void => {
    event.preventDefault()
    const code = jurisdiction.trim().toUpperCase()
    if (!/^[A-Z]{2}$/.test(code)) { setInputError('Enter a two-letter country code, such as DE'); return }
    setInputError(undefined)
    setJurisdiction('')
    if (!settings.excludedJurisdictions.includes(code)) void save.run({ excludedJurisdictions: [...settings.excludedJurisdictions, code] })
  }
  const addRelay = (event: FormEvent): void => {
    event.preventDefault()
    const address = relayInput.trim()
    if (!relayAddressSchema.safeParse(address).success) { setInputError('Enter a relay multiaddr ending in /p2p/<peer id>'); return }
    setInputError(undefined)
    setRelayInput('')
    void relayAction.run(() => client.addRelay({ address }))
  }
  const error = save.error ?? relayAction.error ?? inputError

  return (
    <section className='settings' aria-labelledby={ids.title}>
      <h2 id={ids.title}>Settings</h2>
      {error != null && <p role='alert' className='error'>{error}</p>}

      <fieldset>
        <legend>Theme</legend>
        {THEMES.map(([value, label]) => (
          <label key={value} className='choice'>
            <input type='radio' name='theme' value={value} checked={settings.theme === value} onChange={() => { void save.run({ theme: value }) }} />
            {label}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>Notifications</legend>
        <p>
          <input id={ids.notify} type='checkbox' checked={settings.notifications} onChange={e => { void save.run({ notifications: e.target.checked }) }} />
          <label htmlFor={ids.notify}>Notify me of new messages</label>
        </p>
        <label htmlFor={ids.preview}>Notifications show</label>
        <select
          id={ids.preview}
          value={settings.notificationPreview}
          disabled={!settings.notifications}
          onChange={e => { void save.run({ notificationPreview: e.target.value as SettingsView['notificationPreview'] }) }}
        >
          <option value='none'>Only that a message arrived</option>
          <option value='name'>The sender's name</option>
          <option value='name-and-text'>The sender's name and the message</option>
        </select>
      </fieldset>

      <fieldset>
        <legend>Privacy</legend>
        <p>
          <input id={ids.mdns} type='checkbox' checked={settings.mdns} onChange={e => { void save.run({ mdns: e.target.checked }) }} />
          <label htmlFor={ids.mdns}>Find contacts on this local network (LAN discovery)</label>
        </p>
        <p>
          <input id={ids.receipts} type='checkbox' checked={settings.readReceipts} onChange={e => { void save.run({ readReceipts: e.target.checked }) }} />
          <label htmlFor={ids.receipts}>Send read receipts</label>
        </p>
      </fieldset>

      <fieldset>
        <legend>Excluded jurisdictions</legend>
        <p className='hint'>Relays that say they run in these countries are never used.</p>
        <ul className='chips' aria-label='Excluded jurisdictions'>
          {settings.excludedJurisdictions.map(code => (
            <li key={code}>
              {code}
              <button
                type='button'
                aria-label={`Allow ${code} again`}
                onClick={() => { void save.run({ excludedJurisdictions: settings.excludedJurisdictions.filter(c => c !== code) }) }}
              >×
              </button>
            </li>
          ))}
        </ul>
        <form className='row' onSubmit={addJurisdiction} aria-label='Exclude a jurisdiction'>
          <label htmlFor={ids.jurisdiction} className='visually-hidden'>Country code to exclude</label>
          <input id={ids.jurisdiction} value={jurisdiction} onChange={e => { setJurisdiction(e.target.value) }} maxLength={2} placeholder='DE' autoComplete='off' />
          <button type='submit'>Exclude</button>
        </form>
      </fieldset>

      <fieldset>
        <legend>Relays</legend>
        <p className='hint'>Relays keep sealed messages for you while you are offline, and let your contacts reach you from anywhere. Each says who runs it and in which country.</p>
        {relays.length === 0 && <p className='empty'>No relays: messages travel only directly.</p>}
        <ul className='relay-list' aria-label='Relays'>
          {relays.map(relay => (
            <li key={relay.address}>
              <RelayDescription relay={relay} />
              <span className='relay-state'>{relayState(relay)}</span>
              <button type='button' aria-label={`Remove relay ${relay.address}`} disabled={relayAction.busy} onClick={() => { void relayAction.run(() => client.removeRelay({ address: relay.address })) }}>Remove</button>
            </li>
          ))}
        </ul>
        <form className='row' onSubmit={addRelay} aria-label='Add a relay'>
          <label htmlFor={ids.relay} className='visually-hidden'>Relay address</label>
          <input id={ids.relay} value={relayInput} onChange={e => { setRelayInput(e.target.value) }} placeholder='/dns4/relay.example.org/tcp/4001/p2p/12D3Koo…' autoComplete='off' />
          <button type='submit' disabled={relayAction.busy}>{relayAction.busy ? 'Working…' : 'Add relay'}</button>
        </form>
      </fieldset>
    </section>
  )
}
