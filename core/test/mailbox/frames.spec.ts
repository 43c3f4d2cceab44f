// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Property tests of the mailbox frame decoders: any bytes give a value or a clear input error,
 * never anything else, and every valid message survives encoding and decoding.
 */

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { InvalidInputError, TooLargeError } from '../../src/errors.js'
import {
  MAX_ENVELOPE_BYTES, MAX_REQUEST_FRAME_BYTES, MAX_RESPONSE_FRAME_BYTES, decodeOwnerOp, encodeOwnerOp,
  encodeRelayInfo, encodeRequest, encodeResponse, parseRelayInfo, parseRequest, parseResponse
} from '../../src/mailbox/index.js'
import type { MailboxEnvelope, MailboxRequest, MailboxResponseInit, OwnerOpData, RelayInfo } from '../../src/mailbox/index.js'

const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n })
const id = fc.integer({ min: 1, max: 0xffffffff })
const safeId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })

const request: fc.Arbitrary<MailboxRequest> = fc.oneof(
  fc.record({ id, type: fc.constant('owner' as const), publicKey: bytes(32), op: fc.uint8Array({ minLength: 1, maxLength: 300 }), signature: bytes(64) }),
  fc.record({ id, type: fc.constant('deposit' as const), mailboxId: bytes(32), token: bytes(32), envelope: fc.uint8Array({ minLength: 1, maxLength: 2000 }), ttl: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ id, type: fc.constant('challenge' as const) }),
  fc.record({ id, type: fc.constant('ping' as const) })
)

const ownerOp: fc.Arbitrary<OwnerOpData> = fc.tuple(
  fc.oneof(
    fc.record({ kind: fc.constantFrom('create' as const, 'subscribe' as const, 'delete' as const) }),
    fc.record({ kind: fc.constant('register-token' as const), tokenHash: bytes(32), tokenKind: fc.constantFrom('contact' as const, 'introduction' as const) }),
    fc.record({ kind: fc.constant('revoke-token' as const), tokenHash: bytes(32) }),
    fc.record({ kind: fc.constant('read' as const), after: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), limit: fc.integer({ min: 1, max: 1000 }) }),
    fc.record({ kind: fc.constant('ack' as const), ids: fc.array(safeId, { minLength: 1, maxLength: 50 }) })
  ),
  fc.uint8Array({ minLength: 1, maxLength: 64 }),
  bytes(32),
  fc.oneof(
    fc.record({ timestamp: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) }),
    fc.record({ challenge: bytes(32) })
  )
).map(([action, relay, mailboxId, freshness]) => ({ ...action, relay, mailboxId, freshness }) as OwnerOpData)

const envelope: fc.Arbitrary<MailboxEnvelope> = fc.record({
  id: safeId,
  envelope: fc.uint8Array({ minLength: 1, maxLength: 500 }),
  expiresAt: safeId,
  kind: fc.constantFrom('contact' as const, 'introduction' as const)
})

const response: fc.Arbitrary<MailboxResponseInit> = fc.record({
  id: fc.integer({ min: 0, max: 0xffffffff }),
  status: fc.constantFrom('OK', 'BAD_REQUEST', 'UNAUTHORIZED', 'TOO_LARGE', 'QUOTA', 'RATE_LIMITED', 'STALE_AUTH', 'UNAVAILABLE', 'INTERNAL' as const),
  message: fc.string({ maxLength: 100 }),
  retryAfter: fc.integer({ min: 0, max: 0xffffffff }),
  envelopes: fc.array(envelope, { maxLength: 10 }).map(es => es.map((e, i) => ({ ...e, id: i + 1 }))),
  more: fc.boolean(),
  deleted: fc.integer({ min: 0, max: 1000 }),
  serverTime: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
}, { requiredKeys: ['id', 'status'] })

function hex (b: Uint8Array): string {
  return Buffer.from(b).toString('hex')
}

/** Runs `fn` and says whether it threw something other than an input error. */
function onlyInputErrors (fn: () => unknown): void {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof InvalidInputError, `unexpected ${(err as Error).name}: ${(err as Error).message}`)
  }
}

describe('mailbox frame decoders', () => {
  it('parseRequest answers any bytes with a request or an input error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (data) => {
      const parsed = parseRequest(data)
      if (!parsed.ok) {
        assert.ok(parsed.error instanceof InvalidInputError)
        assert.ok(Number.isInteger(parsed.id) && parsed.id >= 0)
      }
    }), { numRuns: 3000 })
  })

  it('parseRequest answers mutated valid frames with a request or an input error', () => {
    fc.assert(fc.property(request, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (r, flips) => {
      const data = encodeRequest(r)
      for (const [at, v] of flips) if (data.length > 0) data[at % data.length] = v
      const parsed = parseRequest(data)
      if (!parsed.ok) assert.ok(parsed.error instanceof InvalidInputError)
    }), { numRuns: 2000 })
  })

  it('parseRequest decodes what encodeRequest encodes', () => {
    fc.assert(fc.property(request, (r) => {
      const parsed = parseRequest(encodeRequest(r))
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message)
      assert.deepEqual(JSON.parse(JSON.stringify(parsed.request, (_k, v) => v instanceof Uint8Array ? hex(v) : v)),
        JSON.parse(JSON.stringify(r, (_k, v) => v instanceof Uint8Array ? hex(v) : v)))
    }), { numRuns: 1000 })
  })

  it('parseRequest checks sizes before decoding, and caps envelopes', () => {
    const tooBig = parseRequest(new Uint8Array(MAX_REQUEST_FRAME_BYTES + 1))
    assert.ok(!tooBig.ok && tooBig.error instanceof TooLargeError && tooBig.id === 0)
    const envelope = parseRequest(encodeRequest({ id: 7, type: 'deposit', mailboxId: new Uint8Array(32), token: new Uint8Array(32), envelope: new Uint8Array(MAX_ENVELOPE_BYTES + 1), ttl: 0 }))
    assert.ok(!envelope.ok && envelope.error instanceof TooLargeError && envelope.id === 7)
    const atCap = parseRequest(encodeRequest({ id: 8, type: 'deposit', mailboxId: new Uint8Array(32), token: new Uint8Array(32), envelope: new Uint8Array(MAX_ENVELOPE_BYTES), ttl: 0 }))
    assert.ok(atCap.ok)
    const two = parseRequest(new Uint8Array([0x08, 0x01, 0x20, 0x01, 0x28, 0x01]))
    assert.ok(!two.ok && two.id === 1, 'a request with two kinds is refused with its id')
  })

  it('decodeOwnerOp throws only input errors, and decodes what encodeOwnerOp encodes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (data) => { onlyInputErrors(() => decodeOwnerOp(data)) }), { numRuns: 3000 })
    fc.assert(fc.property(ownerOp, (op) => {
      const back = decodeOwnerOp(encodeOwnerOp(op))
      const norm = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => x instanceof Uint8Array ? hex(x) : x))
      assert.deepEqual(norm(back), norm(op))
    }), { numRuns: 1000 })
  })

  it('parseResponse throws only input errors, and decodes what encodeResponse encodes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (data) => { onlyInputErrors(() => parseResponse(data)) }), { numRuns: 3000 })
    fc.assert(fc.property(response, (r) => {
      const back = parseResponse(encodeResponse(r))
      assert.equal(back.id, r.id)
      assert.equal(back.status, r.status)
      assert.equal(back.message, r.message ?? '')
      assert.deepEqual(back.envelopes.map(e => [e.id, hex(e.envelope), e.expiresAt, e.kind]), (r.envelopes ?? []).map(e => [e.id, hex(e.envelope), e.expiresAt, e.kind]))
      assert.equal(back.more, r.more ?? false)
    }), { numRuns: 1000 })
    assert.throws(() => parseResponse(new Uint8Array(MAX_RESPONSE_FRAME_BYTES + 1)), TooLargeError)
    assert.throws(() => parseResponse(new Uint8Array(0)), InvalidInputError, 'a response without a status is malformed')
  })

  it('parseRelayInfo throws only input errors, and decodes what encodeRelayInfo encodes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (data) => { onlyInputErrors(() => parseRelayInfo(data)) }), { numRuns: 3000 })
    const info: RelayInfo = {
      operator: 'Ops', contact: 'mailto:a@b.c', jurisdiction: 'CH', retentionSeconds: 86400, maxEnvelopeBytes: 65536,
      mailboxMaxEnvelopes: 10, mailboxMaxBytes: 2 ** 40, contactRate: { burst: 5, perHour: 6 }, introductionRate: { burst: 1, perHour: 2 }, version: 'sotto-relay/0.1.0'
    }
    assert.deepEqual(parseRelayInfo(encodeRelayInfo(info)), info)
    assert.throws(() => parseRelayInfo(encodeRelayInfo({ ...info, jurisdiction: 'ch' })), InvalidInputError)
    const web = { ...info, webUrl: 'https://relay.example.org:8443' }
    assert.deepEqual(parseRelayInfo(encodeRelayInfo(web)), web)
    for (const webUrl of ['https://relay.example.org/g', 'javascript:alert(1)', 'https://a b', `https://${'a'.repeat(520)}`]) {
      assert.throws(() => parseRelayInfo(encodeRelayInfo({ ...info, webUrl })), InvalidInputError, webUrl)
    }
  })
})
