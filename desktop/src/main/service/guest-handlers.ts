// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about guest links: making one, the guest conversations (apart from contacts), their
 * messages, replying, blocking a guest, inviting a guest to Sotto.
 */
import { messageView } from '../views.js'
import type { GuestConversationView, GuestLinkView } from '../../shared/guest-contract.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { GuestConversation, GuestLinkView as CoreLinkView } from '@sotto/core'

/** What the renderer sees of a guest conversation: its fields, one by one. */
function guestView (c: GuestConversation): GuestConversationView {
  return { id: c.id, label: c.label, blocked: c.blocked, unread: c.unread, lastAt: c.lastAt, notice: c.notice, invited: c.invited, ...(c.movedTo != null ? { movedTo: c.movedTo } : {}) }
}

function linkView (l: CoreLinkView): GuestLinkView {
  return { id: l.id, label: l.label, link: l.link, revoked: l.revoked }
}

/** The handlers of the guest calls. */
export function guestHandlers ({ messenger }: MessengerComponents): HandlerGroup<'createGuestLink' | 'guestLinks' | 'revokeGuestLink' | 'guestConversations' | 'guestHistory' | 'sendGuest' | 'blockGuest' | 'inviteGuest'> {
  return {
    createGuestLink: async ({ label, page }) => linkView(await messenger().createGuestLink({ label, ...(page !== '' ? { page } : {}) })),
    guestLinks: async () => (await messenger().guestLinks()).map(linkView),
    revokeGuestLink: async ({ id }) => linkView(await messenger().revokeGuestLink(id)),
    guestConversations: async () => (await messenger().guestConversations()).map(guestView),
    guestHistory: async ({ id }) => {
      const history = (await messenger().history(id)).map(messageView)
      await messenger().markRead(id)
      return history
    },
    sendGuest: async ({ id, text }) => messageView(await messenger().send(id, text)),
    blockGuest: async ({ id }) => guestView(await messenger().blockGuest(id)),
    inviteGuest: async ({ id }) => messageView(await messenger().inviteGuest(id))
  }
}
