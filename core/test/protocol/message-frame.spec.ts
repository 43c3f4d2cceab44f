// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidInputError, TooLargeError } from '../../src/errors.js'
import {
  decodeMessageFrame, encodeEnvelope, encodeMessageFrame, MAX_ENVELOPE_BYTES, MAX_MESSAGE_FRAME_BYTES,
  newEnvelopeId
} from '../../src/protocol/index.js'
import * as pb from '../../src/protocol/sotto.js'
import type { MessageFrame } from '../../src/protocol/index.js'

describe('message frame', () => {
  it('round-trips Deliver and every kind of Receipt', () => {
    const id = newEnvelopeId()
    const frames: MessageFrame[] = [
      { deliver: { envelope: encodeEnvelope({ id, sealed: new Uint8Array(300).fill(3) }) } },
      { deliver: { envelope: new Uint8Array(MAX_ENVELOPE_BYTES).fill(1) } },
      { receipt: { id, status: 'STORED' } },
      { receipt: { id, status: 'DUPLICATE' } },
      { receipt: { id, status: 'REJECTED', reason: 'not accepted' } },
      { receipt: { id: new Uint8Array(0), status: 'REJECTED', reason: 'unreadable envelope' } }
    ]
    for (const frame of frames) {
      const bytes = encodeMessageFrame(frame)
      assert.ok(bytes.byteLength <= MAX_MESSAGE_FRAME_BYTES)
      assert.deepEqual(decodeMessageFrame(bytes), frame)
    }
  })

  it('refuses to encode invalid frames', () => {
    const id = newEnvelopeId()
    const cases: Array<[string, MessageFrame]> = [
      ['nothing', {}],
      ['both', { deliver: { envelope: new Uint8Array(1024) }, receipt: { id, status: 'STORED' } }],
      ['empty envelope', { deliver: { envelope: new Uint8Array(0) } }],
      ['STORED without an id', { receipt: { id: new Uint8Array(0), status: 'STORED' } }],
      ['id of 8 bytes', { receipt: { id: new Uint8Array(8), status: 'REJECTED' } }],
      ['unknown status', { receipt: { id, status: 'LOST' as 'STORED' } }],
      ['reason too long', { receipt: { id, status: 'REJECTED', reason: 'r'.repeat(257) } }],
      ['reason with a newline', { receipt: { id, status: 'REJECTED', reason: 'a\nb' } }]
    ]
    for (const [what, frame] of cases) {
      assert.throws(() => encodeMessageFrame(frame), InvalidInputError, what)
    }
    assert.throws(() => encodeMessageFrame({ deliver: { envelope: new Uint8Array(MAX_ENVELOPE_BYTES + 1) } }), TooLargeError)
  })

  it('refuses invalid frames when decoding', () => {
    const id = new Uint8Array(newEnvelopeId())
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['empty', new Uint8Array(0), /exactly one/],
      ['unknown frame kind (field 3)', new Uint8Array([0x1a, 0x00]), /exactly one/],
      ['receipt without a status', pb.MessageFrame.encode({ receipt: { id, status: pb.MessageFrame.Receipt.Status.STATUS_UNSPECIFIED, reason: '' } }), /no status/],
      ['receipt with status 9', new Uint8Array([0x12, 0x14, 0x0a, 0x10, ...id, 0x10, 0x09]), /malformed/],
      ['deliver with no envelope', new Uint8Array([0x0a, 0x00]), /envelope: 0 bytes/],
      ['garbage', new Uint8Array([0x0f, 0xff, 0xff]), /malformed/],
      ['truncated', encodeMessageFrame({ receipt: { id, status: 'STORED' } }).subarray(0, 10), /malformed/]
    ]
    for (const [what, bytes, message] of cases) {
      assert.throws(() => decodeMessageFrame(bytes), (err: Error) => {
        assert.ok(err instanceof InvalidInputError, `${what}: ${err.name}`)
        assert.match(err.message, message, what)
        return true
      })
    }
  })

  it('refuses an envelope over 64 KiB inside a frame that fits, and frames over the maximum before decoding', () => {
    const bytes = pb.MessageFrame.encode({ deliver: { envelope: new Uint8Array(MAX_ENVELOPE_BYTES + 1) } })
    assert.ok(bytes.byteLength <= MAX_MESSAGE_FRAME_BYTES)
    assert.throws(() => decodeMessageFrame(bytes), TooLargeError)
    assert.throws(() => decodeMessageFrame(new Uint8Array(MAX_MESSAGE_FRAME_BYTES + 1)), TooLargeError)
  })
})
