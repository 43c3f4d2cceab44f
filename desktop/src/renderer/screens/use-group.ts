// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's state for the group chat: the group, its messages and its membership changes, loaded
 * when the screen opens and kept current from pushed events (messages, delivery counts, file
 * progress, expiries, edits, deletes, reactions, membership changes), marked read as messages
 * arrive, and paged back.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { useClient } from '../components/context.js'
import { PAGE_SIZE, useOlderMessages } from './older-messages.js'
import { RecentChanges, withProgress, withStatus } from './recent-changes.js'
import { changedIn, followActions } from './use-conversation.js'
import type { Dispatch, SetStateAction } from 'react'
import type { Events, GroupChangeEntry, GroupView, MessageView } from '../../shared/contract.js'

/** Statuses kept for messages whose send has not answered yet. */
const EARLY_KEPT = 200

/** What {@link useGroup} returns. */
export interface GroupConversation {
  /** The group, once loaded. */
  group: GroupView | undefined
  /** Replaces the group (after a change the user made). */
  setGroup: Dispatch<SetStateAction<GroupView | undefined>>
  /** Its membership changes, oldest first. */
  changes: GroupChangeEntry[]
  /** The messages loaded, oldest first. */
  messages: MessageView[]
  /** Every message back to the first is loaded. */
  complete: boolean
  /** Adds a message the user sent, unless it arrived already. */
  addMessage: (message: MessageView) => void
  /** Why the group could not be loaded. */
  loadError: string | undefined
  /** Loads the page of messages before the oldest one shown. */
  loadOlder: () => void
  /** A message changed here (reaction, edit, delete for everyone); `undefined`: deleted here. */
  changeMessage: (id: string, message: MessageView | undefined) => void
}

/** A message with a pushed status: its state, and in a group how many members stored it. */
function withCounts (message: MessageView, status: Events['status']): MessageView {
  const next = withStatus(message, status)
  if (status.recipientCount != null) Object.assign(next, { deliveredCount: status.deliveredCount ?? 0, recipientCount: status.recipientCount })
  return next
}

/** The group `groupId` and its conversation. */
export function useGroup (groupId: string): GroupConversation {
  const client = useClient()
  const [group, setGroup] = useState<GroupView>()
  const [changes, setChanges] = useState<GroupChangeEntry[]>([])
  const [messages, setMessages] = useState<MessageView[]>([])
  const [complete, setComplete] = useState(false)
  const [loadError, setLoadError] = useState<string>()
  const early = useRef(new Map<string, Events['status']>())
  // File progress pushed before the send's reply added the message (a file reaches members quickly).
  const recent = useRef(new RecentChanges())

  useEffect(() => {
    let live = true
    const read = (): void => { void client.markRead({ contactId: groupId }).catch(() => {}) }
    const reloadChanges = (): void => {
      client.groupChanges({ groupId }).then(c => { if (live) setChanges(c) }, () => {})
    }
    setGroup(undefined)
    setMessages([])
    setChanges([])
    setComplete(false)
    setLoadError(undefined)
    Promise.all([client.group({ groupId }), client.history({ contactId: groupId, limit: PAGE_SIZE }), client.groupChanges({ groupId })])
      .then(([g, history, c]) => {
        if (!live) return
        setGroup(g)
        setMessages(history)
        setChanges(c)
        setComplete(history.length < PAGE_SIZE)
        if (g.unread > 0) read()
      })
      .catch(err => { if (live) setLoadError((err as Error).message) })
    const offs = [
      ...followActions(client, groupId, setMessages),
      client.bridge.onMessage(message => {
        if (message.contactId !== groupId) return
        setMessages(list => list.some(m => m.id === message.id) ? list : [...list, message])
        if (message.direction !== 'in') return
        read()
        // A member's text carries their timer, which the group takes from now on (as the engine does).
        setGroup(g => g != null ? { ...g, disappearingSeconds: message.disappearingSeconds ?? 0 } : g)
      }),
      client.bridge.onStatus(s => {
        if (s.contactId !== groupId) return
        // A status may come before the reply of the send that made the message: kept for it.
        early.current.set(s.id, s)
        if (early.current.size > EARLY_KEPT) early.current.delete(early.current.keys().next().value!)
        setMessages(list => list.map(m => m.id === s.id ? withCounts(m, s) : m))
      }),
      client.bridge.onFile(f => {
        if (f.contactId !== groupId) return
        recent.current.file(f)
        setMessages(list => list.map(m => m.id === f.id && m.file != null ? { ...m, file: withProgress(m.file, f) } : m))
      }),
      client.bridge.onExpired(e => {
        if (e.contactId !== groupId) return
        const gone = new Set(e.ids)
        setMessages(list => list.filter(m => !gone.has(m.id)))
      }),
      client.bridge.onGroup(g => {
        if (g.id !== groupId) return
        setGroup(prev => ({ ...g, ...(prev?.lastMessage != null ? { lastMessage: prev.lastMessage } : {}) }))
        reloadChanges()
      })
    ]
    return () => {
      live = false
      for (const off of offs) off()
    }
  }, [client, groupId])

  const loadOlder = useOlderMessages({ client, contactId: groupId, messages, setMessages, complete, setComplete })

  const addMessage = useCallback((message: MessageView) => {
    const status = early.current.get(message.id)
    const shown = recent.current.apply(status != null ? withCounts(message, status) : message)
    setMessages(list => list.some(m => m.id === shown.id) ? list : [...list, shown])
  }, [])
  const changeMessage = useCallback((id: string, message: MessageView | undefined) => { setMessages(changedIn(id, message)) }, [])
  return { group, setGroup, changes, messages, complete, addMessage, loadError, loadOlder, changeMessage }
}
