// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Onboarding's choice of relays: a relay link pasted (or read from a QR code: image, screenshot, camera), the relays of the
 * person who invited the user, the relays the app offers (a distributor's list), a raw multiaddr
 * under "Advanced" — or none, with what that costs said plainly.
 */
import { useEffect, useId, useState } from 'react'
import { relayAddressSchema } from '../../shared/contract.js'
import { useClient } from '../components/context.js'
import { QrReader } from '../components/qr-reader.js'
import { RelayDescription } from '../components/relay-description.js'
import { useAction } from '../components/use-action.js'
import { isRelayLink } from '../open-link.js'
import type { ReactNode } from 'react'
import type { RelayView } from '../../shared/contract.js'

/** Props of {@link RelayChoice}. */
export interface RelayChoiceProps {
  /** The relays offered. */
  offered: readonly RelayView[]
  /** Addresses of the offered relays that are chosen. */
  selected: readonly string[]
  /** Called with the new choice of offered relays. */
  onSelected: (addresses: string[]) => void
  /** Relays the user added (by link, from the inviter, or by address). */
  own: readonly RelayView[]
  /** Called with the new list of the user's relays. */
  onOwn: (relays: RelayView[]) => void
  /** Join codes typed for invite-only relays, by address. */
  codes: Readonly<Record<string, string>>
  /** Called with the new join codes. */
  onCodes: (codes: Record<string, string>) => void
  /** The person whose invite brought the user, with their relays that accept newcomers. */
  inviter?: { name: string, openRelays: RelayView[] }
  /** A relay link opened from outside the app, read as if pasted. */
  relayLink?: string
}

/** Whether a relay link looks complete enough to read at once. */
const RELAY_LINK = /^sotto:\/\/relay\/\S+\/p2p\/[A-Za-z0-9]{32,128}(\?\S*)?$/

/** One sentence asking for two relays in different jurisdictions, when that is still possible. */
function JurisdictionAdvice ({ chosen, available }: { chosen: readonly RelayView[], available: readonly RelayView[] }): ReactNode {
  const places = new Set(chosen.map(r => r.jurisdiction ?? r.address))
  const elsewhere = available.some(r => !chosen.includes(r) && !places.has(r.jurisdiction ?? r.address))
  if (places.size >= 2 || (chosen.length === 0 && !elsewhere)) return null
  return <p className='hint'>Choose two relays in different countries when you can: if one is down or pressured by its government, your messages still wait for you at the other.</p>
}

/** A relay of the list, with its admission and, when invite-only, the join code field. */
function RelayLine ({ relay, code, onCode, control }: { relay: RelayView, code: string, onCode: (code: string) => void, control: ReactNode }): ReactNode {
  const codeId = useId()
  const needsCode = relay.inviteOnly === true
  return (
    <li>
      <span className='relay-choice'>
        {control}
        <span className='relay-admission'>{relay.inviteOnly == null ? '' : needsCode ? 'Invite only' : 'Open to new users'}</span>
        {needsCode && (
          <span className='row'>
            <label htmlFor={codeId}>Join code for {relay.operator ?? relay.address}</label>
            <input id={codeId} value={code} onChange={e => { onCode(e.target.value) }} autoComplete='off' spellCheck={false} />
          </span>
        )}
      </span>
    </li>
  )
}

/** A relay link field: read as soon as a whole link is pasted, or with "Add". */
function RelayLinkField ({ onRelay, offered }: { onRelay: (relay: RelayView) => void, offered?: string | undefined }): ReactNode {
  const client = useClient()
  const id = useId()
  const [text, setText] = useState('')
  const read = useAction(async (link: string) => {
    onRelay(await client.readRelayLink({ link }))
    setText('')
  })
  useEffect(() => { if (offered != null) void read.run(offered) }, [offered])
  const change = (value: string): void => {
    // A link that arrives whole (pasted, dropped) is read at once; one being typed waits for "Add".
    const whole = value.length - text.length > 8
    setText(value)
    if (whole && RELAY_LINK.test(value.trim())) void read.run(value.trim())
  }
  return (
    <>
      <label htmlFor={id}>Relay link</label>
      <div className='row'>
        <input id={id} value={text} onChange={e => { change(e.target.value) }} placeholder='sotto://relay/…' autoComplete='off' spellCheck={false} />
        <button type='button' onClick={() => { void read.run(text.trim()) }} disabled={read.busy || text.trim() === ''}>{read.busy ? 'Reading…' : 'Add'}</button>
      </div>
      <p className='hint'>A community running a relay shares its link (on a poster, a web page, in a message).</p>
      <QrReader what='relay link' accepts={isRelayLink} onText={link => { void read.run(link.trim()) }} />
      {read.error != null && <p role='alert' className='error'>{read.error}</p>}
    </>
  )
}

/** A raw multiaddr, for those who know one. */
function AdvancedAddress ({ onRelay }: { onRelay: (relay: RelayView) => void }): ReactNode {
  const id = useId()
  const [text, setText] = useState('')
  const [error, setError] = useState<string>()
  const add = (): void => {
    const address = text.trim()
    if (!relayAddressSchema.safeParse(address).success) {
      setError('Enter a relay multiaddr ending in /p2p/<peer id>')
      return
    }
    setError(undefined)
    onRelay({ address, source: 'user', enabled: true, reachable: false, reserved: false, mailboxReady: false })
    setText('')
  }
  return (
    <details className='advanced'>
      <summary>Advanced: add a relay by its address</summary>
      <label htmlFor={id}>Add my own relay</label>
      <div className='row'>
        <input id={id} value={text} onChange={e => { setText(e.target.value) }} placeholder='/dns4/relay.example.org/tcp/4001/p2p/12D3Koo…' autoComplete='off' />
        <button type='button' onClick={add}>Add relay</button>
      </div>
      {error != null && <p role='alert' className='error'>{error}</p>}
    </details>
  )
}

/** The relays fieldset of onboarding. */
export function RelayChoice (props: RelayChoiceProps): ReactNode {
  const { offered, selected, onSelected, own, onOwn, codes, onCodes, inviter, relayLink } = props
  const addOwn = (relays: RelayView[]): void => {
    const fresh = relays.filter(r => !own.some(o => o.address === r.address) && !offered.some(o => o.address === r.address))
    const chosen = relays.filter(r => offered.some(o => o.address === r.address)).map(r => r.address)
    if (chosen.length > 0) onSelected([...new Set([...selected, ...chosen])])
    if (fresh.length > 0) onOwn([...own, ...fresh])
    const given = Object.fromEntries(relays.filter(r => r.joinCode != null).map(r => [r.address, r.joinCode!]))
    if (Object.keys(given).length > 0) onCodes({ ...codes, ...given })
  }
  const setCode = (address: string, code: string): void => { onCodes({ ...codes, [address]: code }) }
  const chosen = [...offered.filter(r => selected.includes(r.address)), ...own]
  const inviterRelays = inviter?.openRelays.filter(r => !chosen.some(c => c.address === r.address)) ?? []
  return (
    <fieldset>
      <legend>Relays</legend>
      <p className='hint'>Relays hold sealed messages while your contacts are offline. They never see who wrote them or what they say.</p>
      {inviter != null && inviterRelays.length > 0 && (
        <button type='button' onClick={() => { addOwn(inviterRelays) }}>Use the relays of the person who invited me ({inviter.name})</button>
      )}
      <RelayLinkField onRelay={relay => { addOwn([relay]) }} offered={relayLink} />
      <ul className='relay-list' aria-label='Chosen and offered relays'>
        {offered.map(relay => (
          <RelayLine
            key={relay.address} relay={relay} code={codes[relay.address] ?? ''} onCode={c => { setCode(relay.address, c) }}
            control={(
              <label>
                <input
                  type='checkbox' checked={selected.includes(relay.address)}
                  onChange={e => { onSelected(e.target.checked ? [...selected, relay.address] : selected.filter(a => a !== relay.address)) }}
                />
                <RelayDescription relay={relay} />
              </label>
            )}
          />
        ))}
        {own.map(relay => (
          <RelayLine
            key={relay.address} relay={relay} code={codes[relay.address] ?? ''} onCode={c => { setCode(relay.address, c) }}
            control={(
              <>
                <RelayDescription relay={relay} />
                <button type='button' onClick={() => { onOwn(own.filter(o => o.address !== relay.address)) }} aria-label={`Remove relay ${relay.address}`}>Remove</button>
              </>
            )}
          />
        ))}
      </ul>
      <JurisdictionAdvice chosen={chosen} available={[...offered, ...inviterRelays]} />
      {chosen.length === 0 && (
        <p className='note' role='note'>
          Without a relay you can still use Sotto, but messages then reach people only while both of you are online and can connect
          directly (on the same network, for example), and nothing waits for you while you are offline.
        </p>
      )}
      <AdvancedAddress onRelay={relay => { addOwn([relay]) }} />
    </fieldset>
  )
}
