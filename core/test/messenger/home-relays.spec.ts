// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { generateMailboxKey, mailboxIdOf } from '../../src/mailbox/index.js'
import { Events } from '../../src/messenger/context.js'
import { createHomeRelays } from '../../src/messenger/home-relays.js'
import { FakeClock } from '../util/fake-clock.js'
import { FakeMailbox, loggers, tempRepos, until } from './fakes.js'
import type { HomeRelays } from '../../src/messenger/home-relays.js'
import type { ProfileRecord } from '../../src/messenger/records.js'
import type { DeliveryResult } from '../../src/net/message-protocol.js'

const RELAY = '/ip4/10.0.0.1/tcp/1/p2p/12D3KooWRelay'

/** The recipient side of a relay session, against a fake mailbox: what reached the inbox, in order. */
async function session (mailbox: FakeMailbox): Promise<{ relays: HomeRelays, received: number[], reachable: boolean[], clock: FakeClock, close(): Promise<void> }> {
  const { repos, close } = await tempRepos()
  const key = await generateMailboxKey()
  const profile: ProfileRecord = { name: 'me', peerKey: new Uint8Array(), listen: [], relays: [RELAY], createdAt: 0 }
  await repos.state.change(async tx => {
    repos.relays.put(tx, {
      addr: RELAY, peerId: '12D3KooWRelay', mailboxKey: privateKeyToProtobuf(key), mailboxId: mailboxIdOf(key), introToken: new Uint8Array(32), ready: true, revoke: [], addedAt: 0
    })
    repos.profile.put(tx, profile)
  })
  const received: number[] = []
  const reachable: boolean[] = []
  const events = new Events()
  events.on('relay', view => { reachable.push(view.reachable) })
  const clock = new FakeClock()
  const relays = createHomeRelays({
    repos,
    profile,
    node: {
      peerId: { toString: () => 'me' },
      dial: async () => ({}),
      hangUp: async () => {},
      addEventListener: () => {},
      removeEventListener: () => {}
    } as never,
    reserver: { reserve: async () => {}, reserved: () => true },
    clients: { get: () => mailbox, drop: async () => {}, close: async () => {} },
    events,
    loggers,
    inbox: {
      // The fakes' envelopes are one byte: their number.
      receive: async (envelope): Promise<DeliveryResult> => {
        received.push(envelope[0] as number)
        return { status: 'STORED' }
      }
    },
    tokens: { announce: async () => {} },
    receipts: { flush: () => {} },
    courier: { kickAll: async () => {} },
    clock
  })
  await relays.start()
  return {
    relays,
    received,
    reachable,
    clock,
    close: async () => {
      await relays.stop()
      await close()
    }
  }
}

describe('home relays: the recipient side of a relay session', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  it('reads what waited before subscribing, and a push that comes meanwhile queues behind that read', async () => {
    const mailbox = new FakeMailbox()
    for (let i = 1; i <= 3; i++) mailbox.put(new Uint8Array([i]))
    // A deposit pushed while the subscription is being made, before it is confirmed.
    mailbox.duringSubscribe = () => { mailbox.put(new Uint8Array([4])) }
    const s = await session(mailbox)
    cleanups.push(s.close)
    await until(() => mailbox.acked.length === 4, 'all four acknowledged')
    assert.deepEqual(s.received, [1, 2, 3, 4], 'each once, in deposit order')
  })

  it('a push that does not follow the last id handled makes it read the mailbox instead', async () => {
    const mailbox = new FakeMailbox()
    const s = await session(mailbox)
    cleanups.push(s.close)
    await until(() => mailbox.subscriptions === 1, 'the subscription')
    mailbox.put(new Uint8Array([1]))
    await until(() => mailbox.acked.length === 1, 'the first acknowledged')
    // The relay skipped the push of 2 (its subscriber fell behind), then pushed 3.
    mailbox.put(new Uint8Array([2]), false)
    mailbox.put(new Uint8Array([3]))
    await until(() => mailbox.acked.length === 3, 'all three acknowledged')
    assert.deepEqual(s.received, [1, 2, 3], 'the skipped envelope was read, in order, and nothing twice')
  })

  it('a failed mailbox job ends the session, and the next one reads again what it held', async () => {
    const mailbox = new FakeMailbox()
    let failures = 1
    mailbox.failAck = () => failures-- > 0 ? new Error('the stream broke') : undefined
    mailbox.put(new Uint8Array([1]))
    mailbox.put(new Uint8Array([2]))
    const s = await session(mailbox)
    cleanups.push(s.close)
    // The session ended: it reconnects after its backoff, not before.
    await until(() => s.reachable.includes(true) && s.reachable.at(-1) === false, 'the session to end')
    assert.equal(mailbox.subscriptions, 1)
    assert.equal(mailbox.acked.length, 0)
    await s.clock.advance((s.clock.nextAt as number) - s.clock.now())
    await until(() => mailbox.acked.length === 2, 'both acknowledged by the next session')
    assert.equal(mailbox.subscriptions, 2)
    assert.deepEqual([...new Set(s.received)], [1, 2], 'read again, in order (the inbox drops the copy by envelope id)')
    assert.equal(mailbox.held.size, 0)
  })
})
