// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The courier's routes to a contact: direct links (its addresses, then circuits through its
 * relays), and the mailboxes at its relays where envelopes may be left.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { circuitAddress } from '../net/node.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { MessengerNode } from '../net/node.js'
import type { ContactRecord } from './records.js'
import type { RelayClients } from './relay-clients.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Where envelopes for a contact may be left: a mailbox at one of its relays, with a token. */
export interface DepositTarget {
  addr: string
  mailboxId: Uint8Array
  token: Uint8Array
  kind: 'contact' | 'introduction'
}

/** The contact's relays: its own tokens for us once it sent them, else its card's introduction tokens. */
export function depositTargets (contact: ContactRecord): DepositTarget[] {
  if (contact.tokens != null) return contact.tokens.map(t => ({ addr: t.addr, mailboxId: t.mailboxId, token: t.token, kind: 'contact' }))
  return contact.relays.map(r => ({ addr: r.addr, mailboxId: r.mailboxId, token: r.introToken, kind: 'introduction' }))
}

/** Every address a contact may be dialled at: its card's, then circuits through its relays. */
export function contactAddresses (contact: ContactRecord): Multiaddr[] {
  const out = new Map<string, Multiaddr>()
  const add = (make: () => Multiaddr): void => {
    try {
      const addr = make()
      out.set(addr.toString(), addr)
    } catch {
      // A malformed address from a peer is skipped.
    }
  }
  for (const a of contact.addrs) add(() => multiaddr(a))
  for (const t of depositTargets(contact)) add(() => circuitAddress(t.addr, contact.peerId))
  return [...out.values()]
}

/** A direct link to a contact: what the courier uses of a {@link MessageLink}. */
export interface DirectLink {
  /** Whether more envelopes may be sent on it. */
  readonly usable: boolean
  /** Resolves once the link is closed. */
  readonly closed: Promise<void>
  /** Sends one envelope; resolves with the recipient's receipt, rejects when the link fails. */
  send(envelope: Uint8Array): Promise<DeliveryResult>
  /** Closes the link; envelopes without a receipt fail. */
  close(): void
}

/** Opens direct links to contacts. */
export interface Dialer {
  /** A link to `contact`, within `timeoutMs`; rejects when it cannot be reached. */
  open(contact: ContactRecord, timeoutMs: number): Promise<DirectLink>
}

/**
 * Dials contacts with libp2p on `/sotto/message/1.0.0`: at their direct addresses from the
 * messenger's node, and through their relays from throwaway identities (see `RelayClients`), so
 * that a contact's relay never sees who reaches the contact.
 */
export function libp2pDialer (node: MessengerNode, clients: Pick<RelayClients, 'openLink'>): Dialer {
  return {
    async open (contact, timeoutMs) {
      const peer = peerIdFromString(contact.peerId)
      const addrs = contactAddresses(contact).filter(a => !a.getComponents().some(c => c.name === 'p2p-circuit'))
      if (addrs.length > 0) await node.peerStore.merge(peer, { multiaddrs: addrs })
      return clients.openLink(peer, depositTargets(contact).map(t => t.addr), timeoutMs)
    }
  }
}
