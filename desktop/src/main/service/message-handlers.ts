// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about messages: a conversation's history, sending, and marking a conversation read.
 */
import { messageView } from '../views.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'

/** What the message handlers use. */
export interface MessageHandlersComponents extends MessengerComponents {
  /** Counts unread messages again and pushes the total. */
  refreshUnread: () => Promise<void>
}

/** The handlers of the message calls. */
export function messageHandlers ({ messenger, refreshUnread }: MessageHandlersComponents): HandlerGroup<'history' | 'send' | 'markRead'> {
  let sending: Promise<unknown> = Promise.resolve()
  return {
    history: async ({ contactId, before, limit }) => {
      const options: { before?: string, limit?: number } = {}
      if (before != null) options.before = before
      if (limit != null) options.limit = limit
      return (await messenger().history(contactId, options)).map(messageView)
    },
    send: async ({ contactId, text }) => {
      const m = messenger()
      // One send at a time, in the order the calls came: the messenger numbers a message only
      // once it holds its lock, so two sends in flight could be stored (and shown) swapped.
      const sent = sending.then(() => m.send(contactId, text))
      sending = sent.catch(() => {})
      return messageView(await sent)
    },
    markRead: async ({ contactId }) => {
      await messenger().markRead(contactId)
      await refreshUnread()
      return null
    }
  }
}
