// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, describe, it } from 'node:test'
import { Mutex } from '../../src/messenger/lock.js'
import { createQuarantine } from '../../src/messenger/quarantine.js'
import { State } from '../../src/messenger/state.js'
import { cleanUp, newParty } from '../crypto/fixtures.js'
import type { Party } from '../crypto/fixtures.js'
import type { QuarantineInit } from '../../src/messenger/quarantine.js'

const KEY = new Uint8Array(33).fill(5)

describe('quarantine', () => {
  const parties: Party[] = []
  after(async () => { await cleanUp(...parties) })

  async function rig (init: QuarantineInit = {}): Promise<{ state: State, hold: (contactId: string, n: number, size?: number) => Promise<number>, quarantine: ReturnType<typeof createQuarantine> }> {
    const party = await newParty()
    parties.push(party)
    const state = new State(party.store, new Mutex())
    const quarantine = createQuarantine(state, init)
    const hold = async (contactId: string, n: number, size = 10): Promise<number> => state.change(async tx => {
      const envelope = new Uint8Array(size).fill(n % 256)
      return (await quarantine.hold(tx, { contactId, envelopeId: `${contactId}-${n}`, envelope, identityKey: KEY })).dropped
    })
    return { state, hold, quarantine }
  }

  const firstBytes = (held: Array<{ envelope: Uint8Array }>): number[] => held.map(h => h.envelope[0] ?? -1)

  it('keeps the newest 32 of a contact, oldest dropped first, in the order they came', async () => {
    const { hold, quarantine } = await rig()
    let dropped = 0
    for (let n = 0; n < 40; n++) dropped += await hold('a', n)
    assert.equal(dropped, 8)
    assert.deepEqual(firstBytes(await quarantine.heldFor('a')), Array.from({ length: 32 }, (_, i) => i + 8))
  })

  it('caps the bytes of a contact, and the count and bytes of all, dropping the oldest', async () => {
    const { hold, quarantine } = await rig({ maxBytesPerContact: 1000, maxEnvelopes: 5, maxBytes: 10_000 })
    for (let n = 0; n < 5; n++) await hold('a', n, 300)
    assert.deepEqual(firstBytes(await quarantine.heldFor('a')), [2, 3, 4], 'three of 300 B fit in 1,000')
    for (let n = 10; n < 13; n++) await hold('b', n)
    assert.deepEqual(firstBytes(await quarantine.heldFor('a')), [3, 4], 'the oldest of all went to keep five in all')
    assert.deepEqual(firstBytes(await quarantine.heldFor('b')), [10, 11, 12])
    const big = await rig({ maxBytes: 1000 })
    await big.hold('a', 1, 600)
    await big.hold('b', 2, 600)
    assert.deepEqual(await big.quarantine.contacts(), ['b'], 'the bytes of all are capped too')
  })

  it('holds a second copy of an envelope once, and drops one contact\'s alone', async () => {
    const { state, hold, quarantine } = await rig()
    await hold('a', 1)
    await hold('a', 1)
    await hold('b', 2)
    assert.equal(await quarantine.count('a'), 1)
    assert.equal(await state.change(async tx => quarantine.drop(tx, 'a')), 1)
    assert.deepEqual(await quarantine.contacts(), ['b'])
  })

  it('releases a contact\'s envelopes in order, each dropped once opened; a failure keeps the rest', async () => {
    const { hold, quarantine } = await rig()
    for (let n = 1; n <= 4; n++) await hold('a', n)
    const opened: number[] = []
    await assert.rejects(quarantine.release('a', async envelope => {
      if (envelope[0] === 3) throw new Error('the disk is full')
      opened.push(envelope[0] ?? -1)
    }), { message: 'the disk is full' })
    assert.deepEqual(opened, [1, 2])
    assert.deepEqual(firstBytes(await quarantine.heldFor('a')), [3, 4], 'what was not opened stays held')
    assert.equal(await quarantine.release('a', async envelope => { opened.push(envelope[0] ?? -1) }), 2)
    assert.deepEqual(opened, [1, 2, 3, 4], 'each opened once, in order')
    assert.equal(await quarantine.count('a'), 0)
  })
})
