// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Guests: making a guest link (a page at a relay anyone can write to you from, in a browser), and
 * the conversations it brings, apart from contacts, each labelled for what it is: encrypted, no
 * forward secrecy, the relay sees the guest's IP address. Reply, block a guest, or invite them to
 * Sotto (a one-time invite link: they become a contact once they add it).
 */
import { useCallback, useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { useAction } from '../components/use-action.js'
import { LinkField } from './invite.js'
import type { FormEvent, ReactNode } from 'react'
import type { GuestConversationView, GuestLinkView, MessageView } from '../../shared/index.js'

/** One guest conversation: its notice, its messages, a reply, and Block. */
function GuestChat ({ conversation, onChanged }: { conversation: GuestConversationView, onChanged: () => void }): ReactNode {
  const client = useClient()
  const id = useId()
  const [messages, setMessages] = useState<MessageView[]>([])
  const [text, setText] = useState('')
  const load = useCallback(() => { client.guestHistory({ id: conversation.id }).then(setMessages, () => {}) }, [client, conversation.id])
  useEffect(() => {
    load()
    return client.bridge.onMessage(m => { if (m.contactId === conversation.id) load() })
  }, [client, conversation.id, load])
  const send = useAction(async () => {
    await client.sendGuest({ id: conversation.id, text })
    setText('')
    load()
  })
  const block = useAction(async () => {
    await client.blockGuest({ id: conversation.id })
    onChanged()
  })
  const invite = useAction(async () => {
    await client.inviteGuest({ id: conversation.id })
    load()
    onChanged()
  })
  const submit = (e: FormEvent): void => { e.preventDefault(); if (text.trim() !== '') void send.run() }
  return (
    <section className='guest-chat' aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Guest by “{conversation.label === '' ? 'guest link' : conversation.label}”</h3>
      <p className='note'>{conversation.notice}</p>
      <ol className='guest-messages' aria-label='Messages'>
        {messages.map(m => <li key={m.id} className={m.direction}><span className='who'>{m.direction === 'in' ? 'Guest' : 'You'}:</span> {m.text}</li>)}
      </ol>
      {conversation.movedTo != null && <p role='status'>Moved to a contact: this guest installed Sotto and added you. Write to them in Contacts; these messages stay here.</p>}
      {conversation.movedTo == null && conversation.blocked && <p role='status'>You blocked this guest: their messages are refused.</p>}
      {conversation.movedTo == null && !conversation.blocked && (
          <>
            <form onSubmit={submit}>
              <label htmlFor={`${id}-reply`}>Reply to the guest</label>
              <textarea id={`${id}-reply`} value={text} maxLength={4000} rows={3} onChange={e => { setText(e.currentTarget.value) }} />
              <div className='row'>
                <button type='submit' className='primary' disabled={send.busy}>Send reply</button>
                <button type='button' onClick={() => { void invite.run() }} disabled={invite.busy}>Invite to Sotto</button>
                <button type='button' onClick={() => { void block.run() }} disabled={block.busy}>Block this guest</button>
              </div>
            </form>
            {conversation.invited && <p role='status'>Invited: when they install Sotto and add your link, they become a contact and this conversation moves there.</p>}
            {(send.error ?? block.error ?? invite.error) != null && <p role='alert' className='error'>{send.error ?? block.error ?? invite.error}</p>}
          </>
      )}
    </section>
  )
}

/** The user's guest links, each revocable: a revoked link's guests are refused, at the relay too. */
function GuestLinks ({ links, onChanged }: { links: GuestLinkView[], onChanged: () => void }): ReactNode {
  const client = useClient()
  const revoke = useAction(async (id: string) => { await client.revokeGuestLink({ id }); onChanged() })
  if (links.length === 0) return null
  return (
    <>
      <h3>Your guest links</h3>
      <ul className='guest-links'>
        {links.map(l => (
          <li key={l.id}>
            “{l.label === '' ? 'guest link' : l.label}”{l.revoked ? ' (revoked)' : ''}
            {!l.revoked && <button type='button' onClick={() => { void revoke.run(l.id) }} disabled={revoke.busy}>Revoke “{l.label === '' ? 'guest link' : l.label}”</button>}
          </li>
        ))}
      </ul>
      {revoke.error != null && <p role='alert' className='error'>{revoke.error}</p>}
    </>
  )
}

/** The Guests screen. */
export function Guests (): ReactNode {
  const client = useClient()
  const id = useId()
  const [link, setLink] = useState<GuestLinkView>()
  const [label, setLabel] = useState('')
  const [page, setPage] = useState('')
  const [list, setList] = useState<GuestConversationView[]>([])
  const [open, setOpen] = useState<string>()
  const [links, setLinks] = useState<GuestLinkView[]>([])
  const reload = useCallback(() => {
    client.guestConversations().then(setList, () => {})
    client.guestLinks().then(setLinks, () => {})
  }, [client])
  useEffect(() => {
    reload()
    return client.bridge.onMessage(m => { if (m.contactId.startsWith('guest-')) reload() })
  }, [client, reload])
  const make = useAction(async () => { setLink(await client.createGuestLink({ label, page })); reload() })
  const selected = list.find(c => c.id === open)
  return (
    <section className='guests' aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Guests</h2>
      <p>A guest link lets anyone write to you from a web browser, with nothing to install: post it instead of a phone number. Guests are not contacts; their conversations are encrypted but have no forward secrecy, and the relay sees their IP address.</p>
      <form onSubmit={e => { e.preventDefault(); void make.run() }}>
        <label htmlFor={`${id}-label`}>Label guests will see</label>
        <input id={`${id}-label`} value={label} maxLength={64} onChange={e => { setLabel(e.currentTarget.value) }} />
        <label htmlFor={`${id}-page`}>Guest page (empty: your relay's own)</label>
        <input id={`${id}-page`} type='url' placeholder='https://relay.example.org/g' value={page} onChange={e => { setPage(e.currentTarget.value) }} />
        <div className='row'><button type='submit' className='primary' disabled={make.busy}>Make a guest link</button></div>
      </form>
      {make.error != null && <p role='alert' className='error'>{make.error}</p>}
      {link != null && <LinkField label='Guest link' link={link.link} rows={3} />}
      <GuestLinks links={links} onChanged={reload} />
      <h3>Guest conversations</h3>
      {list.length === 0
        ? <p>No guest has written yet.</p>
        : (
          <ul className='guest-list'>
            {list.map(c => (
              <li key={c.id}>
                <button type='button' aria-current={c.id === open ? 'true' : undefined} onClick={() => { setOpen(c.id) }}>
                  Guest by “{c.label === '' ? 'guest link' : c.label}”{c.blocked ? ' (blocked)' : ''}{c.movedTo != null ? ' (moved to a contact)' : ''}
                  {c.unread > 0 && <span className='unread' aria-label={`${c.unread} unread`}>{c.unread}</span>}
                </button>
              </li>
            ))}
          </ul>
          )}
      {selected != null && <GuestChat key={selected.id} conversation={selected} onChanged={reload} />}
    </section>
  )
}
