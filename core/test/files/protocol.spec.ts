// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `/sotto/file/1.0.0` between two real libp2p nodes on loopback: a 50 MiB file arrives identical,
 * with memory flat and no plaintext on either side's disk; a transfer cut by closing the
 * connection resumes where it stopped without sending again what was stored.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ChunkStore, chunkCount, fetchFile, handleFiles, queryFile, resumePoint, sealToStore } from '../../src/files/index.js'
import { countBits } from '../../src/files/frames.js'
import { MARKER, countingSource, fileNode, filesContaining, plaintextAt, plaintextHash, quietLog, removeDirs, rssSampler, storedHash, tempDir } from './helpers.js'
import type { FileSecrets } from '../../src/files/index.js'
import type { Libp2p } from '@libp2p/interface'

const SIZE = 50 * 1024 * 1024
const MiB = 1024 * 1024

describe('file protocol: direct transfers', () => {
  let sender: Libp2p
  let receiver: Libp2p
  let senderDir: string
  let receiverDir: string
  let secrets: FileSecrets
  let expected: string
  /** Chunks the sender read to serve, since the last reset. */
  let served = 0

  before(async () => {
    senderDir = await tempDir()
    receiverDir = await tempDir()
    sender = await fileNode()
    receiver = await fileNode()
    const sealed = await sealToStore(join(senderDir, 'file'), SIZE, async (o, l) => plaintextAt(o, l))
    secrets = sealed.secrets
    await sealed.store.close()
    expected = plaintextHash(SIZE)
    const source = countingSource(join(senderDir, 'file'), () => { served++ })
    await handleFiles(sender, async (id) => Buffer.from(id).equals(secrets.id) ? source(id) : undefined, quietLog)
  })

  after(async () => {
    await receiver?.stop()
    await sender?.stop()
    await removeDirs(senderDir, receiverDir)
  })

  it('sends a 50 MiB file that arrives identical, with memory flat and no plaintext on disk', { timeout: 300_000 }, async () => {
    const dir = join(receiverDir, 'whole')
    global.gc?.()
    const before = process.memoryUsage.rss()
    const rss = rssSampler()
    const started = performance.now()
    await fetchFile(receiver, sender.getMultiaddrs()[0]!, secrets, dir)
    const seconds = (performance.now() - started) / 1000
    const peak = rss.stop()
    console.log(`# direct: ${(SIZE / MiB / seconds).toFixed(1)} MB/s, RSS ${(before / MiB).toFixed(0)} → peak ${(peak / MiB).toFixed(0)} MiB`)
    // Both sides run in this process; holding the file on either would add at least 50 MiB.
    assert.ok(peak - before < 40 * MiB, `RSS grew by ${((peak - before) / MiB).toFixed(0)} MiB during a 50 MiB transfer`)
    assert.equal(await storedHash(dir, secrets), expected)
    assert.deepEqual(await filesContaining(senderDir, MARKER), [])
    assert.deepEqual(await filesContaining(dir, MARKER), [])
    // The marker scan can fail: the plaintext carries it.
    assert.ok(Buffer.from(plaintextAt(0, 4096)).includes(MARKER))
  })

  it('answers which chunks it has', async () => {
    const have = await queryFile(receiver, sender.getMultiaddrs()[0]!, secrets.id)
    assert.equal(have.count, chunkCount(SIZE))
    assert.equal(countBits(have.bitmap, have.count), have.count)
  })

  it('resumes a transfer cut by a closed connection without sending again what was stored', { timeout: 300_000 }, async () => {
    const dir = join(receiverDir, 'resumed')
    served = 0
    let cut = false
    await assert.rejects(fetchFile(receiver, sender.getMultiaddrs()[0]!, secrets, dir, {
      onProgress: (held, count) => {
        if (!cut && held >= count / 3) {
          cut = true
          void receiver.hangUp(sender.peerId)
        }
      }
    }))
    const { have } = await resumePoint(dir)
    const store = await ChunkStore.open(dir)
    assert.ok(store != null)
    const count = store.count
    const held = store.heldCount
    await store.close()
    assert.equal(countBits(have, count), held)
    assert.ok(held >= count / 3 && held < count, `held ${held} of ${count} after the cut`)
    served = 0
    await fetchFile(receiver, sender.getMultiaddrs()[0]!, secrets, dir)
    assert.equal(served, count - held, 'the sender sent exactly the chunks the receiver lacked')
    assert.equal(await storedHash(dir, secrets), expected)
  })
})
