// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's entry in the conversation list (its name, unread count and last message, with who
 * wrote it), and the order that puts groups among contacts by their last activity.
 */
import { PeerName, cleanName } from '../components/peer-text.js'
import type { ReactNode } from 'react'
import type { ContactView, GroupView } from '../../shared/contract.js'

/** A contact's or a group's entry, in the list's order. */
export type ListEntry = { kind: 'contact', contact: ContactView } | { kind: 'group', group: GroupView }

/** Contacts and groups together, the most recently active first (contacts keep their order). */
export function byActivity (contacts: readonly ContactView[], groups: readonly GroupView[]): ListEntry[] {
  const entries: ListEntry[] = contacts.map(contact => ({ kind: 'contact', contact }))
  const at = (e: ListEntry): number => e.kind === 'group' ? e.group.lastActivity : e.contact.lastMessage?.storedAt ?? 0
  for (const group of [...groups].sort((a, b) => b.lastActivity - a.lastActivity)) {
    const entry: ListEntry = { kind: 'group', group }
    const i = entries.findIndex(e => at(e) < group.lastActivity)
    entries.splice(i < 0 ? entries.length : i, 0, entry)
  }
  return entries
}

/** The last message of a group, one line: who wrote it, and what. */
function preview (group: GroupView): string {
  const m = group.lastMessage
  if (m == null) return group.member ? 'No messages yet' : 'You are no longer a member'
  const text = m.text.replace(/\s+/g, ' ')
  const short = text.length > 80 ? text.slice(0, 79) + '…' : text
  if (m.direction === 'out') return `You: ${short}`
  const sender = group.members.find(x => x.id === m.senderId)?.name
  return sender != null ? `${cleanName(sender)}: ${short}` : short
}

/** A group's entry. */
export function GroupEntry ({ group, selected, onOpen }: { group: GroupView, selected: boolean, onOpen: (groupId: string) => void }): ReactNode {
  return (
    <li>
      <button type='button' className={`conversation${selected ? ' selected' : ''}`} aria-current={selected ? 'true' : undefined} onClick={() => { onOpen(group.id) }}>
        <span className='conversation-top'>
          <span className='conversation-name'><PeerName name={group.name} /></span>
          <span className='badge'>Group</span>
          {group.unread > 0 && <span className='unread' aria-label={`${group.unread} unread`}>{group.unread}</span>}
        </span>
        <span className='conversation-meta'>
          <bdi className='conversation-preview' dir='auto'>{preview(group)}</bdi>
        </span>
      </button>
    </li>
  )
}
