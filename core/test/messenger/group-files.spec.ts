// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files in a group between three real messengers on loopback: Bob and Carol are Alice's contacts,
 * not each other's. A file sent to the group reaches every member byte for byte, the non-contact
 * too, without a request; one over a member's automatic download size is held by them until they
 * ask; a member removed before a send is not sent the file; and a member who lacked the sender
 * key and asked for the message again is sent its file again.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { decodeEnvelope } from '../../src/protocol/index.js'
import { introduce, nextEvent, startMessenger, tempDir } from './helpers.js'
import { groupReaches, handTo, outboxOf } from './group-helpers.js'
import type { Group, Message, Messenger } from '../../src/messenger/index.js'

/** Resolves once message `id` of group `groupId` at `m` satisfies `match`, looked at again on each of its message, file and status events. */
async function messageAt (m: Messenger, groupId: string, id: string, match: (msg: Message) => boolean): Promise<Message> {
  return new Promise((resolve, reject) => {
    const look = (): void => {
      m.history(groupId).then(all => {
        const msg = all.find(x => x.id === id)
        if (msg == null || !match(msg)) return
        for (const event of ['message', 'file', 'status'] as const) m.off(event, onEvent)
        resolve(msg)
      }, reject)
    }
    const onEvent = (e: { id: string }): void => { if (e.id === id) look() }
    for (const event of ['message', 'file', 'status'] as const) m.on(event, onEvent)
    look()
  })
}

/** The plaintext of message `id`'s file at `m`. */
async function fileOf (m: Messenger, id: string): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of m.readFile(id)) parts.push(part)
  return Buffer.concat(parts)
}

/** Resolves once every one of `members` holds `groupId` as `match` says. */
async function allSee (members: Messenger[], groupId: string, match: (g: Group) => boolean): Promise<void> {
  await Promise.all(members.map(async m => groupReaches(m, g => g.id === groupId && match(g))))
}

describe('files in groups', () => {
  const cleanups: Array<() => Promise<void>> = []
  const running: Messenger[] = []
  let files = ''
  let dirs: string[] = []

  before(async () => {
    const made = await Promise.all([tempDir(), tempDir(), tempDir(), tempDir()])
    cleanups.push(...made.map(d => d.cleanup))
    dirs = made.map(d => d.dir)
    files = dirs[3] as string
    running.push(...await Promise.all(['Alice', 'Bob', 'Carol'].map(async (name, i) => startMessenger(dirs[i] as string, name))))
    const [alice, bob, carol] = running as [Messenger, Messenger, Messenger]
    await introduce(alice, bob)
    await introduce(alice, carol)
  })
  after(async () => {
    await Promise.allSettled(running.map(async m => m.stop()))
    for (const cleanup of cleanups) await cleanup()
  })

  it('reaches every member byte for byte, a non-contact too; a held one comes when asked; a removed member is not sent one', { timeout: 120_000 }, async () => {
    const [alice, bob, carol] = running as [Messenger, Messenger, Messenger]
    const [bobId, carolId] = [bob.identity().userId, carol.identity().userId]
    const group = await alice.createGroup('Photos', [bobId, carolId])
    await allSee(running, group.id, g => g.members.length === 3)

    // Bob sends to the group: Alice is his contact, Carol is not.
    const bytes = randomBytes(300_000)
    const path = join(files, 'holiday.bin')
    await writeFile(path, bytes)
    const sent = await bob.sendFile('Photos', path)
    assert.equal(sent.groupId, group.id)
    assert.equal(sent.recipientCount, 2)
    assert.equal(sent.file?.name, 'holiday.bin')
    for (const m of [alice, carol]) {
      const shown = await messageAt(m, group.id, sent.id, msg => msg.file?.state === 'done')
      assert.equal(shown.senderId, bobId)
      assert.equal(shown.text, '')
      assert.ok((await fileOf(m, sent.id)).equals(bytes), 'the file arrives byte for byte')
    }
    const atBob = await messageAt(bob, group.id, sent.id, msg => msg.file?.state === 'done' && msg.deliveredCount === 2)
    assert.equal(atBob.state, 'delivered')
    assert.deepEqual(await carol.requests(), [])
    assert.deepEqual(await bob.requests(), [])
    assert.deepEqual((await carol.contacts()).map(c => c.displayName), ['Alice'])

    // Over Carol's automatic download size: she holds it, Bob stops offering it to her until she asks.
    await carol.updateSettings({ autoDownloadBytes: 1000 })
    const big = await bob.sendFile(group.id, path)
    const held = await messageAt(carol, group.id, big.id, msg => msg.file?.reason === 'size')
    assert.equal(held.file?.state, 'waiting')
    await messageAt(bob, group.id, big.id, msg => msg.file?.reason === 'held')
    await carol.downloadFile(big.id)
    await messageAt(carol, group.id, big.id, msg => msg.file?.state === 'done')
    assert.ok((await fileOf(carol, big.id)).equals(bytes))
    await messageAt(bob, group.id, big.id, msg => msg.file?.state === 'done')

    // Carol is removed; a file sent after is sent to Bob alone.
    await alice.removeFromGroup(group.id, carolId)
    await allSee([alice, bob], group.id, g => g.members.length === 2)
    await allSee([carol], group.id, g => !g.member)
    const seenByCarol: string[] = []
    carol.on('message', m => { seenByCarol.push(m.id) })
    carol.on('file', e => { seenByCarol.push(e.id) })
    const last = await alice.sendFile(group.id, path)
    assert.equal(last.recipientCount, 1)
    await messageAt(bob, group.id, last.id, msg => msg.file?.state === 'done')
    assert.ok((await fileOf(bob, last.id)).equals(bytes))
    await messageAt(alice, group.id, last.id, msg => msg.file?.state === 'done' && msg.state === 'delivered')
    assert.deepEqual(seenByCarol.filter(id => id === last.id), [])
    assert.equal((await carol.history(group.id)).some(m => m.id === last.id), false)
  })

  it('a member who lacked the sender key and asked again is sent the file again, not an empty text', { timeout: 120_000 }, async () => {
    const [alice, bob, carol] = running as [Messenger, Messenger, Messenger]
    const [bobId, carolId] = [bob.identity().userId, carol.identity().userId]
    // Whatever an earlier test set, Carol fetches files of this size by herself.
    await carol.updateSettings({ autoDownloadBytes: 1024 * 1024 })
    const group = await alice.createGroup('Again', [bobId, carolId])
    await allSee(running, group.id, g => g.members.length === 3)
    // Carol writes first, so that she holds a session with Bob to ask him through.
    const hello = await carol.send(group.id, 'hello')
    await messageAt(bob, group.id, hello.id, () => true)
    // Each comes back where its card says it is: members find each other there.
    const listen = [bob, carol].map(m => [(m.addresses()[0] as string).split('/p2p/')[0] as string])
    await carol.stop()
    const bytes = randomBytes(100_000)
    const path = join(files, 'again.bin')
    await writeFile(path, bytes)
    const sent = await bob.sendFile(group.id, path)
    await messageAt(alice, group.id, sent.id, msg => msg.file?.state === 'done')
    await bob.stop()
    // Carol is handed the group message alone: Bob's sender key, queued before it, never comes.
    const parts = (await outboxOf(dirs[1] as string, 'Bob', carolId, true)).filter(e => decodeEnvelope(e).sealed[0] === 0x22)
    assert.equal(parts.length, 1)
    running[1] = await startMessenger(dirs[1] as string, 'Bob', { listen: listen[0] as string[] })
    running[2] = await startMessenger(dirs[2] as string, 'Carol', { listen: listen[1] as string[] })
    const again = running[2]
    await handTo(again, parts)
    // She asks Bob to seal it again; he sends his key and the message, its file with it.
    const shown = await messageAt(again, group.id, sent.id, msg => msg.file?.state === 'done')
    assert.equal(shown.senderId, bobId)
    assert.ok((await fileOf(again, sent.id)).equals(bytes))
  })

  it('a member removed while their copy waits is not placed with: the file is done with the others', { timeout: 120_000 }, async () => {
    const [alice, bob, carol] = running as [Messenger, Messenger, Messenger]
    const [bobId, carolId] = [bob.identity().userId, carol.identity().userId]
    const group = await alice.createGroup('Later', [bobId, carolId])
    await allSee(running, group.id, g => g.members.length === 3)
    // Carol is away, and has no relay to upload to: her copy waits.
    const listen = [(carol.addresses()[0] as string).split('/p2p/')[0] as string]
    await carol.stop()
    const path = join(files, 'later.bin')
    await writeFile(path, randomBytes(50_000))
    const sent = await alice.sendFile(group.id, path)
    await messageAt(bob, group.id, sent.id, msg => msg.file?.state === 'done')
    const waiting = await messageAt(alice, group.id, sent.id, msg => msg.file?.state === 'transferring')
    assert.equal(waiting.file?.state, 'transferring', 'placed with Bob, not with Carol')
    await alice.removeFromGroup(group.id, carolId)
    await messageAt(alice, group.id, sent.id, msg => msg.file?.state === 'done')
    // Back where her contact Alice knows her to be.
    running[2] = await startMessenger(dirs[2] as string, 'Carol', { listen })
  })

  it('a group file opened once its sender key came after it is fetched too', { timeout: 120_000 }, async () => {
    const [alice, bob, carol] = running as [Messenger, Messenger, Messenger]
    const [bobId, carolId] = [bob.identity().userId, carol.identity().userId]
    await carol.updateSettings({ autoDownloadBytes: 1024 * 1024 })
    const group = await alice.createGroup('Late key', [bobId, carolId])
    await allSee(running, group.id, g => g.members.length === 3)
    const hello = await carol.send(group.id, 'hello')
    await messageAt(bob, group.id, hello.id, () => true)
    const listen = [bob, carol].map(m => [(m.addresses()[0] as string).split('/p2p/')[0] as string])
    await carol.stop()
    const bytes = randomBytes(80_000)
    const path = join(files, 'late.bin')
    await writeFile(path, bytes)
    const sent = await bob.sendFile(group.id, path)
    await messageAt(alice, group.id, sent.id, msg => msg.file?.state === 'done')
    await bob.stop()
    // Carol is handed the group message first, then Bob's sender key: the message is opened when the key comes.
    const envelopes = await outboxOf(dirs[1] as string, 'Bob', carolId, true)
    assert.equal(envelopes.length, 2)
    running[2] = await startMessenger(dirs[2] as string, 'Carol', { listen: listen[1] as string[] })
    const late = running[2]
    const opened = nextEvent(late, 'message', m => m.id === sent.id)
    await handTo(late, [...envelopes].reverse())
    assert.equal((await opened).file?.name, 'late.bin')
    running[1] = await startMessenger(dirs[1] as string, 'Bob', { listen: listen[0] as string[] })
    await messageAt(late, group.id, sent.id, msg => msg.file?.state === 'done')
    assert.ok((await fileOf(late, sent.id)).equals(bytes))
  })
})
