// SPDX-License-Identifier: AGPL-3.0-only
/**
 * An honest mailbox user: owns a mailbox with one contact token, deposits into it at a steady pace
 * and times each deposit from request to the relay's durable answer, reading and acknowledging
 * what piles up now and then (as its owner would) so no quota fills.
 */

import { randomBytes } from 'node:crypto'
import { createMailboxClient, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'
import { clientNode } from './node.js'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { MailboxClient } from '@sotto/core/mailbox'

/** One timed deposit. */
export interface DepositSample {
  /** When it started (ms since the epoch). */
  at: number
  /** Milliseconds to the answer (or to the failure). */
  ms: number
  /** `OK`, or the error's name. */
  status: string
}

/** A mailbox and a token to deposit into it. */
export interface MailboxAccess {
  mailboxId: string
  token: string
}

/** The honest user. */
export class HonestUser {
  private node?: Libp2p
  private client?: MailboxClient
  private key?: PrivateKey
  private access?: { mailboxId: Uint8Array, token: Uint8Array }
  private running = false
  private loop?: Promise<void>
  private samples: DepositSample[] = []

  /** Creates a mailbox at `relay` and registers one contact token. */
  async setup (relay: string): Promise<MailboxAccess> {
    this.node = await clientNode()
    this.client = createMailboxClient(this.node, relay, { timeout: 30_000 })
    this.key = await generateMailboxKey()
    const mailboxId = await this.client.create(this.key)
    const token = generateDepositToken()
    await this.client.registerToken(this.key, token, 'contact')
    this.access = { mailboxId, token }
    return { mailboxId: Buffer.from(mailboxId).toString('hex'), token: Buffer.from(token).toString('hex') }
  }

  /**
   * Starts depositing one `bytes`-byte envelope every `intervalMs`, reading and acknowledging the
   * mailbox after every `drainEvery` deposits (0: never; the envelopes then expire at the relay).
   */
  start (intervalMs: number, bytes: number, drainEvery = 100): void {
    if (this.client == null || this.access == null || this.key == null) throw new Error('setup first')
    const { client, access, key } = this
    this.running = true
    this.loop = (async () => {
      let next = Date.now()
      let sinceDrain = 0
      while (this.running) {
        const wait = next - Date.now()
        if (wait > 0) await new Promise<void>(resolve => { setTimeout(resolve, wait) })
        next += intervalMs
        const at = Date.now()
        const started = performance.now()
        let status = 'OK'
        try {
          await client.deposit(access.mailboxId, access.token, new Uint8Array(randomBytes(bytes)))
        } catch (err) {
          status = (err as Error).name
        }
        this.samples.push({ at, ms: performance.now() - started, status })
        if (drainEvery > 0 && ++sinceDrain >= drainEvery) {
          sinceDrain = 0
          await this.drain(client, key).catch(() => {})
          next = Math.max(next, Date.now())
        }
      }
    })()
  }

  private async drain (client: MailboxClient, key: PrivateKey): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const page = await client.read(key, { limit: 1000 })
      if (page.envelopes.length === 0) return
      await client.ack(key, page.envelopes.map(e => e.id))
      if (!page.more) return
    }
  }

  /** Returns the samples taken since the last call. */
  take (): DepositSample[] {
    const out = this.samples
    this.samples = []
    return out
  }

  /** Stops depositing; returns the remaining samples. */
  async stop (): Promise<DepositSample[]> {
    this.running = false
    await this.loop
    return this.take()
  }

  /** Closes everything. */
  async close (): Promise<void> {
    this.running = false
    await this.loop
    await this.client?.close().catch(() => {})
    await this.node?.stop()
  }
}
