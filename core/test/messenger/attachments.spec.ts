// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files between two messengers on loopback, directly: a photo arrives re-encoded without its GPS
 * tags and with a thumbnail; a file's chunks go when its message disappears or its conversation is
 * deleted.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { GPS_LATITUDE, photoWithGps } from '../media/exif.js'
import { introduce, nextEvent, startMessenger, tempDir } from './helpers.js'
import type { Messenger } from '../../src/messenger/index.js'

async function stored (dataDir: string): Promise<string[]> {
  return (await readdir(join(dataDir, 'files'))).sort()
}

describe('attachments between two messengers', () => {
  const running: Messenger[] = []
  const cleanups: Array<() => Promise<void>> = []

  after(async () => {
    await Promise.allSettled(running.map(async m => m.stop()))
    for (const c of cleanups) await c()
  })

  async function pair (): Promise<{ aliceDir: string, bobDir: string, alice: Messenger, bob: Messenger, bobAtAlice: string, aliceAtBob: string, files: string }> {
    const dirs = await Promise.all([tempDir(), tempDir(), tempDir()])
    cleanups.push(...dirs.map(d => d.cleanup))
    const [a, b, f] = dirs.map(d => d.dir) as [string, string, string]
    const alice = await startMessenger(a, 'Alice')
    const bob = await startMessenger(b, 'Bob')
    running.push(alice, bob)
    return { aliceDir: a, bobDir: b, alice, bob, files: f, ...await introduce(alice, bob) }
  }

  it('a photo with GPS tags arrives without them, with a thumbnail', { timeout: 60_000 }, async () => {
    const { alice, bob, bobAtAlice, files } = await pair()
    const path = join(files, 'beach.jpg')
    await writeFile(path, photoWithGps())
    const arrived = nextEvent(bob, 'message', m => m.file != null)
    const sent = await alice.sendFile(bobAtAlice, path)
    assert.equal(sent.file?.mime, 'image/jpeg')
    const shown = await arrived
    const thumbnail = shown.file?.thumbnail
    assert.ok(thumbnail != null && thumbnail.byteLength <= 16 * 1024 && thumbnail[0] === 0xff && thumbnail[1] === 0xd8, 'a JPEG thumbnail')
    const saved = await bob.saveFile(sent.id, join(files, 'beach-saved.jpg'), { timeoutMs: 30_000 })
    const bytes = await readFile(saved.path)
    assert.ok(bytes[0] === 0xff && bytes[1] === 0xd8, 'a JPEG')
    assert.ok(!bytes.includes('Exif') && !bytes.includes(GPS_LATITUDE), 'no EXIF, no GPS latitude')
  })

  it('a file\'s chunks go with its disappearing message, and with a deleted conversation', { timeout: 60_000 }, async () => {
    const { aliceDir, bobDir, alice, bob, bobAtAlice, aliceAtBob, files } = await pair()
    const path = join(files, 'notes.txt')
    await writeFile(path, 'a note that does not stay\n'.repeat(5000))
    const kept = await alice.sendFile(bobAtAlice, path)
    await nextEvent(bob, 'file', e => e.id === kept.id && e.state === 'done')
    assert.equal((await stored(bobDir)).length, 1)

    await alice.setDisappearing(bobAtAlice, 1)
    const expired = nextEvent(alice, 'expired', e => e.ids.length > 0)
    const fleeting = await alice.sendFile(bobAtAlice, path)
    assert.equal((await stored(aliceDir)).length, 2)
    assert.ok((await expired).ids.includes(fleeting.id))
    // The sweep follows the event; it removes the store of the expired message only.
    const deadline = Date.now() + 10_000
    while ((await stored(aliceDir)).length !== 1 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    assert.equal((await stored(aliceDir)).length, 1, 'the disappeared message\'s chunks are gone, the other file\'s stay')

    await bob.deleteContact(aliceAtBob)
    assert.deepEqual(await stored(bobDir), [], 'a deleted conversation leaves no chunks')
  })
  it('a file over the automatic download size can be cancelled, and saved after all', { timeout: 60_000 }, async () => {
    const { alice, bob, bobAtAlice, aliceAtBob, files } = await pair()
    await bob.updateSettings({ autoDownloadBytes: 1000 })
    const path = join(files, 'slides.pdf')
    const content = Buffer.alloc(200 * 1024, 'slide ')
    await writeFile(path, content)
    const arrived = nextEvent(bob, 'message', m => m.file != null)
    const sent = await alice.sendFile(bobAtAlice, path)
    assert.equal((await arrived).file?.state, 'waiting')
    const cancelled = nextEvent(bob, 'file', e => e.id === sent.id)
    await bob.cancelFile(sent.id)
    assert.equal((await cancelled).state, 'cancelled')
    const saved = await bob.saveFile(sent.id, join(files, 'slides-saved.pdf'), { timeoutMs: 30_000 })
    assert.deepEqual(await readFile(saved.path), content)
    assert.equal((await bob.history(aliceAtBob)).find(m => m.id === sent.id)?.file?.state, 'done')
  })
  it('a file that is here reads back in memory as it was sent; one that is not is refused', { timeout: 60_000 }, async () => {
    const { alice, bob, bobAtAlice, files } = await pair()
    await bob.updateSettings({ autoDownloadBytes: 1000 })
    const path = join(files, 'report.pdf')
    const content = randomBytes(200 * 1024 + 123)
    await writeFile(path, content)
    const arrived = nextEvent(bob, 'message', m => m.file != null)
    const sent = await alice.sendFile(bobAtAlice, path)
    await arrived
    const read = async (m: Messenger): Promise<Buffer> => {
      const pieces: Uint8Array[] = []
      for await (const piece of m.readFile(sent.id)) pieces.push(piece)
      return Buffer.concat(pieces)
    }
    assert.deepEqual(await read(alice), content, 'the sender reads its own copy')
    await assert.rejects(read(bob), { name: 'NotFoundError' }, 'not downloaded yet')
    await bob.saveFile(sent.id, join(files, 'report-saved.pdf'), { timeoutMs: 30_000 })
    assert.deepEqual(await read(bob), content, 'padding cut off, every chunk opened')
  })
})
