// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Mailbox clients, one per relay (by PeerId), shared by the home relays (owner operations) and the
 * courier (deposits into contacts' mailboxes).
 */
import { multiaddr } from '@multiformats/multiaddr'
import { InvalidInputError } from '../errors.js'
import { createMailboxClient } from '../mailbox/index.js'
import type { LoggerFactory } from '../logger.js'
import type { MailboxClient, MailboxNode } from '../mailbox/index.js'

/** The PeerId (text) at the end of a relay multiaddr; throws InvalidInputError without one. */
export function relayPeerIdOf (addr: string): string {
  let parsed
  try {
    parsed = multiaddr(addr)
  } catch (err) {
    throw new InvalidInputError(`not a multiaddr: ${JSON.stringify(addr)}`, { cause: err })
  }
  const components = parsed.getComponents()
  const last = components.at(-1)
  if (last?.name !== 'p2p' || last.value == null) throw new InvalidInputError('a relay address ends in /p2p/<relay PeerId>')
  if (components.some(c => c.name === 'p2p-circuit')) throw new InvalidInputError('a relay address is not a circuit address')
  return last.value
}

/** Mailbox clients by relay PeerId. */
export class RelayClients {
  private readonly clients = new Map<string, MailboxClient>()
  private closed = false

  constructor (private readonly node: MailboxNode, private readonly loggers: LoggerFactory) {}

  /**
   * The client of the relay at `addr`. One relay may be known by several addresses (a contact
   * sees it from another network than we do): the client of a relay is made from the first
   * address asked for, or from `addr` when `preferred` (our own address for a home relay).
   */
  get (addr: string, preferred = false): MailboxClient {
    if (this.closed) throw new InvalidInputError('the messenger is stopping')
    const peer = relayPeerIdOf(addr)
    const existing = this.clients.get(peer)
    if (existing != null && (!preferred || existing.relay.toString() === multiaddr(addr).toString())) return existing
    if (existing != null) void existing.close().catch(() => {})
    // Answers from a relay come within milliseconds; a long wait means it is gone.
    const client = createMailboxClient(this.node, addr, { timeout: 10_000, logger: this.loggers })
    this.clients.set(peer, client)
    return client
  }

  /** Closes and forgets the client of a relay. */
  async drop (addr: string): Promise<void> {
    const peer = relayPeerIdOf(addr)
    const client = this.clients.get(peer)
    this.clients.delete(peer)
    await client?.close().catch(() => {})
  }

  /** Closes every client (their streams and subscriptions). */
  async close (): Promise<void> {
    this.closed = true
    const all = [...this.clients.values()]
    this.clients.clear()
    await Promise.allSettled(all.map(async c => c.close()))
  }
}
