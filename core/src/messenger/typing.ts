// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Typing indicators: live only. One is sealed like any content (the session state it advanced is
 * durable before it leaves) but goes straight to a directly connected contact on a stream of its
 * own, never into the outbox: a stale "typing…" left at a relay would mislead, so when the contact
 * is not directly connected, or the stream fails, it is dropped.
 */
import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { seal } from '../crypto/index.js'
import { MessageLink } from '../net/message-protocol.js'
import { encodeContent, encodeEnvelope } from '../protocol/index.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { Logger } from '../logger.js'
import type { ContactBook } from './contacts.js'
import type { Dialer } from './courier-routes.js'
import type { MessengerNode } from '../net/node.js'
import type { Peers } from './peers.js'
import type { Repositories } from './state.js'

/** Options of typing indicators. */
export interface TypingInit {
  /** How long reaching the contact may take before the indicator is dropped (default 5 s). */
  timeoutMs?: number
}

/** What typing indicators use. */
export interface TypingComponents {
  repos: Pick<Repositories, 'state' | 'currentSettings'>
  identity: LocalIdentity
  contacts: Pick<ContactBook, 'resolve'>
  peers: Pick<Peers, 'presenceOf'>
  dialer: Dialer
  log: Logger
}

/** Sends typing indicators to directly connected contacts. */
export class TypingIndicators {
  private readonly timeoutMs: number

  constructor (private readonly components: TypingComponents, init: TypingInit = {}) {
    this.timeoutMs = init.timeoutMs ?? 5000
  }

  /**
   * Tells `ref` that this user started or stopped typing. Resolves true once the contact stored it;
   * false when it was not sent (typing indicators off, not a contact that may be written to, not
   * directly connected) or did not arrive.
   */
  async send (ref: string, started: boolean): Promise<boolean> {
    const { repos, identity, contacts, peers, dialer, log } = this.components
    const contact = await contacts.resolve(ref)
    if (typeof started !== 'boolean') return false
    if (!(await repos.currentSettings()).typingIndicators) return false
    // Without having heard from them, our card would have to travel with it: a text does that.
    if (contact.status !== 'contact' || contact.blocked || contact.pendingIdentityKey != null || !contact.heardFrom) return false
    if (peers.presenceOf(contact.id) !== 'direct') return false
    const id = randomBytes(16)
    const envelope = await repos.state.change(async tx => {
      const sealed = await seal(tx, identity, contact.id, encodeContent({ id, sentAt: Date.now(), typing: { started } }))
      return encodeEnvelope({ id, sealed })
    })
    try {
      const link = await dialer.open(contact, this.timeoutMs)
      try {
        return (await link.send(envelope)).status === 'STORED'
      } finally {
        link.close()
      }
    } catch (err) {
      log.debug('typing indicator dropped', { error: (err as Error).name })
      return false
    }
  }
}

/** Opens streams to contacts over the connections the node has to them: never through a relay. */
export function directDialer (node: MessengerNode): Dialer {
  return { open: async (contact, timeoutMs) => MessageLink.open(node, peerIdFromString(contact.peerId), timeoutMs) }
}
