// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Home relays: the relays this messenger chose. For each, one loop keeps a session (see
 * relay-session.ts): connected, relay-info fetched, a circuit relay reservation held (so contacts
 * can reach us through it), the mailbox created with its introduction token, contact tokens
 * registered and revoked, and the mailbox subscribed and drained. Envelopes go to the inbox and are
 * acknowledged at the relay only once what they carried is durable here.
 */
import { privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  ExcludedJurisdictionError, InvalidInputError, JoinCodeRequiredError, NotFoundError, QuotaExceededError,
  RateLimitedError, RelayUnreachableError
} from '../errors.js'
import { generateDepositToken, generateMailboxKey, mailboxIdOf } from '../mailbox/index.js'
import { isCircuitThrough, listenOn } from '../net/node.js'
import { MAX_CARD_RELAYS } from '../protocol/index.js'
import { dialTwice, sleep, systemClock } from '../util/index.js'
import { Mutex } from './lock.js'
import { keys } from './records.js'
import { relayPeerIdOf } from './relay-clients.js'
import { RelayLoop } from './relay-session.js'
import { replaceTokens } from './token-rotation.js'
import { issueTokens } from './tokens.js'
import type { LoggerFactory, Logger } from '../logger.js'
import type { MailboxClient, RelayInfo } from '../mailbox/index.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { MessengerNode } from '../net/node.js'
import type { Clock } from '../util/index.js'
import type { Events } from './context.js'
import type { ProfileRecord, RelayRecord } from './records.js'
import type { RelaySessionComponents } from './relay-session.js'
import type { Repositories } from './state.js'
import type { RelayView } from './types.js'
import type { Connection, PrivateKey } from '@libp2p/interface'

/** Options of the home relays; every one has a default. */
export interface HomeRelaysInit {
  /**
   * Most envelopes read from a mailbox at once (default 250). A session's first read asks for
   * {@link firstReadPage} (default 32); pages grow and shrink as an adaptive window, down to
   * {@link minReadPage} (default 4): a page the connection broke under is read again, whole, by
   * the next session.
   */
  readPage?: number
  /** See {@link readPage}. */
  firstReadPage?: number
  /** See {@link readPage}. */
  minReadPage?: number
  /** How long to wait for a relay to be dialled and to answer (default 10 s). */
  dialTimeoutMs?: number
  /** How long `remove` waits for the mailbox to be drained and deleted before going on in the background (default 10 s). */
  leaveWaitMs?: number
  /** Longest wait for a circuit relay reservation to be made (default 15 s). */
  reserveTimeoutMs?: number
  /** How often a session checks that it still holds its reservation (default 60 s). */
  reserveCheckMs?: number
  /** A mailbox job (a page read and stored, or a push) running longer than this is logged (default 120 s). */
  slowJobMs?: number
  /** First wait before reconnecting to a relay (default 1 s; doubling, with jitter). */
  reconnectMinMs?: number
  /** Longest wait before reconnecting; a session that lasted longer starts the wait afresh (default 30 s). */
  reconnectMaxMs?: number
  /** Longest wait between attempts to leave a relay (default 10 min). */
  leaveRetryMaxMs?: number
}

const DEFAULTS: Required<HomeRelaysInit> = {
  readPage: 250,
  firstReadPage: 32,
  minReadPage: 4,
  dialTimeoutMs: 10_000,
  leaveWaitMs: 10_000,
  reserveTimeoutMs: 15_000,
  reserveCheckMs: 60_000,
  slowJobMs: 120_000,
  reconnectMinMs: 1_000,
  reconnectMaxMs: 30_000,
  leaveRetryMaxMs: 600_000
}

/** Circuit relay reservations: what the home relays use of libp2p for them. */
export interface Reserver {
  /** Asks the relay at `addr` for a reservation; resolves once held. */
  reserve(addr: string): Promise<void>
  /** Whether a reservation at the relay with this PeerId is held (our addresses show a circuit through it). */
  reserved(relayPeerId: string): boolean
}

/** Reservations through libp2p's transport manager. */
export function libp2pReserver (node: MessengerNode): Reserver {
  return {
    reserve: async addr => listenOn(node, [multiaddr(`${addr}/p2p-circuit`)]),
    reserved: peer => node.getMultiaddrs().some(a => isCircuitThrough(a, peer))
  }
}

/** What the home relays use. */
export interface HomeRelaysComponents {
  repos: Pick<Repositories, 'state' | 'relays' | 'contacts' | 'profile' | 'currentSettings'>
  /** The profile, whose relay list the home relays keep. */
  profile: ProfileRecord
  node: Pick<MessengerNode, 'peerId' | 'dial' | 'hangUp' | 'addEventListener' | 'removeEventListener'>
  reserver: Reserver
  /** Mailbox clients of the relays (ours are asked for with `preferred`). */
  clients: { get(addr: string, preferred?: boolean): MailboxClient, drop(addr: string): Promise<void>, close(): Promise<void> }
  events: Events
  loggers: LoggerFactory
  /** Opens and stores one envelope from a mailbox; resolves once the result is durable. */
  inbox: { receive(envelope: Uint8Array, route: 'relay'): Promise<DeliveryResult> }
  /** Sends a Tokens message to every contact whose list of tokens changed. */
  tokens: { announce(): Promise<void> }
  /** Queues the delivery receipts of texts that came through relays. */
  receipts: { flush(): void }
  /** A relay is reachable again: what waits in the outbox may go now. */
  courier: { kickAll(): Promise<void> }
  /** Default: the system clock. */
  clock?: Clock
}

/** Makes the home relays (start them with {@link HomeRelays.start}). */
export function createHomeRelays (components: HomeRelaysComponents, init: HomeRelaysInit = {}): HomeRelays {
  return new HomeRelays(components, init)
}

/** The home relays of one messenger. */
export class HomeRelays {
  private readonly loops = new Map<string, RelayLoop>()
  /** Adding and removing relays, one at a time (they talk to relays, so not under the state lock). */
  private readonly changes = new Mutex()
  /**
   * Reservations, one at a time across relays. libp2p's reservation store drops the reservations
   * queued behind one that completes or is removed while it needs no more discovered relays
   * (`#checkReservationCount` clears its queue), and a dropped one never settles: a second
   * reservation made concurrently would hang.
   */
  private readonly reservations = new Mutex()
  private stopped = false
  private readonly onAddressesChanged = (): void => {
    for (const loop of this.loops.values()) loop.addressesChanged()
  }

  /** A connection to a relay opened (perhaps by a deposit): a loop waiting to retry may go now. */
  private readonly onConnectionOpen = (evt: CustomEvent<Connection>): void => {
    const peer = evt.detail.remotePeer.toString()
    for (const loop of this.loops.values()) if (loop.peerId === peer) loop.poke()
  }

  private readonly components: RelaySessionComponents
  private readonly log: Logger

  constructor (components: HomeRelaysComponents, init: HomeRelaysInit = {}) {
    this.components = { ...components, clock: components.clock ?? systemClock, options: { ...DEFAULTS, ...init }, reservations: this.reservations }
    this.log = components.loggers.forComponent('core:messenger')
  }

  /** Starts a loop for every relay in the store (home relays, and those being left). */
  async start (): Promise<void> {
    const known = new Set<string>()
    for await (const record of this.components.repos.relays.values(keys.relays())) {
      if (record.leaving !== true) known.add(record.addr)
      this.launch(record)
    }
    // A relay named in the profile without a mailbox record was never set up: it is not ours.
    this.components.profile.relays = this.components.profile.relays.filter(a => known.has(a))
    this.components.node.addEventListener('self:peer:update', this.onAddressesChanged)
    this.components.node.addEventListener('connection:open', this.onConnectionOpen)
  }

  /** Stops every loop and closes the relay clients. */
  async stop (): Promise<void> {
    this.stopped = true
    this.components.node.removeEventListener('self:peer:update', this.onAddressesChanged)
    this.components.node.removeEventListener('connection:open', this.onConnectionOpen)
    const loops = [...this.loops.values()]
    for (const loop of loops) loop.halt()
    // Closing the clients ends requests in flight at once; the loops then finish their inbox work.
    await this.components.clients.close()
    await Promise.allSettled(loops.map(async l => l.stop()))
  }

  /** The home relays with their state, in order of preference. */
  async list (): Promise<RelayView[]> {
    const views: RelayView[] = []
    for (const addr of this.components.profile.relays) {
      const record = await this.components.repos.relays.get(addr)
      if (record != null) views.push(this.view(record))
    }
    return views
  }

  /** The home relays whose mailbox is ready, for invite cards. */
  async ready (): Promise<RelayRecord[]> {
    const out: RelayRecord[] = []
    for (const addr of this.components.profile.relays) {
      const record = await this.components.repos.relays.get(addr)
      if (record?.ready === true) out.push(record)
    }
    return out
  }

  /** See {@link Messenger.addRelay}. */
  async add (addr: string, join?: (mailboxKey: PrivateKey) => Promise<void>): Promise<RelayView> {
    if (typeof addr !== 'string' || addr.trim() === '') throw new InvalidInputError('name a relay by its multiaddr, ending in /p2p/<PeerId>')
    const peerId = relayPeerIdOf(addr.trim())
    const canonical = multiaddr(addr.trim()).toString()
    if (peerId === this.components.node.peerId.toString()) throw new InvalidInputError('a messenger cannot be its own relay')
    return this.changes.run(async () => {
      const known = this.components.profile.relays.find(a => relayPeerIdOf(a) === peerId)
      if (known != null) {
        const record = await this.components.repos.relays.get(known)
        if (record != null) return this.view(record)
      }
      if (this.components.profile.relays.length >= MAX_CARD_RELAYS) throw new InvalidInputError(`at most ${MAX_CARD_RELAYS} relays`)
      const client = this.components.clients.get(canonical, true)
      let info: RelayInfo
      try {
        const signal = AbortSignal.timeout(this.components.options.dialTimeoutMs)
        await dialTwice(async () => this.components.node.dial(multiaddr(canonical), { signal }), signal)
        info = await client.relayInfo({ signal: AbortSignal.timeout(this.components.options.dialTimeoutMs) })
      } catch (err) {
        await this.components.clients.drop(canonical)
        throw new RelayUnreachableError(`could not reach a Sotto relay at ${canonical}: ${(err as Error).message}`, { cause: err })
      }
      if (info.inviteOnly === true && join == null) {
        await this.components.clients.drop(canonical)
        throw new JoinCodeRequiredError('this relay admits new users with a join code from its operator only')
      }
      const settings = await this.components.repos.currentSettings()
      if (settings.excludedJurisdictions.includes(info.jurisdiction)) {
        await this.components.clients.drop(canonical)
        await this.components.node.hangUp(peerIdFromString(peerId)).catch(() => {})
        throw new ExcludedJurisdictionError(`the relay is in ${info.jurisdiction}, a jurisdiction you excluded`, info.jurisdiction)
      }
      // A relay being left and added again keeps its mailbox: contacts may still have mail there.
      const leaving = [...this.loops.values()].find(l => l.peerId === peerId)
      await leaving?.stop()
      const old = await this.components.repos.relays.get(canonical)
      const revived = old?.leaving === true ? old : undefined
      const key = revived != null ? privateKeyFromProtobuf(revived.mailboxKey) : await generateMailboxKey()
      const introToken = revived?.introToken ?? generateDepositToken()
      try {
        await join?.(key)
        await client.create(key)
        await client.registerToken(key, introToken, 'introduction')
      } catch (err) {
        if (err instanceof QuotaExceededError || err instanceof RateLimitedError || err instanceof JoinCodeRequiredError) throw err
        throw new RelayUnreachableError(`the relay at ${canonical} did not create a mailbox: ${(err as Error).message}`, { cause: err })
      }
      const record: RelayRecord = {
        addr: canonical,
        peerId,
        mailboxKey: privateKeyToProtobuf(key),
        mailboxId: mailboxIdOf(key),
        introToken,
        ready: true,
        revoke: revived?.revoke ?? [],
        info,
        addedAt: this.components.clock.now()
      }
      const { repos } = this.components
      await repos.state.change(async tx => {
        repos.relays.put(tx, record)
        this.components.profile.relays = [...this.components.profile.relays.filter(a => a !== canonical), canonical]
        repos.profile.put(tx, this.components.profile)
        const others = this.components.profile.relays.filter(a => a !== canonical)
        for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
          // Their list changes anyway: the tokens at the other relays are replaced with it.
          const replaced = replaceTokens(c, others, record.addedAt)
          if (issueTokens(c, [canonical], record.addedAt) || replaced > 0) repos.contacts.put(tx, c)
        }
      })
      this.log.info('relay added', { relay: canonical, jurisdiction: info.jurisdiction })
      this.launch(record)
      // The replacements at the other relays are registered there, then announced.
      void this.sync(this.components.options.dialTimeoutMs)
      return this.view(record)
    })
  }

  /** See {@link Messenger.removeRelay}. */
  async remove (addr: string): Promise<void> {
    if (typeof addr !== 'string' || addr.trim() === '') throw new InvalidInputError('name a relay by its multiaddr')
    const peerId = relayPeerIdOf(addr.trim())
    const leaving = await this.changes.run(async () => {
      const target = this.components.profile.relays.find(a => relayPeerIdOf(a) === peerId)
      if (target == null) throw new NotFoundError(`${addr} is not one of your relays`)
      const { repos } = this.components
      const record = await repos.state.change(async tx => {
        const record = await repos.relays.get(target, tx)
        this.components.profile.relays = this.components.profile.relays.filter(a => a !== target)
        repos.profile.put(tx, this.components.profile)
        for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
          if (c.issued?.some(t => t.relay === target) !== true) continue
          // Revoked before the mailbox is drained for the last time, so that nothing deposited
          // after that last read is deleted with the mailbox: later deposits are refused instead.
          for (const t of c.issued) if (t.relay === target && t.registered) record?.revoke.push(t.token)
          c.issued = c.issued.filter(t => t.relay !== target)
          replaceTokens(c, this.components.profile.relays, this.components.clock.now())
          // Their list shrank: tell them, so they stop depositing there.
          c.tokensDirty = true
          repos.contacts.put(tx, c)
        }
        if (record != null) {
          record.leaving = true
          repos.relays.put(tx, record)
        }
        return record
      })
      await this.loops.get(target)?.stop()
      this.loops.delete(target)
      this.log.info('relay removed', { relay: target })
      return record != null ? this.launch(record) : undefined
    })
    await this.components.tokens.announce()
    // The replacements at the remaining relays are registered there, then announced.
    void this.sync(this.components.options.dialTimeoutMs)
    if (leaving != null) await Promise.race([leaving.finished, sleep(this.components.clock, this.components.options.leaveWaitMs)])
  }

  /**
   * Registers and revokes tokens at every reachable home relay now, waiting at most `timeoutMs`
   * (what is left is done when each relay is next reached).
   */
  async sync (timeoutMs: number): Promise<void> {
    const running = [...this.loops.values()].map(async l => l.syncTokens().catch(err => {
      this.log.debug('token sync failed', { error: (err as Error).name })
    }))
    let wake!: () => void
    await Promise.race([
      Promise.all(running),
      sleep(this.components.clock, timeoutMs, w => { wake = w })
    ])
    wake()
  }

  private launch (record: RelayRecord): RelayLoop | undefined {
    if (this.stopped) return undefined
    const loop = new RelayLoop(this.components, record.addr, record.peerId, record.leaving === true, () => {
      if (this.loops.get(record.addr) === loop) this.loops.delete(record.addr)
    })
    this.loops.set(record.addr, loop)
    loop.start()
    return loop
  }

  private view (record: RelayRecord): RelayView {
    const loop = this.loops.get(record.addr)
    return {
      addr: record.addr,
      peerId: record.peerId,
      ...(record.info != null ? { info: record.info } : {}),
      reachable: loop?.reachable ?? false,
      reserved: this.components.reserver.reserved(record.peerId),
      mailboxReady: record.ready
    }
  }

}
