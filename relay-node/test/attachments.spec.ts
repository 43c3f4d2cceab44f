// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files between messengers of `@sotto/core` (in this process), directly and through `sotto-relay`
 * (a child process): they arrive identical, the pointer message's delivery states apply, chunks
 * stay sealed in both data directories and at the relay, a relay's quota and the sender's size
 * limit are named errors, and a request's file is never fetched until the request is accepted.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { FileFromRequestError, FileTooLargeError, TimeoutError } from '@sotto/core/errors'
import { readTree, removeDir, startRelay, tempDir } from './helpers.js'
import { Fleet, introduce, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Messenger } from '@sotto/core'

/** Written into every 4 KiB of a test file: it must never appear in a data directory or at a relay. */
const MARKER = Buffer.from('SOTTO-ATTACHMENT-PLAINTEXT-4c1e')

/** Writes a test file of `size` bytes (random, the marker in each 4 KiB); returns its SHA-256. */
async function testFile (path: string, size: number): Promise<string> {
  const bytes = randomBytes(size)
  for (let o = 0; o + MARKER.length <= size; o += 4096) MARKER.copy(bytes, o)
  await writeFile(path, bytes)
  return createHash('sha256').update(bytes).digest('hex')
}

/** Files under `dir` whose raw bytes hold the marker. */
async function plaintextIn (dir: string): Promise<string[]> {
  return (await readTree(dir)).filter(f => f.bytes.includes(MARKER)).map(f => f.path)
}

/** Alice and Bob, each in a new data directory with `relayAddr` as home relay, introduced. */
async function aliceAndBob (fleet: Fleet, relayAddr: string): Promise<{ aliceDir: string, bobDir: string, alice: Messenger, bob: Messenger, bobAtAlice: string, aliceAtBob: string }> {
  const aliceDir = await fleet.dir()
  const bobDir = await fleet.dir()
  const alice = await fleet.start(aliceDir, 'Alice', { relays: [relayAddr] })
  const bob = await fleet.start(bobDir, 'Bob', { relays: [relayAddr] })
  return { aliceDir, bobDir, alice, bob, ...await introduce(alice, bob) }
}

/** Runs `fn` with a relay of its own (started with `args`), killed and removed after. */
async function withRelay<T> (args: string[], fn: (relay: RelayProcess) => Promise<T>): Promise<T> {
  const relay = await startRelay({ args })
  try {
    return await fn(relay)
  } finally {
    await relay.kill9()
    await removeDir(relay.dataDir)
  }
}

async function fileDone (m: Messenger, id: string): Promise<void> {
  await nextEvent(m, 'file', e => e.id === id && e.state === 'done', 60_000)
}

/** A fleet, a relay and a directory of test files for one suite, cleaned up after it. */
function harness (): { fleet: Fleet, relay: () => RelayProcess, files: () => string } {
  const fleet = new Fleet()
  let relay: RelayProcess | undefined
  let files = ''
  before(async () => {
    relay = await startRelay()
    files = await tempDir('sotto-attachments-')
  })
  after(async () => {
    await fleet.cleanup()
    if (relay != null && relay.proc.exitCode == null) await relay.kill9()
    await removeDir(relay?.dataDir ?? '')
    await removeDir(files)
  })
  return { fleet, relay: () => relay as RelayProcess, files: () => files }
}

describe('attachments: directly and through a relay', () => {
  const { fleet, relay: relayOf, files: filesOf } = harness()

  it('a file sent directly arrives identical; nothing in either data directory is plaintext', { timeout: 90_000 }, async () => {
    const files = filesOf()
    const { aliceDir, bobDir, alice, bob, bobAtAlice, aliceAtBob } = await aliceAndBob(fleet, relayOf().tcp)
    const path = join(files, 'report.pdf')
    const sha256 = await testFile(path, 3 * 1024 * 1024 + 17)

    const arrived = nextEvent(bob, 'message', m => m.file != null, 30_000)
    const message = await alice.sendFile(bobAtAlice, path)
    assert.deepEqual({ name: message.file?.name, mime: message.file?.mime, size: message.file?.size }, { name: 'report.pdf', mime: 'application/pdf', size: 3 * 1024 * 1024 + 17 })
    const shown = await arrived
    assert.equal(shown.id, message.id)
    assert.equal(shown.file?.name, 'report.pdf')
    await fileDone(bob, message.id)
    await alice.waitForState(message.id, ['delivered'], 30_000)

    const saved = await bob.saveFile(message.id, join(files, 'saved.pdf'))
    assert.deepEqual({ size: saved.size, sha256: saved.sha256 }, { size: 3 * 1024 * 1024 + 17, sha256 })
    assert.equal(createHash('sha256').update(await readFile(saved.path)).digest('hex'), sha256)
    const [inBob] = (await bob.history(aliceAtBob)).filter(m => m.id === message.id)
    assert.equal(inBob?.file?.state, 'done')
    assert.deepEqual(await plaintextIn(aliceDir), [])
    assert.deepEqual(await plaintextIn(bobDir), [])
  })

  it('a file for an offline recipient goes through its relay, arrives identical, and is deleted there', { timeout: 120_000 }, async () => {
    const relay = relayOf()
    const files = filesOf()
    const pair = await aliceAndBob(fleet, relay.tcp)
    const { aliceDir, bobDir, alice, bobAtAlice } = pair
    let bob = pair.bob
    await fleet.stop(bob)
    const path = join(files, 'holiday.bin')
    const sha256 = await testFile(path, 5 * 1024 * 1024)

    const message = await alice.sendFile(bobAtAlice, path)
    await fileDone(alice, message.id)
    assert.equal((await alice.waitForState(message.id, ['sent'], 30_000)).state, 'sent')
    const blobs = join(relay.dataDir, 'blobs')
    assert.ok((await readTree(blobs)).some(f => f.path.endsWith('chunks')), 'the relay holds the chunks')
    assert.deepEqual(await plaintextIn(relay.dataDir), [])

    bob = await fleet.start(bobDir, 'Bob')
    const arrived = nextEvent(bob, 'file', e => e.id === message.id && e.state === 'done', 60_000)
    await alice.waitForState(message.id, ['delivered'], 60_000)
    await arrived
    const saved = await bob.saveFile(message.id, join(files, 'holiday-saved.bin'))
    assert.equal(saved.sha256, sha256)
    assert.deepEqual(await plaintextIn(bobDir), [])
    assert.deepEqual(await plaintextIn(aliceDir), [])
    assert.ok(!(await readTree(blobs)).some(f => f.path.endsWith('chunks')), 'the relay deleted the blob once fetched')
  })

  it('a file its sender cancels while uploading shows so at the recipient and leaves nothing at its relay', { timeout: 120_000 }, async () => {
    const relay = relayOf()
    const files = filesOf()
    const pair = await aliceAndBob(fleet, relay.tcp)
    const { bobDir, alice, bobAtAlice, aliceAtBob } = pair
    await fleet.stop(pair.bob)
    const path = join(files, 'cancelled.bin')
    await testFile(path, 30 * 1024 * 1024)
    const uploading = nextEvent(alice, 'file', e => e.state === 'transferring' && e.bytes > 0, 60_000)
    const message = await alice.sendFile(bobAtAlice, path)
    await uploading
    await alice.cancelFile(message.id)
    const [sent] = (await alice.history(bobAtAlice)).filter(m => m.id === message.id)
    assert.equal(sent?.file?.state, 'cancelled', 'cancelled before the upload ended')
    const blobs = join(relay.dataDir, 'blobs')
    assert.ok((await readTree(blobs)).some(f => f.path.endsWith('chunks')), 'the relay holds what was uploaded')

    const bob = await fleet.start(bobDir, 'Bob')
    const deadline = Date.now() + 60_000
    const shown = async (): Promise<string | undefined> => {
      const file = (await bob.history(aliceAtBob)).find(m => m.id === message.id)?.file
      return file != null ? `${file.state} ${file.reason ?? ''}` : undefined
    }
    while (await shown() !== 'cancelled sender' && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100))
    assert.equal(await shown(), 'cancelled sender')
    while ((await readTree(blobs)).some(f => f.path.endsWith('chunks')) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100))
    assert.ok(!(await readTree(blobs)).some(f => f.path.endsWith('chunks')), 'the recipient deleted the partial upload at its relay')
    assert.deepEqual(await readdir(join(bobDir, 'files')), [], 'nothing of it stays at the recipient')
  })


  it('a held file the recipient asks for while its sender is away goes through the relay once the sender is back', { timeout: 120_000 }, async () => {
    const relay = relayOf()
    const files = filesOf()
    const pair = await aliceAndBob(fleet, relay.tcp)
    const { aliceDir, bobDir, bobAtAlice, aliceAtBob } = pair
    let { alice, bob } = pair
    await bob.updateSettings({ autoDownloadBytes: 1000 })
    const path = join(files, 'held.bin')
    const sha256 = await testFile(path, 600 * 1024)
    const held = nextEvent(alice, 'file', e => e.reason === 'held', 30_000)
    const message = await alice.sendFile(bobAtAlice, path)
    await held
    await fleet.stop(alice)

    // Bob asks for it while Alice is away; a text after the ask shows it reached her mailbox.
    await bob.downloadFile(message.id)
    const after = await bob.send(aliceAtBob, 'Fetching the file when you are back')
    assert.equal((await bob.waitForState(after.id, ['sent'], 30_000)).state, 'sent')
    await fleet.stop(bob)

    alice = await fleet.start(aliceDir, 'Alice')
    const uploaded = nextEvent(alice, 'file', e => e.id === message.id && e.state === 'done', 60_000)
    // It may have been uploaded while Alice started.
    if ((await alice.history(bobAtAlice)).find(m => m.id === message.id)?.file?.state !== 'done') await uploaded
    else uploaded.catch(() => {})
    assert.ok((await readTree(join(relay.dataDir, 'blobs'))).some(f => f.path.endsWith('chunks')))
    bob = await fleet.start(bobDir, 'Bob')
    const saved = await bob.saveFile(message.id, join(files, 'held-saved.bin'), { timeoutMs: 60_000 })
    assert.equal(saved.sha256, sha256)
  })
})

describe('attachments: limits and requests', () => {
  const { fleet, relay: relayOf, files: filesOf } = harness()

  it('names the errors: a file over the sender\'s limit, and over the relay\'s quota', { timeout: 90_000 }, async () => {
    const files = filesOf()
    await withRelay(['--max-file-bytes-per-mailbox', '1MiB'], async (small) => {
      const { alice, bob, bobAtAlice } = await aliceAndBob(fleet, small.tcp)
      await fleet.stop(bob)
      const path = join(files, 'big.bin')
      await testFile(path, 2 * 1024 * 1024)

      await alice.updateSettings({ maxFileBytes: 1024 * 1024 })
      await assert.rejects(alice.sendFile(bobAtAlice, path), FileTooLargeError)
      await alice.updateSettings({ maxFileBytes: 100 * 1024 * 1024 })
      const message = await alice.sendFile(bobAtAlice, path)
      const failed = await nextEvent(alice, 'file', e => e.id === message.id && e.state !== 'transferring', 60_000)
      assert.deepEqual({ state: failed.state, error: failed.error }, { state: 'failed', error: 'FileQuotaError' })
      const [shown] = (await alice.history(bobAtAlice)).filter(m => m.id === message.id)
      assert.equal(shown?.file?.error, 'FileQuotaError')
    })
  })

  it('refuses a chunk changed at the relay: the file never counts as here, no chunk of it is kept', { timeout: 90_000 }, async () => {
    const files = filesOf()
    await withRelay([], async (relay) => {
      const pair = await aliceAndBob(fleet, relay.tcp)
      const { bobDir, alice, bobAtAlice } = pair
      await fleet.stop(pair.bob)
      const path = join(files, 'tampered.bin')
      await testFile(path, 512 * 1024)
      const message = await alice.sendFile(bobAtAlice, path)
      await fileDone(alice, message.id)
      // Alice goes too: Bob can only fetch from the relay.
      await fleet.stop(alice)
      const [blob] = (await readTree(join(relay.dataDir, 'blobs'))).filter(f => f.path.endsWith('chunks'))
      assert.ok(blob != null)
      blob.bytes[100] = (blob.bytes[100] ?? 0) ^ 0x01
      await writeFile(blob.path, blob.bytes)

      const bob = await fleet.start(bobDir, 'Bob')
      const out = join(files, 'tampered-saved.bin')
      await assert.rejects(bob.saveFile(message.id, out, { timeoutMs: 5000 }), TimeoutError)
      await assert.rejects(readFile(out), { code: 'ENOENT' })
      const bitmaps = (await readTree(join(bobDir, 'files'))).filter(f => f.path.endsWith('bitmap'))
      assert.ok(bitmaps.every(b => b.bytes.every(x => x === 0)), 'no chunk of it is held')
      assert.ok((await readTree(join(relay.dataDir, 'blobs'))).some(f => f.path.endsWith('chunks')), 'the relay keeps the blob: it was never fetched')
    })
  })

  it('never fetches a file from a request; accepting it fetches the file', { timeout: 120_000 }, async () => {
    const relay = relayOf()
    const files = filesOf()
    const carolDir = await fleet.dir()
    const pair = await aliceAndBob(fleet, relay.tcp)
    const { bobDir, alice, bobAtAlice } = pair
    let bob = pair.bob
    const invite = await bob.invite()
    await fleet.stop(bob)
    const carol = await fleet.start(carolDir, 'Carol', { relays: [relay.tcp] })
    const bobAtCarol = (await carol.addContact(invite)).id
    const path = join(files, 'unsolicited.bin')
    const sha256 = await testFile(path, 256 * 1024)
    const fromCarol = await carol.sendFile(bobAtCarol, path)
    await fileDone(carol, fromCarol.id)
    // A contact's file, sent after the request's: Bob fetches it, and must not fetch Carol's meanwhile.
    const fromAlice = await alice.sendFile(bobAtAlice, path)
    await fileDone(alice, fromAlice.id)

    bob = await fleet.start(bobDir, 'Bob')
    const moved: string[] = []
    // It waits, saying why (a request's), and never moves.
    bob.on('file', e => { if (e.id === fromCarol.id && e.state !== 'waiting') moved.push(e.state) })
    await fileDone(bob, fromAlice.id)
    assert.deepEqual(moved, [], 'the request\'s file did not move')
    await assert.rejects(bob.saveFile(fromCarol.id, join(files, 'unsolicited-saved.bin'), { timeoutMs: 1000 }), FileFromRequestError)
    await assert.rejects(bob.downloadFile(fromCarol.id), FileFromRequestError)
    const [request] = await bob.requests()
    assert.ok(request != null)
    const [held] = (await bob.history(request.id)).filter(m => m.id === fromCarol.id)
    assert.equal(held?.file?.state, 'waiting', 'a request\'s file is not fetched')
    assert.equal((await readdir(join(bobDir, 'files'))).length, 1, 'only the contact\'s file is stored')

    const fetched = nextEvent(bob, 'file', e => e.id === fromCarol.id && e.state === 'done', 60_000)
    await bob.accept(request.id)
    await fetched
    assert.equal((await bob.saveFile(fromCarol.id, join(files, 'unsolicited-saved.bin'))).sha256, sha256)
  })
})
