// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Onboarding's choice of relays: the offered ones (checked by default) and the user's own.
 */
import { useId, useState } from 'react'
import { relayAddressSchema } from '../../shared/contract.js'
import { RelayDescription } from '../components/relay-description.js'
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
  /** Relays the user added. */
  own: readonly string[]
  /** Called with the new list of the user's relays. */
  onOwn: (addresses: string[]) => void
}

/** The relays fieldset of onboarding. */
export function RelayChoice ({ offered, selected, onSelected, own, onOwn }: RelayChoiceProps): ReactNode {
  const ownId = useId()
  const [ownInput, setOwnInput] = useState('')
  const [ownError, setOwnError] = useState<string>()

  const addOwn = (): void => {
    const address = ownInput.trim()
    if (!relayAddressSchema.safeParse(address).success) {
      setOwnError('Enter a relay multiaddr ending in /p2p/<peer id>')
      return
    }
    setOwnError(undefined)
    if (!own.includes(address) && !selected.includes(address)) onOwn([...own, address])
    setOwnInput('')
  }

  return (
    <fieldset>
      <legend>Relays</legend>
      <p className='hint'>Relays hold sealed messages while your contacts are offline. They never see who wrote them or what they say.</p>
      {offered.length === 0 && own.length === 0 && <p>No default relays are configured; add your own, or go without (messages then travel only directly).</p>}
      <ul className='relay-list'>
        {offered.map(relay => (
          <li key={relay.address}>
            <label>
              <input
                type='checkbox'
                checked={selected.includes(relay.address)}
                onChange={e => { onSelected(e.target.checked ? [...selected, relay.address] : selected.filter(a => a !== relay.address)) }}
              />
              <RelayDescription relay={relay} />
            </label>
          </li>
        ))}
        {own.map(address => (
          <li key={address}>
            <RelayDescription relay={{ address }} />
            <button type='button' onClick={() => { onOwn(own.filter(a => a !== address)) }} aria-label={`Remove relay ${address}`}>Remove</button>
          </li>
        ))}
      </ul>
      <label htmlFor={ownId}>Add my own relay</label>
      <div className='row'>
        <input id={ownId} value={ownInput} onChange={e => { setOwnInput(e.target.value) }} placeholder='/dns4/relay.example.org/tcp/4001/p2p/12D3Koo…' autoComplete='off' />
        <button type='button' onClick={addOwn}>Add relay</button>
      </div>
      {ownError != null && <p role='alert' className='error'>{ownError}</p>}
    </fieldset>
  )
}
