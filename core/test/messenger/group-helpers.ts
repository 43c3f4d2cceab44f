// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the group specs share: three real messengers, Alice with Bob and Carol as her contacts (not
 * each other's), and waiting for a group to reach a state.
 */
import { after, before } from 'node:test'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createEphemeralNode } from '../../src/net/ephemeral-node.js'
import { MessageLink } from '../../src/net/message-protocol.js'
import { openStore } from '../../src/storage/index.js'
import { Mutex } from '../../src/messenger/lock.js'
import { keys } from '../../src/messenger/records.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { introduce, nextEvent, startMessenger, tempDir, testOptions } from './helpers.js'
import type { Group, Messenger } from '../../src/messenger/index.js'

/** Resolves once `m` holds a group that `match` accepts. */
export async function groupReaches (m: Messenger, match: (g: Group) => boolean): Promise<Group> {
  const found = (await m.groups()).find(match)
  if (found != null) return found
  return nextEvent(m, 'group', match)
}

/** Three messengers and their data directories. */
export interface Trio { alice: Messenger, bob: Messenger, carol: Messenger, dirs: string[] }

/**
 * Alice, Bob and Carol, started before the suite's tests and stopped after (a test that restarts
 * one puts the new one here): Bob and Carol are Alice's contacts, not each other's.
 */
export function aliceAndFriends (): Trio {
  const trio = { dirs: [] } as unknown as Trio
  const cleanups: Array<() => Promise<void>> = []
  before(async () => {
    for (let i = 0; i < 3; i++) {
      const { dir, cleanup } = await tempDir()
      trio.dirs.push(dir)
      cleanups.push(cleanup)
    }
    const started = await Promise.all(['Alice', 'Bob', 'Carol'].map(async (name, i) => startMessenger(trio.dirs[i] as string, name)))
    Object.assign(trio, { alice: started[0], bob: started[1], carol: started[2] })
    await introduce(trio.alice, trio.bob)
    await introduce(trio.alice, trio.carol)
  })
  after(async () => {
    await Promise.allSettled([trio.alice, trio.bob, trio.carol].map(async m => m?.stop()))
    for (const cleanup of cleanups) await cleanup()
  })
  return trio
}

/**
 * The envelopes waiting in the outbox of the (stopped) messenger in `dir` for `contactId`; with
 * `take`, they are removed from it too (as if lost on their way).
 */
export async function outboxOf (dir: string, name: string, contactId: string, take = false): Promise<Uint8Array[]> {
  const options = testOptions(dir, name)
  const store = await openStore({ dir, keySource: options.keySource, scryptLogN: options.scryptLogN })
  try {
    const repos = new Repositories(new State(store, new Mutex()))
    const envelopes: Uint8Array[] = []
    const tx = store.transaction()
    for await (const entry of repos.outbox.values(keys.outboxOf(contactId))) {
      envelopes.push(entry.envelope)
      tx.del(keys.outbox(contactId, entry.seq))
    }
    if (take) await tx.commit()
    return envelopes
  } finally {
    await store.close()
  }
}

/** Hands `envelopes` to `to` on a direct stream from a throwaway node; answers their receipts. */
export async function handTo (to: Messenger, envelopes: Uint8Array[]): Promise<string[]> {
  const node = await createEphemeralNode()
  try {
    const addr = multiaddr(to.addresses()[0] as string)
    const link = await MessageLink.open(node, peerIdFromString(to.identity().peerId), 10_000, addr)
    const results = await Promise.all(envelopes.map(async e => link.send(e)))
    link.close()
    return results.map(r => `${r.status}${r.reason != null ? ` ${r.reason}` : ''}`)
  } finally {
    await node.stop()
  }
}
