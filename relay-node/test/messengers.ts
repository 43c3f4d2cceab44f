// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test helpers for messengers (`@sotto/core`, in this process) that use a `sotto-relay` child
 * process: starting them in temp directories, waiting for their events, introducing two of them.
 */
import { createMessenger, jsonLoggers } from '@sotto/core'
import { removeDir, tempDir } from './helpers.js'
import type { Contact, LoggerFactory, Messenger, MessengerEvents, MessengerOptions } from '@sotto/core'

/** Options for a test messenger: loopback only, no mDNS, cheap scrypt. */
export function messengerOptions (dataDir: string, name: string, extra: Partial<MessengerOptions> = {}): MessengerOptions {
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

/** Messengers and directories made by a test, cleaned up by {@link Fleet.cleanup}. */
export class Fleet {
  private readonly dirs: string[] = []
  private readonly running = new Set<Messenger>()

  /** A new temporary data directory. */
  async dir (): Promise<string> {
    const dir = await tempDir('sotto-messenger-test-')
    this.dirs.push(dir)
    return dir
  }

  /** Starts a messenger in `dir`. */
  async start (dir: string, name: string, extra: Partial<MessengerOptions> = {}): Promise<Messenger> {
    const m = await createMessenger(messengerOptions(dir, name, extra))
    this.running.add(m)
    return m
  }

  /** Stops a messenger. */
  async stop (m: Messenger): Promise<void> {
    this.running.delete(m)
    await m.stop()
  }

  /** Stops every messenger and removes every directory. */
  async cleanup (): Promise<void> {
    await Promise.allSettled([...this.running].map(async m => m.stop()))
    this.running.clear()
    for (const d of this.dirs) await removeDir(d)
  }
}

/** Resolves with the first `event` that satisfies `match`; rejects after `timeoutMs`. */
export async function nextEvent<K extends keyof MessengerEvents> (
  messenger: Messenger,
  event: K,
  match: (e: MessengerEvents[K]) => boolean = () => true,
  timeoutMs = 30_000
): Promise<MessengerEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      messenger.off(event, listener)
      reject(new Error(`no ${event} event within ${timeoutMs} ms`))
    }, timeoutMs)
    const listener = (e: MessengerEvents[K]): void => {
      if (!match(e)) return
      clearTimeout(timer)
      messenger.off(event, listener)
      resolve(e)
    }
    messenger.on(event, listener)
  })
}

/** Collects `count` events, resolving when they have all arrived; rejects after `timeoutMs`. */
export async function collectEvents<K extends keyof MessengerEvents> (
  messenger: Messenger,
  event: K,
  count: number,
  match: (e: MessengerEvents[K]) => boolean = () => true,
  timeoutMs = 60_000
): Promise<Array<MessengerEvents[K]>> {
  const seen: Array<MessengerEvents[K]> = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      messenger.off(event, listener)
      reject(new Error(`${seen.length} of ${count} ${event} events within ${timeoutMs} ms`))
    }, timeoutMs)
    const listener = (e: MessengerEvents[K]): void => {
      if (!match(e)) return
      seen.push(e)
      if (seen.length === count) {
        clearTimeout(timer)
        messenger.off(event, listener)
        resolve(seen)
      }
    }
    messenger.on(event, listener)
  })
}

/** Resolves once contact `id` satisfies `match` (now, or at a later `contact` event). */
export async function contactReaches (messenger: Messenger, id: string, match: (c: Contact) => boolean, timeoutMs = 30_000): Promise<Contact> {
  return new Promise((resolve, reject) => {
    const finish = (err?: Error, c?: Contact): void => {
      clearTimeout(timer)
      messenger.off('contact', listener)
      if (err != null) reject(err)
      else resolve(c as Contact)
    }
    const timer = setTimeout(() => { finish(new Error(`contact ${id} not as expected within ${timeoutMs} ms`)) }, timeoutMs)
    const listener = (c: Contact): void => { if (c.id === id && match(c)) finish(undefined, c) }
    // Listen first, then look: a change between the two is not missed.
    messenger.on('contact', listener)
    messenger.contact(id).then(c => { if (match(c)) finish(undefined, c) }, err => { finish(err as Error) })
  })
}

/**
 * Resolves once `messenger` holds an incoming message with `text` from `contactId` (already, or at
 * a later `message` event); rejects after `timeoutMs`.
 */
export async function received (messenger: Messenger, contactId: string, text: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (err?: Error): void => {
      clearTimeout(timer)
      messenger.off('message', listener)
      if (err != null) reject(err)
      else resolve()
    }
    const timer = setTimeout(() => { finish(new Error(`no message "${text}" from ${contactId} within ${timeoutMs} ms`)) }, timeoutMs)
    const listener = (e: MessengerEvents['message']): void => { if (e.contactId === contactId && e.text === text) finish() }
    // Listen first, then look: a message stored between the two is not missed.
    messenger.on('message', listener)
    messenger.history(contactId).then(h => { if (h.some(m => m.direction === 'in' && m.text === text)) finish() }, err => { finish(err as Error) })
  })
}

/**
 * Alice adds Bob from his invite; Bob accepts her request; both hold each other's deposit tokens.
 * Resolves with each one's contact id at the other.
 */
export async function introduce (alice: Messenger, bob: Messenger): Promise<{ bobAtAlice: string, aliceAtBob: string }> {
  const request = nextEvent(bob, 'request')
  const bobContact = await alice.addContact(await bob.invite())
  const aliceRequest = await request
  await bob.accept(aliceRequest.id)
  await contactReaches(alice, bobContact.id, c => c.mailboxes > 0)
  await contactReaches(bob, aliceRequest.id, c => c.mailboxes > 0)
  return { bobAtAlice: bobContact.id, aliceAtBob: aliceRequest.id }
}

/** What a messenger logs when an envelope does not decrypt and it asks its sender for it again. */
export const ASKED_AGAIN = 'envelope does not decrypt; asked its sender to seal it again'

/** A logger for a messenger's options that counts the lines it logs at info and above with message `msg`. */
export function countLogged (msg: string): { logger: LoggerFactory, count: () => number } {
  let seen = 0
  const logger = jsonLoggers(line => { if ((JSON.parse(line) as { msg: string }).msg === msg) seen++ }, 'info')
  return { logger, count: () => seen }
}
