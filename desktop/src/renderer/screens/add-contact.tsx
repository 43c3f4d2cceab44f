// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Add a contact by pasting their invite link, or confirm one opened from outside the app.
 */
import { useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'

/** Props of {@link AddContact}. */
export interface AddContactProps {
  /** An invite link opened from outside the app, filled in for the user to confirm. */
  invite?: string
  /** Opens the new conversation. */
  onAdded: (contactId: string) => void
}

/** The add-contact screen. */
export function AddContact ({ invite: offered, onAdded }: AddContactProps): ReactNode {
  const client = useClient()
  const ids = { link: useId(), alias: useId(), title: useId() }
  const [invite, setInvite] = useState(offered ?? '')
  const [alias, setAlias] = useState('')
  const add = useAction(async () => {
    const request: { invite: string, alias?: string } = { invite: invite.trim() }
    if (alias.trim() !== '') request.alias = alias.trim()
    const contact = await client.addContact(request)
    onAdded(contact.id)
  })
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (invite.trim() !== '') void add.run()
  }
  return (
    <section className='add-contact' aria-labelledby={ids.title}>
      <h2 id={ids.title}>Add a contact</h2>
      <form onSubmit={submit} aria-label='Add a contact'>
        <label htmlFor={ids.link}>Their invite link</label>
        <textarea id={ids.link} value={invite} onChange={e => { setInvite(e.target.value) }} rows={4} placeholder='sotto://invite/…' autoComplete='off' spellCheck={false} />
        <label htmlFor={ids.alias}>Name for them (optional)</label>
        <input id={ids.alias} value={alias} onChange={e => { setAlias(e.target.value) }} maxLength={64} autoComplete='off' />
        {add.error != null && <p role='alert' className='error'>{add.error}</p>}
        <button type='submit' className='primary' disabled={add.busy || invite.trim() === ''}>{add.busy ? 'Adding…' : 'Add contact'}</button>
      </form>
    </section>
  )
}
