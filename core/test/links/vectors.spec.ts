// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test vectors of short links, relay links and `/sotto/link/1.0.0` (docs/PROTOCOL.md, "Short
 * links"): made from fixed keys, they must stay byte for byte what `vectors.json` says, and every
 * one must appear in the documentation. `SOTTO_WRITE_VECTORS=1` rewrites the file instead.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import {
  decodeLinkOp, decodeRelayLink, decodeShortLink, encodeLinkRequest, encodeLinkResponse, encodeRelayLink,
  encodeShortLink, openCard, parseLinkRequest, parseLinkResponse, sealCard, signLinkOp, verifyLinkOp
} from '../../src/links/index.js'
import { mailboxIdOf } from '../../src/mailbox/index.js'

// The JSON file sits beside the sources, not in dist.
const FILE = fileURLToPath(new URL('../../../test/links/vectors.json', import.meta.url))
const DOC = fileURLToPath(new URL('../../../../docs/PROTOCOL.md', import.meta.url))

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const seq = (from: number, n: number): Uint8Array => new Uint8Array(n).map((_, i) => from + i)

async function compute (): Promise<Record<string, string>> {
  const key = await generateKeyPairFromSeed('Ed25519', seq(0, 32))
  const relay = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', seq(0x40, 32)))
  const mailboxId = mailboxIdOf(key)
  const linkId = seq(0x10, 16)
  const linkKey = seq(0xa0, 32)
  const relayAddr = `/ip4/192.0.2.1/tcp/4001/p2p/${relay.toString()}`
  const del = await signLinkOp(key, { kind: 'delete', relay: relay.toMultihash().bytes, mailboxId, linkId, timestamp: 1_700_000_000_000, ttl: 0, sealed: new Uint8Array(0) })
  return {
    relayAddr,
    linkId: hex(linkId),
    linkKey: hex(linkKey),
    shortLink: encodeShortLink({ relay: relayAddr, linkId, key: linkKey }),
    sealedCard: hex(sealCard(seq(1, 3), linkId, linkKey, seq(0xc0, 12))),
    deleteOp: hex(del.op),
    deleteSignature: hex(del.signature),
    deleteRequest: hex(encodeLinkRequest(del)),
    getRequest: hex(encodeLinkRequest({ type: 'get', linkId })),
    joinRequest: hex(encodeLinkRequest({ type: 'join', mailboxId, code: 'example-code' })),
    revokedResponse: hex(encodeLinkResponse({ status: 'REVOKED', message: 'revoked by its owner' })),
    relayLink: encodeRelayLink({ addr: relayAddr, operator: 'Example Community', contact: 'mailto:ops@example.org', jurisdiction: 'DE' })
  }
}

describe('short link test vectors', () => {
  it('match vectors.json', async () => {
    const computed = await compute()
    if (process.env.SOTTO_WRITE_VECTORS === '1') writeFileSync(FILE, JSON.stringify(computed, null, 2) + '\n')
    const expected = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>
    assert.deepEqual(computed, expected)
  })

  it('appear in docs/PROTOCOL.md', () => {
    const doc = readFileSync(DOC, 'utf8')
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>
    for (const [name, value] of Object.entries(v)) assert.ok(doc.includes(value), `${name} is not in PROTOCOL.md`)
  })

  it('decode back to what they say', async () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>
    const b = (k: string): Uint8Array => Buffer.from(v[k]!, 'hex')
    const link = decodeShortLink(v.shortLink!)
    assert.deepEqual([link.relay, hex(link.linkId), hex(link.key)], [v.relayAddr, v.linkId, v.linkKey])
    assert.deepEqual(openCard(b('sealedCard'), b('linkId'), b('linkKey')), seq(1, 3))
    const key = await generateKeyPairFromSeed('Ed25519', seq(0, 32))
    assert.equal(await verifyLinkOp(key.publicKey.raw, b('deleteOp'), b('deleteSignature')), true)
    assert.equal(decodeLinkOp(b('deleteOp')).kind, 'delete')
    assert.equal(parseLinkRequest(b('getRequest')).type, 'get')
    const join = parseLinkRequest(b('joinRequest'))
    assert.ok(join.type === 'join' && join.code === 'example-code')
    assert.equal(parseLinkResponse(b('revokedResponse')).status, 'REVOKED')
    assert.equal(decodeRelayLink(v.relayLink!).jurisdiction, 'DE')
  })
})
