// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The conversation list: one entry per contact with presence, unread count and the last message.
 */
import { kindLabel } from '../components/file-card.js'
import { PeerName } from '../components/peer-text.js'
import { presenceLabel } from '../components/format.js'
import { GroupEntry, byActivity } from './group-entry.js'
import type { ReactNode } from 'react'
import type { ContactView, GroupView } from '../../shared/contract.js'

/** Props of {@link ConversationList}. */
export interface ConversationListProps {
  /** Contacts, newest activity first. */
  contacts: readonly ContactView[]
  /** The open conversation. */
  selected?: string
  /** Opens a conversation. */
  onOpen: (contactId: string) => void
  /** Groups, placed among the contacts by their last activity. */
  groups?: readonly GroupView[]
  /** Opens a group's conversation. */
  onOpenGroup?: (groupId: string) => void
}

/** A preview of the last message: one line, plain text. */
function preview (contact: ContactView): string {
  const m = contact.lastMessage
  if (m == null) return 'No messages yet'
  const text = (m.file != null ? `${kindLabel(m.file.mime)}: ${m.file.name}` : m.text).replace(/\s+/g, ' ')
  const short = text.length > 80 ? text.slice(0, 79) + '…' : text
  return m.direction === 'out' ? `You: ${short}` : short
}

/** The list. */
export function ConversationList ({ contacts, selected, onOpen, groups = [], onOpenGroup = onOpen }: ConversationListProps): ReactNode {
  if (contacts.length === 0 && groups.length === 0) {
    return <p className='empty'>No conversations yet. Share your invite or add a contact to start.</p>
  }
  const contactItem = (contact: ContactView): ReactNode => (
    <li key={contact.id}>
      <button
        type='button'
        className={`conversation${contact.id === selected ? ' selected' : ''}`}
        aria-current={contact.id === selected ? 'true' : undefined}
        onClick={() => { onOpen(contact.id) }}
      >
        <span className='conversation-top'>
          <span className={`presence presence-${contact.presence}`} aria-hidden='true' />
          <span className='conversation-name'><PeerName name={contact.alias} /></span>
          {contact.blocked && <span className='badge'>Blocked</span>}
          {contact.unread > 0 && <span className='unread' aria-label={`${contact.unread} unread`}>{contact.unread}</span>}
        </span>
        <span className='conversation-meta'>
          <span className='visually-hidden'>{presenceLabel(contact.presence)}. </span>
          <bdi className='conversation-preview' dir='auto'>{preview(contact)}</bdi>
        </span>
      </button>
    </li>
  )
  return (
    <ul className='conversations' aria-label='Conversations'>
      {byActivity(contacts, groups).map(entry => entry.kind === 'group'
        ? <GroupEntry key={entry.group.id} group={entry.group} selected={entry.group.id === selected} onOpen={onOpenGroup} />
        : contactItem(entry.contact))}
    </ul>
  )
}
