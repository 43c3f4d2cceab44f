// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A membership change that waited at `sotto-relay` while its session moved on: Bob is away when
 * the admin removes Carol, the change waits in his mailbox, the relay goes down, and the admin and
 * Bob chat directly long enough for the Double Ratchet to drop the chain it was sealed on. When the
 * relay returns it no longer decrypts; Bob asks for it again, and the admin seals the same change
 * again, so Bob's group no longer holds Carol.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { Fleet, introduce, nextEvent } from './messengers.js'
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

describe('sotto-relay: a membership change that waited while the session moved on', () => {
  const fleet = new Fleet()
  const relays: RelayProcess[] = []

  after(async () => {
    await fleet.cleanup()
    for (const r of relays) if (r.proc.exitCode == null) await r.kill9()
    if (relays[0] != null) await removeDir(relays[0].dataDir)
  })

  it('is sealed again at the member\'s request, so the member takes it in', { timeout: 180_000 }, async () => {
    const relay = await startRelay()
    relays.push(relay)
    const port = /\/tcp\/(\d+)\//.exec(relay.tcp)?.[1] as string
    const bobDir = await fleet.dir()
    const alice = await fleet.start(await fleet.dir(), 'Alice', { relays: [relay.tcp] })
    let bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp] })
    const carol = await fleet.start(await fleet.dir(), 'Carol', { relays: [relay.tcp] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await introduce(alice, carol)
    const crew = await alice.createGroup('Crew', [bob.identity().userId, carol.identity().userId])
    await Promise.all([alice, bob, carol].map(async m => groupReaches(m, g => g.id === crew.id && g.members.length === 3)))

    // Bob is away (he comes back at the address Alice knows): the removal waits in his mailbox.
    const bobListen = (bob.addresses()[0] as string).replace(/\/p2p\/.*$/, '')
    await fleet.stop(bob)
    const waiting = await metric(relay, /^sotto_relay_envelopes (\d+)/m)
    await alice.removeFromGroup(crew.id, carol.identity().userId)
    await until(async () => await metric(relay, /^sotto_relay_envelopes (\d+)/m) > waiting, 'the removal in Bob\'s mailbox', 60_000)

    // The relay goes down with it; Bob returns and he and Alice chat directly, turning the ratchet.
    await relay.stop()
    bob = await fleet.start(bobDir, 'Bob', { listen: [bobListen] })
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const atAlice = nextEvent(alice, 'message', m => m.text === `bob ${i}`, 60_000)
      await bob.send(aliceAtBob, `bob ${i}`)
      await atAlice
      const atBob = nextEvent(bob, 'message', m => m.text === `alice ${i}`, 60_000)
      await alice.send(bobAtAlice, `alice ${i}`)
      await atBob
    }
    assert.equal((await bob.group(crew.id)).members.length, 3, 'the removal is still at the relay')

    // The relay returns: the removal no longer decrypts; Bob asks for it again, and takes it in.
    relays.push(await startRelay({ dataDir: relay.dataDir, args: ['--listen', `/ip4/127.0.0.1/tcp/${port}`] }))
    const atBob = await groupReaches(bob, g => g.id === crew.id && g.members.length === 2)
    assert.deepEqual(atBob.members.map(m => m.id).sort(), [alice.identity().userId, bob.identity().userId].sort())
  })
})
