// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relays section of the settings screen: each home relay with its state, removing one, and
 * adding one by its address — or by a relay link opened from outside the app, after asking.
 */
import { useEffect, useId, useState } from 'react'
import { relayAddressSchema } from '../../shared/contract.js'
import { useClient } from '../components/context.js'
import { ConfirmDialog } from '../components/dialog.js'
import { RelayDescription } from '../components/relay-description.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'
import type { RelayView } from '../../shared/contract.js'

/** A relay's state, in words. */
export function relayState (relay: Pick<RelayView, 'reachable' | 'reserved' | 'mailboxReady'>): string {
  if (!relay.reachable) return 'Not reachable now'
  if (relay.mailboxReady && relay.reserved) return 'Connected: holds your messages, and contacts reach you through it'
  if (relay.mailboxReady) return 'Connected: holds your messages'
  return 'Connected'
}

/** Props of {@link RelaySection}. */
export interface RelaySectionProps {
  /** The relays as first loaded. */
  initial: RelayView[]
  /** Shows an error (or clears it with undefined). */
  onError: (error: string | undefined) => void
  /** A relay link opened from outside the app: read, then added once the user says so. */
  offered?: string
}

/** The question asked about a relay link opened from outside: what the relay publishes, and its join code when it is invite-only. */
function AddRelayQuestion ({ relay, onAdd, onCancel }: { relay: RelayView, onAdd: (joinCode: string | undefined) => void, onCancel: () => void }): ReactNode {
  const codeId = useId()
  const [code, setCode] = useState(relay.joinCode ?? '')
  const asksCode = relay.inviteOnly === true && relay.joinCode == null
  return (
    <ConfirmDialog
      title='Add this relay?' confirmLabel='Add relay' onCancel={onCancel}
      onConfirm={() => { onAdd(code.trim() !== '' ? code.trim() : undefined) }}
    >
      <p><RelayDescription relay={relay} /></p>
      <p>{relay.inviteOnly === true ? 'Invite only: it needs a join code from its operator.' : relay.inviteOnly === false ? 'Open to new users.' : ''}</p>
      {asksCode && (
        <>
          <label htmlFor={codeId}>Join code</label>
          <input id={codeId} value={code} onChange={e => { setCode(e.target.value) }} autoComplete='off' spellCheck={false} />
        </>
      )}
    </ConfirmDialog>
  )
}

/** The home relays, following their state as the messenger reports it. */
export function RelaySection ({ initial, onError, offered }: RelaySectionProps): ReactNode {
  const client = useClient()
  const inputId = useId()
  const [relays, setRelays] = useState<RelayView[]>(initial)
  const [relayInput, setRelayInput] = useState('')
  const relayAction = useAction(async (fn: () => Promise<RelayView[]>) => { setRelays(await fn()) })
  useEffect(() => client.bridge.onRelay(relay => {
    setRelays(list => list.map(r => r.address === relay.address ? relay : r))
  }), [client])
  const [question, setQuestion] = useState<RelayView>()
  const readOffered = useAction(async (link: string) => { setQuestion(await client.readRelayLink({ link })) })
  useEffect(() => { if (offered != null) void readOffered.run(offered) }, [offered])
  useEffect(() => { onError(relayAction.error ?? readOffered.error) }, [relayAction.error, readOffered.error])

  const addRelay = (event: FormEvent): void => {
    event.preventDefault()
    const address = relayInput.trim()
    if (!relayAddressSchema.safeParse(address).success) { onError('Enter a relay multiaddr ending in /p2p/<peer id>'); return }
    onError(undefined)
    setRelayInput('')
    void relayAction.run(() => client.addRelay({ address }))
  }

  return (
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
        <label htmlFor={inputId} className='visually-hidden'>Relay address</label>
        <input id={inputId} value={relayInput} onChange={e => { setRelayInput(e.target.value) }} placeholder='/dns4/relay.example.org/tcp/4001/p2p/12D3Koo…' autoComplete='off' />
        <button type='submit' disabled={relayAction.busy}>{relayAction.busy ? 'Working…' : 'Add relay'}</button>
      </form>
      {question != null && (
        <AddRelayQuestion
          relay={question} onCancel={() => { setQuestion(undefined) }}
          onAdd={joinCode => {
            setQuestion(undefined)
            void relayAction.run(() => client.addRelay({ address: question.address, ...(joinCode != null ? { joinCode } : {}) }))
          }}
        />
      )}
    </fieldset>
  )
}
