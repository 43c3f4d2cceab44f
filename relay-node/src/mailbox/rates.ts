// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The mailbox service's rates: deposits per token; introductions per depositing peer and per
 * source address as well (an introduction token is public, and one stranger could hold many);
 * mailbox creations per IP and per IPv6 /48 (a /48 holds 65,536 /64s: counted per /64 alone, one
 * site could fill the relay's 100,000 mailboxes in minutes); token registrations per IP.
 */

import { siteOf, sourceOf } from '../ip.js'
import { RateLimiter } from './rate-limit.js'
import type { RateDecision, RateLimit } from './rate-limit.js'
import type { Connection } from '@libp2p/interface'
import type { DepositTokenKind } from '@sotto/core/mailbox'

/** The rates, each a bucket of `burst` refilled at `perHour`. */
export interface MailboxRateLimits {
  /** Per contact token: deposits. */
  contactRate: RateLimit
  /** Per introduction token: deposits. */
  introductionRate: RateLimit
  /** Per depositing peer: introduction deposits, all tokens together. */
  introductionPeerRate: RateLimit
  /** Per remote IP: introduction deposits, all tokens together. */
  introductionIpRate: RateLimit
  /** Per remote IP: mailbox creations. */
  createRate: RateLimit
  /** Per remote IPv6 /48: mailbox creations. */
  createSiteRate: RateLimit
  /** Per remote IP: token registrations. */
  tokenRate: RateLimit
}

/** What a refused request is answered with. */
export interface Refusal {
  message: string
  retryAfterMs: number
}

/** Every rate bucket of the mailbox service. */
export class MailboxRates {
  private readonly contact: RateLimiter
  private readonly introduction: RateLimiter
  private readonly introductionPeer: RateLimiter
  private readonly introductionIp: RateLimiter
  private readonly create: RateLimiter
  private readonly createSite: RateLimiter
  private readonly token: RateLimiter

  constructor (limits: MailboxRateLimits, now: () => number) {
    this.contact = new RateLimiter(limits.contactRate, now)
    this.introduction = new RateLimiter(limits.introductionRate, now)
    this.introductionPeer = new RateLimiter(limits.introductionPeerRate, now)
    this.introductionIp = new RateLimiter(limits.introductionIpRate, now)
    this.create = new RateLimiter(limits.createRate, now)
    this.createSite = new RateLimiter(limits.createSiteRate, now)
    this.token = new RateLimiter(limits.tokenRate, now)
  }

  /**
   * Takes a deposit with a token of `kind` (its hash in hex) from `connection`, or says why not. An
   * introduction is taken from the token's, the peer's and the address's buckets, in that order,
   * and refused by the first that is empty.
   */
  deposit (kind: DepositTokenKind, tokenHash: string, connection: Connection): Refusal | undefined {
    if (kind === 'contact') return refused(this.contact.take(tokenHash), 'too many deposits with this token')
    return refused(this.introduction.take(tokenHash), 'too many deposits with this token') ??
      refused(this.introductionPeer.take(connection.remotePeer.toString()), 'too many introductions from this peer') ??
      refused(this.introductionIp.take(sourceOf(connection.remoteAddr)), 'too many introductions from here')
  }

  /** Takes a mailbox creation from `connection`'s IP, and from its /48 for IPv6. */
  createMailbox (connection: Connection): Refusal | undefined {
    const site = siteOf(connection.remoteAddr)
    return refused(this.create.take(sourceOf(connection.remoteAddr)), 'too many new mailboxes from here') ??
      (site == null ? undefined : refused(this.createSite.take(site), 'too many new mailboxes from this network'))
  }

  /** Takes a token registration from `connection`'s IP. */
  registerToken (connection: Connection): Refusal | undefined {
    return refused(this.token.take(sourceOf(connection.remoteAddr)), 'too many token registrations from here')
  }

  /** Forgets buckets that have refilled; call now and then. */
  sweep (): void {
    for (const r of [this.contact, this.introduction, this.introductionPeer, this.introductionIp, this.create, this.createSite, this.token]) r.sweep()
  }
}

function refused (decision: RateDecision, message: string): Refusal | undefined {
  return decision.ok ? undefined : { message, retryAfterMs: decision.retryAfterMs }
}
