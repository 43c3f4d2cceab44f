// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { FileIntegrityError } from '../../src/errors.js'
import {
  CHUNK_SIZE, MIN_PADDED_SIZE, TAG_LENGTH, checkChunkHashes, chunkCount, chunkMatches, newFileKeys, openChunk,
  paddedSize, sealChunk, sealFile, sealedChunkLength
} from '../../src/files/index.js'
import type { FileSecrets } from '../../src/files/index.js'

interface Sealed { secrets: FileSecrets, chunks: Uint8Array[], hashes: Uint8Array[] }

async function seal (plain: Uint8Array, chunkSize = CHUNK_SIZE): Promise<Sealed> {
  const chunks: Uint8Array[] = []
  const hashes: Uint8Array[] = []
  const sealer = sealFile(plain.length, async (offset, length) => plain.subarray(offset, offset + length), undefined, chunkSize)
  for (;;) {
    const next = await sealer.next()
    if (next.done === true) return { secrets: next.value, chunks, hashes }
    chunks.push(next.value.sealed)
    hashes.push(next.value.hash)
  }
}

function open (s: Sealed, chunks = s.chunks): Uint8Array {
  return Buffer.concat(chunks.map((c, i) => openChunk(s.secrets, i, c)))
}

describe('file chunks', () => {
  it('pads to 5% steps, never below the minimum, never shorter than the file', () => {
    assert.equal(paddedSize(0), MIN_PADDED_SIZE)
    assert.equal(paddedSize(1), MIN_PADDED_SIZE)
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 33 }), size => {
      const padded = paddedSize(size)
      assert.ok(padded >= size)
      assert.ok(padded <= Math.max(MIN_PADDED_SIZE, Math.ceil(size * 1.05) + 1), `${size} → ${padded}`)
    }))
    // Sizes in one bucket look alike to a relay.
    assert.equal(paddedSize(1_000_000), paddedSize(1_000_001))
  })

  it('round-trips files of any size, a chunk at a time', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 5 * 4096 + 7 }), async size => {
      const plain = new Uint8Array(randomBytes(size))
      const s = await seal(plain, 4096)
      assert.equal(s.chunks.length, chunkCount(size, 4096))
      s.chunks.forEach((c, i) => { assert.equal(c.length, sealedChunkLength(size, i, 4096)) })
      checkChunkHashes(s.secrets, s.hashes)
      assert.deepEqual(open(s), Buffer.from(plain))
    }), { numRuns: 40 })
  })

  it('refuses a tampered chunk, before decryption by its hash and after by its tag', async () => {
    const s = await seal(new Uint8Array(randomBytes(3 * CHUNK_SIZE)))
    const bad = new Uint8Array(s.chunks[1] as Uint8Array)
    bad[17] = (bad[17] as number) ^ 1
    assert.equal(chunkMatches(bad, s.hashes[1] as Uint8Array), false)
    assert.equal(chunkMatches(s.chunks[1] as Uint8Array, s.hashes[1] as Uint8Array), true)
    assert.throws(() => openChunk(s.secrets, 1, bad), FileIntegrityError)
    const badTag = new Uint8Array(s.chunks[0] as Uint8Array)
    badTag[badTag.length - 1] = (badTag[badTag.length - 1] as number) ^ 0x80
    assert.throws(() => openChunk(s.secrets, 0, badTag), FileIntegrityError)
  })

  it('refuses reordered chunks', async () => {
    const s = await seal(new Uint8Array(randomBytes(3 * CHUNK_SIZE)))
    assert.throws(() => openChunk(s.secrets, 0, s.chunks[1] as Uint8Array), FileIntegrityError)
    assert.throws(() => checkChunkHashes(s.secrets, [s.hashes[1], s.hashes[0], ...s.hashes.slice(2)] as Uint8Array[]), FileIntegrityError)
  })

  it('refuses a file cut short at a chunk boundary', async () => {
    const s = await seal(new Uint8Array(randomBytes(4 * CHUNK_SIZE)))
    assert.throws(() => checkChunkHashes(s.secrets, s.hashes.slice(0, -1)), FileIntegrityError)
    assert.throws(() => openChunk(s.secrets, s.chunks.length, s.chunks[0] as Uint8Array), FileIntegrityError)
    // A chunk that was not sealed as the last one cannot pass for the last, even at the right length.
    const size = 2 * CHUNK_SIZE - 100
    const secrets = { ...newFileKeys(), size, chunkSize: CHUNK_SIZE, root: new Uint8Array(32) }
    const last = chunkCount(size) - 1
    const plain = new Uint8Array(sealedChunkLength(size, last) - TAG_LENGTH)
    assert.deepEqual(openChunk(secrets, last, sealChunk(secrets, last, true, plain)).length, Math.max(0, size - last * CHUNK_SIZE))
    assert.throws(() => openChunk(secrets, last, sealChunk(secrets, last, false, plain)), FileIntegrityError)
  })

  it('refuses a chunk of another file, even one sealed with the same key', async () => {
    const plain = new Uint8Array(randomBytes(2 * CHUNK_SIZE))
    const a = await seal(plain)
    const b = await seal(plain)
    assert.throws(() => openChunk(a.secrets, 0, b.chunks[0] as Uint8Array), FileIntegrityError)
    // Same key, another id: the id is bound into every chunk.
    const sameKey = sealFile(plain.length, async (o, l) => plain.subarray(o, o + l), { id: new Uint8Array(randomBytes(16)), key: a.secrets.key })
    const first = await sameKey.next()
    assert.equal(first.done, false)
    assert.throws(() => openChunk(a.secrets, 0, (first.value as { sealed: Uint8Array }).sealed), FileIntegrityError)
    assert.throws(() => checkChunkHashes(a.secrets, b.hashes), FileIntegrityError)
  })

  it('refuses a chunk of the wrong length and keys of the wrong size', async () => {
    const s = await seal(new Uint8Array(randomBytes(100)))
    assert.equal(s.chunks[0]?.length, MIN_PADDED_SIZE + TAG_LENGTH)
    assert.throws(() => openChunk(s.secrets, 0, (s.chunks[0] as Uint8Array).subarray(1)), FileIntegrityError)
    assert.throws(() => openChunk({ ...s.secrets, key: new Uint8Array(16) }, 0, s.chunks[0] as Uint8Array), /key is 32 bytes/)
  })

  it('stops when the file changes while it is read', async () => {
    const sealer = sealFile(CHUNK_SIZE * 2, async () => new Uint8Array(10))
    await assert.rejects(sealer.next(), /the file changed while it was read/)
  })
})
