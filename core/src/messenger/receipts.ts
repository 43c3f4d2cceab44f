// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Delivery receipts of texts that came through relays: the inbox records one per text with the
 * text; this puts them into the outbox (up to {@link MAX_RECEIPT_IDS} ids an envelope), in the
 * same write that clears them.
 */
import { randomBytes } from 'node:crypto'
import { MAX_RECEIPT_IDS } from '../protocol/index.js'
import { RunAgain, fromHex } from '../util/index.js'
import { keys } from './records.js'
import type { Logger } from '../logger.js'
import type { Outbox } from './outbox.js'
import type { Repositories } from './state.js'

/** Options of {@link Receipts}. */
export interface ReceiptsInit {
  /** Most pending receipts taken in one write (default 4096); a flush takes more writes for more. */
  batch?: number
}

/** What receipts use. */
export interface ReceiptsComponents {
  repos: Pick<Repositories, 'state' | 'contacts' | 'receipts'>
  outbox: Outbox
  log: Logger
}

/** Queues pending delivery receipts; calls made while it runs are coalesced. */
export class Receipts {
  private stopped = false
  private readonly batch: number
  private readonly runs: RunAgain

  constructor (private readonly components: ReceiptsComponents, init: ReceiptsInit = {}) {
    this.batch = init.batch ?? 4096
    this.runs = new RunAgain(async () => this.flushOnce(), {
      stopped: () => this.stopped,
      onError: err => { components.log.warn('could not queue delivery receipts', { error: err.name }) }
    })
  }

  /** Queues the receipts waiting now, in the background. */
  flush (): void {
    if (this.stopped) return
    void this.runs.run()
  }

  /** Settles once no flush is running or asked for. */
  async idle (): Promise<void> {
    await this.runs.idle()
  }

  /** No more runs; waits for one in progress. */
  async stop (): Promise<void> {
    this.stopped = true
    await this.runs.idle()
  }

  private async flushOnce (): Promise<void> {
    const { repos, outbox } = this.components
    let seen = 0
    let taken = 0
    await repos.state.change(async (tx, change) => {
      const byContact = new Map<string, string[]>()
      for await (const r of repos.receipts.values(keys.pendingReceipts(), { limit: this.batch }, tx)) {
        seen++
        const ids = byContact.get(r.contactId) ?? []
        ids.push(r.id)
        byContact.set(r.contactId, ids)
      }
      if (byContact.size === 0) change.discard()
      for (const [contactId, ids] of byContact) {
        const c = await repos.contacts.get(contactId, tx)
        // Held while their key is in doubt or their request waits; nothing goes to a blocked (or deleted) contact.
        if (c?.pendingIdentityKey != null || (c?.status === 'request' && c.viaGroup !== true)) continue
        for (const id of ids) repos.receipts.del(tx, { contactId, id })
        taken += ids.length
        if (c == null || c.blocked) continue
        for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
          const chunk = ids.slice(i, i + MAX_RECEIPT_IDS).map(fromHex)
          await outbox.add(tx, change, c, { id: randomBytes(16), sentAt: Date.now(), deliveryReceipt: { ids: chunk } })
        }
        repos.contacts.put(tx, c)
      }
    })
    // A full batch that cleared something may have left more behind: go on (held ones stay put).
    if (seen >= this.batch && taken > 0) this.flush()
  }
}
