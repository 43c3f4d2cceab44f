// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidInputError, TooLargeError } from '../../src/errors.js'
import {
  CONTENT_PADDING_BLOCK, decodeContent, encodeContent, MAX_CONTENT_BYTES, MAX_DISAPPEARING_SECONDS,
  MAX_RECEIPT_IDS, MAX_SIGNED_INVITE_CARD_BYTES, MAX_TEXT_LENGTH, newEnvelopeId
} from '../../src/protocol/index.js'
import * as pb from '../../src/protocol/sotto.js'
import type { Content } from '../../src/protocol/index.js'

const id = newEnvelopeId()
const sentAt = 1_767_225_600_123

/** Encodes a raw protobuf Content, bypassing the checks of encodeContent. */
function raw (message: Partial<pb.Content>): Uint8Array {
  return pb.Content.encode({ id: new Uint8Array(id), sentAt: BigInt(sentAt), ...message })
}

describe('content', () => {
  it('round-trips each body, padded to a multiple of 256 bytes', () => {
    const contents: Content[] = [
      { id, sentAt, text: { text: 'hello', seq: 1 } },
      { id, sentAt, text: { text: '', seq: 0 } },
      { id, sentAt, senderCard: new Uint8Array(2100).fill(5), text: { text: 'first message', seq: 1 } },
      { id, sentAt, deliveryReceipt: { ids: [newEnvelopeId(), newEnvelopeId()] } },
      { id, sentAt, resendRequest: { ids: [newEnvelopeId()] } },
      { id, sentAt, disappearingTimer: { seconds: 0 } },
      { id, sentAt, disappearingTimer: { seconds: MAX_DISAPPEARING_SECONDS } }
    ]
    for (const content of contents) {
      const bytes = encodeContent(content)
      assert.equal(bytes.byteLength % CONTENT_PADDING_BLOCK, 0)
      assert.deepEqual(decodeContent(bytes), content)
    }
  })

  it('hides short texts\' lengths: every text up to 200 characters encodes to 256 bytes', () => {
    for (let n = 0; n <= 200; n++) {
      assert.equal(encodeContent({ id, sentAt, text: { text: 'x'.repeat(n), seq: 9 } }).byteLength, 256)
    }
  })

  it('takes 8,000 characters of four UTF-8 bytes each, and no more', () => {
    const longest = '𝄞'.repeat(MAX_TEXT_LENGTH)
    const content = { id, sentAt, senderCard: new Uint8Array(MAX_SIGNED_INVITE_CARD_BYTES), text: { text: longest, seq: 2 ** 40 } }
    const bytes = encodeContent(content)
    assert.ok(bytes.byteLength <= MAX_CONTENT_BYTES)
    assert.deepEqual(decodeContent(bytes), content)
    assert.throws(() => encodeContent({ id, sentAt, text: { text: longest + 'x', seq: 1 } }), /longer than 8000/)
    assert.throws(() => decodeContent(raw({ text: { text: 'x'.repeat(MAX_TEXT_LENGTH + 1), seq: 1n } })), /longer than 8000/)
  })

  it('encodes a Content with no body (an introduction carrying only the sender card)', () => {
    const introduction = { id, sentAt, senderCard: new Uint8Array(2000).fill(7) }
    assert.deepEqual(decodeContent(encodeContent(introduction)), introduction)
  })

  it('carries a guest\'s inviteTag (16 bytes) beside the sender card, and refuses another length', () => {
    const introduction = { id, sentAt, senderCard: new Uint8Array(200).fill(7), inviteTag: new Uint8Array(16).fill(3) }
    assert.deepEqual(decodeContent(encodeContent(introduction)), introduction)
    assert.throws(() => encodeContent({ ...introduction, inviteTag: new Uint8Array(8) }), InvalidInputError)
    assert.throws(() => decodeContent(raw({ inviteTag: new Uint8Array(17), padding: [] })), /inviteTag/)
  })

  it('refuses to encode two bodies', () => {
    assert.throws(() => encodeContent({ id, sentAt, text: { text: 'a', seq: 1 }, disappearingTimer: { seconds: 5 } }), /2 bodies/)
  })

  it('decodes a body it does not know as a Content with no body, to be ignored', () => {
    // Field 30 is unknown to this version (a future body reads the same to it).
    const future = new Uint8Array([...raw({}), 0xf2, 0x01, 0x02, 0x08, 0x01])
    assert.deepEqual(decodeContent(future), { id, sentAt })
  })

  it('decodes a file notice of a kind it does not know as a Content with no body; refuses a short target', () => {
    const unknown = raw({ fileNotice: { target: new Uint8Array(16), kind: pb.Content.FileNotice.Kind.UNKNOWN } })
    assert.deepEqual(decodeContent(unknown), { id, sentAt })
    const held = raw({ fileNotice: { target: new Uint8Array(16).fill(3), kind: pb.Content.FileNotice.Kind.HELD } })
    assert.deepEqual(decodeContent(held), { id, sentAt, fileNotice: { target: new Uint8Array(16).fill(3), kind: 'held' } })
    assert.throws(() => decodeContent(raw({ fileNotice: { target: new Uint8Array(15), kind: pb.Content.FileNotice.Kind.CANCELLED } })), /file notice target: 15 bytes/)
  })

  it('refuses invalid fields with InvalidInputError', () => {
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['id of 15 bytes', raw({ id: new Uint8Array(15) }), /id: 15 bytes/],
      ['no id', raw({ id: new Uint8Array(0), text: { text: 'a', seq: 1n } }), /id: 0 bytes/],
      ['sentAt past 2^53', raw({ sentAt: 2n ** 53n, text: { text: 'a', seq: 1n } }), /sentAt/],
      ['seq past 2^53', raw({ text: { text: 'a', seq: 2n ** 60n } }), /seq/],
      ['empty receipt', raw({ deliveryReceipt: { ids: [] } }), /1-256 ids/],
      ['receipt id of 17 bytes', raw({ deliveryReceipt: { ids: [new Uint8Array(17)] } }), /receipt id: 17 bytes/],
      ['257 receipt ids', raw({ deliveryReceipt: { ids: Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => new Uint8Array(16)) } }), /malformed/],
      ['empty resend request', raw({ resendRequest: { ids: [] } }), /resend request: 1-256 ids/],
      ['resend request id of 15 bytes', raw({ resendRequest: { ids: [new Uint8Array(15)] } }), /resend request id: 15 bytes/],
      ['257 resend request ids', raw({ resendRequest: { ids: Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => new Uint8Array(16)) } }), /malformed/],
      ['timer over a year', raw({ disappearingTimer: { seconds: MAX_DISAPPEARING_SECONDS + 1 } }), /disappearing timer/],
      ['empty sender card', raw({ senderCard: new Uint8Array(0), text: { text: 'a', seq: 1n } }), /senderCard: 0 bytes/],
      ['sender card over 8 KiB', raw({ senderCard: new Uint8Array(MAX_SIGNED_INVITE_CARD_BYTES + 1), text: { text: 'a', seq: 1n } }), /senderCard/],
      ['padding not zero', raw({ text: { text: 'a', seq: 1n }, padding: [new Uint8Array([0, 1])] }), /padding is not zero/],
      ['padding in three chunks', raw({ text: { text: 'a', seq: 1n }, padding: [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)] }), /malformed/],
      ['garbage', new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), /malformed/],
      ['wrong wire type for id', new Uint8Array([0x08, 0x01]), /malformed/]
    ]
    for (const [what, bytes, message] of cases) {
      assert.throws(() => decodeContent(bytes), (err: Error) => {
        assert.ok(err instanceof InvalidInputError, `${what}: ${err.name}`)
        assert.match(err.message, message, what)
        return true
      })
    }
  })

  it('refuses invalid values when encoding', () => {
    assert.throws(() => encodeContent({ id, sentAt: -1, text: { text: 'a', seq: 1 } }), InvalidInputError)
    assert.throws(() => encodeContent({ id, sentAt, text: { text: 'a', seq: 0.5 } }), InvalidInputError)
    assert.throws(() => encodeContent({ id, sentAt, text: { text: 'lone \uDC00', seq: 1 } }), /surrogate/)
    assert.throws(() => encodeContent({ id, sentAt, deliveryReceipt: { ids: [] } }), InvalidInputError)
    assert.throws(() => encodeContent({ id, sentAt, disappearingTimer: { seconds: -5 } }), InvalidInputError)
  })

  it('refuses more than 48 KiB before decoding', () => {
    assert.throws(() => decodeContent(new Uint8Array(MAX_CONTENT_BYTES + 1)), TooLargeError)
  })

  it('refuses truncations', () => {
    const bytes = encodeContent({ id, sentAt, text: { text: 'truncate me', seq: 3 } })
    // Cut inside the id, the sentAt varint, the text and the padding's length prefix.
    for (const length of [1, 5, 20, 30, 40, 44, 100]) {
      assert.throws(() => decodeContent(bytes.subarray(0, length)), InvalidInputError, `cut at ${length}`)
    }
  })
  describe('File body', () => {
    const file = {
      id: new Uint8Array(16).fill(1),
      key: new Uint8Array(32).fill(2),
      size: 1500,
      paddedSize: 1507,
      chunkSize: 1024,
      root: new Uint8Array(32).fill(3),
      mime: 'text/plain',
      name: 'notes.txt',
      seq: 4
    }

    it('round-trips, with and without a thumbnail', () => {
      for (const f of [file, { ...file, thumbnail: new Uint8Array(16 * 1024).fill(9) }]) {
        assert.deepEqual(decodeContent(encodeContent({ id, sentAt, file: f })).file, f)
      }
    })

    it('refuses a File body that breaks a rule', () => {
      const bad: Array<[string, Record<string, unknown>]> = [
        ['a short id', { id: new Uint8Array(15) }],
        ['a short key', { key: new Uint8Array(31) }],
        ['a padded size that is not the rule\'s', { paddedSize: 1500 }],
        ['a chunk size under 1 KiB', { chunkSize: 512 }],
        ['a path in the name', { name: '../etc/passwd' }],
        ['a backslash in the name', { name: 'a\\b' }],
        ['an empty name', { name: '' }],
        ['a control character in the name', { name: 'a\u202eb' }],
        ['a space in the MIME type', { mime: 'text/plain; x' }],
        ['a thumbnail over 16 KiB', { thumbnail: new Uint8Array(16 * 1024 + 1) }],
        ['a fractional seq', { seq: 0.5 }]
      ]
      for (const [what, change] of bad) {
        assert.throws(() => encodeContent({ id, sentAt, file: { ...file, ...change } }), InvalidInputError, what)
      }
      assert.throws(() => encodeContent({ id, sentAt, file, text: { text: 'a', seq: 1 } }), /2 bodies/)
    })
  })
})
