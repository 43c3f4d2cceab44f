// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The code against `vectors.json`, and `vectors.json` against docs/PROTOCOL.md, so that neither the
 * code nor the specification can drift from the vectors.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PrivateKey } from '@signalapp/libsignal-client'
import {
  decodeContent, decodeEnvelope, decodeInviteLink, decodeMessageFrame, encodeContent, encodeEnvelope,
  encodeInviteCardBody, encodeMessageFrame, INVITE_CARD_SIGNATURE_CONTEXT, INVITE_LINK_PREFIX, INVITE_QR_PREFIX,
  movedSigningInput, verifySignedInviteCard
} from '../../src/protocol/index.js'
import { verifyIdentitySignature } from '../../src/crypto/index.js'
import { toBase45 } from '../../src/protocol/base45.js'
import * as pb from '../../src/protocol/sotto.js'
import { fromHex, toHex } from './fixtures.js'
import {
  cardFromJson, contentFromJson, frameFromJson, hexStrings, PROTOCOL_DOC_PATH, SCHEMA_PATH, varint,
  VECTORS_PATH
} from './vector-format.js'
import type { Vectors } from './vector-format.js'

const vectors = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors
const doc = readFileSync(PROTOCOL_DOC_PATH, 'utf8')
const decoders = { decodeEnvelope, decodeContent, decodeMessageFrame }

/** The name of what `fn` throws. */
function thrownName (fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return (err as Error).name
  }
  return 'nothing'
}

describe('test vectors', () => {
  describe('invite card', () => {
    const v = vectors.inviteCard
    const card = cardFromJson(v.card)

    it('has keys made from the stated inputs', async () => {
      const key = (hex: string): string => toHex(PrivateKey.deserialize(fromHex(hex) as Uint8Array<ArrayBuffer>).getPublicKey().serialize())
      assert.equal(toHex(card.bundle.identityKey), key(v.inputs.identityPrivateKey))
      assert.equal(toHex(card.bundle.signedPreKey), key(v.inputs.signedPreKeyPrivateKey))
      assert.equal(toHex(card.bundle.preKey ?? new Uint8Array()), key(v.inputs.preKeyPrivateKey))
      const owner = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', fromHex(v.inputs.peerIdSeed)))
      const relay = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', fromHex(v.inputs.relayPeerIdSeed)))
      assert.equal(card.peerId, owner.toString())
      assert.ok(card.relays[0]?.addr.endsWith(`/p2p/${relay.toString()}`))
    })

    it('encodes the body byte for byte', () => {
      assert.equal(toHex(encodeInviteCardBody(card)), v.body)
      assert.equal(v.signatureContext, toHex(new TextEncoder().encode(INVITE_CARD_SIGNATURE_CONTEXT)) + '00')
    })

    it('verifies the signed card and its link, which decode to the card', () => {
      const signed = fromHex(v.signedCard)
      assert.equal(toHex(pb.SignedInviteCard.decode(signed).body), v.body)
      assert.deepEqual(verifySignedInviteCard(signed), card)
      assert.equal(v.link, INVITE_LINK_PREFIX + Buffer.from(signed).toString('base64url'))
      assert.deepEqual(decodeInviteLink(v.link), card)
      assert.equal(v.qr, INVITE_QR_PREFIX + toBase45(signed))
      assert.deepEqual(decodeInviteLink(v.qr), card)
    })

    it('refuses the signed card with one byte changed', () => {
      for (const r of v.rejected) {
        const bytes = fromHex(v.signedCard)
        bytes[r.xorAt] = (bytes[r.xorAt] ?? 0) ^ r.xor
        assert.equal(thrownName(() => verifySignedInviteCard(bytes)), r.error, r.name)
      }
    })
  })

  it('encodes and decodes the envelopes', () => {
    for (const v of vectors.envelopes) {
      const envelope = { id: fromHex(v.id), sealed: fromHex(v.sealed) }
      assert.equal(toHex(encodeEnvelope(envelope)), v.encoded, v.name)
      assert.deepEqual(decodeEnvelope(fromHex(v.encoded)), envelope, v.name)
    }
  })

  it('signs an installation\'s statement with the identity key over its number and card', () => {
    const moved = vectors.contents.flatMap(v => v.content.installationMoved ?? [])
    assert.equal(moved.length, 1)
    for (const m of moved) {
      const key = fromHex(vectors.inviteCard.card.bundle.identityKey)
      assert.equal(verifyIdentitySignature(key, movedSigningInput(m.installation, fromHex(m.card)), fromHex(m.signature)), true)
      assert.equal(verifyIdentitySignature(key, movedSigningInput(m.installation + 1, fromHex(m.card)), fromHex(m.signature)), false)
    }
  })

  it('encodes and decodes the contents', () => {
    for (const v of vectors.contents) {
      const content = contentFromJson(v.content)
      assert.equal(toHex(encodeContent(content)), v.encoded, v.name)
      assert.deepEqual(decodeContent(fromHex(v.encoded)), content, v.name)
    }
  })

  it('encodes and decodes the message frames, and frames them with a varint length', () => {
    for (const v of vectors.messageFrames) {
      const frame = frameFromJson(v.frame)
      const encoded = encodeMessageFrame(frame)
      assert.equal(toHex(encoded), v.encoded, v.name)
      assert.deepEqual(decodeMessageFrame(fromHex(v.encoded)), frame, v.name)
      assert.equal(v.framed, toHex(varint(encoded.byteLength)) + v.encoded, v.name)
    }
  })

  it('refuses the invalid inputs with the errors named', () => {
    for (const v of vectors.invalid) {
      assert.equal(thrownName(() => decoders[v.decoder](fromHex(v.bytes))), v.error, v.name)
    }
  })

  describe('docs/PROTOCOL.md', () => {
    const flat = doc.replace(/\s+/g, '')

    it('quotes every byte string of the vectors, and the link', () => {
      const missing = hexStrings(vectors).filter(hex => !flat.includes(hex))
      assert.deepEqual(missing.map(h => h.slice(0, 32)), [])
      assert.ok(flat.includes(vectors.inviteCard.link))
    })

    it('quotes the schema as it is', () => {
      assert.ok(flat.includes(readFileSync(SCHEMA_PATH, 'utf8').replace(/\s+/g, '')))
    })

    it('keeps a section for the mailbox protocol', () => {
      assert.match(doc, /^## Mailbox protocol$/m)
    })
  })
})
