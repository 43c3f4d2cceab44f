// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The guest-link calls of a `Messenger`: links a browser guest writes from, the guests'
 * conversations (apart from contacts), inviting a guest to Sotto, and blocking one.
 */
import type { GuestConversation, GuestLinkView } from './guest-records.js'
import type { GuestLinkOptions } from './guests.js'
import type { Message } from './types.js'

/** The guest-link part of `Messenger`. */
export interface GuestCalls {
  /** Makes a guest link: a page at a home relay anyone can write to this messenger from, in a browser. */
  createGuestLink(options: GuestLinkOptions): Promise<GuestLinkView>
  /** Every guest link, revoked ones included. */
  guestLinks(): Promise<GuestLinkView[]>
  /** Revokes a guest link (its id): later messages by it are refused, at the relay and here. */
  revokeGuestLink(id: string): Promise<GuestLinkView>
  /** Conversations with guests, apart from contacts, newest first; `send` and `history` take their ids. */
  guestConversations(): Promise<GuestConversation[]>
  /**
   * "Invite to Sotto": sends the guest the user's invite link with a one-time tag (valid 30 days);
   * whoever adds it becomes a contact without an accept step, and the guest conversation closes,
   * moved to that contact (its `fromGuest`). Returns the reply sent.
   */
  inviteGuest(id: string): Promise<Message>
  /** Blocks (or, with `false`, unblocks) a guest. */
  blockGuest(id: string, blocked?: boolean): Promise<GuestConversation>
}
