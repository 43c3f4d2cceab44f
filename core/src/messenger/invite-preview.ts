// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reading an invite before adding its owner: the name to ask "Add Alice?" with, and the relays
 * the card names (a newcomer may join them). A short link is resolved at its relay from a
 * throwaway node, so that relay — usually another person's — never learns who looked it up.
 */
import { decodeInviteLink, isShortLink, resolveShortLink } from '../links/index.js'
import { createEphemeralNode } from '../net/ephemeral-node.js'

/** How long reading a short link's card at its relay may take. */
const LINK_LOOKUP_TIMEOUT_MS = 15_000

/** What an invite says of its owner, once its signature is checked. */
export interface InvitePreview {
  /** The owner's display name (untrusted text). */
  name: string
  /** The owner's Sotto user id. */
  userId: string
  /** The long invite link the short one stands for (or the link itself). */
  invite: string
  /** The multiaddrs of the owner's relays, each ending in /p2p/<relay PeerId>. */
  relays: string[]
}

/**
 * Reads a short link's card from a throwaway node and returns the long invite link.
 *
 * @throws InviteLinkRevokedError, InviteLinkExpiredError, InvalidInputError (see `resolveShortLink`)
 */
export async function resolveAnonymously (link: string): Promise<string> {
  const node = await createEphemeralNode()
  try {
    return await resolveShortLink(node, link, { signal: AbortSignal.timeout(LINK_LOOKUP_TIMEOUT_MS) })
  } finally {
    await Promise.resolve(node.stop()).catch(() => {})
  }
}

/**
 * Reads an invite (a long link, its QR form, or a short link) without adding anyone: its card is
 * verified as `addContact` would.
 *
 * @throws InvalidInputError, TooLargeError for a malformed link or card; for short links also
 * InviteLinkRevokedError, InviteLinkExpiredError
 */
export async function previewInvite (text: string): Promise<InvitePreview> {
  const invite = isShortLink(text) ? await resolveAnonymously(text) : text.trim()
  const card = decodeInviteLink(invite)
  return { name: card.name, userId: card.userId, invite, relays: card.relays.map(r => r.addr) }
}
