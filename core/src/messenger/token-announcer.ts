// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Token announcement: a Tokens message to every contact whose list of deposit tokens changed —
 * the newest token registered at each of our home relays for them.
 */
import { randomBytes } from 'node:crypto'
import { RunAgain } from '../util/index.js'
import { keys } from './records.js'
import { eligibleForTokens } from './tokens.js'
import type { RelayToken } from '../protocol/index.js'
import type { Logger } from '../logger.js'
import type { Outbox } from './outbox.js'
import type { IssuedToken, ProfileRecord } from './records.js'
import type { Repositories } from './state.js'

/** What the token announcer uses. */
export interface TokenAnnouncerComponents {
  repos: Pick<Repositories, 'state' | 'contacts' | 'relays'>
  outbox: Outbox
  profile: Pick<ProfileRecord, 'relays'>
  /** Told how many contacts were sent a list (never the tokens). Default: silent. */
  log?: Pick<Logger, 'info'>
}

/** Announces tokens; one run at a time, a call during a run makes it run again. */
export class TokenAnnouncer {
  private stopped = false
  private readonly runs = new RunAgain(async () => this.announceOnce(), { stopped: () => this.stopped })

  constructor (private readonly components: TokenAnnouncerComponents) {}

  /** Queues a Tokens message for every contact whose list changed; resolves once they are durable. */
  async announce (): Promise<void> {
    return this.runs.run()
  }

  /** Lets a run in progress finish; no run again after it. */
  async stop (): Promise<void> {
    this.stopped = true
    await this.runs.idle()
  }

  private async announceOnce (): Promise<void> {
    const { repos, outbox, profile } = this.components
    const sent = await repos.state.change(async (tx, change) => {
      const mailboxes = new Map<string, Uint8Array>()
      for (const addr of profile.relays) {
        const relay = await repos.relays.get(addr, tx)
        if (relay?.ready === true) mailboxes.set(addr, relay.mailboxId)
      }
      let sent = 0
      for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
        // A restored installation's contact without a session yet cannot be sealed for (relocation.ts).
        if (!eligibleForTokens(c) || c.pendingIdentityKey != null || c.relocation != null) continue
        const ready = announceable(c.issued ?? [], mailboxes)
        if (c.tokensDirty !== true && !ready.some(t => !t.announced)) continue
        const relays: RelayToken[] = ready.map(t => ({ addr: t.relay, mailboxId: mailboxes.get(t.relay) as Uint8Array, token: t.token }))
        await outbox.add(tx, change, c, { id: randomBytes(16), sentAt: Date.now(), tokens: { relays } })
        for (const t of ready) t.announced = true
        c.tokensDirty = false
        repos.contacts.put(tx, c)
        sent++
      }
      if (sent === 0) change.discard()
      return sent
    })
    if (sent > 0) this.components.log?.info('deposit tokens announced', { contacts: sent })
  }
}

/**
 * The token to announce at each ready relay: the newest one registered there. A token the rotation
 * retired stays the one announced until its replacement is registered, so a contact is never left
 * without a token at a relay in between.
 */
function announceable (issued: readonly IssuedToken[], mailboxes: ReadonlyMap<string, Uint8Array>): IssuedToken[] {
  const newest = new Map<string, IssuedToken>()
  // Replacements are appended after the tokens they replace.
  for (const t of issued) if (t.registered && mailboxes.has(t.relay)) newest.set(t.relay, t)
  return [...newest.values()]
}
