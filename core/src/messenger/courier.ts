// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The courier delivers the outbox: per contact, one pump sends the queued envelopes in order,
 * directly when the contact can be reached (its known addresses, then circuits through its relays)
 * and settles each with its receipt (`delivered`). When it cannot be reached within a few seconds,
 * the envelopes are deposited in the contact's mailboxes at two of its relays (one, if it has one):
 * an envelope is `sent` once the first relay has written it durably, and leaves the outbox once the
 * second has too (the recipient drops the second copy by envelope id), once it is delivered, or
 * once it has waited {@link CourierInit.secondCopyGiveUpMs} for the second copy.
 * What neither route takes is retried with backoff, and at once when the contact connects.
 */
import { RateLimitedError } from '../errors.js'
import { Backoff, RunAgainByKey, systemClock } from '../util/index.js'
import { depositTargets } from './courier-routes.js'
import { keys } from './records.js'
import { Settlement } from './settlement.js'
import { AdaptiveWindow } from './window.js'
import type { Logger } from '../logger.js'
import type { MailboxClient } from '../mailbox/index.js'
import type { Clock, TimerHandle } from '../util/index.js'
import type { Events } from './context.js'
import type { Dialer, DirectLink } from './courier-routes.js'
import type { ContactRecord, OutboxRecord } from './records.js'
import type { Repositories } from './state.js'

export { contactAddresses, depositTargets } from './courier-routes.js'

/** Options of the courier; every one has a default. */
export interface CourierInit {
  /** How long a dial may take before the contact counts as unreachable for this attempt (default 5 s). */
  dialTimeoutMs?: number
  /**
   * Most envelopes handed to a direct link and not yet answered (the link itself keeps fewer on
   * the wire), and most deposited at once (default 256). Per contact, the window starts at
   * {@link firstWindow} (default 32), doubles with each window's worth answered, and halves when a
   * link breaks with envelopes unanswered, down to {@link minWindow} (default 4): everything
   * unanswered is sent again, so on a link that keeps breaking a large window would carry the same
   * envelopes over and over.
   */
  window?: number
  /** See {@link window}. */
  firstWindow?: number
  /** See {@link window}. */
  minWindow?: number
  /** First wait before a retry of what neither route took (default 1 s; doubling, with jitter). */
  minBackoffMs?: number
  /** Longest wait before a retry, and longest direct pause (default 60 s). */
  maxBackoffMs?: number
  /** After a failed dial, new messages go straight to a relay for this long, doubling, before dialling again (default 2 s). */
  minDirectPauseMs?: number
  /** Relays an envelope is deposited at, when the contact has that many (default 2). */
  copies?: number
  /**
   * How long an entry one relay holds durably waits for its second copy before it leaves the
   * outbox anyway (default 24 h). Its message stays `sent`; what a second relay would add is only
   * insurance against the first losing it, not worth retrying at a relay that is gone for good.
   */
  secondCopyGiveUpMs?: number
}

/** What the courier uses. */
export interface CourierComponents {
  repos: Pick<Repositories, 'state' | 'contacts' | 'outbox' | 'messages' | 'message'>
  /** Direct links to contacts. */
  dialer: Dialer
  /** Mailbox clients of contacts' relays. */
  clients: { get(addr: string): MailboxClient }
  events: Events
  log: Logger
  /** Default: the system clock. */
  clock?: Clock
}

/** The courier's options with their defaults filled in. */
type Options = Required<CourierInit>

const DEFAULTS: Options = {
  dialTimeoutMs: 5_000,
  window: 256,
  firstWindow: 32,
  minWindow: 4,
  minBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  minDirectPauseMs: 2_000,
  copies: 2,
  secondCopyGiveUpMs: 24 * 60 * 60 * 1000
}

/** Makes a courier (start it with {@link Courier.kickAll}, stop it with {@link Courier.stop}). */
export function createCourier (components: CourierComponents, init: CourierInit = {}): Courier {
  return new Courier(components, init)
}

/** Delivers outbox entries. */
export class Courier {
  /** Per contact, one pump at a time; a kick while it runs makes it run again. */
  private readonly pumps = new RunAgainByKey<string>(async contactId => this.pump(contactId), {
    stopped: () => this.stopped,
    onError: err => { this.log.warn('delivery pump failed', { error: err.name }) }
  })

  private readonly backoff = new Map<string, { delay: Backoff, timer?: TimerHandle }>()
  private readonly links = new Map<string, DirectLink & { peer?: string }>()
  /** Per contact, its stream on a direct link while one runs. */
  private readonly streams = new Map<string, DirectStream>()
  /** Per contact: no direct attempt before this time (ms), after a failed one. */
  private readonly directPause = new Map<string, { until: number, delay: Backoff }>()
  /** Per contact, how many envelopes go out at once (see {@link CourierInit.window}). */
  private readonly windows = new Map<string, AdaptiveWindow>()
  /** Outbox entries whose commit is not yet durable: never sent before they are. */
  private readonly notDurable = new Set<string>()
  private stopped = false
  private readonly options: Options
  private readonly clock: Clock
  private readonly log: Logger
  private readonly settlement: Settlement

  constructor (private readonly components: CourierComponents, init: CourierInit = {}) {
    this.options = { ...DEFAULTS, ...init }
    this.clock = components.clock ?? systemClock
    this.log = components.log
    this.settlement = new Settlement({ repos: components.repos, events: components.events, log: components.log, clock: this.clock })
  }

  /** Marks an outbox entry as not yet durable (call before its commit). */
  holdUntilDurable (entry: OutboxRecord): void {
    this.notDurable.add(entry.envelopeId)
  }

  /**
   * Releases an entry held by {@link holdUntilDurable} once its commit has settled. A durable entry
   * goes straight to its contact's running stream, if there is one, without a read of the store.
   */
  release (entry: OutboxRecord, durable: boolean): void {
    this.notDurable.delete(entry.envelopeId)
    const stream = this.streams.get(entry.contactId)
    if (!durable || stream == null) return
    if (stream.ready.length < this.options.window) stream.ready.push(entry)
    else stream.overflow = true
  }

  /** The contact's outbox was emptied for good (the contact deleted): a running stream ends. */
  forget (contactId: string): void {
    this.windows.delete(contactId)
    const stream = this.streams.get(contactId)
    if (stream == null) return
    stream.forgotten = true
    stream.ready = []
    stream.wake()
  }

  /** Starts (or re-runs) delivery for a contact. */
  kick (contactId: string): void {
    if (this.stopped) return
    this.cancelRetry(contactId)
    if (this.pumps.busy(contactId)) this.streams.get(contactId)?.wake()
    void this.pumps.run(contactId)
  }

  /** A retry of `contactId` waiting for its time is not needed: a pump runs now. */
  private cancelRetry (contactId: string): void {
    const b = this.backoff.get(contactId)
    if (b?.timer != null) {
      this.clock.clearTimeout(b.timer)
      b.timer = undefined
    }
  }

  /** Kicks every contact that has something in its outbox (at start). */
  async kickAll (): Promise<void> {
    const seen = new Set<string>()
    for await (const entry of this.components.repos.outbox.values(['outbox'])) {
      if (!seen.has(entry.contactId)) {
        seen.add(entry.contactId)
        this.kick(entry.contactId)
      }
    }
  }

  /** A contact's peer connected: deliver now. */
  peerConnected (contactId: string): void {
    this.backoff.delete(contactId)
    this.directPause.delete(contactId)
    this.kick(contactId)
  }

  /** Stops all pumps and closes links. */
  async stop (): Promise<void> {
    this.stopped = true
    for (const b of this.backoff.values()) this.clock.clearTimeout(b.timer)
    for (const link of this.links.values()) link.close()
    for (const stream of this.streams.values()) stream.wake()
    await this.pumps.idle()
  }

  private async pump (contactId: string): Promise<void> {
    // A run again after kicks made while the last one ran: as for a kick, no retry is waiting.
    this.cancelRetry(contactId)
    while (!this.stopped) {
      const contact = await this.components.repos.contacts.get(contactId)
      // Nothing goes to a stranger before the user accepts: no receipt, no token, no dial.
      if (contact == null || contact.blocked || (contact.status === 'request' && contact.viaGroup !== true)) return
      if (this.directAllowed(contactId)) {
        const { done, progressed } = await this.streamDirect(contact)
        if (done) {
          this.backoff.delete(contactId)
          this.directPause.delete(contactId)
          return
        }
        // As for deposits: a link that carried something is tried again soon.
        if (progressed) this.directPause.delete(contactId)
        this.pauseDirect(contactId)
      }
      if (this.stopped) return
      const batch = await this.depositBatch(contactId)
      if (batch.length === 0) return
      const { left, retryAfterMs, progressed } = await this.deposit(contact, batch)
      if (left.length > 0) {
        // A link that fails now and then but carries something each time (a lossy one) is tried
        // again soon: a backoff that grows with every failure would leave it idle most of the time.
        if (progressed) this.backoff.delete(contactId)
        this.retryLater(contactId, retryAfterMs)
        return
      }
      this.backoff.delete(contactId)
    }
  }

  /**
   * The next durable entries to deposit, in order. Entries a relay already holds (waiting for a
   * second copy) take at most half of {@link CourierInit.window}, so new messages still go out while one of
   * the contact's relays is down.
   */
  private async depositBatch (contactId: string): Promise<OutboxRecord[]> {
    const batch: OutboxRecord[] = []
    const size = this.windowOf(contactId).size
    let held = 0
    for await (const entry of this.components.repos.outbox.values(keys.outboxOf(contactId))) {
      if (this.notDurable.has(entry.envelopeId)) break
      if ((entry.heldBy?.length ?? 0) > 0 && held++ >= size / 2) continue
      batch.push(entry)
      if (batch.length >= size) break
    }
    return batch
  }

  private windowOf (contactId: string): AdaptiveWindow {
    let window = this.windows.get(contactId)
    if (window == null) {
      window = new AdaptiveWindow({ initial: this.options.firstWindow, min: this.options.minWindow, max: this.options.window })
      this.windows.set(contactId, window)
    }
    return window
  }

  /** Durable outbox entries of a contact from sequence number `from` on, at most `limit`, in order. */
  private async readOutbox (contactId: string, from: number, limit: number): Promise<OutboxRecord[]> {
    const entries: OutboxRecord[] = []
    for await (const entry of this.components.repos.outbox.values(keys.outboxOf(contactId), { gte: from, limit })) {
      // Later entries wait too: the outbox leaves in order.
      if (this.notDurable.has(entry.envelopeId)) break
      entries.push(entry)
    }
    return entries
  }

  /**
   * Streams the outbox on a direct link: keeps up to the contact's window unanswered, takes more
   * as receipts come back and as new entries become durable, and settles receipts as they arrive.
   * The store is read at the start, after an overflow and after a gap; entries made durable while
   * the stream runs come through memory ({@link release}). The stream waits for new entries for as
   * long as the link stays up, so a new message goes out at once. `done` once the link closed with
   * nothing unanswered (or the contact was forgotten); not when the contact could not be reached or
   * the link failed (what got no receipt stays in the outbox). `progressed` if any receipt came.
   */
  private async streamDirect (contact: ContactRecord): Promise<{ done: boolean, progressed: boolean }> {
    let link: DirectLink
    try {
      link = await this.link(contact)
    } catch (err) {
      this.log.debug('contact unreachable', { error: (err as Error).name })
      return { done: false, progressed: false }
    }
    const window = this.windowOf(contact.id)
    let progressed = false
    let next = 0
    let unanswered = 0
    let failed = false
    let storeMayHave = true
    const settling = new Set<Promise<void>>()
    // Set by a receipt, a failure, a new durable entry or the link closing: look again.
    let woken = false
    let progress: (() => void) | undefined
    const stream: DirectStream = {
      ready: [],
      overflow: false,
      forgotten: false,
      wake: () => {
        woken = true
        progress?.()
      }
    }
    this.streams.set(contact.id, stream)
    void link.closed.then(stream.wake)
    try {
      while (!this.stopped && !failed && !stream.forgotten) {
        if (unanswered < Math.ceil(window.size / 2)) {
          woken = false
          // This look covers every kick so far: the pump need not run again for them.
          this.pumps.covered(contact.id)
          const limit = window.size - unanswered
          let entries: OutboxRecord[] = []
          // What the store also returned is in memory too: drop it.
          while ((stream.ready[0]?.seq ?? next) < next) stream.ready.shift()
          const first = stream.ready[0]
          if (first != null && first.seq !== next) storeMayHave = true
          if (storeMayHave || stream.overflow) {
            // Entries released from here on reach memory; those released before are in the store.
            stream.ready = []
            stream.overflow = false
            entries = await this.readOutbox(contact.id, next, limit)
            storeMayHave = entries.length === limit
          } else {
            while (entries.length < limit && stream.ready[0]?.seq === next + entries.length) {
              entries.push(stream.ready.shift() as OutboxRecord)
            }
          }
          for (const entry of entries) {
            next = entry.seq + 1
            unanswered++
            const settled = link.send(entry.envelope).then(
              async result => {
                unanswered--
                progressed = true
                window.answered()
                stream.wake()
                await this.settlement.receipted(entry, result)
              },
              () => {
                unanswered--
                if (!failed) window.broke()
                failed = true
                stream.wake()
              }
            ).finally(() => settling.delete(settled))
            settling.add(settled)
          }
          if (entries.length > 0 || woken) continue
          if (unanswered === 0 && !link.usable) break
        }
        if (!woken) await new Promise<void>(resolve => { progress = resolve })
        woken = false
        progress = undefined
      }
    } finally {
      this.streams.delete(contact.id)
    }
    while (settling.size > 0) await Promise.allSettled([...settling])
    if (failed || this.stopped) {
      this.links.get(contact.id)?.close()
      this.links.delete(contact.id)
      return { done: false, progressed }
    }
    return { done: true, progressed }
  }

  /**
   * Deposits a batch at the contact's relays, in order, until each entry is held by
   * {@link CourierInit.copies} of them (or all, when it has fewer); each entry is settled as `sent` once the
   * first relay has written it durably. Resolves with the entries not yet held by enough relays.
   */
  private async deposit (contact: ContactRecord, batch: OutboxRecord[]): Promise<{ left: OutboxRecord[], retryAfterMs: number, progressed: boolean }> {
    const targets = depositTargets(contact)
    if (targets.length === 0) return { left: batch, retryAfterMs: 0, progressed: false }
    const goal = Math.min(this.options.copies, targets.length)
    const current = new Set(targets.map(t => t.addr))
    // Relays the contact no longer uses do not count.
    const copies = (heldBy: string[] = []): number => heldBy.filter(a => current.has(a)).length
    const enough = (heldBy: string[]): boolean => copies(heldBy) >= goal
    let retryAfterMs = 0
    let progressed = false
    const left = await this.withoutSettled(batch)
    for (const target of targets) {
      const todo = left.filter(e => copies(e.heldBy) < goal && !(e.heldBy ?? []).includes(target.addr))
      if (todo.length === 0 || this.stopped) continue
      let client
      try {
        client = this.components.clients.get(target.addr)
      } catch {
        continue
      }
      const depositOne = async (entry: OutboxRecord): Promise<void> => {
        await client.deposit(target.mailboxId, target.token, entry.envelope)
        progressed = true
        await this.settlement.deposited(entry, target.addr, enough)
      }
      const note = (err: unknown): void => {
        if (err instanceof RateLimitedError) retryAfterMs = Math.max(retryAfterMs, err.retryAfterMs)
        this.log.info('relay did not take a deposit', { relay: target.addr, kind: target.kind, error: (err as Error).name })
      }
      // The first deposit alone opens the relay stream; the rest are pipelined on it, in order,
      // so that the mailbox holds them in the order they were written.
      const [first, ...rest] = todo
      if (first == null) continue
      try {
        await depositOne(first)
      } catch (err) {
        note(err)
        continue
      }
      const outcomes = await Promise.allSettled(rest.map(depositOne))
      const failure = outcomes.find(o => o.status === 'rejected')
      const window = this.windowOf(contact.id)
      window.answered(1 + outcomes.filter(o => o.status === 'fulfilled').length)
      if (failure != null) {
        note(failure.reason)
        window.broke()
      }
    }
    return { left: left.filter(e => copies(e.heldBy) < goal), retryAfterMs, progressed }
  }

  /**
   * The entries still to deposit: an entry a relay already holds whose message is no longer `sent`
   * (delivered, failed or deleted since) needs no second copy, and leaves the outbox here; so does
   * one that waited {@link CourierInit.secondCopyGiveUpMs} for it.
   */
  private async withoutSettled (batch: OutboxRecord[]): Promise<OutboxRecord[]> {
    const out: OutboxRecord[] = []
    const settled: OutboxRecord[] = []
    const now = this.clock.now()
    for (const entry of batch) {
      if ((entry.heldBy?.length ?? 0) > 0 && entry.heldSince != null && now - entry.heldSince >= this.options.secondCopyGiveUpMs) {
        this.log.info('gave up waiting for a second relay copy', { relays: entry.heldBy?.length ?? 0 })
        settled.push(entry)
        continue
      }
      if ((entry.heldBy?.length ?? 0) === 0 || entry.messageId == null) {
        out.push(entry)
        continue
      }
      const message = await this.components.repos.message(entry.messageId)
      if (message?.state === 'sent') out.push(entry)
      else settled.push(entry)
    }
    if (settled.length > 0) {
      await this.components.repos.state.change(async tx => {
        for (const entry of settled) this.components.repos.outbox.del(tx, entry)
      })
    }
    return out
  }

  private directAllowed (contactId: string): boolean {
    return this.clock.now() >= (this.directPause.get(contactId)?.until ?? 0)
  }

  private pauseDirect (contactId: string): void {
    const pause = this.directPause.get(contactId) ?? { until: 0, delay: new Backoff({ initialMs: this.options.minDirectPauseMs, maxMs: this.options.maxBackoffMs, jitter: 0 }) }
    pause.until = this.clock.now() + pause.delay.next()
    this.directPause.set(contactId, pause)
  }

  private async link (contact: ContactRecord): Promise<DirectLink> {
    const existing = this.links.get(contact.id)
    if (existing?.usable === true && existing.peer === contact.peerId) return existing
    existing?.close()
    const link = Object.assign(await this.components.dialer.open(contact, this.options.dialTimeoutMs), { peer: contact.peerId })
    this.links.set(contact.id, link)
    return link
  }

  private retryLater (contactId: string, atLeastMs = 0): void {
    if (this.stopped) return
    const b = this.backoff.get(contactId) ?? { delay: new Backoff({ initialMs: this.options.minBackoffMs, maxMs: this.options.maxBackoffMs }) }
    this.clock.clearTimeout(b.timer)
    const wait = Math.max(b.delay.next(), Math.min(atLeastMs, 3_600_000))
    b.timer = this.clock.setTimeout(() => {
      b.timer = undefined
      // A retry dials again, whatever the pause new messages honour.
      this.directPause.delete(contactId)
      this.kick(contactId)
    }, wait)
    this.backoff.set(contactId, b)
  }
}

/** A contact's outbox being streamed on a direct link. */
interface DirectStream {
  /** Entries made durable while the stream runs, in sequence order. */
  ready: OutboxRecord[]
  /** Entries were left out of {@link ready}: read the store. */
  overflow: boolean
  /** The contact was deleted: end the stream. */
  forgotten: boolean
  /** Makes the stream look for work again. */
  wake: () => void
}

