// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Settings → Move to a new computer: exports a backup sealed with a recovery passphrase, with or
 * without the messages. It is restored on the other computer from the onboarding screen.
 */
import { useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'

/** Fewest characters of a recovery passphrase, as the main side checks it. */
const MIN_PASSPHRASE = 8

/** The export form. */
export function MoveSection (): ReactNode {
  const client = useClient()
  const ids = { pass: useId(), confirm: useId(), history: useId() }
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [history, setHistory] = useState(true)
  const [formError, setFormError] = useState<string>()
  const [saved, setSaved] = useState<string>()
  const exporting = useAction(async () => {
    const { file } = await client.exportBackup({ passphrase, history })
    if (file === '') return
    setPassphrase('')
    setConfirm('')
    setSaved(file)
  })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    setSaved(undefined)
    if (passphrase.length < MIN_PASSPHRASE) { setFormError(`The recovery passphrase needs at least ${MIN_PASSPHRASE} characters`); return }
    if (passphrase !== confirm) { setFormError('The recovery passphrases differ'); return }
    setFormError(undefined)
    void exporting.run()
  }
  const error = formError ?? exporting.error
  return (
    <fieldset>
      <legend>Move to a new computer</legend>
      <p className='hint'>
        A backup holds your identity, contacts, settings and relays, and your messages if you wish. Restore it on the other
        computer when Sotto first starts there; this computer then stops sending.
      </p>
      <form onSubmit={submit} aria-label='Export a backup'>
        <label htmlFor={ids.pass}>Recovery passphrase</label>
        <input id={ids.pass} type='password' value={passphrase} onChange={e => { setPassphrase(e.target.value) }} autoComplete='new-password' />
        <label htmlFor={ids.confirm}>Repeat the recovery passphrase</label>
        <input id={ids.confirm} type='password' value={confirm} onChange={e => { setConfirm(e.target.value) }} autoComplete='new-password' />
        <p>
          <input id={ids.history} type='checkbox' checked={history} onChange={e => { setHistory(e.target.checked) }} />
          <label htmlFor={ids.history}>Include the messages</label>
        </p>
        {error != null && <p role='alert' className='error'>{error}</p>}
        {saved != null && <p role='status'>The backup was saved to {saved}</p>}
        <button type='submit' disabled={exporting.busy}>{exporting.busy ? 'Exporting…' : 'Export a backup'}</button>
      </form>
    </fieldset>
  )
}
