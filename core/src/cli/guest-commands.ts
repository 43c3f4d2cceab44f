// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The `sotto` guest-link commands (part of the command table, `table.ts`): make a guest link, list
 * and revoke links, list guest conversations, block a guest, invite a guest to Sotto. `send` and `history` take a guest
 * conversation id (`guest-…`) as they take a contact.
 */
import { NotFoundError } from '../errors.js'
import type { GuestConversation, GuestLinkView, Messenger } from '../messenger/index.js'
import type { Command, Field, Input } from './table.js'

const str = (input: Input, key: string): string => input[key] as string
const guest: Field = { key: 'guest', label: 'GUEST', what: 'a guest conversation id', kind: 'string', positional: true }

/** Waits (up to `waitMs`) until a home relay's mailbox is ready: a one-shot command starts cold. */
async function readyRelay (messenger: Messenger, waitMs = 15_000): Promise<void> {
  const deadline = Date.now() + waitMs
  while (!(await messenger.relays()).some(r => r.mailboxReady && r.reachable)) {
    if (Date.now() >= deadline) throw new NotFoundError('a guest link needs a home relay that is reachable now')
    await new Promise<void>(resolve => {
      const done = (): void => { clearTimeout(timer); messenger.off('relay', done); resolve() }
      const timer = setTimeout(done, Math.min(500, Math.max(0, deadline - Date.now())))
      messenger.on('relay', done)
    })
  }
}

function linkLine (l: GuestLinkView): Record<string, unknown> {
  return { id: l.id, label: l.label, link: l.link, maxConversations: l.maxConversations, messagesPerHour: l.messagesPerHour, revoked: l.revoked }
}

function guestLine (c: GuestConversation): Record<string, unknown> {
  return {
    id: c.id, link: c.linkId, label: c.label, blocked: c.blocked, unread: c.unread, lastAt: c.lastAt, guest: true, notice: c.notice,
    invited: c.invited, ...(c.movedTo != null ? { movedTo: c.movedTo } : {})
  }
}

/** The guest-link commands, in the order the usage text lists them. */
export const GUEST_COMMANDS: readonly Command[] = [
  {
    name: 'guest-link',
    fields: [
      { key: 'page', label: 'URL', what: 'the guest page (default: that of the first home relay publishing a web address)', kind: 'string', optional: true },
      { key: 'label', label: 'TEXT', what: 'a label', kind: 'string', optional: true },
      { key: 'conversations', label: 'N', what: 'a number of conversations', kind: 'number', min: 1, optional: true },
      { key: 'per-hour', label: 'N', what: 'a number of messages an hour', kind: 'number', min: 1, optional: true }
    ],
    help: 'a link anyone can write to you from, in a browser; prints {"link"}',
    output: 'one',
    handler: async ({ messenger }, input) => {
      await readyRelay(messenger)
      const view = await messenger.createGuestLink({
        ...(input.page != null ? { page: str(input, 'page') } : {}),
        ...(input.label != null ? { label: str(input, 'label') } : {}),
        ...(input.conversations != null ? { maxConversations: input.conversations as number } : {}),
        ...(input['per-hour'] != null ? { messagesPerHour: input['per-hour'] as number } : {})
      })
      return { link: view.link, id: view.id }
    }
  },
  { name: 'guest-links', fields: [], output: 'lines', handler: async ({ messenger }) => (await messenger.guestLinks()).map(linkLine) },
  {
    name: 'guest-revoke',
    fields: [{ key: 'link', label: 'LINK-ID', what: 'a guest link id', kind: 'string', positional: true }],
    output: 'one',
    handler: async ({ messenger }, input) => linkLine(await messenger.revokeGuestLink(str(input, 'link')))
  },
  { name: 'guests', fields: [], output: 'lines', handler: async ({ messenger }) => (await messenger.guestConversations()).map(guestLine) },
  {
    name: 'guest-block',
    fields: [guest],
    output: 'one',
    handler: async ({ messenger }, input) => guestLine(await messenger.blockGuest(str(input, 'guest')))
  },
  {
    name: 'guest-invite',
    fields: [guest],
    help: 'invites a guest to Sotto: a one-time invite link; whoever adds it becomes a contact at once',
    output: 'one',
    handler: async ({ messenger }, input) => {
      await readyRelay(messenger)
      const sent = await messenger.inviteGuest(str(input, 'guest'))
      return { id: sent.id, guest: sent.contactId, state: sent.state }
    }
  }
]
