// SPDX-License-Identifier: AGPL-3.0-only
/**
 * An impostor claims a contact's user id under a key of its own, and writes with the introduction
 * token every invite card publishes. The app refuses what it writes (the key is not the contact's)
 * and, since it decided, takes it off the relay: held in a small quarantine until the user decides,
 * so the impostor cannot keep the owner's mailbox full. The contact shows the changed identity;
 * blocking drops what was held, accepting opens it, each message once and in order.
 *
 * The owner (Bob), the contact (Alice) and the impostor (Mallory, a Sotto install that took
 * Alice's user id) are real messengers on loopback; the relay is a real `sotto-relay` process.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { WITHOUT_INTRODUCTION_RATES, discardRelays, metric, startRelay, until } from './helpers.js'
import { Fleet, contactReaches, introduce } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Messenger } from '@sotto/core'

const ENVELOPES = /^sotto_relay_envelopes (\d+)/m
const ENVELOPE_BYTES = /^sotto_relay_envelope_bytes (\d+)/m
const QUOTA_REFUSALS = /^sotto_relay_mailbox_requests_total\{op="[^"]*deposit[^"]*",status="QUOTA"\} (\d+)/im

describe('a changed identity at the owner\'s relay', () => {
  const fleet = new Fleet()
  const relays: RelayProcess[] = []
  let relay: RelayProcess

  before(async () => {
    // What is tested is the quota and what the app does.
    relay = await startRelay(WITHOUT_INTRODUCTION_RATES)
    relays.push(relay)
  })

  after(async () => {
    await fleet.cleanup()
    await discardRelays(relays)
  })

  /** Bob and Alice, contacts at one relay; Bob goes offline, leaving a fresh invite behind. */
  async function contacts (): Promise<{ alice: Messenger, bobDir: string, aliceAtBob: string, bobAtAlice: string, invite: string }> {
    const bobDir = await fleet.dir()
    const bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const alice = await fleet.start(await fleet.dir(), 'Alice', { relays: [relay.tcp] })
    const { aliceAtBob, bobAtAlice } = await introduce(alice, bob)
    const invite = await bob.invite()
    await fleet.stop(bob)
    return { alice, bobDir, aliceAtBob, bobAtAlice, invite }
  }

  /** Mallory, under Alice's user id with a key of her own, writes `count` texts to Bob's invite. */
  async function impostor (alice: Messenger, invite: string, count: number): Promise<Messenger> {
    const mallory = await fleet.start(await fleet.dir(), 'Alice', { userId: alice.identity().userId })
    assert.equal(mallory.identity().userId, alice.identity().userId)
    const bob = await mallory.addContact(invite)
    for (let i = 0; i < count; i++) await mallory.send(bob.id, `it is me, Alice (${i})`)
    return mallory
  }

  it('takes an impostor\'s envelopes off the relay, shows the change, and drops them on block', { timeout: 180_000 }, async (t) => {
    const { alice, bobDir, aliceAtBob, bobAtAlice, invite } = await contacts()
    const refusedBefore = await metric(relay, QUOTA_REFUSALS)
    const mallory = await impostor(alice, invite, 80)
    // The introduction sub-quota (64 envelopes) refuses the rest: the introduction and 63 texts in.
    await until(async () => await metric(relay, QUOTA_REFUSALS) > refusedBefore, 'the introduction quota refusing the impostor', 90_000)
    await fleet.stop(mallory)
    assert.equal(await metric(relay, ENVELOPES), 64, 'the introduction quota is full')
    // A contact's deposits still go in.
    const written = await Promise.all(['one', 'two', 'three'].map(async text => alice.send(bobAtAlice, text)))
    for (const m of written) await alice.waitForState(m.id, ['sent', 'delivered'], 30_000)
    const bytesBefore = await metric(relay, ENVELOPE_BYTES)

    const bob = await fleet.start(bobDir, 'Bob')
    await until(async () => (await bob.history(aliceAtBob)).filter(m => m.direction === 'in').length >= 3, 'Alice\'s texts at Bob')
    const changed = await contactReaches(bob, aliceAtBob, c => c.identityChanged && c.held === 32)
    // Left at the relay, they kept the introduction quota full for 3 days (the figure says how much).
    await until(async () => await metric(relay, ENVELOPES) === 0, 'Bob\'s mailbox emptied', 30_000).catch(() => {})
    const bytesAfter = await metric(relay, ENVELOPE_BYTES)
    t.diagnostic(`mailbox bytes at the relay: ${bytesBefore} before Bob drained, ${bytesAfter} after`)
    assert.equal(bytesAfter, 0, 'nothing is left at the relay')
    assert.equal(changed.held, 32, 'the newest 32 of 64 are held')
    const texts = (await bob.history(aliceAtBob)).filter(m => m.direction === 'in').map(m => m.text)
    assert.deepEqual(texts.slice(-3).sort(), ['one', 'three', 'two'], 'Alice\'s own texts are shown')
    assert.ok(texts.every(text => !text.startsWith('it is me')), 'nothing of the impostor is shown')

    const blocked = await bob.block(aliceAtBob)
    assert.equal(blocked.held, 0, 'blocking drops what was held')
    await fleet.stop(bob)
    const again = await fleet.start(bobDir, 'Bob')
    assert.equal((await again.contact(aliceAtBob)).held, 0, 'and it stays dropped')
    await fleet.stop(again)
    await fleet.stop(alice)
  })

  it('opens what was held once the change is accepted: each message once, in order', { timeout: 180_000 }, async () => {
    const { alice, bobDir, aliceAtBob, invite } = await contacts()
    const mallory = await impostor(alice, invite, 5)
    // The introduction and five texts.
    await until(async () => await metric(relay, ENVELOPES) === 6, 'the impostor\'s envelopes at the relay', 60_000)
    await fleet.stop(mallory)

    let bob = await fleet.start(bobDir, 'Bob')
    await contactReaches(bob, aliceAtBob, c => c.identityChanged && c.held === 6)
    await until(async () => await metric(relay, ENVELOPES) === 0, 'Bob\'s mailbox emptied', 30_000)
    assert.deepEqual(await bob.history(aliceAtBob), [], 'nothing shown before the user decides')

    const accepted = await bob.acceptIdentityChange(aliceAtBob)
    assert.equal(accepted.identityChanged, false)
    assert.equal(accepted.held, 0)
    const expected = Array.from({ length: 5 }, (_, i) => `it is me, Alice (${i})`)
    assert.deepEqual((await bob.history(aliceAtBob)).map(m => m.text), expected)
    // Started again, nothing is opened twice.
    await fleet.stop(bob)
    bob = await fleet.start(bobDir, 'Bob')
    assert.deepEqual((await bob.history(aliceAtBob)).map(m => m.text), expected)
    assert.equal((await bob.contact(aliceAtBob)).held, 0)
  })
})
