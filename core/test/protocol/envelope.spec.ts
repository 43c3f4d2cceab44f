// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidInputError, TooLargeError } from '../../src/errors.js'
import {
  decodeEnvelope, encodeEnvelope, ENVELOPE_BUCKETS, MAX_ENVELOPE_BYTES, MAX_SEALED_BYTES, newEnvelopeId
} from '../../src/protocol/index.js'
import * as pb from '../../src/protocol/sotto.js'

function sealedOf (length: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(length).map((_, i) => (i * 31 + 7) & 0xff)
}

/** The smallest bucket an envelope of this sealed length can use (from the encoding rules). */
function expectedBucket (sealedLength: number): number {
  const unpadded = 18 + 1 + varintLength(sealedLength) + sealedLength
  const bucket = ENVELOPE_BUCKETS.find(b => b - unpadded === 0 || b - unpadded >= 2)
  assert.ok(bucket !== undefined)
  return bucket
}

function varintLength (n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : 3
}

describe('envelope', () => {
  it('has fresh 16-byte ids', () => {
    const a = newEnvelopeId()
    const b = newEnvelopeId()
    assert.equal(a.byteLength, 16)
    assert.notDeepEqual(a, b)
  })

  it('round-trips and pads to the smallest bucket that fits, at every length near a bucket edge', () => {
    const lengths = new Set<number>([1, 2, 127, 128, 129, 130, 873, MAX_SEALED_BYTES - 1, MAX_SEALED_BYTES])
    for (const bucket of ENVELOPE_BUCKETS) {
      for (let n = bucket - 160; n <= bucket + 4; n++) if (n >= 1 && n <= MAX_SEALED_BYTES) lengths.add(n)
    }
    // 16384 is also where a length prefix grows from two bytes to three.
    for (let n = 16370; n <= 16390; n++) lengths.add(n)
    for (const length of lengths) {
      const envelope = { id: newEnvelopeId(), sealed: sealedOf(length) }
      const bytes = encodeEnvelope(envelope)
      assert.equal(bytes.byteLength, expectedBucket(length), `sealed of ${length} bytes`)
      assert.deepEqual(decodeEnvelope(bytes), envelope)
    }
  })

  it('pads with one chunk, or two when one cannot reach the size', () => {
    // 894 unpadded bytes leave 130 to fill: a chunk is 1 + 1 + 128 or 1 + 2 + 128 bytes, never 130.
    const bytes = encodeEnvelope({ id: newEnvelopeId(), sealed: sealedOf(873) })
    assert.equal(bytes.byteLength, 1024)
    assert.equal(pb.Envelope.decode(bytes).padding.length, 2)
    assert.equal(pb.Envelope.decode(encodeEnvelope({ id: newEnvelopeId(), sealed: sealedOf(500) })).padding.length, 1)
  })

  it('moves to the next bucket when a single byte would be left over', () => {
    // 18 + 1 + 2 + 1002 = 1023 unpadded: no padding field is 1 byte long.
    assert.equal(encodeEnvelope({ id: newEnvelopeId(), sealed: sealedOf(1002) }).byteLength, 4096)
    assert.equal(encodeEnvelope({ id: newEnvelopeId(), sealed: sealedOf(1003) }).byteLength, 1024)
  })

  it('refuses to encode a sealed payload that no bucket holds, or an invalid id', () => {
    assert.throws(() => encodeEnvelope({ id: newEnvelopeId(), sealed: new Uint8Array(MAX_SEALED_BYTES + 1) }), TooLargeError)
    assert.throws(() => encodeEnvelope({ id: newEnvelopeId(), sealed: new Uint8Array(0) }), InvalidInputError)
    assert.throws(() => encodeEnvelope({ id: new Uint8Array(15), sealed: sealedOf(10) }), /id: 15 bytes/)
    assert.throws(() => encodeEnvelope({ id: newEnvelopeId(), sealed: 'text' as unknown as Uint8Array }), InvalidInputError)
  })

  it('refuses more than 64 KiB before decoding', () => {
    assert.throws(() => decodeEnvelope(new Uint8Array(MAX_ENVELOPE_BYTES + 1)), TooLargeError)
    assert.throws(() => decodeEnvelope(new Uint8Array(10 * MAX_ENVELOPE_BYTES)), TooLargeError)
  })

  it('refuses a length that is not a bucket, such as any truncation', () => {
    const bytes = encodeEnvelope({ id: newEnvelopeId(), sealed: sealedOf(100) })
    assert.throws(() => decodeEnvelope(bytes.subarray(0, 1023)), /not one of the sizes/)
    assert.throws(() => decodeEnvelope(bytes.subarray(0, 0)), /not one of the sizes/)
  })

  it('refuses padding that is not zero, or in more than two chunks', () => {
    const id = newEnvelopeId()
    const sealed = sealedOf(100)
    const bytes = encodeEnvelope({ id, sealed })
    const tampered = new Uint8Array(bytes)
    tampered[1000] = 1
    assert.throws(() => decodeEnvelope(tampered), /padding is not zero/)
    const three = pb.Envelope.encode({ id, sealed, padding: [new Uint8Array(0), new Uint8Array(0), new Uint8Array(1024 - 120 - 4 - 3)] })
    assert.equal(three.byteLength, 1024)
    assert.throws(() => decodeEnvelope(three), InvalidInputError)
  })

  it('refuses a bucket-sized envelope with a bad id or no sealed bytes', () => {
    const padTo1024 = (id: Uint8Array, sealed: Uint8Array): Uint8Array => {
      const unpadded = pb.Envelope.encode({ id: new Uint8Array(id), sealed: new Uint8Array(sealed) }).byteLength
      const rest = 1024 - unpadded - 3
      return pb.Envelope.encode({ id: new Uint8Array(id), sealed: new Uint8Array(sealed), padding: [new Uint8Array(rest)] })
    }
    const noId = padTo1024(new Uint8Array(0), sealedOf(100))
    assert.equal(noId.byteLength, 1024)
    assert.throws(() => decodeEnvelope(noId), /id: 0 bytes/)
    const noSealed = padTo1024(newEnvelopeId(), new Uint8Array(0))
    assert.equal(noSealed.byteLength, 1024)
    assert.throws(() => decodeEnvelope(noSealed), /sealed: 0 bytes/)
  })

  it('refuses garbage of a bucket size with InvalidInputError', () => {
    const garbage = new Uint8Array(1024).map((_, i) => (i * 73 + 11) & 0xff)
    assert.throws(() => decodeEnvelope(garbage), InvalidInputError)
    assert.throws(() => decodeEnvelope(new Uint8Array(4096)), InvalidInputError)
  })
})
