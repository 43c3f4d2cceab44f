// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Add a contact: by pasting their invite link (long or short), by reading the QR code of one, or
 * by confirming one opened from outside the app. A link that did not come from the user's own
 * typing (opened from outside, read from a QR code) is read first and added only once the user
 * answers "Add Alice?" — or at once when they already answered it (onboarding showed who invited
 * them, and "Create" added them).
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { ConfirmDialog } from '../components/dialog.js'
import { PeerName, cleanName } from '../components/peer-text.js'
import { QrReader } from '../components/qr-reader.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'

/** Props of {@link AddContact}. */
export interface AddContactProps {
  /** An invite link opened from outside the app: read, then added once the user confirms. */
  invite?: string
  /** The user already confirmed adding the owner of `invite` (on onboarding's screen): no question. */
  confirmed?: boolean
  /** Opens the new conversation. */
  onAdded: (contactId: string) => void
}

/** The add-contact screen. */
export function AddContact ({ invite: offered, confirmed = false, onAdded }: AddContactProps): ReactNode {
  const client = useClient()
  const ids = { link: useId(), alias: useId(), title: useId() }
  const [invite, setInvite] = useState('')
  const [alias, setAlias] = useState('')
  const [question, setQuestion] = useState<{ invite: string, name: string }>()
  const add = useAction(async (link: string) => {
    const request: { invite: string, alias?: string } = { invite: link.trim() }
    if (alias.trim() !== '') request.alias = alias.trim()
    const contact = await client.addContact(request)
    onAdded(contact.id)
  })
  const ask = useAction(async (link: string) => {
    setInvite(link)
    const { name } = await client.previewInvite({ invite: link.trim() })
    setQuestion({ invite: link.trim(), name })
  })
  useEffect(() => {
    if (offered == null) return
    setInvite(offered)
    void (confirmed ? add.run(offered) : ask.run(offered))
  }, [offered])

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (invite.trim() !== '') void add.run(invite)
  }
  const error = ask.error ?? add.error
  return (
    <section className='add-contact' aria-labelledby={ids.title}>
      <h2 id={ids.title}>Add a contact</h2>
      <form onSubmit={submit} aria-label='Add a contact'>
        <label htmlFor={ids.link}>Their invite link</label>
        <textarea id={ids.link} value={invite} onChange={e => { setInvite(e.target.value) }} rows={3} placeholder='sotto://s/…' autoComplete='off' spellCheck={false} />
        <QrReader what='invite' onText={text => { void ask.run(text) }} />
        <label htmlFor={ids.alias}>Name for them (optional)</label>
        <input id={ids.alias} value={alias} onChange={e => { setAlias(e.target.value) }} maxLength={64} autoComplete='off' />
        {error != null && <p role='alert' className='error'>{error}</p>}
        {ask.busy && <p aria-busy='true'>Reading the invite…</p>}
        <button type='submit' className='primary' disabled={add.busy || invite.trim() === ''}>{add.busy ? 'Adding…' : 'Add contact'}</button>
      </form>
      {question != null && (
        <ConfirmDialog
          title={`Add ${cleanName(question.name)}?`} confirmLabel={`Add ${cleanName(question.name)}`}
          onCancel={() => { setQuestion(undefined) }}
          onConfirm={() => { setQuestion(undefined); void add.run(question.invite) }}
        >
          <p><PeerName name={question.name} /> will get a contact request from you, with your name and your invite.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
