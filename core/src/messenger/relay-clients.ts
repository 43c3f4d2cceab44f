// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Mailbox clients, one per relay (by PeerId), shared by the home relays (owner operations) and the
 * courier (deposits into contacts' mailboxes, and links to contacts through their relays).
 *
 * Only one's own home relays see the messenger's PeerId (a reservation needs it). Everything else
 * done at a relay — deposits, relay-info, circuits to a contact — goes from a dial-only node with
 * a throwaway key, one per relay, made again when it is older than a day (and at every start,
 * since the key is never stored), and closed after a few idle minutes. Otherwise each deposit
 * would tell the contact's relay "this PeerId writes to this mailbox", and over time the relay
 * would learn the contact graph. Such a node takes 5–8 ms to make (the connection it then opens
 * was needed anyway) and about 0.13 MiB of heap, 0.6 MiB of RSS while it lives
 * (docs/ARCHITECTURE.md, Decisions).
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { InvalidInputError, RelayUnreachableError } from '../errors.js'
import { ForwardingClient, createMailboxClient } from '../mailbox/index.js'
import { createEphemeralNode } from '../net/ephemeral-node.js'
import { MessageLink } from '../net/message-protocol.js'
import { circuitAddress } from '../net/node.js'
import type { LoggerFactory } from '../logger.js'
import type { MailboxClient, MailboxNode } from '../mailbox/index.js'
import type { EphemeralNode } from '../net/ephemeral-node.js'
import type { Connection, Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Answers from a relay come within milliseconds; a long wait means it is gone. */
const REQUEST_TIMEOUT_MS = 10_000
/** A throwaway identity is used at one relay for at most this long. */
export const ROTATE_AFTER_MS = 24 * 3_600_000
/** A throwaway node with nothing in flight for this long is closed. */
const IDLE_CLOSE_MS = 5 * 60_000

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

/** Options of {@link RelayClients}; the defaults are for real use, tests shorten them. */
export interface RelayClientsOptions {
  /** A throwaway identity is replaced once it is this old (ms). Default a day. */
  rotateAfterMs?: number
  /** A throwaway node idle this long (ms) is closed. Default 5 minutes. */
  idleCloseMs?: number
  /** The clock. Default `Date.now`. */
  now?: () => number
  /** Makes a throwaway node. Default {@link createEphemeralNode}. */
  createNode?: () => Promise<EphemeralNode>
  /**
   * Called with the remote PeerId (as text) whenever a throwaway node's connection opens or
   * closes: a contact reached through its relay is online, though not to the messenger's node.
   */
  onConnection?: (peer: string) => void
  /**
   * Set when the user hides their IP address: the home relay (its address) to forward deposits
   * through, if one is ready. Then nothing is done at others' relays but deposits, forwarded by
   * a home relay (`/sotto/forward/1.0.0`), and no throwaway node is made.
   */
  forwardVia?: () => string | undefined
}

type Settings = Required<Omit<RelayClientsOptions, 'onConnection' | 'forwardVia'>> & Pick<RelayClientsOptions, 'onConnection' | 'forwardVia'>

/** Mailbox clients by relay PeerId: home relays' over the messenger's node, others anonymous. */
export class RelayClients {
  private readonly home = new Map<string, MailboxClient>()
  private readonly foreign = new Map<string, AnonymousRelay>()
  private readonly forwarded = new Map<string, MailboxClient>()
  private readonly settings: Settings
  private readonly sweeper: NodeJS.Timeout
  private closed = false

  constructor (private readonly node: MailboxNode & Pick<Libp2p, 'dialProtocol'>, private readonly loggers: LoggerFactory, options: RelayClientsOptions = {}) {
    this.settings = {
      rotateAfterMs: options.rotateAfterMs ?? ROTATE_AFTER_MS,
      idleCloseMs: options.idleCloseMs ?? IDLE_CLOSE_MS,
      now: options.now ?? Date.now,
      createNode: options.createNode ?? createEphemeralNode,
      onConnection: options.onConnection,
      forwardVia: options.forwardVia
    }
    this.sweeper = setInterval(() => { this.sweep() }, Math.min(this.settings.idleCloseMs, 60_000))
    this.sweeper.unref()
  }

  /**
   * The client of the relay at `addr`. With `preferred` (a home relay's own loop), the client
   * over the messenger's node, made from `addr` (one relay may be known by several addresses; ours
   * is the one we reach it at). Without, an anonymous client: deposits and relay-info under a
   * throwaway identity, whatever relay it is.
   */
  get (addr: string, preferred = false): MailboxClient {
    if (this.closed) throw new InvalidInputError('the messenger is stopping')
    const peer = relayPeerIdOf(addr)
    if (!preferred && this.settings.forwardVia != null) return this.home.get(peer) ?? this.forwarding(addr, peer)
    if (!preferred) {
      let relay = this.foreign.get(peer)
      if (relay == null) {
        // One of ours is reached at our address for it: the contact's may not work from here.
        relay = new AnonymousRelay(this.home.get(peer)?.relay.toString() ?? addr, this.settings, this.loggers)
        this.foreign.set(peer, relay)
      }
      return relay
    }
    const existing = this.home.get(peer)
    if (existing != null && existing.relay.toString() === multiaddr(addr).toString()) return existing
    if (existing != null) void existing.close().catch(() => {})
    const client = createMailboxClient(this.node, addr, { timeout: REQUEST_TIMEOUT_MS, logger: this.loggers })
    this.home.set(peer, client)
    const foreign = this.foreign.get(peer)
    if (foreign != null && foreign.relay.toString() !== client.relay.toString()) {
      this.foreign.delete(peer)
      void foreign.close()
    }
    return client
  }

  /** A client of another's relay whose deposits a home relay forwards (the IP address hidden). */
  private forwarding (addr: string, peer: string): MailboxClient {
    let client = this.forwarded.get(peer)
    if (client == null) {
      client = new ForwardingClient(this.node, addr, this.settings.forwardVia as () => string | undefined)
      this.forwarded.set(peer, client)
    }
    return client
  }

  /** Whether the user hides their IP address: others' relays are reached only through a home relay. */
  get hidden (): boolean {
    return this.settings.forwardVia != null
  }

  /** True when `peer` (a relay's PeerId, as text) is one of our home relays, or being added as one. */
  isHome (peer: string): boolean {
    return this.home.has(peer)
  }

  /**
   * Opens a message link to a contact: over the messenger's node at the direct addresses it knows
   * for the contact, and at once through each of `relays` from that relay's throwaway node; the first
   * link to open is kept, the others closed. The messenger's node itself never dials a circuit
   * (its connection gater refuses them), so a contact's relay never sees who reaches the contact.
   */
  async openLink (peer: PeerId, relays: string[], timeoutMs: number): Promise<MessageLink> {
    if (this.closed) throw new InvalidInputError('the messenger is stopping')
    const attempts: Array<Promise<MessageLink>> = [MessageLink.open(this.node, peer, timeoutMs)]
    // With the IP address hidden, only a connection the contact opened to us carries a link.
    for (const addr of this.settings.forwardVia != null ? [] : relays) {
      let relay: AnonymousRelay
      try {
        relay = this.get(addr) as AnonymousRelay
      } catch {
        continue
      }
      attempts.push(relay.openLink(peer, circuitAddress(relay.relay.toString(), peer.toString()), timeoutMs))
    }
    let winner: MessageLink
    try {
      winner = await Promise.any(attempts)
    } catch (err) {
      throw (err as AggregateError).errors?.[0] ?? err
    }
    for (const attempt of attempts) void attempt.then(link => { if (link !== winner) link.close() }, () => {})
    return winner
  }

  /** The open connections of the throwaway nodes to `peer` (a contact reached through a relay). */
  connectionsTo (peer: PeerId): Connection[] {
    return [...this.foreign.values()].flatMap(r => r.connectionsTo(peer))
  }

  /** Closes and forgets the clients of a relay. */
  async drop (addr: string): Promise<void> {
    const peer = relayPeerIdOf(addr)
    const client = this.home.get(peer)
    const relay = this.foreign.get(peer)
    this.home.delete(peer)
    this.foreign.delete(peer)
    await Promise.allSettled([client?.close(), relay?.close()])
  }

  /** Closes every client (their streams and subscriptions) and every throwaway node. */
  async close (): Promise<void> {
    this.closed = true
    clearInterval(this.sweeper)
    const all = [...this.home.values(), ...this.foreign.values()]
    this.home.clear()
    this.foreign.clear()
    await Promise.allSettled(all.map(async c => c.close()))
  }

  /** Closes throwaway nodes idle for long enough. */
  private sweep (): void {
    for (const [peer, relay] of this.foreign) {
      if (relay.idleFor() >= this.settings.idleCloseMs) {
        this.foreign.delete(peer)
        void relay.close()
      }
    }
  }
}

/** One throwaway identity at one relay: its node, made on first use, and its mailbox client. */
interface Session {
  node: Promise<EphemeralNode>
  /** The node, once made. */
  ready?: EphemeralNode
  client: MailboxClient
  createdAt: number
  lastUsed: number
  inFlight: number
  retired: boolean
}

/**
 * A mailbox client of one relay that acts under a throwaway identity, replaced when it is older
 * than `rotateAfterMs` and nothing is in flight on it (so deposits pipelined on one stream stay
 * in order), or when it is twice that old whatever is in flight.
 */
class AnonymousRelay implements MailboxClient {
  readonly relay: Multiaddr
  readonly relayPeerId: PeerId
  private session?: Session
  private readonly retiring = new Set<Session>()
  private closed = false

  constructor (private readonly addr: string, private readonly settings: Settings, private readonly loggers: LoggerFactory) {
    this.relay = multiaddr(addr)
    this.relayPeerId = peerIdFromString(relayPeerIdOf(addr))
  }

  /** The open connections of this relay's throwaway nodes to `peer`. */
  connectionsTo (peer: PeerId): Connection[] {
    const nodes = [...this.retiring, ...(this.session != null ? [this.session] : [])].flatMap(s => s.ready != null ? [s.ready] : [])
    return nodes.flatMap(n => n.getConnections(peer)).filter(c => c.status === 'open')
  }

  /** Milliseconds since anything was done here, or 0 while something is in flight. */
  idleFor (): number {
    const s = this.session
    if (s == null) return Number.POSITIVE_INFINITY
    return s.inFlight > 0 ? 0 : this.settings.now() - s.lastUsed
  }

  async create (): Promise<Uint8Array> {
    throw new InvalidInputError('mailboxes are created at one\'s own relays only')
  }

  async registerToken (...args: Parameters<MailboxClient['registerToken']>): Promise<void> {
    return this.run(async c => c.registerToken(...args))
  }

  async revokeToken (...args: Parameters<MailboxClient['revokeToken']>): Promise<void> {
    return this.run(async c => c.revokeToken(...args))
  }

  async deposit (...args: Parameters<MailboxClient['deposit']>): Promise<void> {
    return this.run(async c => c.deposit(...args))
  }

  async read (...args: Parameters<MailboxClient['read']>): ReturnType<MailboxClient['read']> {
    return this.run(async c => c.read(...args))
  }

  async ack (...args: Parameters<MailboxClient['ack']>): Promise<number> {
    return this.run(async c => c.ack(...args))
  }

  async subscribe (...args: Parameters<MailboxClient['subscribe']>): ReturnType<MailboxClient['subscribe']> {
    return this.run(async c => c.subscribe(...args))
  }

  async delete (...args: Parameters<MailboxClient['delete']>): Promise<void> {
    return this.run(async c => c.delete(...args))
  }

  async relayInfo (...args: Parameters<MailboxClient['relayInfo']>): ReturnType<MailboxClient['relayInfo']> {
    return this.run(async c => c.relayInfo(...args))
  }

  /** Opens a message link to `peer` at `circuit` (through this relay) from the throwaway node. */
  async openLink (peer: PeerId, circuit: Multiaddr, timeoutMs: number): Promise<MessageLink> {
    const session = this.current()
    session.inFlight++
    try {
      const link = await MessageLink.open(await session.node, peer, timeoutMs, circuit)
      // The node stays while the link lives.
      void link.closed.finally(() => { this.release(session) })
      return link
    } catch (err) {
      this.release(session)
      throw err
    }
  }

  async close (): Promise<void> {
    this.closed = true
    const all = [...this.retiring, ...(this.session != null ? [this.session] : [])]
    this.session = undefined
    this.retiring.clear()
    await Promise.allSettled(all.map(async s => { await closeSession(s) }))
  }

  private async run<T> (call: (client: MailboxClient) => Promise<T>): Promise<T> {
    const session = this.current()
    session.inFlight++
    try {
      return await call(session.client)
    } finally {
      this.release(session)
    }
  }

  private release (session: Session): void {
    session.inFlight--
    session.lastUsed = this.settings.now()
    if (session.retired && session.inFlight === 0 && this.retiring.delete(session)) void closeSession(session)
  }

  /** The session to use now, made (or replaced) as the rotation requires. */
  private current (): Session {
    // Closed (idle, dropped or stopping) while a caller still held it: the caller asks again.
    if (this.closed) throw new RelayUnreachableError('this relay client was closed')
    const now = this.settings.now()
    const s = this.session
    if (s != null) {
      const age = now - s.createdAt
      const stale = age >= this.settings.rotateAfterMs && (s.inFlight === 0 || age >= 2 * this.settings.rotateAfterMs)
      if (!stale) return s
      s.retired = true
      if (s.inFlight > 0) this.retiring.add(s)
      else void closeSession(s)
    }
    const node = this.settings.createNode()
    const dialer: MailboxNode = { dialProtocol: async (...args) => (await node).dialProtocol(...args) }
    const session: Session = {
      node,
      client: createMailboxClient(dialer, this.addr, { timeout: REQUEST_TIMEOUT_MS, logger: this.loggers }),
      createdAt: now,
      lastUsed: now,
      inFlight: 0,
      retired: false
    }
    void node.then(n => {
      session.ready = n
      const changed = (evt: CustomEvent<Connection>): void => { this.settings.onConnection?.(evt.detail.remotePeer.toString()) }
      n.addEventListener('connection:open', changed)
      n.addEventListener('connection:close', changed)
    }, () => {
      // A node that could not be made is not kept: the next call tries again.
      if (this.session === session) this.session = undefined
    })
    this.session = session
    return session
  }
}

async function closeSession (session: Session): Promise<void> {
  await session.client.close().catch(() => {})
  await session.node.then(async n => { await n.stop() }, () => {})
}
