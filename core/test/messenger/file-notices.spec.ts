// SPDX-License-Identifier: AGPL-3.0-only
/**
 * File notices between two messengers on loopback: a file over the recipient's automatic download
 * size is held (the sender stops offering it) until the recipient's user downloads it; a file its
 * sender cancels shows "cancelled by sender" at the recipient and cannot be fetched any more.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { introduce, nextEvent, startMessenger, tempDir } from './helpers.js'
import type { Messenger } from '../../src/messenger/index.js'

describe('file notices between two messengers', () => {
  const running: Messenger[] = []
  const cleanups: Array<() => Promise<void>> = []

  after(async () => {
    await Promise.allSettled(running.map(async m => m.stop()))
    for (const c of cleanups) await c()
  })

  /** Alice and Bob, introduced; Bob downloads by himself only files up to 1000 bytes. */
  async function pair (): Promise<{ alice: Messenger, bob: Messenger, bobAtAlice: string, aliceAtBob: string, files: string }> {
    const dirs = await Promise.all([tempDir(), tempDir(), tempDir()])
    cleanups.push(...dirs.map(d => d.cleanup))
    const [a, b, f] = dirs.map(d => d.dir) as [string, string, string]
    const alice = await startMessenger(a, 'Alice')
    const bob = await startMessenger(b, 'Bob')
    running.push(alice, bob)
    await bob.updateSettings({ autoDownloadBytes: 1000 })
    return { alice, bob, files: f, ...await introduce(alice, bob) }
  }

  async function read (m: Messenger, id: string): Promise<Buffer> {
    const pieces: Uint8Array[] = []
    for await (const piece of m.readFile(id)) pieces.push(piece)
    return Buffer.concat(pieces)
  }

  it('a file over the automatic size is held by the recipient until downloaded', { timeout: 60_000 }, async () => {
    const { alice, bob, bobAtAlice, aliceAtBob, files } = await pair()
    const path = join(files, 'film.bin')
    const content = randomBytes(300 * 1024 + 5)
    await writeFile(path, content)
    const sizeNoted = nextEvent(bob, 'file', e => e.reason === 'size')
    const held = nextEvent(alice, 'file', e => e.reason === 'held')
    const sent = await alice.sendFile(bobAtAlice, path)
    assert.deepEqual({ id: (await sizeNoted).id, state: (await sizeNoted).state }, { id: sent.id, state: 'waiting' })
    assert.deepEqual({ id: (await held).id, state: (await held).state }, { id: sent.id, state: 'waiting' })
    assert.equal((await alice.history(bobAtAlice)).find(m => m.id === sent.id)?.file?.reason, 'held', 'the sender stopped offering it')
    assert.equal((await bob.history(aliceAtBob)).find(m => m.id === sent.id)?.file?.reason, 'size')

    const wanted = nextEvent(alice, 'file', e => e.id === sent.id && e.reason == null)
    const here = nextEvent(bob, 'file', e => e.id === sent.id && e.state === 'done')
    const handedOver = nextEvent(alice, 'file', e => e.id === sent.id && e.state === 'done')
    await bob.downloadFile(sent.id)
    await Promise.all([wanted, here, handedOver])
    assert.deepEqual(await read(bob, sent.id), content)
    const inBob = (await bob.history(aliceAtBob)).find(m => m.id === sent.id)?.file
    assert.deepEqual({ state: inBob?.state, reason: inBob?.reason }, { state: 'done', reason: undefined })
    await assert.rejects(alice.downloadFile(sent.id), { name: 'InvalidInputError' }, 'only a received file is downloaded')
  })

  it('a file its sender cancels shows so at the recipient and is never fetched', { timeout: 60_000 }, async () => {
    const { alice, bob, bobAtAlice, aliceAtBob, files } = await pair()
    const path = join(files, 'draft.pdf')
    await writeFile(path, randomBytes(200 * 1024))
    const sizeNoted = nextEvent(bob, 'file', e => e.reason === 'size')
    const sent = await alice.sendFile(bobAtAlice, path)
    await sizeNoted
    const cancelled = nextEvent(bob, 'file', e => e.id === sent.id && e.state === 'cancelled')
    await alice.cancelFile(sent.id)
    assert.equal((await alice.history(bobAtAlice)).find(m => m.id === sent.id)?.file?.state, 'cancelled')
    assert.equal((await cancelled).reason, 'sender')
    const inBob = (await bob.history(aliceAtBob)).find(m => m.id === sent.id)?.file
    assert.deepEqual({ state: inBob?.state, reason: inBob?.reason }, { state: 'cancelled', reason: 'sender' })
    await assert.rejects(bob.downloadFile(sent.id), { name: 'NotFoundError' })
    await assert.rejects(bob.saveFile(sent.id, join(files, 'draft-saved.pdf'), { timeoutMs: 1000 }), { name: 'NotFoundError' })
  })
})
