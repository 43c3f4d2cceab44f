// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The courier delivers the outbox: per contact, one pump sends the queued envelopes in order over
 * a direct stream and settles each with its receipt. Unreachable contacts are retried with
 * backoff, and at once when they connect.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { MessageLink } from '../net/message-protocol.js'
import { decodeRecord, encodeRecord, keys } from './records.js'
import { readContact, readMessage } from './context.js'
import type { Context } from './context.js'
import type { DeliveryResult } from '../net/message-protocol.js'
import type { ContactRecord, MessageRecord, OutboxRecord } from './records.js'
import type { FailureReason, MessageState } from './types.js'

/** How long a dial may take before the contact counts as unreachable for this attempt. */
const DIAL_TIMEOUT_MS = 5_000
/** Envelopes sent on one stream before waiting for their receipts. */
const WINDOW = 256
const MIN_BACKOFF_MS = 1_000
const MAX_BACKOFF_MS = 60_000

/** Delivers outbox entries. */
export class Courier {
  private readonly pumps = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  private readonly backoff = new Map<string, { delay: number, timer?: NodeJS.Timeout }>()
  private readonly links = new Map<string, MessageLink>()
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
      const batch: OutboxRecord[] = []
      for await (const bytes of this.ctx.store.values(keys.outboxOf(contactId), { limit: WINDOW })) {
        const entry = decodeRecord<OutboxRecord>(bytes)
        if (this.notDurable.has(entry.envelopeId)) break
        batch.push(entry)
      }
      if (batch.length === 0) return
      let link: MessageLink
      try {
        link = await this.link(contact)
      } catch (err) {
        this.ctx.log.debug('contact unreachable', { error: (err as Error).name })
        this.retryLater(contactId)
        return
      }
      // Each receipt is settled as it arrives; group commit folds the settlements together.
      const outcomes = await Promise.allSettled(batch.map(async entry => this.settle(entry, await link.send(entry.envelope))))
      if (outcomes.some(o => o.status === 'rejected')) {
        this.links.get(contactId)?.close()
        this.links.delete(contactId)
        this.retryLater(contactId)
        return
      }
      this.backoff.delete(contactId)
    }
  }

  private async link (contact: ContactRecord): Promise<MessageLink> {
    const existing = this.links.get(contact.id)
    if (existing?.usable === true) return existing
    existing?.close()
    const peer = peerIdFromString(contact.peerId)
    const addrs = contact.addrs.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } })
    if (addrs.length > 0) await this.ctx.node.peerStore.merge(peer, { multiaddrs: addrs })
    const link = await MessageLink.open(this.ctx.node, peer, DIAL_TIMEOUT_MS)
    this.links.set(contact.id, link)
    return link
  }

  private retryLater (contactId: string): void {
    if (this.stopped) return
    const b = this.backoff.get(contactId) ?? { delay: MIN_BACKOFF_MS / 2 }
    b.delay = Math.min(b.delay * 2, MAX_BACKOFF_MS)
    clearTimeout(b.timer)
    // Jitter keeps many contacts that went offline together from retrying in lockstep.
    b.timer = setTimeout(() => { b.timer = undefined; this.kick(contactId) }, b.delay * (0.75 + Math.random() / 2))
    b.timer.unref()
    this.backoff.set(contactId, b)
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
