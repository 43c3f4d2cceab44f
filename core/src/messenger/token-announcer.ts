// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Token announcement: a Tokens message to every contact whose list of deposit tokens changed —
 * the tokens registered at our home relays for them.
 */
import { randomBytes } from 'node:crypto'
import { RunAgain } from '../util/index.js'
import { keys } from './records.js'
import { eligibleForTokens } from './tokens.js'
import type { RelayToken } from '../protocol/index.js'
import type { Outbox } from './outbox.js'
import type { ProfileRecord } from './records.js'
import type { Repositories } from './state.js'

/** What the token announcer uses. */
export interface TokenAnnouncerComponents {
  repos: Pick<Repositories, 'state' | 'contacts' | 'relays'>
  outbox: Outbox
  profile: Pick<ProfileRecord, 'relays'>
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
    await repos.state.change(async (tx, change) => {
      const mailboxes = new Map<string, Uint8Array>()
      for (const addr of profile.relays) {
        const relay = await repos.relays.get(addr, tx)
        if (relay?.ready === true) mailboxes.set(addr, relay.mailboxId)
      }
      let any = false
      for await (const c of repos.contacts.values(keys.contacts(), {}, tx)) {
        // A restored installation's contact without a session yet cannot be sealed for (relocation.ts).
        if (!eligibleForTokens(c) || c.pendingIdentityKey != null || c.relocation != null) continue
        const issued = c.issued ?? []
        const ready = issued.filter(t => t.registered && mailboxes.has(t.relay))
        if (c.tokensDirty !== true && !ready.some(t => !t.announced)) continue
        const relays: RelayToken[] = ready.map(t => ({ addr: t.relay, mailboxId: mailboxes.get(t.relay) as Uint8Array, token: t.token }))
        await outbox.add(tx, change, c, { id: randomBytes(16), sentAt: Date.now(), tokens: { relays } })
        for (const t of ready) t.announced = true
        c.tokensDirty = false
        repos.contacts.put(tx, c)
        any = true
      }
      if (!any) change.discard()
    })
  }
}
