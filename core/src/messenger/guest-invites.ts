// SPDX-License-Identifier: AGPL-3.0-only
/**
 * "Invite to Sotto", the seller's side of the answer: a contact request whose `inviteTag` matches
 * the open invitation of a guest conversation is the invited guest (docs/PROTOCOL.md, "Invite to
 * Sotto"). The match is made in the inbox's own transaction, so the tag is used once.
 */
import { timingSafeEqual } from 'node:crypto'
import { INVITE_TAG_BYTES } from '../protocol/limits.js'
import { fromBase64url } from '../guest/index.js'
import { encodeGuestConversation, parseGuestConversation } from './guest-records.js'
import type { Transaction } from '../storage/types.js'

/** How long an invitation holds: as long as its one-time short link at the relay. */
export const GUEST_INVITE_TTL_MS = 30 * 86_400_000

/** What the inbox asks of guest invitations. */
export interface GuestInvitations {
  /**
   * Uses the open invitation whose tag is `tag`, in `tx`: the guest conversation is closed, moved
   * to `contactId`. Returns its id, or undefined for a tag that is unknown, used or expired.
   */
  claim(tx: Transaction, tag: Uint8Array, contactId: string, now: number): Promise<string | undefined>
}

/** The invitations kept on guest conversations. */
export const guestInvitations: GuestInvitations = {
  async claim (tx, tag, contactId, now) {
    if (tag.byteLength !== INVITE_TAG_BYTES) return undefined
    let found
    // Every open invitation is compared, in constant time each: a match is not told by when it stops.
    for await (const bytes of tx.values(['guest-conv'])) {
      const c = parseGuestConversation(bytes)
      if (c.invite == null || c.movedTo != null || now - c.invite.at > GUEST_INVITE_TTL_MS) continue
      const open = fromBase64url(c.invite.tag, 'invite tag')
      if (open.byteLength === tag.byteLength && timingSafeEqual(open, tag) && found == null) found = c
    }
    if (found == null) return undefined
    const { invite: _used, ...rest } = found
    tx.put(['guest-conv', found.id], encodeGuestConversation({ ...rest, movedTo: contactId }))
    return found.id
  }
}
