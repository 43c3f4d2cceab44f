// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about what is done in a conversation besides sending: replies, reactions, edits, deletes,
 * search and typing indicators.
 */
import { messageView } from '../views.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'

/** The handlers of the conversation calls. */
export function conversationHandlers ({ messenger }: MessengerComponents): HandlerGroup<'reply' | 'react' | 'editMessage' | 'deleteMessage' | 'search' | 'typing'> {
  return {
    reply: async ({ contactId, replyTo, text }) => messageView(await messenger().reply(contactId, replyTo, text)),
    react: async ({ messageId, emoji }) => messageView(await messenger().react(messageId, emoji)),
    editMessage: async ({ messageId, text }) => messageView(await messenger().edit(messageId, text)),
    deleteMessage: async ({ messageId, everyone }) => {
      await messenger().deleteMessage(messageId, { everyone })
      return null
    },
    search: async ({ query, contactId }) => (await messenger().search(query, contactId != null ? { in: contactId } : {})).map(messageView),
    typing: async ({ contactId, started }) => {
      await messenger().typing(contactId, started)
      return null
    }
  }
}
