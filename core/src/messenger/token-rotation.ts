// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Deposit token rotation. Each contact's token at each home relay is replaced by a fresh one once
 * it is {@link TOKEN_ROTATE_MS} old, and at once whenever a home relay is added or removed; the
 * contact learns the new one in a Tokens message (inside the encrypted session, once the relay has
 * it registered). The replaced token stays registered for {@link TOKEN_GRACE_MS} after it was
 * replaced, and in any case until its replacement was announced, so that what the contact deposits
 * meanwhile is not refused; then it is revoked. A relay can therefore link one contact's deposits to
 * each other only within about nine days (a week, and the overlap).
 */
import { generateDepositToken } from '../mailbox/index.js'
import { Recurring, systemClock } from '../util/index.js'
import { keys } from './records.js'
import { eligibleForTokens } from './tokens.js'
import type { Logger } from '../logger.js'
import type { Clock } from '../util/index.js'
import type { ContactRecord, IssuedToken, ProfileRecord, RelayRecord } from './records.js'
import type { Repositories } from './state.js'

const DAY_MS = 24 * 3_600_000
/** A contact's token is replaced once it is this old: weekly. */
export const TOKEN_ROTATE_MS = 7 * DAY_MS
/** A replaced token stays valid at the relay this long after it was replaced. */
export const TOKEN_GRACE_MS = 2 * DAY_MS
/** How often the rotation looks for tokens due (default hourly). */
export const TOKEN_CHECK_MS = 3_600_000

/** Options of the token rotation; every one has a default. */
export interface TokenRotationInit {
  /** See {@link TOKEN_ROTATE_MS}. */
  rotateMs?: number
  /** See {@link TOKEN_GRACE_MS}. */
  graceMs?: number
  /** See {@link TOKEN_CHECK_MS}. */
  checkMs?: number
  /** How long a run waits for the relays to register and revoke (default 10 s; the rest is done when each is next reached). */
  syncWaitMs?: number
}

/** What the token rotation uses. */
export interface TokenRotationComponents {
  repos: Pick<Repositories, 'state' | 'contacts' | 'relays'>
  profile: Pick<ProfileRecord, 'relays'>
  /** Registers new tokens and revokes old ones at the home relays. */
  homeRelays: { sync(timeoutMs: number): Promise<void> }
  /** Sends each contact its new list once registered. */
  tokens: { announce(): Promise<void> }
  log: Logger
  /** Default: the system clock. */
  clock?: Clock
}

/** What one rotation run did. */
export interface RotationResult {
  /** Tokens replaced by fresh ones. */
  rotated: number
  /** Replaced tokens past their grace period, queued for revocation. */
  revoked: number
}

/**
 * Retires `c`'s current token at each of `relays` and gives it a fresh one there (if eligible).
 * Returns how many were replaced. Used for the periodic rotation and when a home relay is added
 * or removed.
 */
export function replaceTokens (c: ContactRecord, relays: readonly string[], now: number): number {
  if (!eligibleForTokens(c)) return 0
  const issued = c.issued ?? []
  const fresh: IssuedToken[] = []
  for (const t of issued) {
    if (t.retiredAt != null || !relays.includes(t.relay)) continue
    t.retiredAt = now
    fresh.push({ relay: t.relay, token: generateDepositToken(), registered: false, announced: false, issuedAt: now })
  }
  c.issued = [...issued, ...fresh]
  return fresh.length
}

/**
 * One contact's rotation at `now`: dates tokens not yet dated, replaces those due, and takes out
 * the retired tokens whose grace has run out (only once a replacement at the same relay was
 * announced, so the contact is never left without a token there). Returns whether `c` changed
 * and the tokens taken out.
 */
export function rotateContact (c: ContactRecord, now: number, init: Required<Pick<TokenRotationInit, 'rotateMs' | 'graceMs'>>): { changed: boolean, expired: IssuedToken[] } {
  const issued = c.issued ?? []
  let changed = false
  for (const t of issued) {
    if (t.issuedAt == null) {
      t.issuedAt = now
      changed = true
    }
  }
  // A token not registered yet is not replaced: its relay has been out of reach, and a replacement
  // would only wait beside it.
  const due = issued.filter(t => t.retiredAt == null && t.registered && now - (t.issuedAt ?? now) >= init.rotateMs).map(t => t.relay)
  if (replaceTokens(c, due, now) > 0) changed = true
  const current = c.issued ?? []
  const expired = current.filter(t => t.retiredAt != null && now - t.retiredAt >= init.graceMs &&
    current.some(n => n.relay === t.relay && n.retiredAt == null && n.announced))
  if (expired.length > 0) {
    c.issued = current.filter(t => !expired.includes(t))
    changed = true
  }
  return { changed, expired }
}

/** Rotates deposit tokens on a timer (see the module's description). */
export class TokenRotation {
  private readonly clock: Clock
  private readonly init: Required<TokenRotationInit>
  private readonly recurring: Recurring

  constructor (private readonly components: TokenRotationComponents, init: TokenRotationInit = {}) {
    this.clock = components.clock ?? systemClock
    this.init = {
      rotateMs: init.rotateMs ?? TOKEN_ROTATE_MS,
      graceMs: init.graceMs ?? TOKEN_GRACE_MS,
      checkMs: init.checkMs ?? TOKEN_CHECK_MS,
      syncWaitMs: init.syncWaitMs ?? 10_000
    }
    this.recurring = new Recurring(this.clock, this.init.checkMs, async () => { await this.run() },
      err => { this.components.log.warn('token rotation failed', { error: err.name }) })
  }

  /** Runs once now (dating new tokens), then on the timer. */
  start (): void {
    this.recurring.start({ now: true })
  }

  /** Resolves once a run in progress (if any) is done. */
  async idle (): Promise<void> {
    await this.recurring.idle()
  }

  /** Disarms the timer and waits for a run in progress. */
  async stop (): Promise<void> {
    await this.recurring.stop()
  }

  /** One run: replaces what is due, revokes what is past its grace, then syncs and announces. */
  async run (): Promise<RotationResult> {
    const now = this.clock.now()
    const { repos } = this.components
    const result = await repos.state.change(async (tx, change) => {
      const out: RotationResult = { rotated: 0, revoked: 0 }
      const revoke = new Map<string, Uint8Array[]>()
      let changed = false
      for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
        const before = (c.issued ?? []).length
        const { changed: contactChanged, expired } = rotateContact(c, now, this.init)
        if (!contactChanged) continue
        changed = true
        out.rotated += (c.issued ?? []).length + expired.length - before
        for (const t of expired.filter(t => t.registered)) revoke.set(t.relay, [...(revoke.get(t.relay) ?? []), t.token])
        out.revoked += expired.length
        repos.contacts.put(tx, c)
      }
      for (const [addr, tokens] of revoke) {
        const relay: RelayRecord | undefined = await repos.relays.get(addr, tx)
        if (relay == null || relay.leaving === true) continue
        relay.revoke.push(...tokens)
        repos.relays.put(tx, relay)
      }
      if (!changed) change.discard()
      return out
    })
    if (result.rotated > 0 || result.revoked > 0) {
      this.components.log.info('deposit tokens rotated', { ...result })
      await this.components.homeRelays.sync(this.init.syncWaitMs)
      await this.components.tokens.announce()
    }
    return result
  }
}
