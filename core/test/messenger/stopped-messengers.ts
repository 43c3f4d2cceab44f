// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reaching into messengers from outside, for tests of what arrives out of order: the repositories
 * of a stopped messenger's store, and envelopes handed to a running one on a direct stream.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createEphemeralNode } from '../../src/net/ephemeral-node.js'
import { MessageLink } from '../../src/net/message-protocol.js'
import { openStore } from '../../src/storage/index.js'
import { Mutex } from '../../src/messenger/lock.js'
import { Repositories, State } from '../../src/messenger/state.js'
import { testOptions } from './helpers.js'
import type { Messenger } from '../../src/messenger/index.js'

/** Runs `fn` on the repositories of the (stopped) messenger in `dir`, then closes its store. */
export async function withStoppedRepos<R> (dir: string, name: string, fn: (repos: Repositories) => Promise<R>): Promise<R> {
  const options = testOptions(dir, name)
  const store = await openStore({ dir, keySource: options.keySource, scryptLogN: options.scryptLogN })
  try {
    return await fn(new Repositories(new State(store, new Mutex())))
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
