// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Deposit tokens this messenger makes for its contacts: one per contact and home relay. They are
 * registered at the relay (by its hash), then sent to the contact inside the encrypted session
 * (a Tokens body); blocking or deleting a contact queues them for revocation.
 */
import { generateDepositToken } from '../mailbox/index.js'
import type { Transaction } from '../storage/types.js'
import type { ContactRecord, RelayRecord } from './records.js'
import type { Repository } from './state.js'

/** Whether a contact should hold deposit tokens: an accepted contact that is not blocked. */
export function eligibleForTokens (c: ContactRecord): boolean {
  return c.status === 'contact' && !c.blocked
}

/**
 * Gives `c` a fresh token at each of `relays` it has none at (if eligible), dated `now` for the
 * rotation (token-rotation.ts). True if any was made.
 */
export function issueTokens (c: ContactRecord, relays: readonly string[], now = Date.now()): boolean {
  if (!eligibleForTokens(c)) return false
  const issued = c.issued ?? []
  let changed = false
  for (const relay of relays) {
    if (issued.some(t => t.relay === relay)) continue
    issued.push({ relay, token: generateDepositToken(), registered: false, announced: false, issuedAt: now })
    changed = true
  }
  c.issued = issued
  return changed
}

/**
 * Takes every token `c` holds from us and queues each for revocation at its relay (in `tx`).
 * The contact is not told: a blocked contact learns nothing from us.
 */
export async function revokeIssued (relays: Repository<RelayRecord, string>, tx: Transaction, c: ContactRecord): Promise<void> {
  for (const t of c.issued ?? []) {
    const relay = await relays.get(t.relay, tx)
    if (relay == null || relay.leaving === true) continue
    relay.revoke.push(t.token)
    relays.put(tx, relay)
  }
  c.issued = []
}
