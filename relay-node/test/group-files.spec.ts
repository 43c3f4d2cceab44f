// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files in a group through `sotto-relay` (a child process): a member offline when the file is sent
 * gets it afterwards from their own relay, where its sender (not their contact) uploaded it with
 * their deposit token for the group; it arrives identical, is deleted at the relay once fetched,
 * and makes no request.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { metric, readTree, removeDir, startRelay, until } from './helpers.js'
import { Fleet, introduce, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Group, Message, Messenger } from '@sotto/core'

/** Resolves once `m` holds a group matching `match`. */
async function groupAt (m: Messenger, match: (g: Group) => boolean): Promise<void> {
  const event = nextEvent(m, 'group', match, 60_000)
  if ((await m.groups()).some(match)) event.catch(() => {})
  else await event
}

/** Message `id` of `groupId` at `m` once `match` holds of it. */
async function messageAt (m: Messenger, groupId: string, id: string, match: (msg: Message) => boolean, what: string): Promise<Message> {
  let found: Message | undefined
  await until(async () => {
    found = (await m.history(groupId)).find(x => x.id === id)
    return found != null && match(found)
  }, what, 90_000)
  return found as Message
}

/** The plaintext of message `id`'s file at `m`. */
async function fileOf (m: Messenger, id: string): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of m.readFile(id)) parts.push(part)
  return Buffer.concat(parts)
}

/** Chunk stores the relay holds. */
async function storedAt (relay: RelayProcess): Promise<number> {
  return (await readTree(join(relay.dataDir, 'blobs')).catch(() => [])).filter(f => f.path.endsWith('chunks')).length
}

describe('files in groups through sotto-relay', () => {
  const fleet = new Fleet()
  let relay: RelayProcess
  let files = ''

  before(async () => {
    relay = await startRelay()
    files = await fleet.dir()
  })

  after(async () => {
    await fleet.cleanup()
    if (relay != null && relay.proc.exitCode == null) await relay.kill9()
    await removeDir(relay?.dataDir)
  })

  it('a member offline at the send gets the file from their relay afterwards, from a sender who is not their contact', { timeout: 240_000 }, async () => {
    const dirs = [await fleet.dir(), await fleet.dir(), await fleet.dir()]
    const [alice, bob, carol] = await Promise.all(['Alice', 'Bob', 'Carol'].map(async (n, i) => fleet.start(dirs[i] as string, n, { relays: [relay.tcp] }))) as [Messenger, Messenger, Messenger]
    await introduce(alice, bob)
    await introduce(alice, carol)
    const group = await alice.createGroup('Album', [bob, carol].map(m => m.identity().userId))
    await Promise.all([alice, bob, carol].map(async m => groupAt(m, g => g.id === group.id && g.members.length === 3)))

    await fleet.stop(carol)
    const bytes = randomBytes(2 * 1024 * 1024 + 123)
    const path = join(files, 'album.bin')
    await writeFile(path, bytes)
    const sent = await bob.sendFile(group.id, path)
    assert.equal(sent.recipientCount, 2)
    // Placed with Alice (directly or at her relay) and uploaded to Carol's relay while she is away.
    await messageAt(bob, group.id, sent.id, m => m.file?.state === 'done', 'Bob\'s file placed with both')
    assert.ok(await storedAt(relay) >= 1, 'the relay holds the chunks for Carol')
    await messageAt(alice, group.id, sent.id, m => m.file?.state === 'done', 'the file at Alice')
    assert.ok((await fileOf(alice, sent.id)).equals(bytes))
    assert.equal(await metric(relay, /^sotto_relay_mailbox_requests_total\{op="deposit",status="UNAUTHORIZED"\} (\d+)/m), 0)

    const back = await fleet.start(dirs[2] as string, 'Carol')
    const shown = await messageAt(back, group.id, sent.id, m => m.file?.state === 'done', 'the file at Carol')
    assert.equal(shown.senderId, bob.identity().userId)
    assert.ok((await fileOf(back, sent.id)).equals(bytes), 'it arrives identical')
    await until(async () => await storedAt(relay) === 0, 'the chunks deleted at the relay once fetched', 30_000)
    assert.deepEqual(await back.requests(), [], 'no request from a member who is not a contact')
    assert.deepEqual((await back.contacts()).map(c => c.displayName), ['Alice'])
    await messageAt(bob, group.id, sent.id, m => m.deliveredCount === 2, 'delivered to 2 of 2')
  })
})
