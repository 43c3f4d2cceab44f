// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Offline delivery through `sotto-relay` (a child process) between messengers of `@sotto/core`:
 * messages sent while the recipient is offline are deposited in its mailbox (`sent`), drained when
 * it returns (once each, in order) and acknowledged end to end (`delivered`); blocking revokes the
 * blocked contact's tokens at the relay; relays can be listed, added and removed, and a relay in an
 * excluded jurisdiction is refused.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { Fleet, collectEvents, introduce, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'

const UNAUTHORIZED_DEPOSITS = /^sotto_relay_mailbox_requests_total\{op="deposit",status="UNAUTHORIZED"\} (\d+)/m

describe('offline delivery through sotto-relay', () => {
  const fleet = new Fleet()
  let relay: RelayProcess

  before(async () => {
    relay = await startRelay()
  })

  after(async () => {
    await fleet.cleanup()
    if (relay != null && relay.proc.exitCode == null) await relay.kill9()
    await removeDir(relay?.dataDir)
  })

  it('Bob offline: 500 messages reach sent, then arrive once each, in order, and Alice sees all delivered', { timeout: 120_000 }, async () => {
    const COUNT = 500
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    const alice = await fleet.start(aliceDir, 'Alice', { relays: [relay.tcp] })
    let bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await fleet.stop(bob)

    const sent = collectEvents(alice, 'status', COUNT, s => s.state === 'sent' && s.contactId === bobAtAlice)
    const ids: string[] = []
    for (let i = 0; i < COUNT; i++) ids.push((await alice.send(bobAtAlice, `offline ${i}`)).id)
    assert.deepEqual(new Set((await sent).map(s => s.id)), new Set(ids))
    const history = await alice.history(bobAtAlice)
    assert.equal(history.filter(m => m.state === 'sent').length, COUNT, 'every message is sent, none delivered yet')

    const delivered = collectEvents(alice, 'status', COUNT, s => s.state === 'delivered' && s.contactId === bobAtAlice, 90_000)
    const began = Date.now()
    bob = await fleet.start(bobDir, 'Bob')
    const shown: string[] = []
    bob.on('message', m => { shown.push(m.text) })
    const expected = Array.from({ length: COUNT }, (_, i) => `offline ${i}`)
    await until(async () => shown.length >= COUNT, `${COUNT} messages at Bob`, 60_000)
    const drainMs = Date.now() - began
    assert.deepEqual(shown, expected, 'each message shown once, in the order it was written')
    assert.ok(drainMs < 20_000, `drained in ${drainMs} ms`)
    const incoming = (await bob.history(aliceAtBob)).filter(m => m.direction === 'in').map(m => m.text)
    assert.deepEqual(incoming, expected)

    assert.deepEqual(new Set((await delivered).map(s => s.id)), new Set(ids))
    assert.ok((await alice.history(bobAtAlice)).every(m => m.state === 'delivered'))
    // Acknowledged after they were stored: the relay holds none of them any more.
    await until(async () => await metric(relay, /^sotto_relay_envelopes (\d+)/m) === 0, 'an empty mailbox')
    assert.equal(shown.length, COUNT, 'nothing shown twice')
  })

  it('blocking revokes the contact\'s tokens: its deposits are refused and nothing reaches the blocker', { timeout: 90_000 }, async () => {
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    const alice = await fleet.start(aliceDir, 'Alice', { relays: [relay.tcp] })
    let bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)

    // Before the block, a deposit with Alice's token is taken.
    await fleet.stop(bob)
    const before = await alice.send(bobAtAlice, 'before the block')
    assert.equal((await alice.waitForState(before.id, ['sent'], 20_000)).state, 'sent')
    bob = await fleet.start(bobDir, 'Bob')
    await nextEvent(bob, 'message', m => m.text === 'before the block')
    await alice.waitForState(before.id, ['delivered'], 20_000)

    await bob.block(aliceAtBob)
    await fleet.stop(bob)
    const refusedBefore = await metric(relay, UNAUTHORIZED_DEPOSITS)
    const after = await alice.send(bobAtAlice, 'after the block')
    await until(async () => await metric(relay, UNAUTHORIZED_DEPOSITS) > refusedBefore, 'a refused deposit')
    assert.equal((await alice.history(bobAtAlice)).find(m => m.id === after.id)?.state, 'queued', 'a refused deposit is not sent')
    assert.equal(await metric(relay, /^sotto_relay_envelopes (\d+)/m), 0, 'the relay holds nothing for Bob')

    // Bob comes back: Alice reaches him through the relay's circuit and he refuses her outright.
    bob = await fleet.start(bobDir, 'Bob')
    const failed = await alice.waitForState(after.id, ['delivered'], 60_000)
    assert.equal(failed.state, 'failed')
    assert.equal(failed.failure, 'rejected')
    assert.ok(!(await bob.history(aliceAtBob)).some(m => m.text === 'after the block'))

    // Unblocking gives Alice fresh tokens: offline delivery works again.
    const freshTokens = nextEvent(alice, 'contact', c => c.id === bobAtAlice && c.mailboxes > 0)
    await bob.unblock(aliceAtBob)
    await freshTokens
    await fleet.stop(bob)
    const again = await alice.send(bobAtAlice, 'after the unblock')
    await until(async () => (await alice.history(bobAtAlice)).find(m => m.id === again.id)?.state === 'sent', 'a deposit with the fresh token', 60_000)
    bob = await fleet.start(bobDir, 'Bob')
    await nextEvent(bob, 'message', m => m.text === 'after the unblock')
    await alice.waitForState(again.id, ['delivered'], 20_000)
  })

  it('lists, adds and removes relays; refuses an excluded jurisdiction, an unreachable relay and a bad address', { timeout: 60_000 }, async () => {
    const swiss = await startRelay({ args: ['--jurisdiction', 'CH', '--operator', 'Swiss Operator'] })
    try {
      const alice = await fleet.start(await fleet.dir(), 'Alice', { relays: [relay.tcp] })
      const [view] = await alice.relays()
      assert.equal(view?.addr, multiaddr(relay.tcp).toString())
      assert.equal(view?.peerId, relay.peerId)
      assert.equal(view?.info?.operator, 'Test Operator')
      assert.equal(view?.info?.jurisdiction, 'DE')
      assert.equal(view?.info?.contact, 'mailto:ops@example.org')
      assert.ok((view?.info?.retentionSeconds ?? 0) > 0)
      assert.match(view?.info?.version ?? '', /^sotto-relay\//)
      assert.equal(view?.mailboxReady, true)
      await until(async () => (await alice.relays())[0]?.reserved === true, 'a reservation')
      assert.ok(alice.addresses().some(a => a.includes(`/p2p/${relay.peerId}/p2p-circuit`)), 'Alice listens through the relay')

      await alice.updateSettings({ excludedJurisdictions: ['CH'] })
      await assert.rejects(alice.addRelay(swiss.tcp), (err: Error & { jurisdiction?: string }) => {
        assert.equal(err.name, 'ExcludedJurisdictionError')
        assert.equal(err.jurisdiction, 'CH')
        return true
      })
      assert.equal((await alice.relays()).length, 1)
      const mailboxesAtSwiss = await metric(swiss, /^sotto_relay_mailboxes (\d+)/m)
      assert.equal(mailboxesAtSwiss, 0, 'no mailbox was made at a refused relay')

      await assert.rejects(alice.addRelay('/ip4/127.0.0.1/tcp/1/p2p/12D3KooWCKq9ZvccjmCqhBbPsrgpAKBHWQpgB61ruM19CyAvH1Cp'), { name: 'RelayUnreachableError' })
      await assert.rejects(alice.addRelay('/ip4/127.0.0.1/tcp/4001'), { name: 'InvalidInputError' })
      await assert.rejects(alice.addRelay('not an address'), { name: 'InvalidInputError' })
      await assert.rejects(alice.removeRelay(swiss.tcp), { name: 'NotFoundError' })

      await alice.updateSettings({ excludedJurisdictions: [] })
      const added = await alice.addRelay(swiss.tcp)
      assert.equal(added.info?.jurisdiction, 'CH')
      assert.equal(added.info?.operator, 'Swiss Operator')
      assert.deepEqual((await alice.relays()).map(r => r.peerId), [relay.peerId, swiss.peerId])
      assert.equal(await metric(swiss, /^sotto_relay_mailboxes (\d+)/m), 1)
      assert.equal((await alice.addRelay(swiss.tcp)).peerId, swiss.peerId, 'adding it again changes nothing')

      await alice.removeRelay(swiss.tcp)
      assert.deepEqual((await alice.relays()).map(r => r.peerId), [relay.peerId])
      await until(async () => await metric(swiss, /^sotto_relay_mailboxes (\d+)/m) === 0, 'the mailbox deleted at the removed relay')

      // Excluding the jurisdiction of a relay in use removes it, as removeRelay does.
      await alice.addRelay(swiss.tcp)
      await until(async () => await metric(swiss, /^sotto_relay_mailboxes (\d+)/m) === 1, 'a mailbox at the relay added again')
      await alice.updateSettings({ excludedJurisdictions: ['CH'] })
      assert.deepEqual((await alice.relays()).map(r => r.peerId), [relay.peerId])
      await until(async () => await metric(swiss, /^sotto_relay_mailboxes (\d+)/m) === 0, 'the mailbox deleted at the excluded relay')
    } finally {
      await swiss.kill9()
      await removeDir(swiss.dataDir)
    }
  })

  it('introduces a stranger through the relay while the invite\'s owner is offline', { timeout: 60_000 }, async () => {
    const alice = await fleet.start(await fleet.dir(), 'Alice', { relays: [relay.tcp] })
    const bobDir = await fleet.dir()
    let bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const invite = await bob.invite()
    await fleet.stop(bob)
    const added = await alice.addContact(invite)
    const first = await alice.send(added.id, 'hello from a stranger')
    assert.equal((await alice.waitForState(first.id, ['sent'], 20_000)).state, 'sent')
    bob = await fleet.start(bobDir, 'Bob')
    await until(async () => (await bob.requests()).length > 0, 'a request at Bob')
    const [request] = await bob.requests()
    assert.ok(request != null)
    assert.equal(request.displayName, 'Alice')
    await until(async () => (await bob.history(request.id)).some(m => m.text === 'hello from a stranger'), 'the first message in requests')
    // Nothing goes back to a stranger before the user accepts; the receipt goes then.
    assert.equal((await alice.history(added.id)).find(m => m.id === first.id)?.state, 'sent')
    await bob.accept(request.id)
    await alice.waitForState(first.id, ['delivered'], 20_000)
  })
})
