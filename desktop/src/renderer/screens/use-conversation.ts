// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A conversation's state for the chat screen: the contact and its messages, loaded when the
 * screen opens, kept current from pushed events, marked read as messages arrive, and paged back.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { useClient } from '../components/context.js'
import type { Dispatch, SetStateAction } from 'react'
import { RecentChanges, withProgress, withStatus } from './recent-changes.js'
import { PAGE_SIZE, useOlderMessages } from './older-messages.js'
import type { ContactView, MessageView } from '../../shared/contract.js'
import type { SottoClient } from '../client.js'

export { PAGE_SIZE } from './older-messages.js'

/** How long "typing…" stays without news: the sender repeats it every 5 s while typing. */
const TYPING_SHOWN_MS = 15_000

/** What {@link useConversation} returns. */
export interface Conversation {
  /** The contact, once loaded. */
  contact: ContactView | undefined
  /** Replaces the contact (after a change the user made). */
  setContact: Dispatch<SetStateAction<ContactView | undefined>>
  /** The messages loaded, oldest first. */
  messages: MessageView[]
  /** Adds a message the user sent, unless it arrived already. */
  addMessage: (message: MessageView) => void
  /** Why the conversation could not be loaded. */
  loadError: string | undefined
  /** Loads the page of messages before the oldest one shown. */
  loadOlder: () => void
  /** Replaces a message as changed here (a reaction, an edit); `undefined` removes it. */
  changeMessage: (id: string, message: MessageView | undefined) => void
  /** The contact is typing now (typing indicators on both sides). */
  typing: boolean
}

const withMessage = (message: MessageView) => (list: MessageView[]): MessageView[] =>
  list.some(m => m.id === message.id) ? list : [...list, message]

/**
 * Follows the edits, deletes and reactions of the messages of conversation (or group) `contactId`
 * shown in `setMessages`' list; returns the functions that unsubscribe.
 */
export function followActions (client: SottoClient, contactId: string, setMessages: Dispatch<SetStateAction<MessageView[]>>): Array<() => void> {
  return [
    client.bridge.onEdit(edited => {
      if (edited.contactId === contactId) setMessages(list => list.map(m => m.id === edited.id ? edited : m))
    }),
    client.bridge.onDelete(d => {
      if (d.contactId !== contactId) return
      setMessages(list => d.everyone
        ? list.map(m => m.id === d.id ? { ...m, text: '', deleted: true, reactions: [] } : m)
        : list.filter(m => m.id !== d.id))
    }),
    client.bridge.onReaction(r => {
      if (r.contactId !== contactId) return
      setMessages(list => list.map(m => {
        if (m.id !== r.id) return m
        const reactions = (m.reactions ?? []).filter(x => x.by !== r.by)
        return { ...m, reactions: r.emoji === '' ? reactions : [...reactions, { by: r.by, emoji: r.emoji }] }
      }))
    })
  ]
}

/** Replaces message `id` of a list with `message`, or removes it (`undefined`: deleted here). */
export function changedIn (id: string, message: MessageView | undefined): SetStateAction<MessageView[]> {
  return list => message == null ? list.filter(m => m.id !== id) : list.map(m => m.id === id ? message : m)
}

/**
 * Follows what changes messages already shown (edits, deletes, reactions, file transfers) and the contact's
 * typing; returns the functions that unsubscribe.
 */
function followChanges (
  client: SottoClient,
  contactId: string,
  setMessages: Dispatch<SetStateAction<MessageView[]>>,
  setTyping: (typing: boolean) => void,
  recent: RecentChanges
): Array<() => void> {
  let typingTimer: ReturnType<typeof setTimeout> | undefined
  return [
    ...followActions(client, contactId, setMessages),
    client.bridge.onFile(f => {
      if (f.contactId !== contactId) return
      recent.file(f)
      setMessages(list => list.map(m => m.id === f.id && m.file != null ? { ...m, file: withProgress(m.file, f) } : m))
    }),
    client.bridge.onTyping(t => {
      if (t.contactId !== contactId) return
      clearTimeout(typingTimer)
      setTyping(t.started)
      // A "stopped" that never comes (the contact closed the app) must not leave it shown.
      if (t.started) typingTimer = setTimeout(() => { setTyping(false) }, TYPING_SHOWN_MS)
    }),
    () => { clearTimeout(typingTimer) }
  ]
}

/** The conversation with `contactId`. */
export function useConversation (contactId: string): Conversation {
  const client = useClient()
  const [contact, setContact] = useState<ContactView>()
  const [messages, setMessages] = useState<MessageView[]>([])
  const [complete, setComplete] = useState(false)
  const [loadError, setLoadError] = useState<string>()
  const [typing, setTyping] = useState(false)
  const recent = useRef(new RecentChanges())
  const timer = useRef(0)
  timer.current = contact?.disappearingSeconds ?? 0

  useEffect(() => {
    let live = true
    /** Marks the conversation read; reading starts disappearing timers, so then shows when each message goes. */
    const read = (): void => {
      void client.markRead({ contactId })
        .then(async () => {
          if (timer.current === 0 || !live) return
          const latest = new Map((await client.history({ contactId, limit: PAGE_SIZE })).map(m => [m.id, m]))
          if (!live) return
          setMessages(list => list.map(m => {
            const l = latest.get(m.id)
            return l?.expiresAt != null && m.expiresAt == null ? { ...m, ...l } : m
          }))
        })
        .catch(() => {})
    }
    setContact(undefined)
    setMessages([])
    setComplete(false)
    setLoadError(undefined)
    Promise.all([client.contact({ contactId }), client.history({ contactId, limit: PAGE_SIZE })])
      .then(([c, history]) => {
        if (!live) return
        setContact(c)
        setMessages(history)
        setComplete(history.length < PAGE_SIZE)
        timer.current = c.disappearingSeconds
        if (c.unread > 0) read()
      })
      .catch(err => { if (live) setLoadError((err as Error).message) })
    const offs = [
      client.bridge.onMessage(message => {
        if (message.contactId !== contactId) return
        setMessages(withMessage(message))
        if (message.direction === 'in') {
          setTyping(false)
          read()
        }
      }),
      client.bridge.onStatus(s => {
        if (s.contactId !== contactId) return
        recent.current.status(s)
        setMessages(list => list.map(m => m.id === s.id ? withStatus(m, s) : m))
      }),
      client.bridge.onExpired(e => {
        if (e.contactId !== contactId) return
        const gone = new Set(e.ids)
        setMessages(list => list.filter(m => !gone.has(m.id)))
      }),
      client.bridge.onContact(c => { if (c.id === contactId) setContact(c) }),
      ...followChanges(client, contactId, setMessages, setTyping, recent.current),
      client.bridge.onConnection(c => {
        if (c.contactId === contactId) setContact(prev => prev != null ? { ...prev, presence: c.presence } : prev)
      })
    ]
    return () => {
      live = false
      for (const off of offs) off()
    }
  }, [client, contactId])

  const loadOlder = useOlderMessages({ client, contactId, messages, setMessages, complete, setComplete })

  // A message sent here may have changed already (see recent-changes.ts).
  const addMessage = useCallback((message: MessageView) => { setMessages(withMessage(recent.current.apply(message))) }, [])
  const changeMessage = useCallback((id: string, message: MessageView | undefined) => { setMessages(changedIn(id, message)) }, [])
  return { contact, setContact, messages, addMessage, loadError, loadOlder, changeMessage, typing }
}
