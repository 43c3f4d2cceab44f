// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test vectors of forwarded deposits (docs/PROTOCOL.md, "Forwarded deposits"): the frames must stay
 * byte for byte what `forward-vectors.json` says, and each must appear in PROTOCOL.md.
 * `SOTTO_WRITE_VECTORS=1` rewrites the file instead (then update the documentation).
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { InvalidInputError, TooLargeError } from '../../src/errors.js'
import {
  MAX_ENVELOPE_BYTES, encodeForwardRequest, encodeForwardResponse, parseForwardRequest, parseForwardResponse
} from '../../src/mailbox/index.js'

// The JSON file sits beside the sources, not in dist.
const FILE = fileURLToPath(new URL('../../../test/mailbox/forward-vectors.json', import.meta.url))
const DOC = fileURLToPath(new URL('../../../../docs/PROTOCOL.md', import.meta.url))

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const seq = (from: number, n: number): Uint8Array => new Uint8Array(n).map((_, i) => from + i)
const RELAY = '/ip4/203.0.113.7/tcp/4001/p2p/12D3KooWCKq9ZvccjmCqhBbPsrgpAKBHWQpgB61ruM19CyAvH1Cp'

function compute (): Record<string, string> {
  return {
    forwardRequest: hex(encodeForwardRequest({ relay: RELAY, mailboxId: seq(0, 32), token: seq(0x20, 32), envelope: seq(1, 3), ttl: 3600 })),
    forwardOk: hex(encodeForwardResponse({ status: 'OK' })),
    forwardNotAUser: hex(encodeForwardResponse({ status: 'NOT_A_USER', message: 'not a user' })),
    forwardUnauthorized: hex(encodeForwardResponse({ status: 'UNAUTHORIZED', message: 'refused' })),
    forwardRateLimited: hex(encodeForwardResponse({ status: 'RATE_LIMITED', message: 'slow down', retryAfter: 1500 })),
    forwardUnreachable: hex(encodeForwardResponse({ status: 'UNREACHABLE' }))
  }
}

describe('forwarded deposit test vectors', () => {
  it('match forward-vectors.json and appear in docs/PROTOCOL.md', () => {
    const computed = compute()
    if (process.env.SOTTO_WRITE_VECTORS === '1') writeFileSync(FILE, JSON.stringify(computed, null, 2) + '\n')
    assert.deepEqual(computed, JSON.parse(readFileSync(FILE, 'utf8')))
    const doc = readFileSync(DOC, 'utf8')
    for (const [name, value] of Object.entries(computed)) assert.ok(doc.includes(value), `${name} is not in PROTOCOL.md`)
  })

  it('decode back to what they say', () => {
    const v = compute()
    const b = (k: string): Uint8Array => Buffer.from(v[k]!, 'hex')
    const request = parseForwardRequest(b('forwardRequest'))
    assert.deepEqual([request.relay, hex(request.envelope), request.ttl], [RELAY, '010203', 3600])
    assert.deepEqual(parseForwardResponse(b('forwardRateLimited')), { status: 'RATE_LIMITED', message: 'slow down', retryAfter: 1500 })
    assert.equal(parseForwardResponse(b('forwardNotAUser')).status, 'NOT_A_USER')
  })

  it('refuses a circuit, an address without a PeerId, a short token, an empty or oversized envelope, and an unknown status', () => {
    const base = { relay: RELAY, mailboxId: seq(0, 32), token: seq(0x20, 32), envelope: seq(1, 3), ttl: 0 }
    const bad = [
      { ...base, relay: `${RELAY}/p2p-circuit/p2p/12D3KooWCKq9ZvccjmCqhBbPsrgpAKBHWQpgB61ruM19CyAvH1Cp` },
      { ...base, relay: '/ip4/203.0.113.7/tcp/4001' },
      { ...base, relay: 'not an address' },
      { ...base, token: seq(0, 31) },
      { ...base, envelope: new Uint8Array(0) }
    ]
    for (const request of bad) assert.throws(() => parseForwardRequest(encodeForwardRequest(request)), InvalidInputError)
    assert.throws(() => parseForwardRequest(encodeForwardRequest({ ...base, envelope: new Uint8Array(MAX_ENVELOPE_BYTES + 1) })), TooLargeError)
    assert.throws(() => parseForwardResponse(Uint8Array.from([0x08, 0x07])), InvalidInputError)
    assert.throws(() => parseForwardResponse(Uint8Array.from([0xff])), InvalidInputError)
  })
})
