// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Home relays: the relays this messenger chose. For each, one loop keeps a session: connected,
 * relay-info fetched, a circuit relay reservation held (so contacts can reach us through it), the
 * mailbox created with its introduction token, contact tokens registered and revoked, and the
 * mailbox subscribed and drained. Envelopes go to the inbox and are acknowledged at the relay only
 * once what they carried is durable here.
 */
import { privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  ExcludedJurisdictionError, InvalidInputError, NotFoundError, QuotaExceededError, RateLimitedError,
  RelayUnreachableError, UnauthorizedError
} from '../errors.js'
import { generateDepositToken, generateMailboxKey, mailboxIdOf } from '../mailbox/index.js'
import { isCircuitThrough, listenOn } from '../net/node.js'
import { MAX_CARD_RELAYS } from '../protocol/index.js'
import { Mutex } from './lock.js'
import { AdaptiveWindow } from './window.js'
import { keys } from './records.js'
import { relayPeerIdOf } from './relay-clients.js'
import { eligibleForTokens, issueTokens } from './tokens.js'
import { Backoff, RunAgain, equalBytes, sleep, systemClock } from '../util/index.js'
import type { Context } from './context.js'
import type { MailboxClient, MailboxEnvelope, MailboxSubscription, RelayInfo } from '../mailbox/index.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { RelayRecord } from './records.js'
import type { RelayView } from './types.js'
import type { Connection, PrivateKey } from '@libp2p/interface'

/** What the home relays need from the rest of the messenger. */
export interface HomeRelayHooks {
  /** Opens and stores one envelope from a mailbox; resolves once the result is durable. */
  receive(envelope: Uint8Array): Promise<DeliveryResult>
  /** Sends a Tokens message to every contact whose list of tokens changed. */
  announceTokens(): Promise<void>
  /** Queues the delivery receipts of texts that came through relays. */
  flushReceipts(): void
  /** A relay is reachable again: what waits in the outbox may go now. */
  relayReachable(): void
}

/**
 * Most envelopes read from a mailbox at once. The loop's first read asks for
 * {@link FIRST_READ_PAGE}; pages grow and shrink as an {@link AdaptiveWindow}: a page the
 * connection broke under is read again, whole, by the next session.
 */
const READ_PAGE = 250
const FIRST_READ_PAGE = 32
const MIN_READ_PAGE = 4
/** How long to wait for a relay to be reached and to answer, when adding one. */
const ADD_TIMEOUT_MS = 10_000
/** How long `removeRelay` waits for the mailbox to be drained and deleted before going on in the background. */
const LEAVE_WAIT_MS = 10_000
/** Longest wait for a circuit relay reservation to be made. */
const RESERVE_TIMEOUT_MS = 15_000
/** How often a session checks that it still holds its reservation. */
const RESERVE_CHECK_MS = 60_000
/** A mailbox job (a page read and stored, or a push) running longer than this is logged. */
const SLOW_JOB_MS = 120_000

/** Whether the relay's answer means the mailbox is gone (the relay lost it, or never had it). */
function mailboxGone (err: unknown): boolean {
  return err instanceof UnauthorizedError
}

/**
 * Whether a mailbox envelope may be acknowledged (deleted at the relay) after this result: it is
 * stored, was stored before, or will never be accepted. An envelope refused only because its
 * sender's identity key changed stays, to be read again once the user accepted the change.
 */
function acknowledgeable (result: DeliveryResult): boolean {
  return result.status !== 'REJECTED' || result.reason !== 'identity'
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

  constructor (private readonly ctx: Context, private readonly hooks: HomeRelayHooks) {}

  /** Starts a loop for every relay in the store (home relays, and those being left). */
  async start (): Promise<void> {
    const known = new Set<string>()
    for await (const record of this.ctx.repos.relays.values(keys.relays())) {
      if (record.leaving !== true) known.add(record.addr)
      this.launch(record)
    }
    // A relay named in the profile without a mailbox record was never set up: it is not ours.
    this.ctx.profile.relays = this.ctx.profile.relays.filter(a => known.has(a))
    this.ctx.node.addEventListener('self:peer:update', this.onAddressesChanged)
    this.ctx.node.addEventListener('connection:open', this.onConnectionOpen)
  }

  /** Stops every loop and closes the relay clients. */
  async stop (): Promise<void> {
    this.stopped = true
    this.ctx.node.removeEventListener('self:peer:update', this.onAddressesChanged)
    this.ctx.node.removeEventListener('connection:open', this.onConnectionOpen)
    const loops = [...this.loops.values()]
    for (const loop of loops) loop.halt()
    // Closing the clients ends requests in flight at once; the loops then finish their inbox work.
    await this.ctx.clients.close()
    await Promise.allSettled(loops.map(async l => l.stop()))
  }

  /** The home relays with their state, in order of preference. */
  async list (): Promise<RelayView[]> {
    const views: RelayView[] = []
    for (const addr of this.ctx.profile.relays) {
      const record = await this.ctx.repos.relays.get(addr)
      if (record != null) views.push(this.view(record))
    }
    return views
  }

  /** The home relays whose mailbox is ready, for invite cards. */
  async ready (): Promise<RelayRecord[]> {
    const out: RelayRecord[] = []
    for (const addr of this.ctx.profile.relays) {
      const record = await this.ctx.repos.relays.get(addr)
      if (record?.ready === true) out.push(record)
    }
    return out
  }

  /** See {@link Messenger.addRelay}. */
  async add (addr: string): Promise<RelayView> {
    if (typeof addr !== 'string' || addr.trim() === '') throw new InvalidInputError('name a relay by its multiaddr, ending in /p2p/<PeerId>')
    const peerId = relayPeerIdOf(addr.trim())
    const canonical = multiaddr(addr.trim()).toString()
    if (peerId === this.ctx.node.peerId.toString()) throw new InvalidInputError('a messenger cannot be its own relay')
    return this.changes.run(async () => {
      const known = this.ctx.profile.relays.find(a => relayPeerIdOf(a) === peerId)
      if (known != null) {
        const record = await this.ctx.repos.relays.get(known)
        if (record != null) return this.view(record)
      }
      if (this.ctx.profile.relays.length >= MAX_CARD_RELAYS) throw new InvalidInputError(`at most ${MAX_CARD_RELAYS} relays`)
      const client = this.ctx.clients.get(canonical, true)
      let info: RelayInfo
      try {
        await this.ctx.node.dial(multiaddr(canonical), { signal: AbortSignal.timeout(ADD_TIMEOUT_MS) })
        info = await client.relayInfo({ signal: AbortSignal.timeout(ADD_TIMEOUT_MS) })
      } catch (err) {
        await this.ctx.clients.drop(canonical)
        throw new RelayUnreachableError(`could not reach a Sotto relay at ${canonical}: ${(err as Error).message}`, { cause: err })
      }
      const settings = await this.ctx.repos.currentSettings()
      if (settings.excludedJurisdictions.includes(info.jurisdiction)) {
        await this.ctx.clients.drop(canonical)
        await this.ctx.node.hangUp(peerIdFromString(peerId)).catch(() => {})
        throw new ExcludedJurisdictionError(`the relay is in ${info.jurisdiction}, a jurisdiction you excluded`, info.jurisdiction)
      }
      // A relay being left and added again keeps its mailbox: contacts may still have mail there.
      const leaving = [...this.loops.values()].find(l => l.peerId === peerId)
      await leaving?.stop()
      const old = await this.ctx.repos.relays.get(canonical)
      const revived = old?.leaving === true ? old : undefined
      const key = revived != null ? privateKeyFromProtobuf(revived.mailboxKey) : await generateMailboxKey()
      const introToken = revived?.introToken ?? generateDepositToken()
      try {
        await client.create(key)
        await client.registerToken(key, introToken, 'introduction')
      } catch (err) {
        if (err instanceof QuotaExceededError || err instanceof RateLimitedError) throw err
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
        addedAt: Date.now()
      }
      const { repos } = this.ctx
      await repos.state.change(async tx => {
        repos.relays.put(tx, record)
        this.ctx.profile.relays = [...this.ctx.profile.relays.filter(a => a !== canonical), canonical]
        repos.profile.put(tx, this.ctx.profile)
        for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
          if (issueTokens(c, [canonical])) repos.contacts.put(tx, c)
        }
      })
      this.ctx.log.info('relay added', { relay: canonical, jurisdiction: info.jurisdiction })
      this.launch(record)
      return this.view(record)
    })
  }

  /** See {@link Messenger.removeRelay}. */
  async remove (addr: string): Promise<void> {
    if (typeof addr !== 'string' || addr.trim() === '') throw new InvalidInputError('name a relay by its multiaddr')
    const peerId = relayPeerIdOf(addr.trim())
    const leaving = await this.changes.run(async () => {
      const target = this.ctx.profile.relays.find(a => relayPeerIdOf(a) === peerId)
      if (target == null) throw new NotFoundError(`${addr} is not one of your relays`)
      const { repos } = this.ctx
      const record = await repos.state.change(async tx => {
        const record = await repos.relays.get(target, tx)
        this.ctx.profile.relays = this.ctx.profile.relays.filter(a => a !== target)
        repos.profile.put(tx, this.ctx.profile)
        for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
          if (c.issued?.some(t => t.relay === target) !== true) continue
          // Revoked before the mailbox is drained for the last time, so that nothing deposited
          // after that last read is deleted with the mailbox: later deposits are refused instead.
          for (const t of c.issued) if (t.relay === target && t.registered) record?.revoke.push(t.token)
          c.issued = c.issued.filter(t => t.relay !== target)
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
      this.ctx.log.info('relay removed', { relay: target })
      return record != null ? this.launch(record) : undefined
    })
    await this.hooks.announceTokens()
    if (leaving != null) await Promise.race([leaving.finished, sleep(systemClock, LEAVE_WAIT_MS)])
  }

  /**
   * Registers and revokes tokens at every reachable home relay now, waiting at most `timeoutMs`
   * (what is left is done when each relay is next reached).
   */
  async sync (timeoutMs: number): Promise<void> {
    const running = [...this.loops.values()].map(async l => l.syncTokens().catch(err => {
      this.ctx.log.debug('token sync failed', { error: (err as Error).name })
    }))
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(running),
      new Promise<void>(resolve => { timer = setTimeout(resolve, timeoutMs) })
    ])
    clearTimeout(timer)
  }

  private launch (record: RelayRecord): RelayLoop | undefined {
    if (this.stopped) return undefined
    const loop = new RelayLoop(this.ctx, record.addr, record.peerId, this.hooks, this.reservations, record.leaving === true, () => {
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
      reserved: this.ctx.node.getMultiaddrs().some(a => isCircuitThrough(a, record.peerId)),
      mailboxReady: record.ready
    }
  }

}

/**
 * One relay's loop. As a home relay: keep a session (see the module comment), reconnecting with
 * backoff. As a relay being left: fetch what waits in the mailbox, delete it, forget the relay.
 */
class RelayLoop {
  reachable = false
  readonly finished: Promise<void>
  private resolveFinished!: () => void
  private stopped = false
  private wake?: () => void
  private running?: Promise<void>
  private subscription?: { close(): Promise<void> }
  private reserving?: Promise<void>
  private jobs: Promise<void> = Promise.resolve()
  private drainQueued = false
  private highWater = 0
  private readonly readPage = new AdaptiveWindow({ initial: FIRST_READ_PAGE, min: MIN_READ_PAGE, max: READ_PAGE })
  private readonly syncs = new RunAgain(async () => this.syncOnce(), { stopped: () => this.stopped })
  private lastState = ''
  private readonly log

  constructor (
    private readonly ctx: Context,
    readonly addr: string,
    readonly peerId: string,
    private readonly hooks: HomeRelayHooks,
    private readonly reservations: Mutex,
    private readonly leaving: boolean,
    private readonly onFinished: () => void
  ) {
    this.log = ctx.loggers.forComponent('core:relay')
    this.finished = new Promise(resolve => { this.resolveFinished = resolve })
  }

  start (): void {
    this.running = (this.leaving ? this.runLeaving() : this.runHome())
      .catch(err => { this.log.warn('relay loop failed', { relay: this.addr, error: (err as Error).name }) })
      .finally(() => {
        this.onFinished()
        this.resolveFinished()
      })
  }

  /** Retries now if the loop is waiting to reconnect. */
  poke (): void {
    if (!this.reachable) this.wake?.()
  }

  /** Tells the loop to stop, without waiting. */
  halt (): void {
    this.stopped = true
    this.wake?.()
  }

  async stop (): Promise<void> {
    this.halt()
    await this.subscription?.close().catch(() => {})
    await this.running
    // A reservation still being made when the node stops would leave libp2p's refresh timer
    // behind (it is set after the reservation store was cleared): let it finish first.
    await this.reserving
  }

  /** Our addresses changed: perhaps the reservation came or went. */
  addressesChanged (): void {
    if (this.stopped || this.leaving) return
    if (this.reachable && this.reserving == null && !this.reserved()) void this.ensureReservation()
    void this.announceState()
  }

  /** Registers pending tokens and revokes revoked ones at the relay, then tells contacts. */
  async syncTokens (): Promise<void> {
    if (this.leaving || this.stopped || !this.reachable) return
    return this.syncs.run()
  }

  private reserved (): boolean {
    return this.ctx.node.getMultiaddrs().some(a => isCircuitThrough(a, this.peerId))
  }

  private client (): MailboxClient {
    return this.ctx.clients.get(this.addr, true)
  }

  private async record (): Promise<RelayRecord | undefined> {
    return this.ctx.repos.relays.get(this.addr)
  }

  private async key (): Promise<{ record: RelayRecord, key: PrivateKey } | undefined> {
    const record = await this.record()
    if (record == null) return undefined
    return { record, key: privateKeyFromProtobuf(record.mailboxKey) }
  }

  private async runHome (): Promise<void> {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 30_000 })
    while (!this.stopped) {
      const began = Date.now()
      try {
        await this.session()
      } catch (err) {
        if (this.stopped) break
        this.log.info('relay session ended', { relay: this.addr, error: (err as Error).name })
        if (mailboxGone(err)) await this.markNotReady()
      }
      this.reachable = false
      this.subscription = undefined
      void this.announceState()
      if (this.stopped) break
      if (Date.now() - began > 30_000) backoff.reset()
      await sleep(systemClock, backoff.next(), wake => { this.wake = wake })
    }
  }

  /** One connected session; returns or throws when it ends. */
  private async session (): Promise<void> {
    const client = this.client()
    await this.ctx.node.dial(multiaddr(this.addr), { signal: AbortSignal.timeout(ADD_TIMEOUT_MS) })
    await this.saveInfo(await client.relayInfo())
    let current = await this.key()
    if (current == null || this.stopped) return
    if (!current.record.ready) {
      await this.createMailbox(client, current.key, current.record)
      current = await this.key()
      if (current == null) return
    }
    const { key } = current
    this.reachable = true
    void this.ensureReservation()
    void this.announceState()
    this.hooks.relayReachable()
    await this.syncTokens()
    // Ids are never reused: within a session, skip what was handed to the inbox already. A new
    // session reads from the start, so what was stored but not acknowledged gets acknowledged.
    // That first read is the first job, queued before subscribing: pushes, which may come before
    // the subscription is even confirmed, queue behind it.
    await this.jobs
    this.highWater = 0
    let subscribed!: (ok: boolean) => void
    const ready = new Promise<boolean>(resolve => { subscribed = resolve })
    this.enqueueDrain(ready)
    let subscription: MailboxSubscription
    try {
      subscription = await client.subscribe(key, envelope => { this.pushed(envelope) }, {
        onBehind: () => { this.enqueueDrain() }
      })
    } catch (err) {
      subscribed(false)
      throw err
    }
    this.subscription = subscription
    if (this.stopped) {
      subscribed(false)
      await subscription.close()
      return
    }
    this.log.debug('relay session began', { relay: this.addr })
    subscribed(true)
    // A reservation refused or lost while the session lasts is asked for again now and then.
    const keep = setInterval(() => { void this.ensureReservation() }, RESERVE_CHECK_MS)
    keep.unref()
    const reason = await subscription.closed.finally(() => { clearInterval(keep) })
    await this.jobs
    if (reason != null && !this.stopped) throw reason
  }

  private async createMailbox (client: MailboxClient, key: PrivateKey, record: RelayRecord): Promise<void> {
    await client.create(key)
    await client.registerToken(key, record.introToken, 'introduction')
    const { contacts } = this.ctx.repos
    await this.ctx.repos.relays.update(this.addr, async (r, tx) => {
      r.ready = true
      r.revoke = []
      // A new mailbox has no tokens: register every contact's again (they keep the same ones).
      for await (const c of contacts.values(keys.contacts(), {}, tx)) {
        if (c.issued?.some(t => t.relay === this.addr) !== true) continue
        for (const t of c.issued) if (t.relay === this.addr) t.registered = false
        contacts.put(tx, c)
      }
    })
    this.log.info('mailbox created', { relay: this.addr })
  }

  private async markNotReady (): Promise<void> {
    await this.ctx.repos.relays.update(this.addr, r => {
      if (!r.ready) return false
      r.ready = false
    })
    this.log.warn('the relay does not know our mailbox; creating it again', { relay: this.addr })
  }

  private async saveInfo (info: RelayInfo): Promise<void> {
    await this.ctx.repos.relays.update(this.addr, r => {
      if (JSON.stringify(r.info) === JSON.stringify(info)) return false
      r.info = info
    })
  }

  private async ensureReservation (): Promise<void> {
    if (this.reserving != null || this.stopped || !this.reachable || this.reserved()) return
    this.reserving = (async () => {
      try {
        await this.reservations.run(async () => {
          if (this.stopped || !this.reachable || this.reserved()) return
          let timer: NodeJS.Timeout | undefined
          try {
            // Bounded: a reservation libp2p dropped from its queue never settles (see HomeRelays).
            await Promise.race([
              listenOn(this.ctx.node, [multiaddr(`${this.addr}/p2p-circuit`)]),
              new Promise<never>((_resolve, reject) => {
                timer = setTimeout(() => { reject(new RelayUnreachableError('the reservation took too long')) }, RESERVE_TIMEOUT_MS)
              })
            ])
          } finally {
            clearTimeout(timer)
          }
        })
      } catch (err) {
        this.log.info('no reservation at the relay', { relay: this.addr, error: (err as Error).name })
      } finally {
        this.reserving = undefined
        void this.announceState()
      }
    })()
    await this.reserving
  }

  /** Emits a `relay` event when what the relays screen shows changed. */
  private async announceState (): Promise<void> {
    if (this.stopped || this.leaving) return
    try {
      const record = await this.record()
      if (record == null) return
      const view: RelayView = {
        addr: record.addr,
        peerId: record.peerId,
        ...(record.info != null ? { info: record.info } : {}),
        reachable: this.reachable,
        reserved: this.reserved(),
        mailboxReady: record.ready
      }
      const state = JSON.stringify(view)
      if (state === this.lastState) return
      this.lastState = state
      this.ctx.events.emit('relay', view)
    } catch {
      // The store closed under us: the messenger is stopping.
    }
  }

  private pushed (envelope: MailboxEnvelope): void {
    this.enqueue(async () => {
      if (envelope.id <= this.highWater) {
        this.log.debug('push of an envelope handled already', { relay: this.addr })
      } else if (envelope.id !== this.highWater + 1) {
        // Something before it was never pushed (or ids jumped after the relay restarted): read
        // instead, after what was handled. Taking the push alone would skip the rest for the session.
        this.log.debug('push after a gap; reading the mailbox', { relay: this.addr })
        await this.drain()
      } else {
        await this.process([envelope])
      }
    })
  }

  /** Queues a read of the mailbox, unless one is queued already; `when`: once it resolves true. */
  private enqueueDrain (when?: Promise<boolean>): void {
    if (this.drainQueued) return
    this.drainQueued = true
    this.enqueue(async () => {
      this.drainQueued = false
      if (when == null || await when) await this.drain()
    })
  }

  /**
   * Runs mailbox work one job at a time, in order: envelopes reach the inbox in deposit order. A
   * job that fails ends the session: what it held was skipped, and a new session reads it again.
   */
  private enqueue (job: () => Promise<void>): void {
    this.jobs = this.jobs.then(async () => {
      // Every request in a job has a timeout; one that still runs this long is a bug worth a line.
      const slow = setTimeout(() => { this.log.warn('a mailbox job is still running', { relay: this.addr, seconds: SLOW_JOB_MS / 1000 }) }, SLOW_JOB_MS)
      slow.unref()
      try {
        await job()
      } finally {
        clearTimeout(slow)
      }
    }).catch(err => {
      if (this.stopped) return
      this.log.info('mailbox read failed; reconnecting', { relay: this.addr, error: (err as Error).name })
      void this.subscription?.close().catch(() => {})
    })
  }

  private async drain (): Promise<void> {
    const current = await this.key()
    if (current == null) return
    const client = this.client()
    let more = true
    while (more && !this.stopped) {
      let page
      try {
        page = await client.read(current.key, { after: this.highWater, limit: this.readPage.size })
      } catch (err) {
        this.readPage.broke()
        throw err
      }
      this.log.debug('mailbox page read', { relay: this.addr, envelopes: page.envelopes.length, more: page.more })
      this.readPage.answered(page.envelopes.length)
      await this.process(page.envelopes, client, current.key)
      more = page.more
    }
  }

  /** Hands envelopes to the inbox, then acknowledges those whose result is durable. */
  private async process (envelopes: MailboxEnvelope[], client?: MailboxClient, key?: PrivateKey): Promise<void> {
    const fresh = envelopes.filter(e => e.id > this.highWater).sort((a, b) => a.id - b.id)
    if (fresh.length === 0) return
    this.highWater = fresh[fresh.length - 1]?.id ?? this.highWater
    // The inbox takes them one at a time in call order (its lock is FIFO); their commits are grouped.
    const results = await Promise.all(fresh.map(async e => {
      try {
        return { id: e.id, result: await this.hooks.receive(e.envelope) }
      } catch (err) {
        this.log.warn('could not store an envelope from the relay', { relay: this.addr, error: (err as Error).name })
        return { id: e.id }
      }
    }))
    const ids = results.filter(r => r.result != null && acknowledgeable(r.result)).map(r => r.id)
    this.hooks.flushReceipts()
    if (ids.length === 0) return
    const mailboxKey = key ?? (await this.key())?.key
    if (mailboxKey == null) return
    // Only now, with the results durable, may the relay delete them.
    await (client ?? this.client()).ack(mailboxKey, ids)
    this.log.debug('mailbox envelopes acknowledged', { relay: this.addr, count: ids.length })
  }

  private async syncOnce (): Promise<void> {
    const current = await this.key()
    if (current?.record.ready !== true) return
    const client = this.client()
    const { key } = current
    const revoke = [...current.record.revoke]
    if (revoke.length > 0) {
      await Promise.all(revoke.map(async t => client.revokeToken(key, t)))
      await this.ctx.repos.relays.update(this.addr, r => {
        r.revoke = r.revoke.filter(t => !revoke.some(x => equalBytes(x, t)))
      })
      this.log.info('tokens revoked', { relay: this.addr, count: revoke.length })
    }
    const pending: Array<{ contactId: string, token: Uint8Array }> = []
    for await (const c of this.ctx.repos.contacts.values(keys.contacts())) {
      if (!eligibleForTokens(c)) continue
      for (const t of c.issued ?? []) {
        if (t.relay === this.addr && !t.registered) pending.push({ contactId: c.id, token: t.token })
      }
    }
    if (pending.length > 0) {
      const outcomes = await Promise.allSettled(pending.map(async p => client.registerToken(key, p.token, 'contact')))
      const registered = pending.filter((_, i) => outcomes[i]?.status === 'fulfilled')
      if (registered.length > 0) {
        const { contacts } = this.ctx.repos
        await this.ctx.repos.state.change(async tx => {
          for (const contactId of new Set(registered.map(r => r.contactId))) {
            const c = await contacts.get(contactId, tx)
            if (c == null) continue
            for (const t of c.issued ?? []) {
              if (t.relay === this.addr && registered.some(r => r.contactId === contactId && equalBytes(r.token, t.token))) t.registered = true
            }
            contacts.put(tx, c)
          }
        })
      }
      const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
      if (failure != null) {
        if (failure.reason instanceof QuotaExceededError) {
          this.log.warn('the relay holds as many tokens as it allows for our mailbox', { relay: this.addr })
        } else {
          throw failure.reason
        }
      }
    }
    await this.hooks.announceTokens()
  }

  private async runLeaving (): Promise<void> {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 600_000 })
    while (!this.stopped) {
      try {
        const current = await this.key()
        if (current == null) return
        const client = this.client()
        await this.ctx.node.dial(multiaddr(this.addr), { signal: AbortSignal.timeout(ADD_TIMEOUT_MS) })
        if (current.record.ready) {
          // First no more deposits (every token revoked), then fetch what is there, then delete:
          // a deposit the relay accepted is never deleted unread.
          await Promise.all([...current.record.revoke, current.record.introToken].map(async t => client.revokeToken(current.key, t)))
          this.highWater = 0
          let more = true
          while (more && !this.stopped) {
            const page = await client.read(current.key, { after: this.highWater, limit: READ_PAGE })
            await this.process(page.envelopes, client, current.key)
            more = page.more
          }
          if (this.stopped) return
          await client.delete(current.key)
        }
        await this.forget()
        return
      } catch (err) {
        if (this.stopped) return
        if (mailboxGone(err)) {
          await this.forget()
          return
        }
        this.log.info('could not leave the relay yet', { relay: this.addr, error: (err as Error).name })
      }
      await sleep(systemClock, backoff.next(), wake => { this.wake = wake })
    }
  }

  /** The mailbox is gone: forget the relay and drop the connection (and so the reservation). */
  private async forget (): Promise<void> {
    const { relays } = this.ctx.repos
    await this.ctx.repos.state.change(async (tx, control) => {
      const r = await relays.get(this.addr, tx)
      if (r?.leaving === true) relays.del(tx, this.addr)
      else control.discard()
    })
    await this.ctx.clients.drop(this.addr)
    await this.ctx.node.hangUp(peerIdFromString(this.peerId)).catch(() => {})
    this.log.info('left the relay', { relay: this.addr })
  }
}
