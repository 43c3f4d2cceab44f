// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The courier delivers the outbox: per contact, one pump sends the queued envelopes in order,
 * directly when the contact can be reached (its known addresses, then circuits through its relays)
 * and settles each with its receipt (`delivered`). When it cannot be reached within a few seconds,
 * the envelopes are deposited in the contact's mailboxes at two of its relays (one, if it has one):
 * an envelope is `sent` once the first relay has written it durably, and leaves the outbox once the
 * second has too (the recipient drops the second copy by envelope id), or once it is delivered.
 * What neither route takes is retried with backoff, and at once when the contact connects.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { RateLimitedError } from '../errors.js'
import { MessageLink } from '../net/message-protocol.js'
import { circuitAddress } from '../net/node.js'
import { keys } from './records.js'
import { AdaptiveWindow } from './window.js'
import { Backoff, RunAgainByKey } from '../util/index.js'
import type { Context } from './context.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { ContactRecord, MessageRecord, OutboxRecord } from './records.js'
import type { FailureReason } from './types.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** How long a dial may take before the contact counts as unreachable for this attempt. */
const DIAL_TIMEOUT_MS = 5_000
/**
 * Most envelopes handed to a direct link and not yet answered (the link itself keeps fewer on the
 * wire), and most deposited at once. Per contact, the window starts at {@link FIRST_WINDOW},
 * doubles with each window's worth answered, and halves when a link breaks with envelopes
 * unanswered, down to {@link MIN_WINDOW}: everything unanswered is sent again, so on a link that
 * keeps breaking a large window would carry the same envelopes over and over.
 */
const WINDOW = 256
const FIRST_WINDOW = 32
const MIN_WINDOW = 4
const MIN_BACKOFF_MS = 1_000
const MAX_BACKOFF_MS = 60_000
/** After a failed dial, new messages go straight to a relay for this long (doubling) before dialling again. */
const MIN_DIRECT_PAUSE_MS = 2_000
/** Relays an envelope is deposited at, when the contact has that many. */
const COPIES = 2

/** Where envelopes for a contact may be left: a mailbox at one of its relays, with a token. */
interface DepositTarget {
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

/** Delivers outbox entries. */
export class Courier {
  /** Per contact, one pump at a time; a kick while it runs makes it run again. */
  private readonly pumps = new RunAgainByKey<string>(async contactId => this.pump(contactId), {
    stopped: () => this.stopped,
    onError: err => { this.ctx.log.warn('delivery pump failed', { error: err.name }) }
  })

  private readonly backoff = new Map<string, { delay: Backoff, timer?: NodeJS.Timeout }>()
  private readonly links = new Map<string, MessageLink>()
  /** Per contact, its stream on a direct link while one runs. */
  private readonly streams = new Map<string, DirectStream>()
  /** Receipts waiting to be settled, in arrival order (see {@link settle}). */
  private receipted: Receipted[] = []
  private settling = false
  /** Per contact: no direct attempt before this time (ms), after a failed one. */
  private readonly directPause = new Map<string, { until: number, delay: Backoff }>()
  /** Per contact, how many envelopes go out at once (see {@link WINDOW}). */
  private readonly windows = new Map<string, AdaptiveWindow>()
  /** Outbox entries whose commit is not yet durable: never sent before they are. */
  private readonly notDurable = new Set<string>()
  private stopped = false

  constructor (private readonly ctx: Context) {}

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
    if (stream.ready.length < WINDOW) stream.ready.push(entry)
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
      clearTimeout(b.timer)
      b.timer = undefined
    }
  }

  /** Kicks every contact that has something in its outbox (at start). */
  async kickAll (): Promise<void> {
    const seen = new Set<string>()
    for await (const entry of this.ctx.repos.outbox.values(['outbox'])) {
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
    for (const b of this.backoff.values()) clearTimeout(b.timer)
    for (const link of this.links.values()) link.close()
    for (const stream of this.streams.values()) stream.wake()
    await this.pumps.idle()
  }

  private async pump (contactId: string): Promise<void> {
    // A run again after kicks made while the last one ran: as for a kick, no retry is waiting.
    this.cancelRetry(contactId)
    while (!this.stopped) {
      const contact = await this.ctx.repos.contacts.get(contactId)
      if (contact == null || contact.blocked) return
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
   * second copy) take at most half of {@link WINDOW}, so new messages still go out while one of
   * the contact's relays is down.
   */
  private async depositBatch (contactId: string): Promise<OutboxRecord[]> {
    const batch: OutboxRecord[] = []
    const size = this.windowOf(contactId).size
    let held = 0
    for await (const entry of this.ctx.repos.outbox.values(keys.outboxOf(contactId))) {
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
      window = new AdaptiveWindow({ initial: FIRST_WINDOW, min: MIN_WINDOW, max: WINDOW })
      this.windows.set(contactId, window)
    }
    return window
  }

  /** Durable outbox entries of a contact from sequence number `from` on, at most `limit`, in order. */
  private async readOutbox (contactId: string, from: number, limit: number): Promise<OutboxRecord[]> {
    const entries: OutboxRecord[] = []
    for await (const entry of this.ctx.repos.outbox.values(keys.outboxOf(contactId), { gte: from, limit })) {
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
    let link: MessageLink
    try {
      link = await this.link(contact)
    } catch (err) {
      this.ctx.log.debug('contact unreachable', { error: (err as Error).name })
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
                await this.settle(entry, result)
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
   * {@link COPIES} of them (or all, when it has fewer); each entry is settled as `sent` once the
   * first relay has written it durably. Resolves with the entries not yet held by enough relays.
   */
  private async deposit (contact: ContactRecord, batch: OutboxRecord[]): Promise<{ left: OutboxRecord[], retryAfterMs: number, progressed: boolean }> {
    const targets = depositTargets(contact)
    if (targets.length === 0) return { left: batch, retryAfterMs: 0, progressed: false }
    const goal = Math.min(COPIES, targets.length)
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
        client = this.ctx.clients.get(target.addr)
      } catch {
        continue
      }
      const depositOne = async (entry: OutboxRecord): Promise<void> => {
        await client.deposit(target.mailboxId, target.token, entry.envelope)
        progressed = true
        await this.settleDeposited(entry, target.addr, enough)
      }
      const note = (err: unknown): void => {
        if (err instanceof RateLimitedError) retryAfterMs = Math.max(retryAfterMs, err.retryAfterMs)
        this.ctx.log.info('relay did not take a deposit', { relay: target.addr, kind: target.kind, error: (err as Error).name })
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
   * (delivered, failed or deleted since) needs no second copy, and leaves the outbox here.
   */
  private async withoutSettled (batch: OutboxRecord[]): Promise<OutboxRecord[]> {
    const out: OutboxRecord[] = []
    const settled: OutboxRecord[] = []
    for (const entry of batch) {
      if ((entry.heldBy?.length ?? 0) === 0 || entry.messageId == null) {
        out.push(entry)
        continue
      }
      const message = await this.ctx.repos.message(entry.messageId)
      if (message?.state === 'sent') out.push(entry)
      else settled.push(entry)
    }
    if (settled.length > 0) {
      await this.ctx.repos.state.change(async tx => {
        for (const entry of settled) this.ctx.repos.outbox.del(tx, entry)
      })
    }
    return out
  }

  private directAllowed (contactId: string): boolean {
    return Date.now() >= (this.directPause.get(contactId)?.until ?? 0)
  }

  private pauseDirect (contactId: string): void {
    const pause = this.directPause.get(contactId) ?? { until: 0, delay: new Backoff({ initialMs: MIN_DIRECT_PAUSE_MS, maxMs: MAX_BACKOFF_MS, jitter: 0 }) }
    pause.until = Date.now() + pause.delay.next()
    this.directPause.set(contactId, pause)
  }

  private async link (contact: ContactRecord): Promise<MessageLink> {
    const existing = this.links.get(contact.id)
    if (existing?.usable === true) return existing
    existing?.close()
    const peer = peerIdFromString(contact.peerId)
    const addrs = contactAddresses(contact)
    if (addrs.length > 0) await this.ctx.node.peerStore.merge(peer, { multiaddrs: addrs })
    const link = await MessageLink.open(this.ctx.node, peer, DIAL_TIMEOUT_MS)
    this.links.set(contact.id, link)
    return link
  }

  private retryLater (contactId: string, atLeastMs = 0): void {
    if (this.stopped) return
    const b = this.backoff.get(contactId) ?? { delay: new Backoff({ initialMs: MIN_BACKOFF_MS, maxMs: MAX_BACKOFF_MS }) }
    clearTimeout(b.timer)
    const wait = Math.max(b.delay.next(), Math.min(atLeastMs, 3_600_000))
    b.timer = setTimeout(() => {
      b.timer = undefined
      // A retry dials again, whatever the pause new messages honour.
      this.directPause.delete(contactId)
      this.kick(contactId)
    }, wait)
    b.timer.unref()
    this.backoff.set(contactId, b)
  }

  /**
   * Relay `addr` holds the entry durably: recorded in the entry, which leaves the outbox once
   * `enough` relays hold it; its message becomes `sent` (from `queued`); all atomically.
   */
  private async settleDeposited (entry: OutboxRecord, addr: string, enough: (heldBy: string[]) => boolean): Promise<void> {
    // A crash between the relay's answer and this commit leaves the entry as it was: it is
    // deposited again and the recipient drops the copy by its envelope id. A loss is not possible;
    // a duplicate is. (This pump is the only writer of the entry, so `entry.heldBy` is current.)
    const { outbox, messages } = this.ctx.repos
    const message = await this.ctx.repos.state.change(async (tx, control) => {
      entry.heldBy = [...new Set([...entry.heldBy ?? [], addr])]
      if (enough(entry.heldBy)) {
        outbox.del(tx, entry)
      } else {
        // Kept for the next copy, unless it was settled meanwhile (its contact removed): a
        // settled entry stays settled.
        if (await tx.get(keys.outbox(entry.contactId, entry.seq)) == null) {
          control.discard()
          return undefined
        }
        outbox.put(tx, entry)
      }
      if (entry.messageId == null) return undefined
      const message = await this.ctx.repos.message(entry.messageId, tx)
      if (message?.state !== 'queued') return undefined
      message.state = 'sent'
      messages.put(tx, message)
      return message
    })
    if (message != null) this.ctx.events.emit('status', { id: message.id, contactId: message.contactId, state: 'sent' })
  }

  /**
   * Records a receipt: the entry leaves the outbox and its message changes state, atomically.
   * Resolves once that is written. Receipts that arrive while an earlier settlement waits for the
   * lock are settled together, in one transaction.
   *
   * The write is not synced: a receipt is the one thing a power cut may take back, and it is learnt
   * again. The entry would be back in the outbox, go out again, and be answered as a duplicate. A
   * killed process loses nothing, and the next synced write makes it durable.
   */
  private async settle (entry: OutboxRecord, result: DeliveryResult): Promise<void> {
    if (result.status === 'REJECTED') {
      this.ctx.log.warn('recipient refused an envelope', { reason: result.reason })
    }
    await new Promise<void>((resolve, reject) => {
      this.receipted.push({ entry, result, resolve, reject })
      if (!this.settling) void this.settleReceipted()
    })
  }

  /** Settles what {@link settle} queued, a transaction per turn of the lock, until none is left. */
  private async settleReceipted (): Promise<void> {
    this.settling = true
    try {
      while (this.receipted.length > 0) {
        const batch = this.receipted
        this.receipted = []
        try {
          const { outbox, messages } = this.ctx.repos
          const { result: changed, durable } = await this.ctx.repos.state.begin(async tx => {
            const changed: Array<{ message: MessageRecord, failure?: FailureReason }> = []
            for (const { entry, result } of batch) {
              outbox.del(tx, entry)
              if (entry.messageId == null) continue
              const message = await this.ctx.repos.message(entry.messageId, tx)
              if (message == null) continue
              const failure: FailureReason | undefined = result.status === 'REJECTED' ? 'rejected' : undefined
              message.state = failure != null ? 'failed' : 'delivered'
              if (failure != null) message.failure = failure
              messages.put(tx, message)
              changed.push({ message, ...(failure != null ? { failure } : {}) })
            }
            return changed
          }, { sync: false })
          // The write is awaited outside the lock, while the next receipts are settled.
          durable.then(() => {
            for (const { message, failure } of changed) {
              this.ctx.events.emit('status', { id: message.id, contactId: message.contactId, state: message.state, ...(failure != null ? { failure } : {}) })
            }
            for (const r of batch) r.resolve()
          }, (err: Error) => { for (const r of batch) r.reject(err) })
        } catch (err) {
          for (const r of batch) r.reject(err as Error)
        }
      }
    } finally {
      this.settling = false
    }
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

/** A receipt waiting for {@link Courier.settle}'s transaction. */
interface Receipted {
  entry: OutboxRecord
  result: DeliveryResult
  resolve: () => void
  reject: (err: Error) => void
}
