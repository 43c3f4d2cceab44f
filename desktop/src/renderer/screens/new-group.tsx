// SPDX-License-Identifier: AGPL-3.0-only
/**
 * "New group": a name and members chosen from the contacts. Each is asked to join, and their
 * messenger answers by itself; they show as members once it has.
 */
import { useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { Dialog } from '../components/dialog.js'
import { PeerName } from '../components/peer-text.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'
import type { ContactView, GroupView } from '../../shared/contract.js'

/** Props of {@link NewGroup}. */
export interface NewGroupProps {
  /** The contacts to choose from. */
  contacts: readonly ContactView[]
  /** The group was created. */
  onCreated: (group: GroupView) => void
  /** Closes without creating. */
  onClose: () => void
}

/** The dialog. */
export function NewGroup ({ contacts, onCreated, onClose }: NewGroupProps): ReactNode {
  const client = useClient()
  const nameId = useId()
  const [name, setName] = useState('')
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const create = useAction(async () => { onCreated(await client.createGroup({ name: name.trim(), members: [...chosen] })) })
  const choosable = contacts.filter(c => c.status === 'contact' && !c.blocked)
  const toggle = (id: string, on: boolean): void => {
    setChosen(prev => {
      const next = new Set(prev)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (name.trim() !== '' && chosen.size > 0) void create.run()
  }
  return (
    <Dialog title='New group' onClose={onClose}>
      <form onSubmit={submit} aria-label='New group'>
        <label htmlFor={nameId}>Group name</label>
        <input id={nameId} value={name} maxLength={64} onChange={e => { setName(e.target.value) }} />
        <fieldset>
          <legend>Members</legend>
          {choosable.length === 0
            ? <p>Add a contact first: a group is made of your contacts.</p>
            : (
              <ul className='member-choices'>
                {choosable.map(c => (
                  <li key={c.id}>
                    <label><input type='checkbox' checked={chosen.has(c.id)} onChange={e => { toggle(c.id, e.target.checked) }} /><PeerName name={c.alias} /></label>
                  </li>
                ))}
              </ul>)}
        </fieldset>
        {create.error != null && <p role='alert' className='error'>{create.error}</p>}
        <div className='dialog-actions'>
          <button type='button' onClick={onClose}>Cancel</button>
          <button type='submit' className='primary' disabled={create.busy || name.trim() === '' || chosen.size === 0}>Create group</button>
        </div>
      </form>
    </Dialog>
  )
}
