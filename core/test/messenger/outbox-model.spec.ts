// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A model-based property test of the outbox and receipts: random interleavings of sends in both
 * directions, the recipient going away and coming back, and restarts of the sender. Whatever the
 * order, every message the sender was told is queued reaches the other side once, in order, and its
 * state only moves forward (queued → delivered).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { collectEvents, introduce, startMessenger, tempDir } from './helpers.js'
import type { Messenger, MessageState } from '../../src/messenger/index.js'

interface Model {
  bobUp: boolean
  aliceSent: string[]
  bobSent: string[]
}

interface Real {
  alice: Messenger
  bob: Messenger
  aliceDir: string
  bobDir: string
  bobListen: string[]
  bobAtAlice: string
  aliceAtBob: string
  /** Every state each of Alice's messages was seen in, in order. */
  states: Map<string, MessageState[]>
}

const RANK: Record<MessageState, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 2 }

function watch (real: Real): void {
  real.alice.on('status', s => { real.states.get(s.id)?.push(s.state) })
}

class AliceSends implements fc.AsyncCommand<Model, Real> {
  constructor (readonly text: string) {}
  check (): boolean { return true }
  async run (m: Model, r: Real): Promise<void> {
    const message = await r.alice.send(r.bobAtAlice, this.text)
    assert.equal(message.state, 'queued')
    r.states.set(message.id, ['queued'])
    m.aliceSent.push(this.text)
  }

  toString (): string { return `alice sends ${this.text}` }
}

class BobSends implements fc.AsyncCommand<Model, Real> {
  constructor (readonly text: string) {}
  check (m: Readonly<Model>): boolean { return m.bobUp }
  async run (m: Model, r: Real): Promise<void> {
    await r.bob.send(r.aliceAtBob, this.text)
    m.bobSent.push(this.text)
  }

  toString (): string { return `bob sends ${this.text}` }
}

class BobLeaves implements fc.AsyncCommand<Model, Real> {
  check (m: Readonly<Model>): boolean { return m.bobUp }
  async run (m: Model, r: Real): Promise<void> {
    await r.bob.stop()
    m.bobUp = false
  }

  toString (): string { return 'bob leaves' }
}

class BobReturns implements fc.AsyncCommand<Model, Real> {
  check (m: Readonly<Model>): boolean { return !m.bobUp }
  async run (m: Model, r: Real): Promise<void> {
    r.bob = await startMessenger(r.bobDir, 'Bob', { listen: r.bobListen })
    m.bobUp = true
  }

  toString (): string { return 'bob returns' }
}

class AliceRestarts implements fc.AsyncCommand<Model, Real> {
  check (): boolean { return true }
  async run (_m: Model, r: Real): Promise<void> {
    const listen = r.alice.addresses().map(a => a.replace(/\/p2p\/.*/, ''))
    await r.alice.stop()
    r.alice = await startMessenger(r.aliceDir, 'Alice', { listen })
    watch(r)
  }

  toString (): string { return 'alice restarts' }
}

const text = fc.string({ minLength: 1, maxLength: 40 }).map(s => s.trim() === '' ? 'x' : s)
const commands = [
  text.map(t => new AliceSends(t)),
  text.map(t => new BobSends(t)),
  fc.constant(new BobLeaves()),
  fc.constant(new BobReturns()),
  fc.constant(new AliceRestarts())
]

async function settle (m: Model, r: Real): Promise<void> {
  if (!m.bobUp) {
    r.bob = await startMessenger(r.bobDir, 'Bob', { listen: r.bobListen })
    m.bobUp = true
  }
  const deadline = Date.now() + 30_000
  const incomingAt = async (who: Messenger, contact: string): Promise<string[]> =>
    (await who.history(contact)).filter(x => x.direction === 'in').map(x => x.text)
  while (true) {
    const atBob = await incomingAt(r.bob, r.aliceAtBob)
    const atAlice = await incomingAt(r.alice, r.bobAtAlice)
    const outgoing = (await r.alice.history(r.bobAtAlice)).filter(x => x.direction === 'out')
    if (atBob.length >= m.aliceSent.length && atAlice.length >= m.bobSent.length && outgoing.every(x => x.state === 'delivered')) break
    if (Date.now() > deadline) throw new Error(`not settled: bob has ${atBob.length}/${m.aliceSent.length}, alice ${atAlice.length}/${m.bobSent.length}`)
    // Each check waits for the next delivery (or a short while), not a fixed sleep.
    await Promise.race([collectEvents(r.bob, 'message', 1), collectEvents(r.alice, 'status', 1), new Promise(resolve => { setTimeout(resolve, 250) })])
  }
  assert.deepEqual(await incomingAt(r.bob, r.aliceAtBob), m.aliceSent, 'bob shows alice\'s messages once each, in order')
  assert.deepEqual(await incomingAt(r.alice, r.bobAtAlice), m.bobSent, 'alice shows bob\'s messages once each, in order')
  for (const [id, seen] of r.states) {
    for (let i = 1; i < seen.length; i++) {
      assert.ok(RANK[seen[i] as MessageState] >= RANK[seen[i - 1] as MessageState], `${id} went ${seen.join(' → ')}`)
    }
  }
}

describe('outbox and receipts as a state machine', () => {
  it('delivers every queued message once, in order, whatever happens in between', async () => {
    await fc.assert(fc.asyncProperty(fc.commands(commands, { maxCommands: 10 }), async cmds => {
      const a = await tempDir()
      const b = await tempDir()
      const alice = await startMessenger(a.dir, 'Alice')
      const bob = await startMessenger(b.dir, 'Bob')
      const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
      const real: Real = {
        alice,
        bob,
        aliceDir: a.dir,
        bobDir: b.dir,
        bobListen: bob.addresses().map(x => x.replace(/\/p2p\/.*/, '')),
        bobAtAlice,
        aliceAtBob,
        states: new Map()
      }
      watch(real)
      const model: Model = { bobUp: true, aliceSent: [], bobSent: [] }
      try {
        await fc.asyncModelRun(() => ({ model, real }), cmds)
        await settle(model, real)
      } finally {
        await real.alice.stop()
        await real.bob.stop()
        await a.cleanup()
        await b.cleanup()
      }
    }), { numRuns: 6 })
  })
})
