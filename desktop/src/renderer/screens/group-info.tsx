// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's info: its members, admins marked, each with their safety number; for admins, Rename,
 * Add member (from contacts), Remove and Make admin; for everyone, Leave (after confirmation).
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { ConfirmDialog, Dialog } from '../components/dialog.js'
import { PeerName } from '../components/peer-text.js'
import { useAction } from '../components/use-action.js'
import { SafetyNumberDialog } from './safety-number-dialog.js'
import type { ReactNode } from 'react'
import type { ContactView, GroupMemberInfo, GroupView } from '../../shared/contract.js'

/** Props of {@link GroupInfo}. */
export interface GroupInfoProps {
  /** The group. */
  group: GroupView
  /** The user's own id. */
  selfId: string
  /** The group after a change made here. */
  onGroup: (group: GroupView) => void
  /** Closes. */
  onClose: () => void
}

/** Adds a contact who is not yet a member (admins only). */
function AddMember ({ group, onGroup }: Pick<GroupInfoProps, 'group' | 'onGroup'>): ReactNode {
  const client = useClient()
  const pickId = useId()
  const [contacts, setContacts] = useState<ContactView[]>([])
  const [picked, setPicked] = useState('')
  useEffect(() => {
    client.contacts().then(setContacts, () => {})
  }, [client])
  const add = useAction(async () => {
    onGroup(await client.addGroupMember({ groupId: group.id, contactId: picked }))
    setPicked('')
  })
  const candidates = contacts.filter(c => !c.blocked && !group.members.some(m => m.id === c.id) && !group.invited.includes(c.id))
  if (candidates.length === 0) return null
  return (
    <form aria-label='Add a member' onSubmit={e => { e.preventDefault(); if (picked !== '') void add.run() }}>
      <label htmlFor={pickId}>Add a member</label>
      <select id={pickId} value={picked} onChange={e => { setPicked(e.target.value) }}>
        <option value=''>Choose a contact…</option>
        {candidates.map(c => <option key={c.id} value={c.id}>{c.alias}</option>)}
      </select>
      <button type='submit' disabled={picked === '' || add.busy}>Add member</button>
      {add.error != null && <p role='alert' className='error'>{add.error}</p>}
    </form>
  )
}

/** Renames the group (admins only): every member shows the new name. */
function RenameGroup ({ group, onGroup }: Pick<GroupInfoProps, 'group' | 'onGroup'>): ReactNode {
  const client = useClient()
  const nameId = useId()
  const [name, setName] = useState(group.name)
  const rename = useAction(async () => { onGroup(await client.renameGroup({ groupId: group.id, name: name.trim() })) })
  const unchanged = name.trim() === '' || name.trim() === group.name
  return (
    <form aria-label='Rename the group' onSubmit={e => { e.preventDefault(); if (!unchanged) void rename.run() }}>
      <label htmlFor={nameId}>Group name</label>
      <input id={nameId} value={name} maxLength={64} required onChange={e => { setName(e.target.value) }} />
      <button type='submit' disabled={unchanged || rename.busy}>Rename</button>
      {rename.error != null && <p role='alert' className='error'>{rename.error}</p>}
    </form>
  )
}

/** One member's line. */
function MemberRow ({ member, group, selfId, onSafety, onChange }: {
  member: GroupMemberInfo
  group: GroupView
  selfId: string
  onSafety: (member: GroupMemberInfo) => void
  onChange: (kind: 'remove' | 'admin', member: GroupMemberInfo) => void
}): ReactNode {
  const self = member.id === selfId
  return (
    <li>
      <span className='member-name'>{self ? 'You' : <PeerName name={member.name} />}</span>
      {member.admin && <span className='badge'>Admin</span>}
      {!self && <button type='button' onClick={() => { onSafety(member) }}>Safety number<span className='visually-hidden'> of {member.name}</span></button>}
      {!self && group.admin && !member.admin && <button type='button' onClick={() => { onChange('admin', member) }}>Make admin<span className='visually-hidden'> {member.name}</span></button>}
      {!self && group.admin && <button type='button' className='danger' onClick={() => { onChange('remove', member) }}>Remove<span className='visually-hidden'> {member.name}</span></button>}
    </li>
  )
}

/** The group info dialog, or the dialog it opened (a safety number, a confirmation). */
export function GroupInfo ({ group, selfId, onGroup, onClose }: GroupInfoProps): ReactNode {
  const client = useClient()
  const [safety, setSafety] = useState<ContactView>()
  const [confirm, setConfirm] = useState<{ kind: 'remove', member: GroupMemberInfo } | { kind: 'leave' }>()
  const act = useAction(async (fn: () => Promise<GroupView>) => { onGroup(await fn()) })
  const showSafety = useAction(async (member: GroupMemberInfo) => { setSafety(await client.contact({ contactId: member.id })) })
  const verify = useAction(async (verified: boolean) => { if (safety != null) setSafety(await client.setVerified({ contactId: safety.id, verified })) })

  if (safety != null) {
    return <SafetyNumberDialog contact={safety} busy={verify.busy} onClose={() => { setSafety(undefined) }} onSetVerified={v => { void verify.run(v) }} />
  }
  if (confirm?.kind === 'remove') {
    return (
      <ConfirmDialog title='Remove from the group?' confirmLabel='Remove' onCancel={() => { setConfirm(undefined) }} onConfirm={() => {
        setConfirm(undefined)
        void act.run(() => client.removeGroupMember({ groupId: group.id, memberId: confirm.member.id }))
      }}>
        <p><PeerName name={confirm.member.name} /> will get nothing sent to the group from now on.</p>
      </ConfirmDialog>
    )
  }
  if (confirm?.kind === 'leave') {
    return (
      <ConfirmDialog title='Leave the group?' confirmLabel='Leave' onCancel={() => { setConfirm(undefined) }} onConfirm={() => {
        setConfirm(undefined)
        void act.run(() => client.leaveGroup({ groupId: group.id }))
      }}>
        <p>You will no longer get or send messages in <PeerName name={group.name} />.</p>
      </ConfirmDialog>
    )
  }
  const change = (kind: 'remove' | 'admin', member: GroupMemberInfo): void => {
    if (kind === 'remove') setConfirm({ kind, member })
    else void act.run(() => client.makeGroupAdmin({ groupId: group.id, memberId: member.id }))
  }
  const error = act.error ?? showSafety.error
  return (
    <Dialog title='Group info' onClose={onClose}>
      <p><PeerName name={group.name} />: {group.members.length} of at most {group.maxMembers} members{group.invited.length > 0 ? `, ${group.invited.length} asked to join` : ''}.</p>
      <ul className='group-members' aria-label='Members'>
        {group.members.map(m => <MemberRow key={m.id} member={m} group={group} selfId={selfId} onSafety={m => { void showSafety.run(m) }} onChange={change} />)}
      </ul>
      {group.admin && <RenameGroup key={group.name} group={group} onGroup={onGroup} />}
      {group.admin && <AddMember group={group} onGroup={onGroup} />}
      {error != null && <p role='alert' className='error'>{error}</p>}
      <div className='dialog-actions'>
        {group.member && <button type='button' className='danger' onClick={() => { setConfirm({ kind: 'leave' }) }}>Leave group</button>}
        <button type='button' onClick={onClose}>Close</button>
      </div>
    </Dialog>
  )
}
