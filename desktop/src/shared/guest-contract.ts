// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The guest-link part of the IPC contract (merged into `contract.ts`): a link anyone can write to
 * the user from in a browser, and the guest conversations it brings, kept apart from contacts.
 */
import { z } from 'zod'
import type { MessageView } from './contract.js'

/** A guest link as the renderer shows it. */
export interface GuestLinkView {
  id: string
  label: string
  /** The link to post (it holds the secrets the guest's page needs). */
  link: string
  revoked: boolean
}

/** A conversation with a guest: apart from contacts, with its honest notice. */
export interface GuestConversationView {
  /** `guest-…`: what the guest calls take. */
  id: string
  /** The label of the link it came by. */
  label: string
  blocked: boolean
  unread: number
  lastAt: number
  /** "guest: encrypted, no forward secrecy, the relay sees the guest's IP". */
  notice: string
  /** An invitation to Sotto waits for this guest. */
  invited: boolean
  /** The contact this guest became: the conversation is closed, its messages kept here. */
  movedTo?: string
}

const guestId = z.string().regex(/^guest-[0-9a-f]{32}$/, 'must be a guest conversation id')
const linkId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a guest link id')

/** The request schemas of the guest calls. */
export const guestRequestSchemas = {
  createGuestLink: z.strictObject({
    label: z.string().trim().max(64),
    // Empty: the page of the first home relay that publishes its web address.
    page: z.string().trim().max(2048).regex(/^(https?:\/\/[^\s#]+)?$/, 'must be the web address of a relay\'s guest page')
  }),
  guestLinks: z.undefined(),
  revokeGuestLink: z.strictObject({ id: linkId }),
  guestConversations: z.undefined(),
  guestHistory: z.strictObject({ id: guestId }),
  sendGuest: z.strictObject({ id: guestId, text: z.string().min(1).max(4000) }),
  blockGuest: z.strictObject({ id: guestId }),
  inviteGuest: z.strictObject({ id: guestId })
}

/** The replies of the guest calls. */
export interface GuestReplies {
  createGuestLink: GuestLinkView
  guestLinks: GuestLinkView[]
  revokeGuestLink: GuestLinkView
  guestConversations: GuestConversationView[]
  guestHistory: MessageView[]
  sendGuest: MessageView
  blockGuest: GuestConversationView
  inviteGuest: MessageView
}
