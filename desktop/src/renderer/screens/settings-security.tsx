// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The settings' security section: change the passphrase (current, new, repeated), and move the
 * storage key into the OS keychain or back behind a passphrase where the system has a keychain.
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'
import type { SecurityView } from '../../shared/contract.js'

/** Fewest characters of a new passphrase, as the main side checks it. */
const MIN_PASSPHRASE = 8

/** How the data is protected, and the forms that change it. */
export function SecuritySection (): ReactNode {
  const client = useClient()
  const [security, setSecurity] = useState<SecurityView>()
  const [done, setDone] = useState<string>()
  const load = useAction(async () => { setSecurity(await client.security()) })
  useEffect(() => { void load.run() }, [])
  if (security == null) return null
  if (security.passphraseProvided) {
    return (
      <fieldset>
        <legend>Passphrase</legend>
        <p className='hint'>The passphrase comes from the environment (SOTTO_PASSPHRASE); change it there.</p>
      </fieldset>
    )
  }
  const changed = (next: SecurityView, message: string): void => {
    setSecurity(next)
    setDone(message)
  }
  return (
    <fieldset>
      <legend>Passphrase</legend>
      <p className='hint'>
        {security.keyMode === 'keychain'
          ? 'Your data is protected by a key kept in the system keychain.'
          : 'Your data is protected by a passphrase you type when Sotto starts.'}
      </p>
      {done != null && <p role='status'>{done}</p>}
      <PassphraseForm security={security} onChanged={changed} />
      {security.keyMode === 'passphrase' && security.keychainAvailable && <KeychainForm onChanged={changed} />}
    </fieldset>
  )
}

/** Props of the forms of the section. */
interface FormProps {
  /** Called with the new state and a line to show once the change is done. */
  onChanged: (next: SecurityView, message: string) => void
}

/** A new passphrase typed twice, after the current one when there is one. */
function PassphraseForm ({ security, onChanged }: FormProps & { security: SecurityView }): ReactNode {
  const client = useClient()
  const ids = { current: useId(), next: useId(), confirm: useId() }
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [formError, setFormError] = useState<string>()
  const asksCurrent = security.keyMode === 'passphrase'
  const change = useAction(async () => {
    const result = await client.changeKeySource({ passphrase: next, ...(asksCurrent ? { current } : {}) })
    setCurrent('')
    setNext('')
    setConfirm('')
    onChanged(result, 'The passphrase was changed.')
  })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (next.length < MIN_PASSPHRASE) { setFormError(`The new passphrase needs at least ${MIN_PASSPHRASE} characters`); return }
    if (next !== confirm) { setFormError('The new passphrases differ'); return }
    setFormError(undefined)
    void change.run()
  }
  const error = formError ?? change.error
  return (
    <form onSubmit={submit} aria-label={asksCurrent ? 'Change the passphrase' : 'Use a passphrase instead of the keychain'}>
      {asksCurrent && (
        <>
          <label htmlFor={ids.current}>Current passphrase</label>
          <input id={ids.current} type='password' value={current} onChange={e => { setCurrent(e.target.value) }} autoComplete='current-password' />
        </>
      )}
      <label htmlFor={ids.next}>New passphrase</label>
      <input id={ids.next} type='password' value={next} onChange={e => { setNext(e.target.value) }} autoComplete='new-password' />
      <label htmlFor={ids.confirm}>Repeat the new passphrase</label>
      <input id={ids.confirm} type='password' value={confirm} onChange={e => { setConfirm(e.target.value) }} autoComplete='new-password' />
      {error != null && <p role='alert' className='error'>{error}</p>}
      <button type='submit' disabled={change.busy}>{asksCurrent ? 'Change the passphrase' : 'Use this passphrase'}</button>
    </form>
  )
}

/** The current passphrase, to move the key into the system keychain. */
function KeychainForm ({ onChanged }: FormProps): ReactNode {
  const client = useClient()
  const id = useId()
  const [current, setCurrent] = useState('')
  const move = useAction(async () => {
    const result = await client.changeKeySource({ keychain: true, current })
    setCurrent('')
    onChanged(result, 'The key is now kept in the system keychain.')
  })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    void move.run()
  }
  return (
    <form onSubmit={submit} aria-label='Use the system keychain'>
      <label htmlFor={id}>Current passphrase</label>
      <input id={id} type='password' value={current} onChange={e => { setCurrent(e.target.value) }} autoComplete='current-password' />
      {move.error != null && <p role='alert' className='error'>{move.error}</p>}
      <button type='submit' disabled={move.busy}>Keep the key in the system keychain instead</button>
    </form>
  )
}
