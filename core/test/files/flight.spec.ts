// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Bytes in flight on a file stream (bug 9: a ping stuck behind seconds of queued chunks made
 * libp2p's connection monitor abort the connection):
 * - the window's rule, on a fake clock: it grows while acknowledgements come within the target,
 *   shrinks in proportion when they come late (once per round trip, never below its floor), and
 *   refuses acknowledgements of chunks never sent;
 * - a real sender on loopback, asked for acknowledgements by a reader that gives none, stops after
 *   its first window and goes on when they come; one that acknowledges what was never sent is cut
 *   off; an ordinary fetch with acknowledgements arrives identical.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  ChunkStore, FILE_PROTOCOL, FileOp, fetchFile, fileFrames, handleFiles, openFrame, sealToStore
} from '../../src/files/index.js'
import { FlightWindow, INITIAL_WINDOW_CHUNKS, MAX_WINDOW_BYTES, MIN_WINDOW_CHUNKS, TARGET_DELAY_MS } from '../../src/files/flight.js'
import { fileNode, plaintextAt, plaintextHash, quietLog, removeDirs, storedHash, tempDir } from './helpers.js'
import type { FileFrame, FileSecrets } from '../../src/files/index.js'
import type { Frames } from '../../src/protocol/index.js'
import type { Libp2p } from '@libp2p/interface'

const CHUNK = 64 * 1024

describe('file streams: bytes in flight', () => {
  it('grows while acknowledgements come within the target, up to its ceiling', () => {
    let now = 0
    const w = new FlightWindow({ chunkBytes: CHUNK, now: () => now })
    assert.equal(w.window, INITIAL_WINDOW_CHUNKS * CHUNK)
    let sent = 0
    for (let round = 0; round < 12; round++) {
      while (w.mayCarry(CHUNK)) { w.onSent(CHUNK); sent++ }
      now += 10
      w.onAcked(sent)
    }
    assert.equal(w.window, MAX_WINDOW_BYTES)
    assert.equal(w.bytesInFlight, 0)
  })

  it('ignores one late acknowledgement among prompt ones in a round trip', () => {
    let now = 0
    const w = new FlightWindow({ chunkBytes: CHUNK, now: () => now })
    w.onSent(CHUNK)
    now += 10
    w.onAcked(1)
    const before = w.window
    for (let i = 0; i < 4; i++) w.onSent(CHUNK)
    now += 10
    w.onAcked(1 + 3)
    now += 3 * TARGET_DELAY_MS
    w.onAcked(5)
    assert.ok(w.window >= before, 'a single late acknowledgement shrank the window')
  })

  it('shrinks in proportion when acknowledgements come late, once per round trip, not below its floor', () => {
    let now = 0
    const w = new FlightWindow({ chunkBytes: CHUNK, now: () => now })
    for (let i = 0; i < INITIAL_WINDOW_CHUNKS; i++) w.onSent(CHUNK)
    assert.equal(w.mayCarry(CHUNK), false, 'a full window takes no more')
    now += 2 * TARGET_DELAY_MS
    w.onAcked(1)
    assert.equal(w.window, INITIAL_WINDOW_CHUNKS * CHUNK / 2)
    // The rest were sent before the decrease: their delays tell nothing new.
    now += 2 * TARGET_DELAY_MS
    w.onAcked(2)
    assert.equal(w.window, INITIAL_WINDOW_CHUNKS * CHUNK / 2)
    w.onSent(CHUNK)
    now += 20 * TARGET_DELAY_MS
    w.onAcked(5)
    assert.equal(w.window, MIN_WINDOW_CHUNKS * CHUNK)
    assert.equal(w.bytesInFlight, 0)
    assert.equal(w.mayCarry(10 * CHUNK), true, 'one chunk of any size goes when nothing is in flight')
  })

  it('refuses acknowledgements of chunks never sent, or going backwards', () => {
    const w = new FlightWindow({ chunkBytes: CHUNK })
    w.onSent(CHUNK)
    w.onSent(CHUNK)
    assert.throws(() => { w.onAcked(3) }, RangeError)
    w.onAcked(2)
    assert.throws(() => { w.onAcked(1) }, RangeError)
  })

  describe('a real sender on loopback', () => {
    const CHUNKS = 24
    let sender: Libp2p
    let reader: Libp2p
    let dir: string
    let secrets: FileSecrets
    /** Chunks of the sealed file (padding included). */
    let count: number

    before(async () => {
      dir = await tempDir()
      ;[sender, reader] = await Promise.all([fileNode(), fileNode()])
      const sealed = await sealToStore(join(dir, 'file'), CHUNKS * CHUNK - 100, async (o, l) => plaintextAt(o, l))
      secrets = sealed.secrets
      count = sealed.store.count
      await sealed.store.close()
      await handleFiles(sender, async () => ChunkStore.open(join(dir, 'file')), quietLog)
    })

    after(async () => {
      await reader?.stop()
      await sender?.stop()
      await removeDirs(dir)
    })

    /** Opens a FETCH that asks for acknowledgements, and reads the hash list. */
    async function fetchWithAcks (): Promise<Frames<FileFrame>> {
      const stream = await reader.dialProtocol(sender.getMultiaddrs()[0]!, FILE_PROTOCOL)
      const f = fileFrames(stream)
      await f.write(openFrame({ op: FileOp.FETCH, fileId: secrets.id, acks: true }))
      assert.ok((await f.read())?.hashes != null)
      return f
    }

    /** Whether `pending` (a read) settles within `ms`. */
    async function settlesWithin (pending: Promise<unknown>, ms: number): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined
      const quiet = new Promise<false>(resolve => { timer = setTimeout(() => { resolve(false) }, ms) })
      try {
        return await Promise.race([pending.then(() => true), quiet])
      } finally {
        clearTimeout(timer)
      }
    }

    it('stops after its first window without acknowledgements, and goes on when they come', { timeout: 30_000 }, async () => {
      const f = await fetchWithAcks()
      for (let i = 0; i < INITIAL_WINDOW_CHUNKS; i++) assert.equal((await f.read())?.chunk?.index, i)
      // Without a bound the other 20 chunks come within milliseconds on loopback.
      const next = f.read()
      assert.equal(await settlesWithin(next, 1_000), false, 'a chunk beyond the window came unacknowledged')
      await f.write({ received: { chunks: INITIAL_WINDOW_CHUNKS } })
      let chunks = INITIAL_WINDOW_CHUNKS
      let frame = await next
      while (frame?.done == null) {
        assert.equal(frame?.chunk?.index, chunks)
        await f.write({ received: { chunks: ++chunks } })
        frame = await f.read()
      }
      assert.equal(chunks, count)
    })

    it('cuts off a reader that acknowledges chunks never sent', { timeout: 30_000 }, async () => {
      const f = await fetchWithAcks()
      assert.ok((await f.read())?.chunk != null)
      await f.write({ received: { chunks: count } })
      await assert.rejects(async () => { while ((await f.read())?.done == null) { /* the stream must end in an error */ } })
    })

    it('a fetch with acknowledgements arrives identical', { timeout: 30_000 }, async () => {
      const into = join(dir, 'fetched')
      await fetchFile(reader, sender.getMultiaddrs()[0]!, secrets, into)
      assert.equal(await storedHash(into, secrets), plaintextHash(CHUNKS * CHUNK - 100))
    })
  })
})
