// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Token buckets keyed by a string: `burst` at once, refilled continuously at `perHour`.
 */

/** A bucket's size and refill rate. */
export interface RateLimit {
  /** Most requests at once. */
  burst: number
  /** Requests refilled per hour. */
  perHour: number
}

/** The answer of {@link RateLimiter.take}. */
export type RateDecision = { ok: true } | { ok: false, retryAfterMs: number }

interface Bucket {
  tokens: number
  at: number
}

/** Buckets for many keys. Full buckets are forgotten, so memory follows the active keys only. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly perMs: number

  constructor (private readonly limit: RateLimit, private readonly now: () => number = Date.now) {
    this.perMs = limit.perHour / 3_600_000
  }

  /** Takes one request from `key`'s bucket, or says how long until one is available. */
  take (key: string): RateDecision {
    const now = this.now()
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now }
    b.tokens = Math.min(this.limit.burst, b.tokens + (now - b.at) * this.perMs)
    b.at = now
    if (b.tokens >= 1) {
      b.tokens -= 1
      this.buckets.set(key, b)
      return { ok: true }
    }
    this.buckets.set(key, b)
    const retryAfterMs = this.perMs > 0 ? Math.ceil((1 - b.tokens) / this.perMs) : 3_600_000
    return { ok: false, retryAfterMs: Math.min(retryAfterMs, 0xffffffff) }
  }

  /** Forgets buckets that have refilled completely. */
  sweep (): void {
    const now = this.now()
    for (const [k, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.limit.burst) this.buckets.delete(k)
    }
  }

  /** How many keys have a bucket now. */
  get size (): number {
    return this.buckets.size
  }
}
