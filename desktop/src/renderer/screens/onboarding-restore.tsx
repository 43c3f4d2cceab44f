// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Onboarding → Restore from a backup: the backup file, its recovery passphrase, and how this
 * computer protects the data (as for a new identity).
 */
import { useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'

/** Props of {@link RestoreBackup}. */
export interface RestoreBackupProps {
  /** Back to creating an identity. */
  onCancel: () => void
  /** How the data is protected: the onboarding's own fieldset, and the passphrase it holds. */
  protection: ReactNode
  /** The passphrase chosen in {@link protection}, when one is needed; undefined otherwise. */
  passphrase: string | undefined
  /** Checks the protection's fields; an error to show, or undefined. */
  check: () => string | undefined
}

/** The file's bytes as base64 (what the call carries). */
async function base64Of (file: File): Promise<string> {
  return await new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => { resolve(String(reader.result).replace(/^data:[^,]*,/, '')) }
    reader.onerror = () => { reject(reader.error ?? new Error('The file could not be read')) }
    reader.readAsDataURL(file)
  })
}

/** The restore form. */
export function RestoreBackup ({ onCancel, protection, passphrase, check }: RestoreBackupProps): ReactNode {
  const client = useClient()
  const ids = { file: useId(), recovery: useId() }
  const [file, setFile] = useState<File>()
  const [recovery, setRecovery] = useState('')
  const [formError, setFormError] = useState<string>()
  const restore = useAction(async () => {
    if (file == null) return
    await client.restoreBackup({ file: await base64Of(file), recoveryPassphrase: recovery, ...(passphrase != null ? { passphrase } : {}) })
  })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const error = file == null ? 'Choose the backup file' : recovery === '' ? 'Enter the recovery passphrase' : check()
    setFormError(error)
    if (error == null) void restore.run()
  }
  const error = formError ?? restore.error
  return (
    <main className='onboarding'>
      <h1>Restore from a backup</h1>
      <p>Your identity, contacts and settings come back, and your messages if the backup holds them. The computer the backup came from stops sending.</p>
      <form onSubmit={submit} aria-label='Restore from a backup'>
        <label htmlFor={ids.file}>Backup file</label>
        <input id={ids.file} type='file' onChange={e => { setFile(e.target.files?.[0]) }} />
        <label htmlFor={ids.recovery}>Recovery passphrase</label>
        <input id={ids.recovery} type='password' value={recovery} onChange={e => { setRecovery(e.target.value) }} autoComplete='off' />
        {protection}
        {error != null && <p role='alert' className='error'>{error}</p>}
        <button type='submit' className='primary' disabled={restore.busy}>{restore.busy ? 'Restoring…' : 'Restore'}</button>
        <button type='button' onClick={onCancel}>Create a new identity instead</button>
      </form>
    </main>
  )
}
