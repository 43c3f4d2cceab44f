// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Property tests of the group bodies of Content: whatever the valid body, decoding its encoding
 * gives it back; whatever edit is made to the encoding, decoding returns or throws a named error.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { MAX_DISAPPEARING_SECONDS, decodeContent, encodeContent } from '../../src/protocol/index.js'
import { paddedSize } from '../../src/files/chunks.js'
import { returnsOrThrowsNamed } from '../protocol/fixtures.js'
import type { Content } from '../../src/protocol/index.js'

const bytes = (min: number, max: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: min, maxLength: max }).map(b => new Uint8Array(b))
const groupId = bytes(16, 16)
const plainName = fc.string({ minLength: 1, maxLength: 64, unit: fc.constantFrom('a', 'b', 'é', ' ', '🦊') }).filter(s => /\S/u.test(s))

/** A GroupText carrying a file: no text, the file's seq the text's. */
const groupFile = fc.tuple(groupId, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 1 << 30 }), fc.record({
  id: bytes(16, 16),
  key: bytes(32, 32),
  chunkSize: fc.integer({ min: 1024, max: 256 * 1024 }),
  root: bytes(32, 32),
  mime: fc.constantFrom('', 'image/jpeg', 'application/pdf'),
  name: plainName.map(n => `${n}.bin`)
}, { noNullPrototype: true }), fc.option(bytes(1, 64), { nil: undefined })).map(([g, seq, size, file, thumbnail]) => ({
  groupText: { groupId: g, text: '', seq, disappearingSeconds: 0, file: { ...file, size, paddedSize: paddedSize(size), ...(thumbnail != null ? { thumbnail } : {}), seq } }
}))

/** One Content with one group body. */
const groupContent: fc.Arbitrary<Content> = fc.tuple(
  bytes(16, 16),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.oneof(
    fc.record({ groupUpdate: fc.record({ groupId, changes: fc.array(bytes(1, 300), { minLength: 1, maxLength: 8 }) }, { noNullPrototype: true }) }, { noNullPrototype: true }),
    fc.record({ senderKey: fc.record({ groupId, distribution: bytes(1, 256) }, { noNullPrototype: true }) }, { noNullPrototype: true }),
    fc.record({
      groupText: fc.record({
        groupId,
        text: fc.string({ maxLength: 200 }),
        seq: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        disappearingSeconds: fc.integer({ min: 0, max: MAX_DISAPPEARING_SECONDS })
      }, { noNullPrototype: true })
    }, { noNullPrototype: true }),
    groupFile,
    fc.record({ groupJoin: fc.record({ groupId, name: plainName }, { noNullPrototype: true }) }, { noNullPrototype: true }),
    fc.record({ groupJoin: fc.record({ groupId, name: fc.constant(''), card: bytes(1, 600), depositToken: bytes(1, 64) }, { noNullPrototype: true }) }, { noNullPrototype: true })
  )
).map(([id, sentAt, body]) => ({ id, sentAt, ...body }) as Content)

describe('group bodies of Content, by property', () => {
  it('decode the encoding of any valid group body back to it', () => {
    fc.assert(fc.property(groupContent, content => {
      assert.deepEqual(decodeContent(encodeContent(content)), content)
    }), { numRuns: 300 })
  })

  it('decode any edited encoding to a value or a named error', () => {
    fc.assert(fc.property(groupContent, fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }), (content, sets) => {
      const encoded = encodeContent(content)
      for (const s of sets) encoded[s.at % encoded.length] = s.byte
      returnsOrThrowsNamed(() => decodeContent(encoded))
    }), { numRuns: 500 })
  })
})
