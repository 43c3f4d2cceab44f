// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test helpers: messengers in temp directories on 127.0.0.1, and waiting for their events.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMessenger } from '../../src/messenger/index.js'
import type { Messenger, MessengerEvents, MessengerOptions } from '../../src/messenger/index.js'

/** A temp directory removed by the returned cleanup. */
export async function tempDir (prefix = 'sotto-test-'): Promise<{ dir: string, cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  return { dir, cleanup: async () => rm(dir, { recursive: true, force: true }) }
}

/** Options for a test messenger: loopback only, no mDNS, cheap scrypt. */
export function testOptions (dataDir: string, name: string, extra: Partial<MessengerOptions> = {}): MessengerOptions {
  return {
    dataDir,
    keySource: { kind: 'passphrase', passphrase: `pass of ${name}` },
    name,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    scryptLogN: 10,
    ...extra
  }
}

/** Starts a messenger in `dir`. */
export async function startMessenger (dir: string, name: string, extra: Partial<MessengerOptions> = {}): Promise<Messenger> {
  return createMessenger(testOptions(dir, name, extra))
}

/** Resolves with the first `event` that satisfies `match`. */
export async function nextEvent<K extends keyof MessengerEvents> (
  messenger: Messenger,
  event: K,
  match: (e: MessengerEvents[K]) => boolean = () => true
): Promise<MessengerEvents[K]> {
  return new Promise(resolve => {
    const listener = (e: MessengerEvents[K]): void => {
      if (!match(e)) return
      messenger.off(event, listener)
      resolve(e)
    }
    messenger.on(event, listener)
  })
}

/** Collects `count` events, resolving when they have all arrived. */
export async function collectEvents<K extends keyof MessengerEvents> (
  messenger: Messenger,
  event: K,
  count: number,
  match: (e: MessengerEvents[K]) => boolean = () => true
): Promise<Array<MessengerEvents[K]>> {
  const seen: Array<MessengerEvents[K]> = []
  return new Promise(resolve => {
    const listener = (e: MessengerEvents[K]): void => {
      if (!match(e)) return
      seen.push(e)
      if (seen.length === count) {
        messenger.off(event, listener)
        resolve(seen)
      }
    }
    messenger.on(event, listener)
  })
}

/** Alice adds Bob from his invite; Bob accepts her request. Resolves once both are contacts. */
export async function introduce (alice: Messenger, bob: Messenger): Promise<{ bobAtAlice: string, aliceAtBob: string }> {
  const request = nextEvent(bob, 'request')
  const bobContact = await alice.addContact(await bob.invite())
  const aliceRequest = await request
  await bob.accept(aliceRequest.id)
  return { bobAtAlice: bobContact.id, aliceAtBob: aliceRequest.id }
}

/** Alice and Bob in temp directories, introduced; `stop` stops both and removes the directories. */
export interface Pair {
  alice: Messenger
  bob: Messenger
  bobAtAlice: string
  aliceAtBob: string
  dirs: { alice: string, bob: string }
  stop(): Promise<void>
}

/** Starts Alice and Bob on loopback and introduces them. */
export async function startPair (): Promise<Pair> {
  const a = await tempDir()
  const b = await tempDir()
  const alice = await startMessenger(a.dir, 'Alice')
  const bob = await startMessenger(b.dir, 'Bob')
  const pair: Pair = {
    alice,
    bob,
    ...await introduce(alice, bob),
    dirs: { alice: a.dir, bob: b.dir },
    stop: async () => {
      await pair.alice.stop()
      await pair.bob.stop()
      await a.cleanup()
      await b.cleanup()
    }
  }
  return pair
}
