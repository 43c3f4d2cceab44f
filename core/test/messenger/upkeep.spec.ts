// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, describe, it } from 'node:test'
import { PREKEY_POLICY, currentPreKeyBundle } from '../../src/crypto/index.js'
import { silentLoggers } from '../../src/logger.js'
import { Mutex } from '../../src/messenger/lock.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { RELAY_HORIZON_MS, encodeRecord, keys, tombstone } from '../../src/messenger/records.js'
import { Upkeep } from '../../src/messenger/upkeep.js'
import { systemClock } from '../../src/util/index.js'
import { cleanUp, newParty } from '../crypto/fixtures.js'
import { FakeClock } from '../util/fake-clock.js'
import { eventually } from './fakes.js'
import type { Party } from '../crypto/fixtures.js'

const T0 = Date.UTC(2026, 0, 1)

async function signedPreKeyId (party: Party): Promise<number> {
  return (await currentPreKeyBundle(party.store.transaction(), party.identity, { oneTime: false })).signedPreKeyId
}

describe('upkeep', () => {
  const parties: Party[] = []
  after(async () => { await cleanUp(...parties) })

  async function upkeepOf (party: Party, now: () => number, intervalMs?: number): Promise<Upkeep> {
    const clock = { ...systemClock, now }
    return new Upkeep({ identity: party.identity, repos: new Repositories(new State(party.store, new Mutex())), log: silentLoggers.forComponent('test'), clock }, { intervalMs })
  }

  it('rotates the signed prekey once it is due, and not before', async () => {
    const party = await newParty(T0)
    parties.push(party)
    let now = T0 + PREKEY_POLICY.rotateAfterMs - 1
    const upkeep = await upkeepOf(party, () => now)
    const first = await signedPreKeyId(party)
    assert.equal((await upkeep.run()).signedPreKeyRotated, false)
    assert.equal(await signedPreKeyId(party), first)
    now = T0 + PREKEY_POLICY.rotateAfterMs
    assert.equal((await upkeep.run()).signedPreKeyRotated, true)
    assert.notEqual(await signedPreKeyId(party), first)
  })

  it('runs on its timer until stopped', async () => {
    const party = await newParty(T0)
    parties.push(party)
    // Time moves only when the test says so: no sleeps, no polling of the wall clock.
    const clock = new FakeClock(T0)
    const upkeep = new Upkeep({ identity: party.identity, repos: new Repositories(new State(party.store, new Mutex())), log: silentLoggers.forComponent('test'), clock }, { intervalMs: PREKEY_POLICY.rotateAfterMs })
    const first = await signedPreKeyId(party)
    upkeep.start()
    await clock.advance(PREKEY_POLICY.rotateAfterMs - 1)
    assert.equal(await signedPreKeyId(party), first, 'not before its interval')
    await clock.advance(1)
    await eventually(async () => await signedPreKeyId(party) !== first, 'the timer to rotate the signed prekey')
    await upkeep.stop()
    const rotated = await signedPreKeyId(party)
    await clock.advance(2 * PREKEY_POLICY.rotateAfterMs)
    assert.equal(clock.pending, 0, 'a stopped upkeep keeps no timer')
    assert.equal(await signedPreKeyId(party), rotated, 'a stopped upkeep ran again')
  })

  it('purges the receipts and resend requests kept for resending once they are too old to be asked for', async () => {
    const party = await newParty(T0)
    parties.push(party)
    const now = T0 + RELAY_HORIZON_MS + 1000
    const tx = party.store.transaction()
    const kept = ['old', 'edge', 'new'].map((name, i) => ({ id: name, contactId: 'c', sentAt: [T0, now - RELAY_HORIZON_MS, now][i] as number, deliveryReceipt: [new Uint8Array(16)] }))
    for (const c of kept) tx.put(keys.sentControl(c.id), encodeRecord(c))
    await tx.commit()
    const upkeep = await upkeepOf(party, () => now)
    assert.equal((await upkeep.run()).controlsPurged, 1)
    assert.equal(await party.store.get(keys.sentControl('old')), undefined)
    assert.ok(await party.store.get(keys.sentControl('edge')) != null)
    assert.ok(await party.store.get(keys.sentControl('new')) != null)
    assert.equal((await upkeep.run()).controlsPurged, 0)
  })
  it('purges tombstones once no relay can bring back what they answer for, and nothing else', async () => {
    const party = await newParty(T0)
    parties.push(party)
    const now = T0 + RELAY_HORIZON_MS + 1000
    const where = { contactId: 'c', sentAt: T0, order: 0 }
    const tx = party.store.transaction()
    tx.put(keys.messageRef('old'), encodeRecord(tombstone('old', where, T0)))
    tx.put(keys.messageRef('recent'), encodeRecord(tombstone('recent', where, now - 1000)))
    tx.put(keys.messageRef('live'), encodeRecord(where))
    // Written before tombstones named their id: it cannot be found by it, and stays.
    tx.put(keys.messageRef('unnamed'), encodeRecord({ ...where, gone: true }))
    await tx.commit()
    const upkeep = await upkeepOf(party, () => now)
    assert.equal((await upkeep.run()).tombstonesPurged, 1)
    assert.equal(await party.store.get(keys.messageRef('old')), undefined)
    for (const id of ['recent', 'live', 'unnamed']) assert.ok(await party.store.get(keys.messageRef(id)) != null, id)
  })
})
