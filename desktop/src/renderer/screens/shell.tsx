// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The app once it runs: navigation, the conversation list, and the open screen.
 */
import { useCallback, useEffect, useState } from 'react'
import { useClient } from '../components/context.js'
import { PeerName } from '../components/peer-text.js'
import { AddContact } from './add-contact.js'
import { Chat } from './chat.js'
import { ConversationList } from './conversation-list.js'
import { FirstContact } from './first-contact.js'
import { GroupChat } from './group-chat.js'
import { NewGroup } from './new-group.js'
import { Guests } from './guests.js'
import { SearchBox } from './search-box.js'
import { Invite } from './invite.js'
import { Requests } from './requests.js'
import { Settings } from './settings.js'
import type { ReactNode } from 'react'
import type { AppStatus, ContactView, GroupView, SettingsView } from '../../shared/contract.js'

/** Which screen is open. */
export type View =
  | { kind: 'chats' }
  | { kind: 'chat', contactId: string, messageId?: string }
  | { kind: 'group', groupId: string }
  | { kind: 'requests' }
  | { kind: 'add', invite?: string, confirmed?: boolean }
  | { kind: 'invite' }
  | { kind: 'guests' }
  | { kind: 'settings', relayLink?: string }

/** Props of {@link Shell}. */
export interface ShellProps {
  /** App status (identity, online). */
  status: AppStatus
  /** The screen to open first. */
  initialView?: View
  /** Settings changed (theme). */
  onSettings?: (settings: SettingsView) => void
}

/** The main layout. */
export function Shell ({ status, initialView, onSettings }: ShellProps): ReactNode {
  const client = useClient()
  const [view, setView] = useState<View>(initialView ?? { kind: 'chats' })
  const [contacts, setContacts] = useState<ContactView[]>([])
  const [requests, setRequests] = useState<ContactView[]>([])
  const [groups, setGroups] = useState<GroupView[]>([])
  const [newGroup, setNewGroup] = useState(false)
  const [loaded, setLoaded] = useState(false)
  const [error, setError] = useState<string>()

  const reload = useCallback(() => {
    Promise.all([client.contacts(), client.requests(), client.groups()])
      .then(([c, r, g]) => {
        setContacts(c)
        setRequests(r)
        setGroups(g)
        setLoaded(true)
        setError(undefined)
      })
      .catch(err => { setError((err as Error).message) })
  }, [client])

  useEffect(() => {
    reload()
    const b = client.bridge
    const offs = [
      b.onMessage(reload), b.onContact(reload), b.onRequest(reload), b.onExpired(reload), b.onUnread(reload), b.onGroup(reload),
      b.onConnection(c => { setContacts(list => list.map(x => x.id === c.contactId ? { ...x, presence: c.presence } : x)) })
    ]
    return () => { for (const off of offs) off() }
  }, [client, reload])

  useLinksFromOutside(setView)

  const pendingRequests = requests.filter(r => !r.blocked).length
  const current = view.kind === 'chat' || view.kind === 'group' ? 'chats' : view.kind
  const open = (contactId: string): void => { setView({ kind: 'chat', contactId }) }

  let pane: ReactNode
  switch (view.kind) {
    case 'chat': pane = <Chat key={view.contactId} contactId={view.contactId} {...(view.messageId != null ? { jumpToId: view.messageId } : {})} onDeleted={() => { setView({ kind: 'chats' }); reload() }} onSent={reload} />; break
    case 'group': pane = <GroupChat key={view.groupId} groupId={view.groupId} selfId={status.identity?.userId ?? ''} onSent={reload} />; break
    case 'requests': pane = <Requests requests={requests} onAccepted={open} onChanged={reload} />; break
    case 'add': pane = <AddContact key={view.invite} {...(view.invite != null ? { invite: view.invite } : {})} confirmed={view.confirmed === true} onAdded={id => { reload(); open(id) }} />; break
    case 'invite': pane = <Invite />; break
    case 'guests': pane = <Guests />; break
    case 'settings': pane = <Settings key={view.relayLink} {...(onSettings != null ? { onChanged: onSettings } : {})} {...(view.relayLink != null ? { relayLink: view.relayLink } : {})} />; break
    default: pane = loaded && contacts.length === 0
      ? <FirstContact onAdded={id => { reload(); open(id) }} requests={requests} onAccepted={open} onChanged={reload} />
      : <section className='placeholder'><p>Choose a conversation, or add a contact to start one.</p></section>
  }

  return (
    <div className='shell'>
      {status.replaced === true && (
        <p role='alert' className='error replaced'>Sotto was restored from a backup on another computer, which replaced this one: nothing is sent from here any more.</p>
      )}
      <Sidebar status={status} current={current} pendingRequests={pendingRequests} onOpen={kind => { setView({ kind } as View) }} />
      {(view.kind === 'chats' || view.kind === 'chat' || view.kind === 'group') && (
        <aside className='list-pane' aria-label='Conversations'>
          {error != null && <p role='alert' className='error'>{error}</p>}
          <SearchBox
            label='Search all conversations'
            nameOf={id => contacts.find(c => c.id === id)?.alias ?? groups.find(g => g.id === id)?.name ?? ''}
            onOpen={m => { setView(groups.some(g => g.id === m.contactId) ? { kind: 'group', groupId: m.contactId } : { kind: 'chat', contactId: m.contactId, messageId: m.id }) }}
          />
          <p className='list-actions'><button type='button' onClick={() => { setNewGroup(true) }}>New group</button></p>
          <ConversationList
            contacts={contacts}
            groups={groups}
            {...(view.kind === 'chat' ? { selected: view.contactId } : view.kind === 'group' ? { selected: view.groupId } : {})}
            onOpen={open}
            onOpenGroup={groupId => { setView({ kind: 'group', groupId }) }}
          />
        </aside>
      )}
      <main className='pane'>{pane}</main>
      {newGroup && <NewGroup contacts={contacts} onClose={() => { setNewGroup(false) }} onCreated={g => { setNewGroup(false); reload(); setView({ kind: 'group', groupId: g.id }) }} />}
    </div>
  )
}

/** Opens the screen for a link opened outside the app: an invite opens Add contact; a relay link opens Settings, which asks before adding the relay. Both are held by the main side until taken. */
function useLinksFromOutside (setView: (view: View) => void): void {
  const client = useClient()
  useEffect(() => {
    const offer = (invite: string | null): void => { if (invite != null) setView({ kind: 'add', invite }) }
    const off = client.bridge.onInvite(({ invite }) => {
      offer(invite)
      void client.pendingInvite().catch(() => {})
    })
    client.pendingInvite().then(({ invite }) => { offer(invite) }, () => {})
    return off
  }, [client, setView])
  useEffect(() => {
    const offer = (relayLink: string | null): void => { if (relayLink != null) setView({ kind: 'settings', relayLink }) }
    const off = client.bridge.onRelayLink(() => { client.pendingRelayLink().then(({ link }) => { offer(link) }, () => {}) })
    client.pendingRelayLink().then(({ link }) => { offer(link) }, () => {})
    return off
  }, [client, setView])
}

const NAV: Array<[View['kind'], string]> = [['chats', 'Chats'], ['requests', 'Requests'], ['add', 'Add contact'], ['invite', 'My invite'], ['guests', 'Guests'], ['settings', 'Settings']]

/** The navigation: who the user is, whether they are online, and the screens. */
function Sidebar ({ status, current, pendingRequests, onOpen }: { status: AppStatus, current: View['kind'], pendingRequests: number, onOpen: (kind: View['kind']) => void }): ReactNode {
  return (
    <nav className='sidebar' aria-label='Sotto'>
      <p className='me'>
        <PeerName name={status.identity?.name ?? ''} />
        <span className={`online ${status.online ? 'is-online' : ''}`}>{status.online ? 'Online' : 'Connecting…'}</span>
      </p>
      <ul>
        {NAV.map(([kind, label]) => (
          <li key={kind}>
            <button type='button' aria-current={current === kind ? 'page' : undefined} onClick={() => { onOpen(kind) }}>
              {label}
              {kind === 'requests' && pendingRequests > 0 && <span className='unread' aria-label={`${pendingRequests} waiting`}>{pendingRequests}</span>}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
