// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay's mailbox service and its store.
 */

export { MailboxService } from './service.js'
export type { MailboxLimits, MailboxMetrics, MailboxServiceComponents } from './components.js'
export type { MailboxRateLimits } from './rates.js'
export { levelMailboxStore } from './level-store.js'
export type { LevelMailboxStoreInit } from './level-store.js'
export type { AppendLimits, EnvelopePage, MailboxRecord, MailboxStore, MailboxUsage, StoreStats, TokenLimits, TokenRecord } from './store.js'
export { RateLimiter } from './rate-limit.js'
export type { RateDecision, RateLimit } from './rate-limit.js'
