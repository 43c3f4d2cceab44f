// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test vectors of the mailbox protocol (docs/PROTOCOL.md, "Mailbox protocol"): encodings and
 * signatures made from fixed keys must stay byte for byte what `vectors.json` says.
 * `SOTTO_WRITE_VECTORS=1` rewrites the file instead (then update the documentation).
 */

import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import {
  decodeOwnerOp, encodeRelayInfo, encodeRequest, encodeResponse, hashDepositToken, mailboxIdOf, parseRelayInfo,
  parseRequest, parseResponse, signOwnerOp, verifyOwnerOp
} from '../../src/mailbox/index.js'

// The JSON file sits beside the sources, not in dist.
const FILE = fileURLToPath(new URL('../../../test/mailbox/vectors.json', import.meta.url))

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const seq = (from: number, n: number): Uint8Array => new Uint8Array(n).map((_, i) => from + i)

async function compute (): Promise<Record<string, string>> {
  const key = await generateKeyPairFromSeed('Ed25519', seq(0, 32))
  const relay = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', seq(0x40, 32)))
  const relayBytes = relay.toMultihash().bytes
  const mailboxId = mailboxIdOf(key)
  const token = seq(0x20, 32)
  const read = await signOwnerOp(key, { kind: 'read', after: 0, limit: 100, relay: relayBytes, mailboxId, freshness: { timestamp: 1_700_000_000_000 } })
  const register = await signOwnerOp(key, { kind: 'register-token', tokenHash: hashDepositToken(token), tokenKind: 'contact', relay: relayBytes, mailboxId, freshness: { challenge: seq(0x80, 32) } })
  return {
    mailboxKeySeed: hex(seq(0, 32)),
    mailboxPublicKey: hex(key.publicKey.raw),
    mailboxId: hex(mailboxId),
    relayPeerId: relay.toString(),
    relayPeerIdBytes: hex(relayBytes),
    token: hex(token),
    tokenHash: hex(hashDepositToken(token)),
    readOp: hex(read.op),
    readSignature: hex(read.signature),
    readRequest: hex(encodeRequest({ id: 2, type: 'owner', ...read })),
    registerOp: hex(register.op),
    registerSignature: hex(register.signature),
    depositRequest: hex(encodeRequest({ id: 1, type: 'deposit', mailboxId, token, envelope: seq(1, 3), ttl: 3600 })),
    challengeRequest: hex(encodeRequest({ id: 3, type: 'challenge' })),
    okResponse: hex(encodeResponse({ id: 1, status: 'OK' })),
    readResponse: hex(encodeResponse({ id: 2, status: 'OK', envelopes: [{ id: 7, envelope: seq(1, 3), expiresAt: 1_700_000_060_000, kind: 'contact' }], more: true })),
    rateLimitedResponse: hex(encodeResponse({ id: 4, status: 'RATE_LIMITED', message: 'too many deposits with this token', retryAfter: 1500 })),
    unauthorizedResponse: hex(encodeResponse({ id: 5, status: 'UNAUTHORIZED', message: 'unauthorized' })),
    push: hex(encodeResponse({ id: 0, status: 'OK', pushed: { id: 8, envelope: seq(1, 3), expiresAt: 1_700_000_060_000, kind: 'introduction' } })),
    relayInfo: hex(encodeRelayInfo({
      operator: 'Example', contact: 'mailto:ops@example.org', jurisdiction: 'DE', retentionSeconds: 1_209_600, maxEnvelopeBytes: 65_536,
      mailboxMaxEnvelopes: 10_000, mailboxMaxBytes: 67_108_864, contactRate: { burst: 1000, perHour: 36_000 }, introductionRate: { burst: 5, perHour: 30 }, version: 'sotto-relay/0.1.0'
    }))
  }
}

describe('mailbox test vectors', () => {
  it('match vectors.json', async () => {
    const computed = await compute()
    if (process.env.SOTTO_WRITE_VECTORS === '1') writeFileSync(FILE, JSON.stringify(computed, null, 2) + '\n')
    const expected = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>
    assert.deepEqual(computed, expected)
  })

  it('decode back to what they say', async () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>
    const b = (k: string): Uint8Array => Buffer.from(v[k]!, 'hex')
    assert.equal(await verifyOwnerOp(b('mailboxPublicKey'), b('readOp'), b('readSignature')), true)
    assert.equal(await verifyOwnerOp(b('mailboxPublicKey'), b('registerOp'), b('registerSignature')), true)
    const op = decodeOwnerOp(b('readOp'))
    assert.deepEqual([op.kind, hex(op.mailboxId), hex(op.relay)], ['read', v.mailboxId, v.relayPeerIdBytes])
    const deposit = parseRequest(b('depositRequest'))
    assert.ok(deposit.ok && deposit.request.type === 'deposit' && deposit.request.ttl === 3600)
    assert.equal(parseResponse(b('readResponse')).envelopes[0]?.id, 7)
    assert.equal(parseResponse(b('push')).pushed?.kind, 'introduction')
    assert.equal(parseResponse(b('rateLimitedResponse')).retryAfter, 1500)
    assert.equal(parseRelayInfo(b('relayInfo')).jurisdiction, 'DE')
  })
})
