// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The passphrase prompt of a locked data directory.
 */
import { useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'
import type { AppStatus } from '../../shared/contract.js'

/** The unlock screen. */
export function Unlock ({ status }: { status: AppStatus }): ReactNode {
  const client = useClient()
  const id = useId()
  const [passphrase, setPassphrase] = useState('')
  const unlock = useAction(async () => {
    try {
      await client.unlock({ passphrase })
    } finally {
      setPassphrase('')
    }
  })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (passphrase !== '') void unlock.run()
  }
  const error = unlock.error ?? (status.error?.name === 'WrongPassphraseError' ? status.error.message : undefined)
  return (
    <main className='unlock'>
      <h1>Sotto is locked</h1>
      <form onSubmit={submit} aria-label='Unlock'>
        <label htmlFor={id}>Passphrase</label>
        <input id={id} type='password' value={passphrase} onChange={e => { setPassphrase(e.target.value) }} autoComplete='current-password' autoFocus />
        {error != null && <p role='alert' className='error'>{error}</p>}
        <button type='submit' className='primary' disabled={unlock.busy || passphrase === ''}>{unlock.busy ? 'Unlocking…' : 'Unlock'}</button>
      </form>
    </main>
  )
}
