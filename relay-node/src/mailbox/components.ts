// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the mailbox service needs, and the limits it enforces.
 */

import type { MailboxRateLimits } from './rates.js'
import type { MailboxStore } from './store.js'
import type { Connection } from '@libp2p/interface'
import type { MailboxStatus } from '@sotto/core/mailbox'
import type { Logger } from 'pino'

/** Quotas and rates the service enforces. */
export interface MailboxLimits extends MailboxRateLimits {
  /** Longest time an envelope is kept, in seconds; also the default TTL. */
  retentionSeconds: number
  /** Longest time an envelope deposited with an introduction token is kept, in seconds. */
  introductionRetentionSeconds: number
  /** Per mailbox: most envelopes. */
  maxEnvelopesPerMailbox: number
  /** Per mailbox: most envelope bytes. */
  maxBytesPerMailbox: number
  /** Per mailbox: most envelopes deposited with introduction tokens. */
  maxIntroductionEnvelopesPerMailbox: number
  /** Per mailbox: most bytes deposited with introduction tokens. */
  maxIntroductionBytesPerMailbox: number
  /** Largest envelope deposited with an introduction token. */
  maxIntroductionEnvelopeBytes: number
  /** Most mailboxes on this relay. */
  maxMailboxes: number
  /** Seconds without owner activity after which a mailbox is deleted. */
  mailboxExpirySeconds: number
  /** Per mailbox: most registered tokens. */
  maxTokensPerMailbox: number
  /** Most registered tokens on this relay. */
  maxTokens: number
  /** Per mailbox: most live subscriptions (the oldest is ended when one more arrives). */
  maxSubscribersPerMailbox: number
}

/** Counters the service reports to (Prometheus in the daemon). */
export interface MailboxMetrics {
  /** One request answered. */
  request(op: string, status: MailboxStatus): void
  /** Seconds from a deposit's arrival to its answer. */
  depositSeconds(seconds: number): void
  /** One envelope pushed to a subscriber. */
  pushed(): void
}

/** What the service needs. */
export interface MailboxServiceComponents {
  store: MailboxStore
  /** The relay's PeerId as multihash bytes: owner ops must name it. */
  relayId: Uint8Array
  limits: MailboxLimits
  log: Logger
  metrics?: MailboxMetrics
  /** The clock, ms since the epoch. */
  now(): number
  /** Called after envelopes were deleted (acked, or with their mailbox), so disk space can be reclaimed. */
  onDeleted?(): void
  /** Called when a connection is closed for sending unreadable frames (to cool its IP down). */
  onUnreadable?(connection: Connection): void
  /** How long a stream's answers may wait to drain before it is aborted, ms. Default 30 s. */
  drainTimeoutMs?: number
}
