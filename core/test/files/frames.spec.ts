// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The frames of `/sotto/file/1.0.0` as a decoder of untrusted bytes (properties), the bitmap, and
 * the owner's signature: bound to what was signed, under its own context.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { InvalidInputError } from '../../src/errors.js'
import {
  FileOp, bitmapLength, countBits, fileFrameCodec, hasBit, setBit, signFileOwnerOp, verifyFileOwnerOp
} from '../../src/files/index.js'
import { generateMailboxKey, mailboxIdOf } from '../../src/mailbox/index.js'

describe('file frames', () => {
  it('decode any bytes to a checked frame or an InvalidInputError, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        const f = fileFrameCodec.decode(bytes)
        assert.equal([f.open, f.have, f.hashes, f.chunk, f.done, f.received].filter(x => x != null).length, 1)
      } catch (err) {
        assert.ok(err instanceof InvalidInputError, String(err))
      }
    }), { numRuns: 5000 })
  })

  it('round-trip chunks and Have bitmaps', () => {
    fc.assert(fc.property(fc.nat({ max: 1 << 18 }), fc.uint8Array({ maxLength: 2000 }), (index, sealed) => {
      assert.deepEqual(fileFrameCodec.decode(fileFrameCodec.encode({ chunk: { index, sealed: new Uint8Array(sealed) } })).chunk, { index, sealed })
    }))
    fc.assert(fc.property(fc.uniqueArray(fc.nat({ max: 999 })), (bits) => {
      const bitmap = new Uint8Array(bitmapLength(1000))
      for (const i of bits) setBit(bitmap, i)
      const back = fileFrameCodec.decode(fileFrameCodec.encode({ have: { count: 1000, bitmap } })).have!
      assert.equal(countBits(back.bitmap, 1000), bits.length)
      for (const i of bits) assert.ok(hasBit(back.bitmap, i))
    }))
  })

  it('refuse a Have whose bitmap does not fit its count, and a Hashes frame of partial hashes', () => {
    assert.throws(() => fileFrameCodec.decode(fileFrameCodec.encode({ have: { count: 9, bitmap: new Uint8Array(1) } })), InvalidInputError)
    assert.throws(() => fileFrameCodec.decode(fileFrameCodec.encode({ hashes: { start: 0, hashes: new Uint8Array(33) } })), InvalidInputError)
  })

  it('sign owner requests that verify only as signed', async () => {
    const key = await generateMailboxKey()
    const op = { op: FileOp.DELETE as const, relay: new Uint8Array(38), mailboxId: mailboxIdOf(key), fileId: new Uint8Array(16).fill(9), timestamp: 1 }
    const signed = await signFileOwnerOp(key, op)
    assert.deepEqual(await verifyFileOwnerOp(signed), op)
    const tampered = new Uint8Array(signed.ownerOp)
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    assert.equal(await verifyFileOwnerOp({ ...signed, ownerOp: tampered }), undefined)
    const other = await generateMailboxKey()
    assert.equal(await verifyFileOwnerOp({ ...signed, publicKey: other.publicKey.raw }), undefined)
  })
})
