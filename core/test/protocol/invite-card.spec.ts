// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PrivateKey } from '@signalapp/libsignal-client'
import { BadSignatureError, InvalidInputError, TooLargeError } from '../../src/errors.js'
import {
  decodeInviteLink, encodeInviteCardBody, encodeInviteLink, encodeInviteQr, INVITE_LINK_PREFIX, INVITE_QR_PREFIX,
  MAX_INVITE_LINK_LENGTH,
  MAX_NAME_LENGTH, MAX_SIGNED_INVITE_CARD_BYTES, signInviteCard, verifySignedInviteCard
} from '../../src/protocol/index.js'
import { signingInput } from '../../src/protocol/invite-card.js'
import * as pb from '../../src/protocol/sotto.js'
import { makeCard, makeIdentity } from './fixtures.js'
import type { TestIdentity } from './fixtures.js'
import type { InviteCard } from '../../src/protocol/index.js'

/** Signs any body bytes the way a card is signed, valid or not: for decoder tests. */
function signBody (body: Uint8Array, key: PrivateKey): Uint8Array {
  return pb.SignedInviteCard.encode({ body: new Uint8Array(body), signature: key.sign(signingInput(body)) })
}

/** The body of a valid card, decoded to its protobuf form so a test can break one field. */
function rawBody (card: Omit<InviteCard, 'version'>): pb.InviteCardBody {
  return pb.InviteCardBody.decode(encodeInviteCardBody({ ...card, version: 1 }))
}

describe('invite card', () => {
  let alice: TestIdentity
  let mallory: TestIdentity

  before(async () => {
    alice = await makeIdentity()
    mallory = await makeIdentity()
  })

  describe('round trip', () => {
    it('decodes the link it encodes, with version 1', () => {
      const card = makeCard(alice)
      const link = encodeInviteLink(card, alice.identityKey)
      assert.ok(link.startsWith('sotto://invite/'))
      assert.match(link.slice(INVITE_LINK_PREFIX.length), /^[A-Za-z0-9_-]+$/)
      assert.deepEqual(decodeInviteLink(link), { ...card, version: 1 })
    })

    it('verifies the signed card bytes it signs (Content.senderCard)', () => {
      const card = makeCard(alice)
      const signed = signInviteCard(card, alice.identityKey)
      assert.deepEqual(verifySignedInviteCard(signed), { ...card, version: 1 })
    })

    it('carries a guest\'s one-time inviteTag (16 bytes) in the signed body, and refuses another length', () => {
      const card = makeCard(alice, { inviteTag: new Uint8Array(16).fill(9) })
      assert.deepEqual(decodeInviteLink(encodeInviteLink(card, alice.identityKey)), { ...card, version: 1 })
      assert.throws(() => signInviteCard(makeCard(alice, { inviteTag: new Uint8Array(15) }), alice.identityKey), InvalidInputError)
      const body = pb.InviteCardBody.encode({ ...rawBody(makeCard(alice)), inviteTag: new Uint8Array(17) })
      assert.throws(() => verifySignedInviteCard(signBody(body, alice.identityKey)), /inviteTag/)
    })

    it('carries a bundle without a one-time prekey, and no addresses or relays', () => {
      const { preKey: _preKey, preKeyId: _preKeyId, ...bundle } = alice.bundle
      const card = makeCard(alice, { bundle, addrs: [], relays: [] })
      const decoded = decodeInviteLink(encodeInviteLink(card, alice.identityKey))
      assert.deepEqual(decoded, { ...card, version: 1 })
      assert.equal('preKey' in decoded.bundle, false)
    })

    it('keeps a circuit address through a relay, and a name of 64 emoji', () => {
      const relay = '/ip4/198.51.100.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'
      const card = makeCard(alice, {
        name: '🦊'.repeat(MAX_NAME_LENGTH),
        addrs: [`${relay}/p2p-circuit/p2p/${alice.peerId}`, '/ip6/2001:db8::1/udp/4001/webrtc-direct']
      })
      assert.deepEqual(decodeInviteLink(encodeInviteLink(card, alice.identityKey)), { ...card, version: 1 })
    })

    it('ignores whitespace around a pasted link', () => {
      const card = makeCard(alice)
      assert.deepEqual(decodeInviteLink(`  ${encodeInviteLink(card, alice.identityKey)}\n`), { ...card, version: 1 })
    })

    it('returns copies: changing the input afterwards changes nothing', () => {
      const signed = signInviteCard(makeCard(alice), alice.identityKey)
      const decoded = verifySignedInviteCard(signed)
      const before = new Uint8Array(decoded.bundle.identityKey)
      signed.fill(0)
      assert.deepEqual(decoded.bundle.identityKey, before)
    })

    it('decodes the QR form, which is the same card in QR alphanumeric characters', () => {
      const card = makeCard(alice)
      const qr = encodeInviteQr(card, alice.identityKey)
      assert.ok(qr.startsWith('SOTTO://INVITE/'))
      assert.match(qr, /^[0-9A-Z $%*+\-./:]+$/)
      assert.deepEqual(decodeInviteLink(qr), { ...card, version: 1 })
      assert.deepEqual(decodeInviteLink(`${qr}\r\n`), { ...card, version: 1 })
    })

    it('fits a card with three addresses and two relays in a QR code only in the QR form', () => {
      // A version 40 QR code at level L holds 2,953 bytes, or 4,296 alphanumeric characters.
      const relay = (i: number): string => `/ip4/198.51.100.${i}/tcp/4001/p2p/${mallory.peerId}`
      const card = makeCard(alice, {
        addrs: [`/ip4/192.0.2.7/tcp/4001/p2p/${alice.peerId}`, `${relay(1)}/p2p-circuit/p2p/${alice.peerId}`, `${relay(2)}/p2p-circuit/p2p/${alice.peerId}`],
        relays: [1, 2].map(i => ({ addr: relay(i), mailboxId: new Uint8Array(32), introToken: new Uint8Array(32) }))
      })
      assert.ok(encodeInviteLink(card, alice.identityKey).length > 2953)
      assert.ok(encodeInviteQr(card, alice.identityKey).length <= 4296)
    })
  })

  describe('link form', () => {
    it('refuses another scheme', () => {
      const link = encodeInviteLink(makeCard(alice), alice.identityKey)
      assert.throws(() => decodeInviteLink(link.replace('sotto://', 'https://')), InvalidInputError)
      assert.throws(() => decodeInviteLink(link.replace('invite/', 'invites/')), InvalidInputError)
      assert.throws(() => decodeInviteLink(''), InvalidInputError)
    })

    it('refuses characters outside base64url instead of skipping them', () => {
      const link = encodeInviteLink(makeCard(alice), alice.identityKey)
      assert.throws(() => decodeInviteLink(link.slice(0, 40) + '+' + link.slice(41)), /not base64url/)
      assert.throws(() => decodeInviteLink(link + '='), /not base64url/)
      assert.throws(() => decodeInviteLink(INVITE_LINK_PREFIX), /not base64url/)
      assert.throws(() => decodeInviteLink(INVITE_LINK_PREFIX + 'A'), /not base64url/)
      assert.throws(() => decodeInviteLink(INVITE_QR_PREFIX + 'abc'), /base45/)
      assert.throws(() => decodeInviteLink(INVITE_QR_PREFIX + 'GGW'), /base45/)
    })

    it('refuses an overlong link before decoding it', () => {
      // Valid characters, but far too many: the length check comes first.
      assert.throws(() => decodeInviteLink(INVITE_LINK_PREFIX + 'A'.repeat(MAX_INVITE_LINK_LENGTH)), TooLargeError)
      assert.throws(() => decodeInviteLink('x'.repeat(1_000_000)), TooLargeError)
    })

    it('refuses a link or QR text whose card is over 8 KiB', () => {
      const payload = Buffer.alloc(MAX_SIGNED_INVITE_CARD_BYTES + 1).toString('base64url')
      assert.ok(INVITE_LINK_PREFIX.length + payload.length <= MAX_INVITE_LINK_LENGTH)
      assert.throws(() => decodeInviteLink(INVITE_LINK_PREFIX + payload), TooLargeError)
      const qr = INVITE_QR_PREFIX + '000'.repeat(MAX_SIGNED_INVITE_CARD_BYTES / 2 + 1)
      assert.ok(qr.length <= MAX_INVITE_LINK_LENGTH)
      assert.throws(() => decodeInviteLink(qr), TooLargeError)
    })

    it('refuses a value that is not a string', () => {
      assert.throws(() => decodeInviteLink(42 as unknown as string), InvalidInputError)
    })
  })

  describe('signatures', () => {
    it('refuses a tampered signature', () => {
      const signed = pb.SignedInviteCard.decode(signInviteCard(makeCard(alice), alice.identityKey))
      signed.signature[10] = (signed.signature[10] ?? 0) ^ 0x01
      assert.throws(() => verifySignedInviteCard(pb.SignedInviteCard.encode(signed)), BadSignatureError)
    })

    it('refuses a tampered body', () => {
      const signed = pb.SignedInviteCard.decode(signInviteCard(makeCard(alice), alice.identityKey))
      const body = pb.InviteCardBody.decode(signed.body)
      body.name = 'Mallory'
      const tampered = pb.SignedInviteCard.encode({ body: pb.InviteCardBody.encode(body), signature: signed.signature })
      assert.throws(() => verifySignedInviteCard(tampered), BadSignatureError)
    })

    it('refuses a card signed by a key other than the bundle\'s identity key', () => {
      const body = encodeInviteCardBody({ ...makeCard(alice), version: 1 })
      assert.throws(() => verifySignedInviteCard(signBody(body, mallory.identityKey)), BadSignatureError)
      assert.throws(() => signInviteCard(makeCard(alice), mallory.identityKey), /not the bundle's identity key/)
    })

    it('refuses a signature over the bare body (the context string is part of what is signed)', () => {
      const body = encodeInviteCardBody({ ...makeCard(alice), version: 1 })
      const bare = pb.SignedInviteCard.encode({ body, signature: alice.identityKey.sign(body) })
      assert.throws(() => verifySignedInviteCard(bare), BadSignatureError)
    })

    it('refuses a bundle whose signed prekey or Kyber prekey is not signed by the identity key', () => {
      const badSigned = { ...alice.bundle, signedPreKeySignature: mallory.bundle.signedPreKeySignature }
      assert.throws(() => signInviteCard(makeCard(alice, { bundle: badSigned }), alice.identityKey), BadSignatureError)
      const badKyber = { ...alice.bundle, kyberPreKey: mallory.bundle.kyberPreKey }
      assert.throws(() => signInviteCard(makeCard(alice, { bundle: badKyber }), alice.identityKey), BadSignatureError)
      const raw = rawBody(makeCard(alice))
      assert.ok(raw.bundle != null)
      raw.bundle.kyberPreKeySignature = new Uint8Array(mallory.bundle.kyberPreKeySignature)
      assert.throws(() => verifySignedInviteCard(signBody(pb.InviteCardBody.encode(raw), alice.identityKey)), BadSignatureError)
    })

    it('refuses a signature that is not 64 bytes', () => {
      const body = encodeInviteCardBody({ ...makeCard(alice), version: 1 })
      const short = pb.SignedInviteCard.encode({ body: new Uint8Array(body), signature: alice.identityKey.sign(signingInput(body)).subarray(0, 63) })
      assert.throws(() => verifySignedInviteCard(short), /signature: 63 bytes/)
    })
  })

  describe('decoding refuses', () => {
    it('an unknown version, whatever its signature', () => {
      for (const version of [0, 2, 255]) {
        const raw = rawBody(makeCard(alice))
        raw.version = version
        assert.throws(() => verifySignedInviteCard(signBody(pb.InviteCardBody.encode(raw), alice.identityKey)), /unsupported version/)
      }
    })

    it('garbage and truncations with InvalidInputError', () => {
      assert.throws(() => verifySignedInviteCard(new Uint8Array([0xff, 0xff, 0xff])), InvalidInputError)
      assert.throws(() => verifySignedInviteCard(new Uint8Array(0)), InvalidInputError)
      const signed = signInviteCard(makeCard(alice), alice.identityKey)
      for (let length = 0; length < signed.byteLength; length += 7) {
        assert.throws(() => verifySignedInviteCard(signed.subarray(0, length)), InvalidInputError)
      }
    })

    it('more than 8 KiB before decoding it', () => {
      assert.throws(() => verifySignedInviteCard(new Uint8Array(MAX_SIGNED_INVITE_CARD_BYTES + 1)), TooLargeError)
    })

    it('a body field out of range, even when properly signed', () => {
      const cases: Array<[string, (raw: pb.InviteCardBody) => void, RegExp]> = [
        ['userId of 15 bytes', raw => { raw.userId = raw.userId.subarray(1) }, /userId: 15 bytes/],
        ['peerId not a multihash', raw => { raw.peerId = new Uint8Array(38).fill(9) }, /peerId/],
        ['peerId of a hash, not an Ed25519 key', raw => { raw.peerId = new Uint8Array(34).fill(0x12, 0, 1) }, /peerId/],
        ['name of 65 characters', raw => { raw.name = 'n'.repeat(65) }, /name: longer than 64/],
        ['name with a bidi override', raw => { raw.name = 'Bob\u202Egnp.exe' }, /control character/],
        ['empty name', raw => { raw.name = ' ' }, /name: empty/],
        ['address not a multiaddr', raw => { raw.addrs = [new Uint8Array([0xff, 0xff, 0x03])] }, /addr: not a multiaddr/],
        ['17 addresses', raw => { raw.addrs = Array.from({ length: 17 }, () => raw.addrs[0] ?? new Uint8Array()) }, /malformed protobuf/],
        ['relay without a PeerId', raw => { raw.relays = [{ addr: new Uint8Array([0x04, 127, 0, 0, 1]), mailboxId: new Uint8Array(32), introToken: new Uint8Array(32) }] }, /relay addr/],
        ['empty mailbox id', raw => { const r = raw.relays[0]; if (r != null) r.mailboxId = new Uint8Array(0) }, /mailboxId/],
        ['no bundle', raw => { delete raw.bundle }, /no prekey bundle/],
        ['device id 0', raw => { if (raw.bundle != null) raw.bundle.deviceId = 0 }, /deviceId/],
        ['registration id above 16380', raw => { if (raw.bundle != null) raw.bundle.registrationId = 16381 }, /registrationId/],
        ['identity key of the wrong type', raw => { if (raw.bundle != null) raw.bundle.identityKey = new Uint8Array(33).fill(0x07) }, /identityKey: not a public key/],
        ['Kyber key of 3 bytes', raw => { if (raw.bundle != null) raw.bundle.kyberPreKey = new Uint8Array([8, 1, 2]) }, /kyberPreKey/],
        ['prekey without its id', raw => { if (raw.bundle != null) delete raw.bundle.preKeyId }, /preKeyId and preKey/],
        ['createdAt past 2^53', raw => { raw.createdAt = 2n ** 60n }, /createdAt/]
      ]
      for (const [what, breakIt, message] of cases) {
        const raw = rawBody(makeCard(alice))
        breakIt(raw)
        assert.throws(() => verifySignedInviteCard(signBody(pb.InviteCardBody.encode(raw), alice.identityKey)), (err: Error) => {
          assert.ok(err instanceof InvalidInputError, `${what}: ${err.name}`)
          assert.match(err.message, message, what)
          return true
        })
      }
    })
  })

  describe('encoding refuses', () => {
    it('invalid fields with InvalidInputError', async () => {
      const secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1')).toString()
      const cases: Array<[string, Partial<Omit<InviteCard, 'version'>>]> = [
        ['userId not a UUID', { userId: 'alice' }],
        ['userId in capitals', { userId: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' }],
        ['peerId garbage', { peerId: 'not-a-peer-id' }],
        ['peerId secp256k1', { peerId: secp }],
        ['name too long', { name: 'x'.repeat(65) }],
        ['name with a newline', { name: 'Ali\nce' }],
        ['name with a lone surrogate', { name: 'Ali\uD800ce' }],
        ['address garbage', { addrs: ['/ip4/1.2.3.4/tcp/notaport'] }],
        ['address of another peer', { addrs: [`/ip4/192.0.2.7/tcp/4001/p2p/${mallory.peerId}`] }],
        ['17 addresses', { addrs: Array.from({ length: 17 }, () => '/ip4/192.0.2.7/tcp/4001') }],
        ['relay circuit as relay address', { relays: [{ addr: `/ip4/192.0.2.7/tcp/4001/p2p/${mallory.peerId}/p2p-circuit/p2p/${alice.peerId}`, mailboxId: new Uint8Array(32), introToken: new Uint8Array(32) }] }],
        ['relay token of 65 bytes', { relays: [{ addr: `/ip4/192.0.2.7/tcp/4001/p2p/${mallory.peerId}`, mailboxId: new Uint8Array(32), introToken: new Uint8Array(65) }] }],
        ['9 relays', { relays: Array.from({ length: 9 }, () => ({ addr: `/ip4/192.0.2.7/tcp/4001/p2p/${mallory.peerId}`, mailboxId: new Uint8Array(32), introToken: new Uint8Array(32) })) }],
        ['createdAt negative', { createdAt: -1 }],
        ['createdAt fractional', { createdAt: 1.5 }],
        ['deviceId 128', { bundle: { ...alice.bundle, deviceId: 128 } }],
        ['signed prekey of 32 bytes', { bundle: { ...alice.bundle, signedPreKey: alice.bundle.signedPreKey.subarray(1) } }]
      ]
      for (const [what, override] of cases) {
        assert.throws(() => signInviteCard(makeCard(alice, override), alice.identityKey), InvalidInputError, what)
      }
    })

    it('a card over 8 KiB with TooLargeError', () => {
      const addrs = Array.from({ length: 16 }, (_, i) => `/dns4/${'a'.repeat(200)}.example/tcp/${4000 + i}`)
      const relays = Array.from({ length: 8 }, (_, i) => ({
        addr: `/dns4/${'r'.repeat(180)}.example/tcp/${i + 1}/p2p/${mallory.peerId}`,
        mailboxId: new Uint8Array(64),
        introToken: new Uint8Array(64)
      }))
      assert.throws(() => signInviteCard(makeCard(alice, { addrs, relays }), alice.identityKey), TooLargeError)
    })
  })

  it('rejects a wrong key for the private key argument without signing', () => {
    assert.throws(() => encodeInviteLink(makeCard(alice), PrivateKey.generate()), InvalidInputError)
  })
})
