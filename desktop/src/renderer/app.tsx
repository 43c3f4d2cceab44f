// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The renderer's root: follows the app's phase (onboarding, unlock, running) and applies the theme.
 */
import { useEffect, useState } from 'react'
import { ClientContext } from './components/context.js'
import { Onboarding } from './screens/onboarding.js'
import { Shell } from './screens/shell.js'
import { Unlock } from './screens/unlock.js'
import { linkKind } from './open-link.js'
import type { ReactNode } from 'react'
import type { SottoClient } from './client.js'
import type { AppStatus, SettingsView, Theme } from '../shared/contract.js'
import type { View } from './screens/shell.js'

/** Sets the document's theme attribute (the stylesheet does the rest). */
export function applyTheme (theme: Theme): void {
  document.documentElement.dataset.theme = theme
}

/** Props of {@link App}. */
export interface AppProps {
  /** The client. */
  client: SottoClient
  /** The screen to open first once running. */
  initialView?: View
  /** An invite or relay link the page was opened with (headless `?open=`): asked about, as one from outside. */
  opened?: string
}

/** What came from outside the app, and what onboarding did with it. */
interface Arrivals {
  /** The invite that brought the user. */
  arrived: string | undefined
  setArrived: (invite: string | undefined) => void
  /** A relay link opened from outside. */
  relayLink: string | undefined
  /** The invite whose owner "Create" adds. */
  joining: string | undefined
  setJoining: (invite: string | undefined) => void
  /** Whether onboarding was shown in this session (it took the relay link then). */
  onboarded: boolean
}

/** Follows the links opened from outside the app while it is not set up. */
function useArrivals (client: SottoClient, phase: AppStatus['phase'] | undefined, opened: string | undefined): Arrivals {
  const [arrived, setArrived] = useState<string | undefined>(opened != null && linkKind(opened) === 'invite' ? opened : undefined)
  const [relayLink, setRelayLink] = useState<string | undefined>(opened != null && linkKind(opened) === 'relay' ? opened : undefined)
  const [joining, setJoining] = useState<string>()
  const [onboarded, setOnboarded] = useState(false)
  useEffect(() => {
    if (phase !== 'setup') return
    setOnboarded(true)
    const takeInvite = (): void => { client.pendingInvite().then(({ invite }) => { if (invite != null) setArrived(invite) }, () => {}) }
    const takeRelay = (): void => { client.pendingRelayLink().then(({ link }) => { if (link != null) setRelayLink(link) }, () => {}) }
    const offs = [client.bridge.onInvite(takeInvite), client.bridge.onRelayLink(takeRelay)]
    takeInvite()
    takeRelay()
    return () => { for (const off of offs) off() }
  }, [client, phase])
  return { arrived, setArrived, relayLink, joining, setJoining, onboarded }
}

/** The app. */
export function App ({ client, initialView, opened }: AppProps): ReactNode {
  const [status, setStatus] = useState<AppStatus>()
  const [error, setError] = useState<string>()

  useEffect(() => {
    const off = client.bridge.onApp(setStatus)
    client.status().then(setStatus, err => { setError((err as Error).message) })
    return off
  }, [client])

  // While a set-up runs (phase `starting`), onboarding stays on screen: if it fails (a refused
  // join code, an unreachable relay), the form is still as the user filled it.
  const [settingUp, setSettingUp] = useState(false)
  useEffect(() => {
    if (status?.phase === 'setup') setSettingUp(true)
    else if (status != null && status.phase !== 'starting') setSettingUp(false)
  }, [status?.phase])

  // An invite opened from outside (or given on the first screen) before the identity exists:
  // onboarding says who invited the user and offers their relays; "Create" with it on screen adds
  // them (`joining`), and otherwise Add contact asks about it once running. A relay link opened
  // from outside goes among onboarding's relays, or, once set up, to Settings, which asks.
  const { arrived, setArrived, relayLink, joining, setJoining, onboarded } = useArrivals(client, status?.phase, opened)

  useEffect(() => {
    if (status?.phase !== 'ready') return
    client.settings().then(s => { applyTheme(s.theme) }, () => {})
  }, [client, status?.phase])

  let content: ReactNode
  if (error != null) {
    content = <main className='center'><h1>Sotto</h1><p role='alert' className='error'>{error}</p></main>
  } else if (status?.phase === 'setup' || (status?.phase === 'starting' && settingUp)) {
    content = (
      <Onboarding
        status={status} onInvite={setArrived} onJoin={setJoining}
        {...(arrived != null ? { arrivedWith: arrived } : {})} {...(relayLink != null ? { relayLink } : {})}
      />
    )
  } else if (status == null || status.phase === 'starting') {
    content = <main className='center' aria-busy='true'><h1>Sotto</h1><p>Starting…</p></main>
  } else if (status.phase === 'locked') {
    content = <Unlock status={status} />
  } else if (status.phase === 'ready') {
    const first: View | undefined = joining != null
      ? { kind: 'add', invite: joining, confirmed: true }
      : arrived != null
        ? { kind: 'add', invite: arrived }
        : relayLink != null && !onboarded ? { kind: 'settings', relayLink } : initialView
    content = <Shell status={status} onSettings={(s: SettingsView) => { applyTheme(s.theme) }} {...(first != null ? { initialView: first } : {})} />
  } else {
    content = (
      <main className='center'>
        <h1>Sotto {status.phase === 'stopped' ? 'has stopped' : 'could not start'}</h1>
        {status.error != null && <p role='alert' className='error'>{status.error.message}</p>}
      </main>
    )
  }
  return <ClientContext.Provider value={client}>{content}</ClientContext.Provider>
}
