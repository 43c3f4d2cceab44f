// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Fakes of the messenger components' components: a relay mailbox in memory, repositories over a
 * real store in a temp directory, and a way to wait for a condition without sleeping.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { silentLoggers } from '../../src/logger.js'
import { Mutex } from '../../src/messenger/lock.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { openStore } from '../../src/storage/index.js'
import type { MailboxClient, MailboxEnvelope, MailboxPage, MailboxSubscription, RelayInfo } from '../../src/mailbox/index.js'
import type { MailboxSubscribeOptions } from '../../src/mailbox/client.js'
import { contactFromCard } from '../../src/messenger/records.js'
import type { Outbox } from '../../src/messenger/outbox.js'
import type { ContactRecord, OutboxRecord } from '../../src/messenger/records.js'
import type { ChangeControl } from '../../src/messenger/state.js'
import type { Content } from '../../src/protocol/types.js'
import type { Transaction } from '../../src/storage/types.js'

/** Repositories over a real store in a temp directory; `close` removes it. */
export async function tempRepos (): Promise<{ repos: Repositories, close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sotto-component-'))
  const store = await openStore({ dir, keySource: { kind: 'passphrase', passphrase: 'x' }, scryptLogN: 10 })
  return {
    repos: new Repositories(new State(store, new Mutex())),
    close: async () => {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Resolves once `condition` holds, letting I/O run between looks; throws after `turns` looks. */
export async function until (condition: () => boolean, what: string, turns = 20_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return
    await nextTurn()
  }
  throw new Error(`still waiting for ${what}`)
}

/** As {@link until}, for a condition that must be read asynchronously (from the store). */
export async function eventually (condition: () => Promise<boolean>, what: string, turns = 2_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await condition()) return
    await nextTurn()
  }
  throw new Error(`still waiting for ${what}`)
}

/** The loggers of a component under test: silent. */
export const loggers = silentLoggers

/** What a relay says about itself, for fakes. */
export const RELAY_INFO: RelayInfo = {
  operator: 'test',
  contact: 'mailto:test@example.org',
  jurisdiction: 'DE',
  retentionSeconds: 1_209_600,
  maxEnvelopeBytes: 65_536,
  mailboxMaxEnvelopes: 10_000,
  mailboxMaxBytes: 64 * 1024 * 1024,
  contactRate: { burst: 100, perHour: 1000 },
  introductionRate: { burst: 5, perHour: 10 },
  version: 'fake/0'
}

/**
 * One relay's mailbox service in memory. Deposits are kept by increasing id and pushed to a
 * subscriber unless told otherwise; every request can be made to fail.
 */
export class FakeMailbox implements MailboxClient {
  readonly relay = { toString: () => '/fake' } as unknown as MailboxClient['relay']
  readonly relayPeerId = { toString: () => 'fake' } as unknown as MailboxClient['relayPeerId']
  /** Envelopes held, by id. */
  readonly held = new Map<number, Uint8Array>()
  /** Every envelope deposited, in order (what a depositor got accepted). */
  readonly deposits: Uint8Array[] = []
  /** Ids acknowledged. */
  readonly acked: number[] = []
  /** Makes the next requests of a kind fail; return an error to fail, undefined to go on. */
  failDeposit: (envelope: Uint8Array) => Error | undefined = () => undefined
  failAck: () => Error | undefined = () => undefined
  /** Runs while a subscription is being made, before it is confirmed. */
  duringSubscribe: () => void = () => {}
  subscriptions = 0
  private nextId = 1
  private subscriber?: { onEnvelope: (e: MailboxEnvelope) => void, end: (err?: Error) => void }

  /** A deposit from a contact; pushed to the subscriber unless `push` is false. */
  put (envelope: Uint8Array, push = true): number {
    const id = this.nextId++
    this.held.set(id, envelope)
    if (push) this.subscriber?.onEnvelope(this.envelope(id))
    return id
  }

  /** Pushes a held envelope (again, or late). */
  push (id: number): void {
    this.subscriber?.onEnvelope(this.envelope(id))
  }

  /** Ends the subscription from the relay's side. */
  drop (err: Error): void {
    this.subscriber?.end(err)
  }

  async deposit (_mailboxId: Uint8Array, _token: Uint8Array, envelope: Uint8Array): Promise<void> {
    await nextTurn()
    const err = this.failDeposit(envelope)
    if (err != null) throw err
    this.deposits.push(envelope)
    this.put(envelope)
  }

  async read (_key: unknown, options: { after?: number, limit?: number } = {}): Promise<MailboxPage> {
    await nextTurn()
    const ids = [...this.held.keys()].filter(id => id > (options.after ?? 0)).sort((a, b) => a - b)
    const page = ids.slice(0, options.limit ?? 250)
    return { envelopes: page.map(id => this.envelope(id)), more: ids.length > page.length } as MailboxPage
  }

  async ack (_key: unknown, ids: number[]): Promise<number> {
    await nextTurn()
    const err = this.failAck()
    if (err != null) throw err
    for (const id of ids) {
      this.held.delete(id)
      this.acked.push(id)
    }
    return ids.length
  }

  async subscribe (_key: unknown, onEnvelope: (e: MailboxEnvelope) => void, _options?: MailboxSubscribeOptions): Promise<MailboxSubscription> {
    this.subscriptions++
    let end!: (err?: Error) => void
    const closed = new Promise<Error | undefined>(resolve => { end = resolve })
    this.subscriber = { onEnvelope, end }
    this.duringSubscribe()
    await nextTurn()
    return {
      closed,
      close: async () => {
        if (this.subscriber?.end === end) this.subscriber = undefined
        end(undefined)
      }
    }
  }

  async relayInfo (): Promise<RelayInfo> { return RELAY_INFO }
  async create (): Promise<Uint8Array> { return new Uint8Array(32) }
  async registerToken (): Promise<void> {}
  async revokeToken (): Promise<void> {}
  async delete (): Promise<void> {}
  async close (): Promise<void> {}

  private envelope (id: number): MailboxEnvelope {
    return { id, envelope: this.held.get(id) ?? new Uint8Array(), expiresAt: Date.now() + 1_000_000, kind: 'contact' } as MailboxEnvelope
  }
}

/** One call of {@link FakeOutbox.add}. */
export interface OutboxCall {
  contactId: string
  content: Omit<Content, 'senderCard'>
  messageId?: string
  /** The change it was made in committed durably. */
  durable?: boolean
}

/**
 * An outbox that seals nothing: it records what it was given, advances the contact's outbox
 * sequence as the real one does, and notes whether the change committed durably. `fail` makes
 * the next adds throw.
 */
export class FakeOutbox implements Outbox {
  readonly calls: OutboxCall[] = []
  fail: Error | undefined

  async add (_tx: Transaction, control: ChangeControl, contact: ContactRecord, content: Omit<Content, 'senderCard'>, messageId?: string): Promise<OutboxRecord> {
    if (this.fail != null) throw this.fail
    const call: OutboxCall = { contactId: contact.id, content, ...(messageId != null ? { messageId } : {}) }
    this.calls.push(call)
    control.onSettled(durable => { call.durable = durable })
    return { contactId: contact.id, seq: contact.nextOutbox++, envelopeId: 'fake', envelope: new Uint8Array(), createdAt: content.sentAt, attempts: 0, sent: false, ...(messageId != null ? { messageId } : {}) }
  }

  addSealed (_tx: Transaction, control: ChangeControl, contact: ContactRecord, sealed: { id: Uint8Array, sentAt: number }, messageId?: string): OutboxRecord {
    if (this.fail != null) throw this.fail
    const call: OutboxCall = { contactId: contact.id, content: { id: sealed.id, sentAt: sealed.sentAt }, ...(messageId != null ? { messageId } : {}) }
    this.calls.push(call)
    control.onSettled(durable => { call.durable = durable })
    return { contactId: contact.id, seq: contact.nextOutbox++, envelopeId: 'fake', envelope: new Uint8Array(), createdAt: sealed.sentAt, attempts: 0, sent: false, ...(messageId != null ? { messageId } : {}) }
  }

  /** The calls for one contact whose change committed durably. */
  durableFor (contactId: string): OutboxCall[] {
    return this.calls.filter(c => c.contactId === contactId && c.durable === true)
  }
}

/** A contact record named `id`, as made from a card (accepted, heard from unless told). */
export function contactNamed (id: string, fields: Partial<ContactRecord> = {}): ContactRecord {
  const card = { userId: id, peerId: `${id}-peer`, name: id, addrs: [], relays: [] }
  return { ...contactFromCard(card, new Uint8Array(33).fill(1), 'contact', true, 0), ...fields }
}
