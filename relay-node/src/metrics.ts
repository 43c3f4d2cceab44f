// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Prometheus metrics, all named `sotto_relay_*`. Gauges read the live state when scraped.
 */

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { MailboxMetrics } from './mailbox/index.js'
import type { MailboxStatus } from '@sotto/core/mailbox'

/** Live values the gauges read at scrape time. */
export interface MetricSources {
  mailboxes(): number
  tokens(): number
  envelopes(): number
  envelopeBytes(): number
  reservations(): number
  connections(): number
  subscriptions(): number
}

/** The relay's metrics. */
export class RelayMetrics implements MailboxMetrics {
  /** The registry `/metrics` serves. */
  readonly registry = new Registry()
  private readonly requests: Counter<'op' | 'status'>
  private readonly depositDuration: Histogram
  private readonly pushes: Counter
  private readonly commitWrites: Histogram
  private readonly commitDuration: Histogram
  private readonly purged: Counter
  private readonly refused: Counter<'reason'>
  private readonly forwards: Counter<'status'>
  private sources?: MetricSources

  constructor () {
    collectDefaultMetrics({ register: this.registry, prefix: 'sotto_relay_' })
    const registers = [this.registry]
    this.requests = new Counter({ name: 'sotto_relay_mailbox_requests_total', help: 'Mailbox requests answered, by operation and status', labelNames: ['op', 'status'], registers })
    this.depositDuration = new Histogram({
      name: 'sotto_relay_deposit_duration_seconds',
      help: 'Time from a deposit arriving to its answer (after the synced write)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers
    })
    this.pushes = new Counter({ name: 'sotto_relay_pushes_total', help: 'Envelopes pushed to subscribed owners', registers })
    this.commitWrites = new Histogram({ name: 'sotto_relay_commit_writes', help: 'Writes carried by one synced batch (group commit)', buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500], registers })
    this.commitDuration = new Histogram({ name: 'sotto_relay_commit_duration_seconds', help: 'Duration of one synced batch', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5], registers })
    this.purged = new Counter({ name: 'sotto_relay_expired_envelopes_purged_total', help: 'Envelopes deleted because their time-to-live ran out', registers })
    this.forwards = new Counter({ name: 'sotto_relay_forwarded_deposits_total', help: 'Deposits users asked this relay to forward to other relays, by outcome', labelNames: ['status'], registers })
    this.refused = new Counter({ name: 'sotto_relay_refused_total', help: 'Connections and reservations refused by the relay\'s own limits', labelNames: ['reason'], registers })
    const gauge = (name: string, help: string, read: (s: MetricSources) => number): void => {
      const sources = (): MetricSources | undefined => this.sources
      new Gauge({ name, help, registers, collect () { const s = sources(); if (s != null) this.set(read(s)) } })
    }
    gauge('sotto_relay_mailboxes', 'Mailboxes held', s => s.mailboxes())
    gauge('sotto_relay_tokens', 'Deposit tokens registered', s => s.tokens())
    gauge('sotto_relay_envelopes', 'Envelopes held', s => s.envelopes())
    gauge('sotto_relay_envelope_bytes', 'Envelope bytes held', s => s.envelopeBytes())
    gauge('sotto_relay_reservations', 'Circuit relay reservations held', s => s.reservations())
    gauge('sotto_relay_connections', 'Open connections', s => s.connections())
    gauge('sotto_relay_subscriptions', 'Live mailbox subscriptions', s => s.subscriptions())
  }

  /** Where the gauges read from; set once the relay is built. */
  setSources (sources: MetricSources): void {
    this.sources = sources
  }

  request (op: string, status: MailboxStatus): void {
    this.requests.inc({ op, status })
  }

  depositSeconds (seconds: number): void {
    this.depositDuration.observe(seconds)
  }

  pushed (): void {
    this.pushes.inc()
  }

  /** One synced batch carried `writes` writes and took `seconds`. */
  commit (writes: number, seconds: number): void {
    this.commitWrites.observe(writes)
    this.commitDuration.observe(seconds)
  }

  /** `count` expired envelopes were purged. */
  expired (count: number): void {
    this.purged.inc(count)
  }

  /** A forwarded deposit ended with `status` (OK, or why not). */
  forwarded (status: string): void {
    this.forwards.inc({ status })
  }

  /** The relay's own limits refused something, for `reason`. */
  refuse (reason: string): void {
    this.refused.inc({ reason })
  }
}
