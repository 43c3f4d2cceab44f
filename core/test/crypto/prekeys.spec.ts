// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import { PREKEY_POLICY, currentPreKeyBundle, maintainPreKeys } from '../../src/crypto/index.js'
import { DecryptionError, DuplicateEnvelopeError } from '../../src/errors.js'
import { bundleOf, cleanUp, connect, inTx, newParty, receive, send, text } from './fixtures.js'
import type { Party } from './fixtures.js'
import type { Key } from '../../src/storage/types.js'

const DAY = 24 * 60 * 60 * 1000
const T0 = Date.UTC(2030, 0, 1)

async function maintain (party: Party, now: number): ReturnType<typeof maintainPreKeys> {
  return await inTx(party.store, async tx => await maintainPreKeys(tx, party.identity, now))
}

async function count (party: Party, prefix: Key): Promise<number> {
  let n = 0
  for await (const _ of party.store.values(prefix)) {
    n++
  }
  return n
}

describe('crypto prekeys', () => {
  const parties: Party[] = []
  async function party (now = T0): Promise<Party> {
    const created = await newParty(now)
    parties.push(created)
    return created
  }

  after(async () => {
    await cleanUp(...parties)
  })

  describe('bundles', () => {
    let bob: Party
    before(async () => { bob = await party() })

    it('offers each one-time prekey once, then only the signed and last-resort keys', async () => {
      const first = await bundleOf(bob)
      assert.equal(first.deviceId, 1)
      assert.equal(first.registrationId, bob.identity.registrationId)
      assert.deepEqual(first.identityKey, bob.identity.identityKey)
      assert.equal(first.identityKey.byteLength, 33)
      assert.ok(first.preKey !== undefined && first.preKeyId !== undefined)
      const second = await bundleOf(bob)
      assert.notEqual(second.preKeyId, first.preKeyId)
      assert.notEqual(second.kyberPreKeyId, first.kyberPreKeyId)

      const preKeyIds = new Set([first.preKeyId, second.preKeyId])
      const kyberIds = new Set([first.kyberPreKeyId, second.kyberPreKeyId])
      for (let i = 2; i < PREKEY_POLICY.preKeyPoolSize; i++) {
        const bundle = await bundleOf(bob)
        preKeyIds.add(bundle.preKeyId)
        kyberIds.add(bundle.kyberPreKeyId)
      }
      assert.equal(preKeyIds.size, PREKEY_POLICY.preKeyPoolSize)
      assert.equal(preKeyIds.has(undefined), false)
      // The Kyber pool ran out after its own size: from then on the last-resort key is offered.
      assert.equal(kyberIds.size, PREKEY_POLICY.kyberPoolSize + 1)

      const dry = await bundleOf(bob)
      assert.equal(dry.preKey, undefined)
      assert.equal(dry.preKeyId, undefined)
      assert.equal(kyberIds.has(dry.kyberPreKeyId), true)
      assert.deepEqual(dry, await bundleOf(bob))
    })

    it('a bundle without one-time keys still starts sessions, for several senders', async () => {
      const shared = await bundleOf(bob, { oneTime: false })
      assert.equal(shared.preKey, undefined)
      for (const name of ['carol', 'dave']) {
        const sender = await party()
        await connect(sender, bob, shared)
        assert.equal(text(await receive(bob, await send(sender, bob, `from ${name}`))), `from ${name}`)
      }
    })

    it('does not hand out offered keys again when the bundle transaction was not committed', async () => {
      const tx = bob.store.transaction()
      const uncommitted = await currentPreKeyBundle(tx, bob.identity)
      assert.deepEqual(await bundleOf(bob), uncommitted)
    })

    it('refills both pools when they run low, and only then', async () => {
      const done = await maintain(bob, T0)
      assert.equal(done.preKeysAdded, PREKEY_POLICY.preKeyPoolSize)
      assert.equal(done.kyberPreKeysAdded, PREKEY_POLICY.kyberPoolSize)
      assert.equal(done.signedPreKeyRotated, false)
      assert.equal(done.lastResortKyberRotated, false)
      const fresh = await bundleOf(bob)
      assert.ok(fresh.preKey !== undefined)
      const again = await maintain(bob, T0 + DAY)
      assert.equal(again.preKeysAdded, 0)
      assert.equal(again.kyberPreKeysAdded, 0)
      const sender = await party()
      await connect(sender, bob, fresh)
      assert.equal(text(await receive(bob, await send(sender, bob, 'refilled'))), 'refilled')
    })
  })

  it('uses one-time keys once: a second sender with the same bundle fails, the first is unaffected', async () => {
    const bob = await party()
    const bundle = await bundleOf(bob)
    const carol = await party()
    const dave = await party()
    await connect(carol, bob, bundle)
    await connect(dave, bob, bundle)
    assert.equal(text(await receive(bob, await send(carol, bob, 'first'))), 'first')
    await assert.rejects(receive(bob, await send(dave, bob, 'second')), DecryptionError)
    // Consumed keys are gone from the store.
    assert.equal(await bob.store.get(['signal-prekey', bundle.preKeyId ?? -1]), undefined)
    assert.equal(await bob.store.get(['signal-kyber-prekey', bundle.kyberPreKeyId]), undefined)
    assert.equal(text(await receive(bob, await send(carol, bob, 'again'))), 'again')
  })

  it('rotates the signed and last-resort keys after 7 days, and old PreKey messages decrypt within grace', async () => {
    const bob = await party(T0)
    const oldShared = await bundleOf(bob, { oneTime: false })
    const oldOneTime = await bundleOf(bob)

    // Carol sealed her first message at T0; it waits at a relay while Bob rotates.
    const carol = await party()
    await connect(carol, bob, oldOneTime)
    const inFlight = await send(carol, bob, 'sent before the rotation')

    const early = await maintain(bob, T0 + 6 * DAY)
    assert.equal(early.signedPreKeyRotated, false)
    const rotated = await maintain(bob, T0 + 8 * DAY)
    assert.equal(rotated.signedPreKeyRotated, true)
    assert.equal(rotated.lastResortKyberRotated, true)
    assert.equal(rotated.retiredDeleted, 0)

    const newShared = await bundleOf(bob, { oneTime: false })
    assert.notEqual(newShared.signedPreKeyId, oldShared.signedPreKeyId)
    assert.notEqual(newShared.kyberPreKeyId, oldShared.kyberPreKeyId)
    assert.notDeepEqual(newShared.signedPreKey, oldShared.signedPreKey)

    assert.equal(text(await receive(bob, inFlight)), 'sent before the rotation')
    // Dave still holds the old card and starts a session with it within the grace period.
    const dave = await party()
    await connect(dave, bob, oldShared)
    assert.equal(text(await receive(bob, await send(dave, bob, 'old card'))), 'old card')

    assert.equal(await count(bob, ['signal-kyber-used', oldShared.kyberPreKeyId]), 1)
    const later = await maintain(bob, T0 + 8 * DAY + PREKEY_POLICY.retiredGraceMs)
    assert.equal(await count(bob, ['signal-kyber-used', oldShared.kyberPreKeyId]), 0)
    assert.equal(await bob.store.get(['signal-kyber-last-resort', oldShared.kyberPreKeyId]), undefined)
    assert.equal(await bob.store.get(['signal-signed-prekey', oldShared.signedPreKeyId]), undefined)
    assert.equal(later.retiredDeleted, 2)
    // The keys made on day 8 are due too; they are retired now, still within their own grace.
    assert.equal(later.signedPreKeyRotated, true)
    // After the grace period, the old card no longer works; the newer one does.
    const erin = await party()
    await connect(erin, bob, oldShared)
    await assert.rejects(receive(bob, await send(erin, bob, 'too late')), DecryptionError)
    const frank = await party()
    await connect(frank, bob, newShared)
    assert.equal(text(await receive(bob, await send(frank, bob, 'new card'))), 'new card')
    // Sessions made during the grace period live on.
    assert.equal(text(await receive(bob, await send(dave, bob, 'still here'))), 'still here')
  })

  it('refuses a replayed PreKey message on a last-resort key even when the session is gone', async () => {
    const bob = await party()
    const carol = await party()
    await connect(carol, bob, await bundleOf(bob, { oneTime: false }))
    const first = await send(carol, bob, 'once')
    assert.equal(text(await receive(bob, first)), 'once')
    await bob.store.del(['signal-session', carol.identity.userId])
    await assert.rejects(receive(bob, first), DuplicateEnvelopeError)
  })
})
