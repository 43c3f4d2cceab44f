// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { decodeContent, encodeContent, MAX_CARD_RELAYS, newEnvelopeId } from '../../src/protocol/index.js'
import * as pb from '../../src/protocol/sotto.js'
import type { Content, RelayToken } from '../../src/protocol/index.js'

const id = newEnvelopeId()
const sentAt = 1_767_225_600_123
const relay = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(9))).toString()

function token (n: number): RelayToken {
  return { addr: `/ip4/192.0.2.${n}/tcp/4001/p2p/${relay}`, mailboxId: new Uint8Array(32).fill(n), token: new Uint8Array(32).fill(n + 1) }
}

/** A Content with a Tokens body whose entries are given raw, bypassing encodeContent's checks. */
function raw (relays: pb.Content.RelayToken[]): Uint8Array {
  return pb.Content.encode({ id: new Uint8Array(id), sentAt: BigInt(sentAt), tokens: { relays }, padding: [] })
}

describe('content: Tokens body', () => {
  it('round-trips 0 to 8 relays', () => {
    for (let n = 0; n <= MAX_CARD_RELAYS; n++) {
      const content: Content = { id, sentAt, tokens: { relays: Array.from({ length: n }, (_, i) => token(i + 1)) } }
      const bytes = encodeContent(content)
      assert.equal(bytes.byteLength % 256, 0)
      assert.deepEqual(decodeContent(bytes), content)
    }
  })

  it('refuses more than 8 relays, a circuit or peerless address, bad field sizes and a repeated mailbox', () => {
    const nine = Array.from({ length: 9 }, (_, i) => token(i + 1))
    assert.throws(() => encodeContent({ id, sentAt, tokens: { relays: nine } }), { name: 'InvalidInputError' })
    const wire = (t: RelayToken): pb.Content.RelayToken => ({ addr: multiaddr(t.addr).bytes as Uint8Array<ArrayBuffer>, mailboxId: new Uint8Array(t.mailboxId), token: new Uint8Array(t.token) })
    assert.throws(() => decodeContent(raw(nine.map(wire))), { name: 'InvalidInputError' })
    const circuit = { ...token(1), addr: `${token(1).addr}/p2p-circuit/p2p/${relay}` }
    assert.throws(() => encodeContent({ id, sentAt, tokens: { relays: [circuit] } }), /circuit/)
    assert.throws(() => decodeContent(raw([{ ...wire(token(1)), addr: multiaddr(circuit.addr).bytes as Uint8Array<ArrayBuffer> }])), /circuit/)
    assert.throws(() => decodeContent(raw([{ ...wire(token(1)), addr: multiaddr('/ip4/192.0.2.1/tcp/1').bytes as Uint8Array<ArrayBuffer> }])), /p2p/)
    assert.throws(() => decodeContent(raw([{ ...wire(token(1)), token: new Uint8Array(0) }])), { name: 'InvalidInputError' })
    assert.throws(() => decodeContent(raw([{ ...wire(token(1)), mailboxId: new Uint8Array(65) }])), { name: 'InvalidInputError' })
    assert.throws(() => decodeContent(raw([wire(token(1)), wire(token(1))])), /twice/)
    assert.throws(() => encodeContent({ id, sentAt, text: { text: 'x', seq: 0 }, tokens: { relays: [] } }), /2 bodies/)
  })

  it('decodes any bytes in a Tokens body to a valid list or InvalidInputError, nothing else', () => {
    fc.assert(fc.property(fc.array(fc.record({ addr: fc.uint8Array({ maxLength: 80 }), mailboxId: fc.uint8Array({ maxLength: 70 }), token: fc.uint8Array({ maxLength: 70 }) }), { maxLength: 10 }), (relays) => {
      const bytes = raw(relays.map(r => ({ addr: new Uint8Array(r.addr), mailboxId: new Uint8Array(r.mailboxId), token: new Uint8Array(r.token) })))
      try {
        const content = decodeContent(bytes)
        assert.ok((content.tokens?.relays.length ?? 0) <= MAX_CARD_RELAYS)
        assert.deepEqual(decodeContent(encodeContent(content)), content)
      } catch (err) {
        assert.ok(err instanceof Error && (err.name === 'InvalidInputError' || err.name === 'TooLargeError'), String(err))
      }
    }), { numRuns: 300 })
  })
})
