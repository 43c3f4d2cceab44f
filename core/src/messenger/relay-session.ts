// SPDX-License-Identifier: AGPL-3.0-only
/**
 * One home relay's session loop (see home-relays.ts): connected, relay-info fetched, reservation
 * held, mailbox created, tokens registered and revoked, mailbox subscribed and drained — or, for a
 * relay being left, its mailbox drained and deleted. Envelopes go to the inbox and are
 * acknowledged at the relay only once what they carried is durable here.
 */
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { QuotaExceededError, RelayUnreachableError, UnauthorizedError } from '../errors.js'
import { Backoff, RunAgain, equalBytes, every, sleep } from '../util/index.js'
import { keys } from './records.js'
import { eligibleForTokens } from './tokens.js'
import { AdaptiveWindow } from './window.js'
import type { Logger } from '../logger.js'
import type { MailboxClient, MailboxEnvelope, MailboxSubscription, RelayInfo } from '../mailbox/index.js'
import type { Clock, TimerHandle } from '../util/index.js'
import type { HomeRelaysComponents, HomeRelaysInit } from './home-relays.js'
import type { Mutex } from './lock.js'
import type { RelayRecord } from './records.js'
import type { RelayView } from './types.js'
import type { PrivateKey } from '@libp2p/interface'

/** The options of a session, defaults filled in. */
export type RelaySessionOptions = Required<HomeRelaysInit>

/** What a session uses: the home relays' components, resolved. */
export interface RelaySessionComponents extends Omit<HomeRelaysComponents, 'clock'> {
  clock: Clock
  options: RelaySessionOptions
  /** Reservations, one at a time across relays (see HomeRelays). */
  reservations: Mutex
}

/** Whether the relay's answer means the mailbox is gone (the relay lost it, or never had it). */
function mailboxGone (err: unknown): boolean {
  return err instanceof UnauthorizedError
}

/**
 * One relay's loop. As a home relay: keep a session (see the module comment), reconnecting with
 * backoff. As a relay being left: fetch what waits in the mailbox, delete it, forget the relay.
 */
export class RelayLoop {
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
  private readonly readPage: AdaptiveWindow
  private readonly syncs = new RunAgain(async () => this.syncOnce(), { stopped: () => this.stopped })
  private lastState = ''
  private readonly log: Logger

  private readonly options: RelaySessionOptions
  private readonly clock: Clock

  constructor (
    private readonly components: RelaySessionComponents,
    readonly addr: string,
    readonly peerId: string,
    private readonly leaving: boolean,
    private readonly onFinished: () => void
  ) {
    this.options = components.options
    this.clock = components.clock
    this.readPage = new AdaptiveWindow({ initial: this.options.firstReadPage, min: this.options.minReadPage, max: this.options.readPage })
    this.log = components.loggers.forComponent('core:relay')
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
    return this.components.reserver.reserved(this.peerId)
  }

  private client (): MailboxClient {
    return this.components.clients.get(this.addr, true)
  }

  private async record (): Promise<RelayRecord | undefined> {
    return this.components.repos.relays.get(this.addr)
  }

  private async key (): Promise<{ record: RelayRecord, key: PrivateKey } | undefined> {
    const record = await this.record()
    if (record == null) return undefined
    return { record, key: privateKeyFromProtobuf(record.mailboxKey) }
  }

  private async runHome (): Promise<void> {
    const backoff = new Backoff({ initialMs: this.options.reconnectMinMs, maxMs: this.options.reconnectMaxMs })
    while (!this.stopped) {
      const began = this.clock.now()
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
      // A session that lasted is a new start: the next reconnection waits the least.
      if (this.clock.now() - began > this.options.reconnectMaxMs) backoff.reset()
      await sleep(this.clock, backoff.next(), wake => { this.wake = wake })
    }
  }

  /** One connected session; returns or throws when it ends. */
  private async session (): Promise<void> {
    const client = this.client()
    await this.components.node.dial(multiaddr(this.addr), { signal: AbortSignal.timeout(this.options.dialTimeoutMs) })
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
    void this.components.courier.kickAll().catch(() => {})
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
    const stopChecking = every(this.clock, this.options.reserveCheckMs, () => { void this.ensureReservation() })
    const reason = await subscription.closed.finally(stopChecking)
    await this.jobs
    if (reason != null && !this.stopped) throw reason
  }

  private async createMailbox (client: MailboxClient, key: PrivateKey, record: RelayRecord): Promise<void> {
    await client.create(key)
    await client.registerToken(key, record.introToken, 'introduction')
    const { contacts } = this.components.repos
    await this.components.repos.relays.update(this.addr, async (r, tx) => {
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
    await this.components.repos.relays.update(this.addr, r => {
      if (!r.ready) return false
      r.ready = false
    })
    this.log.warn('the relay does not know our mailbox; creating it again', { relay: this.addr })
  }

  private async saveInfo (info: RelayInfo): Promise<void> {
    await this.components.repos.relays.update(this.addr, r => {
      if (JSON.stringify(r.info) === JSON.stringify(info)) return false
      r.info = info
    })
  }

  private async ensureReservation (): Promise<void> {
    if (this.reserving != null || this.stopped || !this.reachable || this.reserved()) return
    this.reserving = (async () => {
      try {
        await this.components.reservations.run(async () => {
          if (this.stopped || !this.reachable || this.reserved()) return
          let timer: TimerHandle
          try {
            // Bounded: a reservation libp2p dropped from its queue never settles (see HomeRelays).
            await Promise.race([
              this.components.reserver.reserve(this.addr),
              new Promise<never>((_resolve, reject) => {
                timer = this.clock.setTimeout(() => { reject(new RelayUnreachableError('the reservation took too long')) }, this.options.reserveTimeoutMs)
              })
            ])
          } finally {
            this.clock.clearTimeout(timer)
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
      this.components.events.emit('relay', view)
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
      const slow = this.clock.setTimeout(() => { this.log.warn('a mailbox job is still running', { relay: this.addr, seconds: this.options.slowJobMs / 1000 }) }, this.options.slowJobMs)
      try {
        await job()
      } finally {
        this.clock.clearTimeout(slow)
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
        return { id: e.id, result: await this.components.inbox.receive(e.envelope, 'relay') }
      } catch (err) {
        this.log.warn('could not store an envelope from the relay', { relay: this.addr, error: (err as Error).name })
        return { id: e.id }
      }
    }))
    // Every envelope the inbox decided about leaves the relay: stored, seen before, refused for good,
    // or held in the quarantine (a changed identity) until the user decides.
    const ids = results.filter(r => r.result != null).map(r => r.id)
    this.components.receipts.flush()
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
      await this.components.repos.relays.update(this.addr, r => {
        r.revoke = r.revoke.filter(t => !revoke.some(x => equalBytes(x, t)))
      })
      this.log.info('tokens revoked', { relay: this.addr, count: revoke.length })
    }
    const pending: Array<{ contactId: string, token: Uint8Array }> = []
    for await (const c of this.components.repos.contacts.values(keys.contacts())) {
      if (!eligibleForTokens(c)) continue
      for (const t of c.issued ?? []) {
        if (t.relay === this.addr && !t.registered) pending.push({ contactId: c.id, token: t.token })
      }
    }
    if (pending.length > 0) {
      const outcomes = await Promise.allSettled(pending.map(async p => client.registerToken(key, p.token, 'contact')))
      const registered = pending.filter((_, i) => outcomes[i]?.status === 'fulfilled')
      if (registered.length > 0) {
        const { contacts } = this.components.repos
        await this.components.repos.state.change(async tx => {
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
    await this.components.tokens.announce()
  }

  private async runLeaving (): Promise<void> {
    const backoff = new Backoff({ initialMs: this.options.reconnectMinMs, maxMs: this.options.leaveRetryMaxMs })
    while (!this.stopped) {
      try {
        const current = await this.key()
        if (current == null) return
        const client = this.client()
        await this.components.node.dial(multiaddr(this.addr), { signal: AbortSignal.timeout(this.options.dialTimeoutMs) })
        if (current.record.ready) {
          // First no more deposits (every token revoked), then fetch what is there, then delete:
          // a deposit the relay accepted is never deleted unread.
          await Promise.all([...current.record.revoke, current.record.introToken].map(async t => client.revokeToken(current.key, t)))
          this.highWater = 0
          let more = true
          while (more && !this.stopped) {
            const page = await client.read(current.key, { after: this.highWater, limit: this.options.readPage })
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
      await sleep(this.clock, backoff.next(), wake => { this.wake = wake })
    }
  }

  /** The mailbox is gone: forget the relay and drop the connection (and so the reservation). */
  private async forget (): Promise<void> {
    const { relays } = this.components.repos
    await this.components.repos.state.change(async (tx, control) => {
      const r = await relays.get(this.addr, tx)
      if (r?.leaving === true) relays.del(tx, this.addr)
      else control.discard()
    })
    await this.components.clients.drop(this.addr)
    await this.components.node.hangUp(peerIdFromString(this.peerId)).catch(() => {})
    this.log.info('left the relay', { relay: this.addr })
  }
}
