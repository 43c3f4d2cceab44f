// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Group controls that waited at `sotto-relay` while their session moved on: the envelope waits in a
 * mailbox, the relay goes down, and its sender and recipient chat directly long enough for the
 * Double Ratchet to drop the chain it was sealed on. When the relay returns it no longer decrypts;
 * the recipient asks for it again, and its sender seals it again:
 * - a membership change (Bob is away when the admin removes Carol): the same change;
 * - an ask to join (Bob is away when the admin adds him): the ask, while he is still asked;
 * - an answer to it (the admin is away when Bob answers): Bob's entry, while he is still joining.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { ASKED_AGAIN, Fleet, countLogged, introduce, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Group, Messenger } from '@sotto/core'

/** Round trips while the relay is down; each turns the ratchet on both sides (libsignal keeps five chains). */
const ROUND_TRIPS = 8

/** Resolves once `m` holds a group matching `match`. */
async function groupReaches (m: Messenger, match: (g: Group) => boolean): Promise<Group> {
  const event = nextEvent(m, 'group', match, 60_000)
  const found = (await m.groups()).find(match)
  return found ?? await event
}

/** Chats directly between `a` and `b` until the Double Ratchet has dropped the chains of both ways. */
async function turnRatchet (a: Messenger, bAtA: string, b: Messenger, aAtB: string): Promise<void> {
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const atA = nextEvent(a, 'message', m => m.text === `b ${i}`, 60_000)
    await b.send(aAtB, `b ${i}`)
    await atA
    const atB = nextEvent(b, 'message', m => m.text === `a ${i}`, 60_000)
    await a.send(bAtA, `a ${i}`)
    await atB
  }
}

/** The address `m` listens on, without its PeerId: to start it again where its contacts know it. */
function listenOf (m: Messenger): string {
  return (m.addresses()[0] as string).replace(/\/p2p\/.*$/, '')
}

const ENVELOPES = /^sotto_relay_envelopes (\d+)/m
const DEPOSITS = /^sotto_relay_mailbox_requests_total\{op="deposit",status="OK"\} (\d+)/m

describe('sotto-relay: group controls that waited while the session moved on', () => {
  const fleet = new Fleet()
  const relays: RelayProcess[] = []

  after(async () => {
    await fleet.cleanup()
    for (const r of relays) if (r.proc.exitCode == null) await r.kill9()
    if (relays[0] != null) await removeDir(relays[0].dataDir)
  })

  /** A relay, and Alice, Bob and Carol with Alice as everyone's contact; Bob counts what he asks again. */
  async function trio (): Promise<{ relay: RelayProcess, port: string, alice: Messenger, bob: Messenger, carol: Messenger, bobDir: string, aliceDir: string, bobAtAlice: string, aliceAtBob: string }> {
    const relay = await startRelay()
    relays.push(relay)
    const port = /\/tcp\/(\d+)\//.exec(relay.tcp)?.[1] as string
    const [aliceDir, bobDir] = [await fleet.dir(), await fleet.dir()]
    const alice = await fleet.start(aliceDir, 'Alice', { relays: [relay.tcp] })
    const bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const carol = await fleet.start(await fleet.dir(), 'Carol', { relays: [relay.tcp] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await introduce(alice, carol)
    return { relay, port, alice, bob, carol, bobDir, aliceDir, bobAtAlice, aliceAtBob }
  }

  /**
   * The relay of `t` goes down; the messenger in `dir` starts again at `listen` (where its contact
   * knows it), counting the envelopes it asks for again.
   */
  async function backWithoutRelay (t: { relay: RelayProcess }, dir: string, name: string, listen: string): Promise<{ messenger: Messenger, asked: () => number }> {
    await t.relay.stop()
    const asked = countLogged(ASKED_AGAIN)
    return { messenger: await fleet.start(dir, name, { listen: [listen], logger: asked.logger }), asked: asked.count }
  }

  /** Starts the relay of `t` again on its data and port. */
  async function relayReturns (t: { relay: RelayProcess, port: string }): Promise<void> {
    relays.push(await startRelay({ dataDir: t.relay.dataDir, args: ['--listen', `/ip4/127.0.0.1/tcp/${t.port}`] }))
  }

  it('a membership change is sealed again at the member\'s request, so the member takes it in', { timeout: 180_000 }, async () => {
    const t = await trio()
    const { relay, alice, carol } = t
    const crew = await alice.createGroup('Crew', [t.bob.identity().userId, carol.identity().userId])
    await Promise.all([alice, t.bob, carol].map(async m => groupReaches(m, g => g.id === crew.id && g.members.length === 3)))

    // Bob is away (he comes back at the address Alice knows): the removal waits in his mailbox.
    const bobListen = listenOf(t.bob)
    await fleet.stop(t.bob)
    const waiting = await metric(relay, ENVELOPES)
    await alice.removeFromGroup(crew.id, carol.identity().userId)
    await until(async () => await metric(relay, ENVELOPES) > waiting, 'the removal in Bob\'s mailbox', 60_000)

    // The relay goes down with it; Bob returns and he and Alice chat directly, turning the ratchet.
    const { messenger: bob, asked } = await backWithoutRelay(t, t.bobDir, 'Bob', bobListen)
    await turnRatchet(alice, t.bobAtAlice, bob, t.aliceAtBob)
    assert.equal((await bob.group(crew.id)).members.length, 3, 'the removal is still at the relay')

    // The relay returns: the removal no longer decrypts; Bob asks for it again, and takes it in.
    await relayReturns(t)
    const atBob = await groupReaches(bob, g => g.id === crew.id && g.members.length === 2)
    assert.deepEqual(atBob.members.map(m => m.id).sort(), [alice.identity().userId, bob.identity().userId].sort())
    assert.ok(asked() >= 1, 'Bob asked for the removal again')
  })

  it('an ask to join is sealed again while the contact is still asked, so they join', { timeout: 180_000 }, async () => {
    const t = await trio()
    const { relay, alice, carol } = t
    const crew = await alice.createGroup('Crew', [carol.identity().userId])
    await Promise.all([alice, carol].map(async m => groupReaches(m, g => g.id === crew.id && g.members.length === 2)))

    // Bob is away when Alice adds him: her ask waits in his mailbox.
    const bobListen = listenOf(t.bob)
    await fleet.stop(t.bob)
    const waiting = await metric(relay, ENVELOPES)
    await alice.addToGroup(crew.id, t.bob.identity().userId)
    await until(async () => await metric(relay, ENVELOPES) > waiting, 'the ask in Bob\'s mailbox', 60_000)

    const { messenger: bob, asked } = await backWithoutRelay(t, t.bobDir, 'Bob', bobListen)
    await turnRatchet(alice, t.bobAtAlice, bob, t.aliceAtBob)
    assert.equal((await bob.groups()).length, 0, 'the ask is still at the relay')

    // The relay returns: the ask no longer decrypts; Bob asks for it again, answers, and joins.
    await relayReturns(t)
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === crew.id && g.members.length === 3)))
    assert.ok(asked() >= 1, 'Bob asked for the ask again')
  })

  it('an answer to an ask is sealed again while its sender is still joining, so the admin adds them', { timeout: 180_000 }, async () => {
    const t = await trio()
    const { relay, carol } = t
    const crew = await t.alice.createGroup('Crew', [carol.identity().userId])
    await Promise.all([t.alice, carol].map(async m => groupReaches(m, g => g.id === crew.id && g.members.length === 2)))

    // Bob is away when Alice adds him; then Alice is away when he reads her ask and answers it.
    const [aliceListen, bobListen] = [listenOf(t.alice), listenOf(t.bob)]
    await fleet.stop(t.bob)
    const waiting = await metric(relay, ENVELOPES)
    await t.alice.addToGroup(crew.id, t.bob.identity().userId)
    await until(async () => await metric(relay, ENVELOPES) > waiting, 'the ask in Bob\'s mailbox', 60_000)
    await fleet.stop(t.alice)
    const deposits = await metric(relay, DEPOSITS)
    const bob = await fleet.start(t.bobDir, 'Bob', { listen: [bobListen] })
    await until(async () => await metric(relay, DEPOSITS) > deposits, 'Bob\'s answer in Alice\'s mailbox', 60_000)

    // The relay goes down with the answer; Alice returns, and they chat directly, turning the ratchet.
    const { messenger: alice, asked } = await backWithoutRelay(t, t.aliceDir, 'Alice', aliceListen)
    await turnRatchet(alice, t.bobAtAlice, bob, t.aliceAtBob)
    assert.equal((await alice.group(crew.id)).members.length, 2, 'the answer is still at the relay')

    // The relay returns: the answer no longer decrypts; Alice asks for it again, and adds Bob.
    await relayReturns(t)
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === crew.id && g.members.length === 3)))
    assert.ok(asked() >= 1, 'Alice asked for the answer again')
  })
})
