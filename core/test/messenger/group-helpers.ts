// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the group specs share: three real messengers, Alice with Bob and Carol as her contacts (not
 * each other's), and waiting for a group to reach a state.
 */
import { after, before } from 'node:test'
import { keys } from '../../src/messenger/records.js'
import { introduce, nextEvent, startMessenger, tempDir } from './helpers.js'
import { handTo, withStoppedRepos } from './stopped-messengers.js'
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
  return withStoppedRepos(dir, name, async repos => {
    const envelopes: Uint8Array[] = []
    const tx = repos.state.store.transaction()
    for await (const entry of repos.outbox.values(keys.outboxOf(contactId))) {
      envelopes.push(entry.envelope)
      tx.del(keys.outbox(contactId, entry.seq))
    }
    if (take) await tx.commit()
    return envelopes
  })
}

/** Hands envelopes to a running messenger (see stopped-messengers.ts). */
export { handTo }
