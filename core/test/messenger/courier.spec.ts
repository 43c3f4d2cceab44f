// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { Events } from '../../src/messenger/context.js'
import { createCourier } from '../../src/messenger/courier.js'
import { contactFromCard, keys } from '../../src/messenger/records.js'
import { FakeClock } from '../util/fake-clock.js'
import { FakeMailbox, eventually, loggers, tempRepos, until } from './fakes.js'
import type { Courier, CourierInit } from '../../src/messenger/courier.js'
import type { DirectLink } from '../../src/messenger/courier-routes.js'
import type { ContactRecord, MessageRecord, OutboxRecord } from '../../src/messenger/records.js'
import type { Repositories } from '../../src/messenger/state.js'
import type { DeliveryResult } from '../../src/net/message-protocol.js'

const RELAY_A = '/ip4/10.0.0.1/tcp/1/p2p/relayA'
const RELAY_B = '/ip4/10.0.0.2/tcp/1/p2p/relayB'

/** A contact with deposit tokens at `relays`. */
function contactAt (relays: string[]): ContactRecord {
  const card = { userId: 'bob', peerId: 'bob-peer', name: 'Bob', addrs: [], relays: [] }
  return {
    ...contactFromCard(card, new Uint8Array(33), 'contact', true, 0),
    tokens: relays.map(addr => ({ addr, mailboxId: new Uint8Array(32), token: new Uint8Array(32) }))
  }
}

/** Stores `contact` and `count` queued texts in its outbox, envelope i being the byte i. */
async function queue (repos: Repositories, contact: ContactRecord, count: number): Promise<void> {
  await repos.state.change(async tx => {
    for (let i = 0; i < count; i++) {
      const message: MessageRecord = {
        id: `m${i}`, contactId: contact.id, direction: 'out', text: `text ${i}`, sentAt: 1000 + i, order: i * 2, storedAt: 0, state: 'queued'
      }
      repos.messages.put(tx, message)
      repos.refs.put(tx, { contactId: contact.id, sentAt: message.sentAt, order: message.order }, message.id)
      const entry: OutboxRecord = {
        contactId: contact.id, seq: contact.nextOutbox++, envelopeId: `e${i}`, envelope: new Uint8Array([i]), messageId: message.id, createdAt: 0, attempts: 0, sent: false
      }
      repos.outbox.put(tx, entry)
    }
    repos.contacts.put(tx, contact)
  })
}

async function outboxOf (repos: Repositories, contactId: string): Promise<OutboxRecord[]> {
  const out: OutboxRecord[] = []
  for await (const e of repos.outbox.values(keys.outboxOf(contactId))) out.push(e)
  return out
}

const unreachable = { open: async (): Promise<DirectLink> => { throw new Error('unreachable') } }

describe('courier', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  async function setUp (mailboxes: Record<string, FakeMailbox>, init: CourierInit = {}, dialer = unreachable): Promise<{ courier: Courier, repos: Repositories, clock: FakeClock, events: Events }> {
    const { repos, close } = await tempRepos()
    const clock = new FakeClock()
    const events = new Events()
    const courier = createCourier({
      repos,
      dialer,
      clients: { get: addr => mailboxes[addr] as FakeMailbox },
      events,
      log: loggers.forComponent('test'),
      clock
    }, init)
    cleanups.push(async () => {
      await courier.stop()
      await close()
    })
    return { courier, repos, clock, events }
  }

  /** The wait before the pending retry, once the pump has set one. */
  async function retryWait (clock: FakeClock): Promise<number> {
    await until(() => clock.pending === 1, 'a retry to be set')
    return (clock.nextAt as number) - clock.now()
  }

  it('after an attempt that carried something, retries after the first backoff again', async () => {
    const a = new FakeMailbox()
    let failing = true
    let carried = 0
    // Nothing gets through until `failing` is off; then the first deposit of an attempt does, the rest not.
    a.failDeposit = () => {
      if (failing) return new Error('relay down')
      return carried++ === 0 ? undefined : new Error('link broke')
    }
    const { courier, repos, clock } = await setUp({ [RELAY_A]: a })
    await queue(repos, contactAt([RELAY_A]), 3)
    courier.kick('bob')
    const waits = [await retryWait(clock)]
    for (let i = 0; i < 3; i++) {
      await clock.advance(waits[waits.length - 1] as number)
      waits.push(await retryWait(clock))
    }
    // Nothing carried: 1 s, 2 s, 4 s, 8 s, each ±25%.
    assert.ok((waits[3] as number) >= 6_000, `the backoff grew: ${waits.join(', ')}`)
    failing = false
    await clock.advance(waits[3] as number)
    const after = await retryWait(clock)
    assert.equal(a.deposits.length, 1)
    assert.ok(after <= 1_250, `after an attempt that carried one envelope the wait is ${after} ms, not the first backoff`)
  })

  it('an entry one relay holds leaves the outbox after waiting secondCopyGiveUpMs for a second copy', async () => {
    const a = new FakeMailbox()
    const b = new FakeMailbox()
    b.failDeposit = () => new Error('relay B is gone')
    const { courier, repos, clock, events } = await setUp({ [RELAY_A]: a, [RELAY_B]: b }, { secondCopyGiveUpMs: 60_000 })
    const sent: string[] = []
    events.on('status', e => { if (e.state === 'sent') sent.push(e.id) })
    await queue(repos, contactAt([RELAY_A, RELAY_B]), 2)
    courier.kick('bob')
    let wait = await retryWait(clock)
    assert.deepEqual(sent.sort(), ['m0', 'm1'])
    const entries = await outboxOf(repos, 'bob')
    assert.deepEqual(entries.map(e => e.heldBy), [[RELAY_A], [RELAY_A]], 'held by A, waiting for a copy at B')
    const start = clock.now()
    // Retries within the give-up time keep them.
    while (clock.now() + wait - start < 60_000) {
      await clock.advance(wait)
      wait = await retryWait(clock)
      assert.equal((await outboxOf(repos, 'bob')).length, 2, 'kept while the give-up time has not passed')
    }
    await clock.advance(wait)
    await eventually(async () => (await outboxOf(repos, 'bob')).length === 0, 'the entries to give up on a second copy')
    assert.equal(a.deposits.length, 2, 'no copy was deposited at A again')
    for (const id of ['m0', 'm1']) assert.equal((await repos.message(id))?.state, 'sent')
  })

  it('settles each envelope with its receipt on a direct link: delivered, or failed when refused', async () => {
    const sent: Uint8Array[] = []
    const link: DirectLink = {
      usable: true,
      closed: new Promise(() => {}),
      send: async (envelope): Promise<DeliveryResult> => {
        sent.push(envelope)
        return envelope[0] === 1 ? { status: 'REJECTED', reason: 'refused' } : { status: 'STORED' }
      },
      close: () => {}
    }
    const { courier, repos, events } = await setUp({}, {}, { open: async () => link })
    const states = new Map<string, string>()
    events.on('status', e => { states.set(e.id, e.state) })
    await queue(repos, contactAt([]), 3)
    courier.kick('bob')
    await until(() => states.size === 3, 'three receipts settled')
    assert.deepEqual(sent.map(e => e[0]), [0, 1, 2], 'sent once each, in order')
    assert.deepEqual(Object.fromEntries(states), { m0: 'delivered', m1: 'failed', m2: 'delivered' })
    await eventually(async () => (await outboxOf(repos, 'bob')).length === 0, 'the receipts to clear the outbox')
    assert.equal((await repos.message('m1'))?.failure, 'rejected')
  })
})
