// SPDX-License-Identifier: AGPL-3.0-only
/**
 * RelayClients' throwaway identities, against fake nodes (the real thing, at a real relay, is in
 * relay-node/test/privacy.spec.ts): one node per relay, replaced once the rotation is due and
 * nothing is in flight, closed when idle, never the messenger's own node for others' relays.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { silentLoggers } from '../../src/logger.js'
import { RelayClients } from '../../src/messenger/relay-clients.js'
import type { EphemeralNode } from '../../src/net/ephemeral-node.js'

const DAY_MS = 24 * 3_600_000

/** A relay address with a real PeerId. */
async function relayAddr (): Promise<string> {
  return `/ip4/127.0.0.1/tcp/1/p2p/${peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()}`
}

/** Fake throwaway nodes: each records its dials; `stopped` resolves per node once stopped. */
function fakeNodes (): { made: Array<{ dials: number, stopped: Promise<void> }>, create: () => Promise<EphemeralNode> } {
  const made: Array<{ dials: number, stopped: Promise<void> }> = []
  const create = async (): Promise<EphemeralNode> => {
    let resolve = (): void => {}
    const record = { dials: 0, stopped: new Promise<void>(r => { resolve = r }) }
    made.push(record)
    return {
      peerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')),
      dialProtocol: async () => {
        record.dials++
        throw new Error('unreachable in this test')
      },
      stop: async () => { resolve() },
      addEventListener: () => {},
      getConnections: () => []
    } as unknown as EphemeralNode
  }
  return { made, create }
}

const ownNode = {
  dialProtocol: async () => { throw new Error('the messenger\'s own node must not be used for others\' relays') }
}

describe('messenger: RelayClients\' throwaway identities', () => {
  it('uses one throwaway node per relay until the rotation, then a new one, and closes the old', async () => {
    let clock = 1_000_000
    const { made, create } = fakeNodes()
    const clients = new RelayClients(ownNode, silentLoggers, { now: () => clock, createNode: create })
    const a = await relayAddr()
    const b = await relayAddr()
    await assert.rejects(clients.get(a).relayInfo(), /unreachable in this test/)
    await assert.rejects(clients.get(a).relayInfo(), /unreachable in this test/)
    await assert.rejects(clients.get(b).relayInfo(), /unreachable in this test/)
    assert.equal(made.length, 2, 'one node per relay')
    assert.equal(made[0]?.dials, 4, 'two calls, each dialling once more after its first dial failed')

    clock += DAY_MS
    await assert.rejects(clients.get(a).relayInfo(), /unreachable in this test/)
    assert.equal(made.length, 3, 'a new node for relay a after a day')
    await made[0]?.stopped
    await clients.close()
    await Promise.all(made.map(async m => m.stopped))
  })

  it('closes a throwaway node left idle', async () => {
    const { made, create } = fakeNodes()
    const clients = new RelayClients(ownNode, silentLoggers, { idleCloseMs: 20, createNode: create })
    await assert.rejects(clients.get(await relayAddr()).relayInfo(), /unreachable in this test/)
    await made[0]?.stopped
    await clients.close()
  })

  it('reaches a contact\'s relay that is also ours at our address for it, not the contact\'s', async () => {
    const { create } = fakeNodes()
    const clients = new RelayClients(ownNode, silentLoggers, { createNode: create })
    const ours = await relayAddr()
    const theirs = ours.replace('/ip4/127.0.0.1/', '/ip4/10.9.9.9/')
    clients.get(ours, true)
    assert.equal(clients.get(theirs).relay.toString(), ours)
    await clients.close()
  })

  it('refuses to create a mailbox anywhere but through a home relay\'s client', async () => {
    const { create } = fakeNodes()
    const clients = new RelayClients(ownNode, silentLoggers, { createNode: create })
    const key = await generateKeyPair('Ed25519')
    await assert.rejects(clients.get(await relayAddr()).create(key), { name: 'InvalidInputError' })
    await clients.close()
  })
})
