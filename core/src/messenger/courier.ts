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
import { decodeRecord, encodeRecord, keys } from './records.js'
import { readContact, readMessage } from './context.js'
import type { Context } from './context.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { ContactRecord, MessageRecord, OutboxRecord } from './records.js'
import type { FailureReason, MessageState } from './types.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** How long a dial may take before the contact counts as unreachable for this attempt. */
const DIAL_TIMEOUT_MS = 5_000
/** Envelopes sent on one stream (or deposited at once) before waiting for their answers. */
const WINDOW = 256
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
  private readonly pumps = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  private readonly backoff = new Map<string, { delay: number, timer?: NodeJS.Timeout }>()
  private readonly links = new Map<string, MessageLink>()
  /** Per contact: no direct attempt before this time (ms), after a failed one. */
  private readonly directPause = new Map<string, { until: number, delay: number }>()
  /** Outbox entries whose commit is not yet durable: never sent before they are. */
  private readonly notDurable = new Set<string>()
  private stopped = false

  constructor (private readonly ctx: Context) {}

  /** Marks an outbox entry as not yet durable (call before its commit). */
  holdUntilDurable (envelopeId: string): void {
    this.notDurable.add(envelopeId)
  }

  /** Releases an entry held by {@link holdUntilDurable}. */
  release (envelopeId: string): void {
    this.notDurable.delete(envelopeId)
  }

  /** Starts (or re-runs) delivery for a contact. */
  kick (contactId: string): void {
    if (this.stopped) return
    const b = this.backoff.get(contactId)
    if (b?.timer != null) {
      clearTimeout(b.timer)
      b.timer = undefined
    }
    if (this.pumps.has(contactId)) {
      this.again.add(contactId)
      return
    }
    const pump = this.pump(contactId)
      .catch(err => { this.ctx.log.warn('delivery pump failed', { error: (err as Error).name }) })
      .finally(() => {
        this.pumps.delete(contactId)
        if (this.again.delete(contactId)) this.kick(contactId)
      })
    this.pumps.set(contactId, pump)
  }

  /** Kicks every contact that has something in its outbox (at start). */
  async kickAll (): Promise<void> {
    const seen = new Set<string>()
    for await (const bytes of this.ctx.store.values(['outbox'])) {
      const entry = decodeRecord<OutboxRecord>(bytes)
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
    await Promise.allSettled([...this.pumps.values()])
  }

  private async pump (contactId: string): Promise<void> {
    while (!this.stopped) {
      const contact = await readContact(this.ctx.store, contactId)
      if (contact == null || contact.blocked) return
      let batch: OutboxRecord[] = []
      // Entries a relay already holds (waiting for a second) take at most half the window, so
      // that new messages still go out while a relay of the contact is down.
      let held = 0
      for await (const bytes of this.ctx.store.values(keys.outboxOf(contactId))) {
        const entry = decodeRecord<OutboxRecord>(bytes)
        if (this.notDurable.has(entry.envelopeId)) break
        if ((entry.heldBy?.length ?? 0) > 0 && held++ >= WINDOW / 2) continue
        batch.push(entry)
        if (batch.length >= WINDOW) break
      }
      if (batch.length === 0) return
      if (this.directAllowed(contactId)) {
        batch = await this.sendDirect(contact, batch)
        if (batch.length === 0) {
          this.backoff.delete(contactId)
          continue
        }
        this.pauseDirect(contactId)
      }
      if (this.stopped) return
      const { left, retryAfterMs } = await this.deposit(contact, batch)
      if (left.length > 0) {
        this.retryLater(contactId, retryAfterMs)
        return
      }
      this.backoff.delete(contactId)
    }
  }

  /** Sends a batch on a direct stream; resolves with the entries that did not get a receipt. */
  private async sendDirect (contact: ContactRecord, batch: OutboxRecord[]): Promise<OutboxRecord[]> {
    let link: MessageLink
    try {
      link = await this.link(contact)
    } catch (err) {
      this.ctx.log.debug('contact unreachable', { error: (err as Error).name })
      return batch
    }
    // Each receipt is settled as it arrives; group commit folds the settlements together.
    const outcomes = await Promise.allSettled(batch.map(async entry => this.settle(entry, await link.send(entry.envelope))))
    const left = batch.filter((_, i) => outcomes[i]?.status === 'rejected')
    if (left.length > 0) {
      this.links.get(contact.id)?.close()
      this.links.delete(contact.id)
    } else {
      this.directPause.delete(contact.id)
    }
    return left
  }

  /**
   * Deposits a batch at the contact's relays, in order, until each entry is held by
   * {@link COPIES} of them (or all, when it has fewer); each entry is settled as `sent` once the
   * first relay has written it durably. Resolves with the entries not yet held by enough relays.
   */
  private async deposit (contact: ContactRecord, batch: OutboxRecord[]): Promise<{ left: OutboxRecord[], retryAfterMs: number }> {
    const targets = depositTargets(contact)
    if (targets.length === 0) return { left: batch, retryAfterMs: 0 }
    const goal = Math.min(COPIES, targets.length)
    const current = new Set(targets.map(t => t.addr))
    // Relays the contact no longer uses do not count.
    const copies = (heldBy: string[] = []): number => heldBy.filter(a => current.has(a)).length
    const enough = (heldBy: string[]): boolean => copies(heldBy) >= goal
    let retryAfterMs = 0
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
      if (failure != null) note(failure.reason)
    }
    return { left: left.filter(e => copies(e.heldBy) < goal), retryAfterMs }
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
      const message = await readMessage(this.ctx.store, entry.messageId)
      if (message?.state === 'sent') out.push(entry)
      else settled.push(entry)
    }
    if (settled.length > 0) {
      const { done } = await this.ctx.lock.run(async () => {
        const tx = this.ctx.store.transaction()
        for (const entry of settled) tx.del(keys.outbox(entry.contactId, entry.seq))
        return { done: tx.commit() }
      })
      await done
    }
    return out
  }

  private directAllowed (contactId: string): boolean {
    return Date.now() >= (this.directPause.get(contactId)?.until ?? 0)
  }

  private pauseDirect (contactId: string): void {
    const previous = this.directPause.get(contactId)
    const delay = Math.min((previous?.delay ?? MIN_DIRECT_PAUSE_MS / 2) * 2, MAX_BACKOFF_MS)
    this.directPause.set(contactId, { until: Date.now() + delay, delay })
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
    const b = this.backoff.get(contactId) ?? { delay: MIN_BACKOFF_MS / 2 }
    b.delay = Math.min(b.delay * 2, MAX_BACKOFF_MS)
    clearTimeout(b.timer)
    // Jitter keeps many contacts that went offline together from retrying in lockstep.
    const wait = Math.max(b.delay * (0.75 + Math.random() / 2), Math.min(atLeastMs, 3_600_000))
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
    const { message, done } = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      const key = keys.outbox(entry.contactId, entry.seq)
      entry.heldBy = [...new Set([...entry.heldBy ?? [], addr])]
      if (enough(entry.heldBy)) {
        tx.del(key)
      } else {
        // Kept for the next copy, unless it was settled meanwhile (its contact removed): a
        // settled entry stays settled.
        if (await tx.get(key) == null) return { message: undefined, done: Promise.resolve() }
        tx.put(key, encodeRecord(entry))
      }
      let message: MessageRecord | undefined
      if (entry.messageId != null) {
        message = await readMessage(tx, entry.messageId)
        if (message?.state === 'queued') {
          message.state = 'sent'
          tx.put(keys.message(message), encodeRecord(message))
        } else {
          message = undefined
        }
      }
      return { message, done: tx.commit() }
    })
    await done
    if (message != null) this.ctx.events.emit('status', { id: message.id, contactId: message.contactId, state: 'sent' })
  }

  /** Records a receipt: the entry leaves the outbox and its message changes state, atomically. */
  private async settle (entry: OutboxRecord, result: DeliveryResult): Promise<void> {
    const state: MessageState = result.status === 'REJECTED' ? 'failed' : 'delivered'
    const failure: FailureReason | undefined = result.status === 'REJECTED' ? 'rejected' : undefined
    if (result.status === 'REJECTED') {
      this.ctx.log.warn('recipient refused an envelope', { reason: result.reason })
    }
    const { message, done } = await this.ctx.lock.run(async () => {
      const tx = this.ctx.store.transaction()
      tx.del(keys.outbox(entry.contactId, entry.seq))
      let message: MessageRecord | undefined
      if (entry.messageId != null) {
        message = await readMessage(tx, entry.messageId)
        if (message != null) {
          message.state = state
          if (failure != null) message.failure = failure
          tx.put(keys.message(message), encodeRecord(message))
        }
      }
      return { message, done: tx.commit() }
    })
    await done
    if (message != null) {
      this.ctx.events.emit('status', { id: message.id, contactId: message.contactId, state, ...(failure != null ? { failure } : {}) })
    }
  }
}
