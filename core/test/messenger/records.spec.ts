// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { StorageCorruptError } from '../../src/errors.js'
import { decodeRecord, encodeRecord } from '../../src/messenger/records.js'

/** The stored format, spelled out: JSON with every byte array as `{ "$bytes": base64 }`. */
function referenceEncode (record: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(record, (_key, value: unknown) =>
    value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value))
}

const bytes = fc.uint8Array({ maxLength: 64 }).map(b => new Uint8Array(b))
const record = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), bytes,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string().filter(k => k !== '$bytes' && k !== '__proto__'), tie('value'), { maxKeys: 4, noNullPrototype: true }))
})).value

describe('stored records', () => {
  it('round-trip, byte arrays included, in the stored format', () => {
    fc.assert(fc.property(record, value => {
      const encoded = encodeRecord(value)
      assert.deepEqual(Buffer.from(encoded), Buffer.from(referenceEncode(value)))
      assert.deepEqual(decodeRecord(encoded), value)
      assert.deepEqual(decodeRecord(referenceEncode(value)), value)
    }), { numRuns: 500 })
  })

  it('refuses bytes that are not a record', () => {
    assert.throws(() => decodeRecord(new Uint8Array([0x7b, 0xff])), StorageCorruptError)
  })
})
