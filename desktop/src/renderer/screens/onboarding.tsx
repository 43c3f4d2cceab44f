// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Onboarding: a name, an optional (or, without a keychain, required) passphrase, and relays.
 */
import { useId, useState } from 'react'
import { relayAddressSchema } from '../../shared/contract.js'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'
import type { AppStatus, RelayView } from '../../shared/contract.js'

/** Describes a relay: operator and jurisdiction when it publishes them. */
export function RelayDescription ({ relay }: { relay: Pick<RelayView, 'address' | 'operator' | 'jurisdiction'> }): ReactNode {
  return (
    <span className='relay'>
      {/* One line: in the column of the relay's lines, a bare separator would take a line of its own. */}
      <span>
        <span className='relay-operator'>{relay.operator ?? 'Unknown operator'}</span>
        {' · '}
        <span className='relay-jurisdiction'>{relay.jurisdiction != null ? `Jurisdiction ${relay.jurisdiction}` : 'Jurisdiction not published'}</span>
      </span>
      <code className='relay-address'>{relay.address}</code>
    </span>
  )
}

/** The onboarding screen. */
export function Onboarding ({ status }: { status: AppStatus }): ReactNode {
  const client = useClient()
  const ids = { name: useId(), pass: useId(), confirm: useId(), own: useId(), withPass: useId() }
  const [name, setName] = useState('')
  const [usePassphrase, setUsePassphrase] = useState(status.keyStorage === 'passphrase')
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [selected, setSelected] = useState<string[]>(status.defaultRelays.map(r => r.address))
  const [own, setOwn] = useState<string[]>([])
  const [ownInput, setOwnInput] = useState('')
  const [ownError, setOwnError] = useState<string>()
  const [formError, setFormError] = useState<string>()
  const needsPassphrase = !status.passphraseProvided && (status.keyStorage === 'passphrase' || usePassphrase)

  const create = useAction(async () => {
    const request: { name: string, relays: string[], passphrase?: string } = { name: name.trim(), relays: [...selected, ...own] }
    if (needsPassphrase) request.passphrase = passphrase
    await client.setup(request)
  })

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    setFormError(undefined)
    if (name.trim() === '') { setFormError('Enter a name'); return }
    if (needsPassphrase && passphrase.length < 8) { setFormError('The passphrase needs at least 8 characters'); return }
    if (needsPassphrase && passphrase !== confirm) { setFormError('The passphrases differ'); return }
    void create.run()
  }

  const addOwn = (): void => {
    const address = ownInput.trim()
    if (!relayAddressSchema.safeParse(address).success) {
      setOwnError('Enter a relay multiaddr ending in /p2p/<peer id>')
      return
    }
    setOwnError(undefined)
    if (!own.includes(address) && !selected.includes(address)) setOwn([...own, address])
    setOwnInput('')
  }

  const error = formError ?? create.error
  return (
    <main className='onboarding'>
      <h1>Welcome to Sotto</h1>
      <p>A private messenger with no central servers. Your identity is a key on this device: no phone number, no e-mail.</p>
      <form onSubmit={submit} aria-label='Create your identity'>
        <label htmlFor={ids.name}>Your name</label>
        <input id={ids.name} value={name} onChange={e => { setName(e.target.value) }} maxLength={64} autoComplete='off' required />
        <p className='hint'>Shown to the people you invite.</p>

        <fieldset>
          <legend>Protect your data</legend>
          {status.passphraseProvided
            ? <p>The storage passphrase comes from the environment (SOTTO_PASSPHRASE).</p>
            : status.keyStorage === 'keychain'
              ? (
                <p>
                  <input id={ids.withPass} type='checkbox' checked={usePassphrase} onChange={e => { setUsePassphrase(e.target.checked) }} />
                  <label htmlFor={ids.withPass}>Use a passphrase instead of the system keychain</label>
                </p>
                )
              : <p>This system has no keychain, so your data is protected with a passphrase.</p>}
          {needsPassphrase && (
            <>
              <label htmlFor={ids.pass}>Passphrase</label>
              <input id={ids.pass} type='password' value={passphrase} onChange={e => { setPassphrase(e.target.value) }} autoComplete='new-password' />
              <label htmlFor={ids.confirm}>Repeat the passphrase</label>
              <input id={ids.confirm} type='password' value={confirm} onChange={e => { setConfirm(e.target.value) }} autoComplete='new-password' />
              <p className='hint'>There is no way to recover it if you forget it.</p>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>Relays</legend>
          <p className='hint'>Relays hold sealed messages while your contacts are offline. They never see who wrote them or what they say.</p>
          {status.defaultRelays.length === 0 && own.length === 0 && <p>No default relays are configured; add your own, or go without (messages then travel only directly).</p>}
          <ul className='relay-list'>
            {status.defaultRelays.map(relay => (
              <li key={relay.address}>
                <label>
                  <input
                    type='checkbox'
                    checked={selected.includes(relay.address)}
                    onChange={e => { setSelected(e.target.checked ? [...selected, relay.address] : selected.filter(a => a !== relay.address)) }}
                  />
                  <RelayDescription relay={relay} />
                </label>
              </li>
            ))}
            {own.map(address => (
              <li key={address}>
                <RelayDescription relay={{ address }} />
                <button type='button' onClick={() => { setOwn(own.filter(a => a !== address)) }} aria-label={`Remove relay ${address}`}>Remove</button>
              </li>
            ))}
          </ul>
          <label htmlFor={ids.own}>Add my own relay</label>
          <div className='row'>
            <input id={ids.own} value={ownInput} onChange={e => { setOwnInput(e.target.value) }} placeholder='/dns4/relay.example.org/tcp/4001/p2p/12D3Koo…' autoComplete='off' />
            <button type='button' onClick={addOwn}>Add relay</button>
          </div>
          {ownError != null && <p role='alert' className='error'>{ownError}</p>}
        </fieldset>

        {error != null && <p role='alert' className='error'>{error}</p>}
        <button type='submit' className='primary' disabled={create.busy}>{create.busy ? 'Creating…' : 'Create my identity'}</button>
      </form>
    </main>
  )
}
