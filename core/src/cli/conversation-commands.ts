// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The `sotto` commands of a conversation beyond sending: reply, react, edit, delete, search and
 * typing. Declared as the rest of the table (see `table.ts`), which lists them after `history`.
 */
import { messageLine } from './lines.js'
import type { Command, Field, Input } from './table.js'

const messageId: Field = { key: 'id', label: 'MESSAGE_ID', what: 'a message id', kind: 'string', positional: true }
const text: Field = { key: 'text', label: 'TEXT', what: 'a text', kind: 'string', positional: true }
const str = (input: Input, key: string): string => input[key] as string

/** reply, react, edit, delete, search, typing. */
export const CONVERSATION_COMMANDS: readonly Command[] = [
  {
    name: 'reply',
    fields: [{ key: 'to', label: 'CONTACT', what: 'a contact or group', kind: 'string', positional: true }, messageId, text],
    help: 'quotes message MESSAGE_ID of the conversation or group',
    output: 'one',
    handler: async ({ messenger }, input) => {
      const m = await messenger.reply(str(input, 'to'), str(input, 'id'), str(input, 'text'))
      return { id: m.id, state: m.state, replyTo: m.replyTo }
    }
  },
  {
    name: 'react',
    fields: [messageId, { key: 'emoji', label: 'EMOJI', what: 'an emoji ("" removes yours)', kind: 'string', positional: true }],
    help: 'replaces your reaction; "" removes it (in a group too)',
    output: 'one',
    handler: async ({ messenger }, input) => messageLine(await messenger.react(str(input, 'id'), str(input, 'emoji')))
  },
  {
    name: 'edit',
    fields: [messageId, text],
    help: 'your own messages, for 24 hours',
    output: 'one',
    handler: async ({ messenger }, input) => messageLine(await messenger.edit(str(input, 'id'), str(input, 'text')))
  },
  {
    name: 'delete',
    fields: [messageId, { key: 'everyone', label: '', what: 'no value', kind: 'flag', optional: true }],
    help: 'here only; --everyone: your own messages, for 24 hours',
    output: 'one',
    handler: async ({ messenger }, input) => {
      const everyone = input.everyone === true
      await messenger.deleteMessage(str(input, 'id'), { everyone })
      return { deleted: input.id, everyone }
    }
  },
  {
    name: 'search',
    fields: [
      { key: 'query', label: 'QUERY', what: 'words to find', kind: 'string', positional: true },
      { key: 'in', label: 'CONVERSATION', what: 'a contact', kind: 'string', optional: true }
    ],
    help: 'newest first; the last word may be the start of one',
    output: 'lines',
    handler: async ({ messenger }, input) => {
      const found = await messenger.search(str(input, 'query'), input.in != null ? { in: str(input, 'in') } : {})
      return found.map(messageLine)
    }
  },
  {
    name: 'typing',
    only: 'json',
    fields: [
      { key: 'to', label: 'CONTACT', what: 'a contact', kind: 'string', positional: true },
      { key: 'started', label: '', what: 'true or false', kind: 'flag' }
    ],
    output: 'one',
    handler: async ({ messenger }, input) => {
      await messenger.typing(str(input, 'to'), input.started === true)
      return {}
    }
  }
]
