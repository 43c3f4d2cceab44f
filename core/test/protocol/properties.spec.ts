// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Property tests of every decoder: whatever the bytes, a decoder returns or throws one of the named
 * errors; and whatever the valid value, decoding its encoding gives it back.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import {
  decodeContent, decodeEnvelope, decodeInviteLink, decodeMessageFrame, encodeContent, encodeEnvelope,
  encodeInviteLink, encodeInviteQr, encodeMessageFrame, ENVELOPE_BUCKETS, INVITE_LINK_PREFIX, INVITE_QR_PREFIX, MAX_CARD_ADDRS,
  MAX_CARD_RELAYS, MAX_CONTENT_BYTES, MAX_DISAPPEARING_SECONDS, MAX_ENVELOPE_BYTES, MAX_NAME_LENGTH,
  MAX_RECEIPT_IDS, MAX_SEALED_BYTES, MAX_SIGNED_INVITE_CARD_BYTES, MAX_TEXT_LENGTH, signInviteCard,
  verifySignedInviteCard
} from '../../src/protocol/index.js'
import { toBase45 } from '../../src/protocol/base45.js'
import { makeIdentity, returnsOrThrowsNamed } from './fixtures.js'
import type { TestIdentity } from './fixtures.js'
import type { Content, InviteCard, InviteRelay, MessageFrame, PreKeyBundleData } from '../../src/protocol/index.js'

/** fc.record with plain objects (deepStrictEqual tells a null prototype apart). */
function rec<T> (model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true })
}

/** A byte edit: set, insert or delete one byte, or cut the tail. */
type Edit = { kind: 'set' | 'insert', at: number, byte: number } | { kind: 'delete' | 'cut', at: number }

const edit: fc.Arbitrary<Edit> = fc.oneof(
  rec({ kind: fc.constantFrom('set' as const, 'insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  rec({ kind: fc.constantFrom('delete' as const, 'cut' as const), at: fc.nat() })
)

function applyEdits (bytes: Uint8Array, edits: Edit[]): Uint8Array {
  let out = Array.from(bytes)
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length
    if (e.kind === 'set') out[at] = e.byte
    else if (e.kind === 'insert') out.splice(at, 0, e.byte)
    else if (e.kind === 'delete') out.splice(at, 1)
    else out = out.slice(0, at)
  }
  return new Uint8Array(out)
}

/** Edits that keep the length: an envelope's length must stay a bucket to get past the first check. */
function applySets (bytes: Uint8Array, sets: Array<{ at: number, byte: number }>): Uint8Array {
  const out = new Uint8Array(bytes)
  for (const s of sets) out[s.at % out.length] = s.byte
  return out
}

const sets = fc.array(rec({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 })

/** Bytes of a given length with a cheap pattern: large sizes without a large random draw. */
function patterned (length: number, seed: number): Uint8Array {
  return new Uint8Array(length).map((_, i) => (i * 131 + seed) & 0xff)
}

const id16 = fc.uint8Array({ minLength: 16, maxLength: 16 })
const sealed = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 2000 }),
  fc.tuple(fc.integer({ min: 1, max: MAX_SEALED_BYTES }), fc.nat()).map(([n, seed]) => patterned(n, seed))
)
const safeInteger = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
// Full Unicode without lone surrogates; sometimes near the length limit.
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: MAX_TEXT_LENGTH - 5, maxLength: MAX_TEXT_LENGTH }) }
)
const plainText = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '-', '.', 'é', 'ß', '中', '🦊', '𝄞'), minLength: min, maxLength: max })

const contentArb: fc.Arbitrary<Content> = rec({
  id: id16,
  sentAt: safeInteger,
  senderCard: fc.option(fc.uint8Array({ minLength: 1, maxLength: 3000 }), { nil: undefined }),
  body: fc.oneof(
    fc.constant({}),
    rec({ text: rec({ text, seq: safeInteger }) }),
    rec({ deliveryReceipt: rec({ ids: fc.array(id16, { minLength: 1, maxLength: MAX_RECEIPT_IDS }) }) }),
    rec({ disappearingTimer: rec({ seconds: fc.integer({ min: 0, max: MAX_DISAPPEARING_SECONDS }) }) }),
    rec({ text: rec({ text, seq: safeInteger, replyTo: id16 }) }),
    rec({ readReceipt: rec({ ids: fc.array(id16, { minLength: 1, maxLength: MAX_RECEIPT_IDS }) }) }),
    rec({ typing: rec({ started: fc.boolean() }) }),
    rec({ reaction: rec({ target: id16, emoji: fc.constantFrom('', '👍', '❤️', '👩🏽‍💻', '😂') }) }),
    rec({ edit: rec({ target: id16, text: text.filter(t => t.length > 0) }) }),
    rec({ delete: rec({ target: id16 }) }),
    rec({ fileNotice: rec({ target: id16, kind: fc.constantFrom('cancelled' as const, 'held' as const, 'wanted' as const) }) })
  )
}).map(({ body, senderCard, ...rest }) => ({ ...rest, ...(senderCard != null ? { senderCard } : {}), ...body }))

const frameArb: fc.Arbitrary<MessageFrame> = fc.oneof(
  rec({ deliver: rec({ envelope: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.constant(patterned(MAX_ENVELOPE_BYTES, 1))) }) }),
  rec({
    receipt: fc.oneof(
      rec({ id: id16, status: fc.constantFrom('STORED' as const, 'DUPLICATE' as const, 'REJECTED' as const) }),
      rec({ id: fc.oneof(id16, fc.constant(new Uint8Array(0))), status: fc.constant('REJECTED' as const), reason: plainText(1, 256) })
    )
  })
)

// Relay PeerIds, fixed: the cards' relays are someone else's nodes.
const RELAY_PEERS = [
  '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN',
  '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
]

const ip4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map(p => p.join('.'))
const port = fc.integer({ min: 1, max: 65535 })

function cardArb (who: TestIdentity): fc.Arbitrary<Omit<InviteCard, 'version'>> {
  const direct = fc.tuple(ip4, port, fc.boolean()).map(([ip, p, named]) => `/ip4/${ip}/tcp/${p}${named ? `/p2p/${who.peerId}` : ''}`)
  const circuit = fc.tuple(ip4, port, fc.constantFrom(...RELAY_PEERS)).map(([ip, p, relay]) => `/ip4/${ip}/tcp/${p}/p2p/${relay}/p2p-circuit/p2p/${who.peerId}`)
  const relay: fc.Arbitrary<InviteRelay> = rec({
    addr: fc.tuple(ip4, port, fc.constantFrom(...RELAY_PEERS)).map(([ip, p, peer]) => `/ip4/${ip}/tcp/${p}/ws/p2p/${peer}`),
    mailboxId: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    introToken: fc.uint8Array({ minLength: 1, maxLength: 64 })
  })
  const { preKey: _preKey, preKeyId: _preKeyId, ...withoutPreKey } = who.bundle
  const bundle: fc.Arbitrary<PreKeyBundleData> = fc.constantFrom(who.bundle, withoutPreKey)
  return rec({
    name: fc.tuple(plainText(0, MAX_NAME_LENGTH - 1), fc.constantFrom('A', '中', '🦊')).map(([s, c]) => c + s),
    userId: fc.uuid(),
    peerId: fc.constant(who.peerId),
    bundle,
    addrs: fc.array(fc.oneof(direct, circuit), { maxLength: MAX_CARD_ADDRS }),
    relays: fc.array(relay, { maxLength: MAX_CARD_RELAYS }),
    createdAt: safeInteger
  })
}

let people: TestIdentity[]
let signedCards: Uint8Array[]

before(async () => {
  people = [await makeIdentity(), await makeIdentity()]
  signedCards = fc.sample(fc.constantFrom(...people).chain(who => cardArb(who).map(card => signInviteCard(card, who.identityKey))), { numRuns: 8, seed: 42 })
})

describe('properties: any bytes, a decoder returns or throws only named errors', () => {
  it('decodeEnvelope', () => {
    const valid = fc.tuple(id16, sealed).map(([id, s]) => encodeEnvelope({ id, sealed: s }))
    fc.assert(fc.property(fc.oneof(
      fc.uint8Array({ maxLength: 1100 }),
      fc.constantFrom(...ENVELOPE_BUCKETS).chain(n => fc.uint8Array({ minLength: n, maxLength: n })),
      fc.tuple(valid, sets).map(([bytes, s]) => applySets(bytes, s)),
      fc.tuple(valid, fc.array(edit, { maxLength: 3 })).map(([bytes, e]) => applyEdits(bytes, e))
    ), bytes => { returnsOrThrowsNamed(() => decodeEnvelope(bytes)) }), { numRuns: 400 })
  })

  it('decodeContent', () => {
    fc.assert(fc.property(fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.tuple(contentArb, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([c, e]) => applyEdits(encodeContent(c), e))
    ), bytes => { returnsOrThrowsNamed(() => decodeContent(bytes)) }), { numRuns: 400 })
  })

  it('decodeMessageFrame', () => {
    fc.assert(fc.property(fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(frameArb, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([f, e]) => applyEdits(encodeMessageFrame(f), e))
    ), bytes => { returnsOrThrowsNamed(() => decodeMessageFrame(bytes)) }), { numRuns: 400 })
  })

  it('verifySignedInviteCard', () => {
    fc.assert(fc.property(fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.tuple(fc.constantFrom(...signedCards), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([bytes, e]) => applyEdits(bytes, e))
    ), bytes => {
      returnsOrThrowsNamed(() => verifySignedInviteCard(bytes))
    }), { numRuns: 400 })
  })

  it('never accepts an edited card: every edit that changes it fails the signature or a check', () => {
    fc.assert(fc.property(fc.constantFrom(...signedCards), sets, (bytes, s) => {
      const edited = applySets(bytes, s)
      fc.pre(!edited.every((b, i) => b === bytes[i]))
      let card: InviteCard | undefined
      try {
        card = verifySignedInviteCard(edited)
      } catch {
        return
      }
      // Only a change the decoder cannot see (e.g. in an unknown field) may pass, and then
      // it must decode to exactly the same card.
      assert.deepEqual(card, verifySignedInviteCard(bytes))
    }), { numRuns: 300 })
  })

  it('decodeInviteLink', () => {
    const base64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), maxLength: 400 })
    fc.assert(fc.property(fc.oneof(
      fc.string({ maxLength: 200 }),
      base64url.map(s => INVITE_LINK_PREFIX + s),
      fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'.split('')), maxLength: 400 }).map(s => INVITE_QR_PREFIX + s),
      fc.tuple(fc.constantFrom(...signedCards), fc.array(edit, { maxLength: 2 }))
        .map(([bytes, e]) => INVITE_QR_PREFIX + toBase45(applyEdits(bytes, e))),
      fc.tuple(fc.constantFrom(...signedCards), fc.array(edit, { minLength: 1, maxLength: 3 }))
        .map(([bytes, e]) => INVITE_LINK_PREFIX + Buffer.from(applyEdits(bytes, e)).toString('base64url'))
    ), link => { returnsOrThrowsNamed(() => decodeInviteLink(link)) }), { numRuns: 400 })
  })
})

describe('properties: encode then decode gives the value back', () => {
  it('envelopes, always padded to the smallest bucket that fits', () => {
    fc.assert(fc.property(id16, sealed, (id, s) => {
      const bytes = encodeEnvelope({ id, sealed: s })
      assert.ok(ENVELOPE_BUCKETS.includes(bytes.byteLength), `${bytes.byteLength} bytes`)
      const unpadded = 18 + 1 + (s.byteLength < 128 ? 1 : s.byteLength < 16384 ? 2 : 3) + s.byteLength
      const smaller = ENVELOPE_BUCKETS.filter(b => b < bytes.byteLength)
      assert.ok(smaller.every(b => b < unpadded + 2 && b !== unpadded), `${unpadded} bytes would fit a smaller bucket`)
      assert.deepEqual(decodeEnvelope(bytes), { id, sealed: s })
    }), { numRuns: 300 })
  })

  it('contents, padded to a multiple of 256 bytes', () => {
    fc.assert(fc.property(contentArb, content => {
      const bytes = encodeContent(content)
      assert.equal(bytes.byteLength % 256, 0)
      assert.ok(bytes.byteLength <= MAX_CONTENT_BYTES)
      assert.deepEqual(decodeContent(bytes), content)
    }), { numRuns: 300 })
  })

  it('message frames', () => {
    fc.assert(fc.property(frameArb, frame => {
      assert.deepEqual(decodeMessageFrame(encodeMessageFrame(frame)), frame)
    }), { numRuns: 300 })
  })

  it('invite cards, as links and as signed bytes', () => {
    fc.assert(fc.property(fc.constantFrom(0, 1).chain(i => {
      const who = people[i] as TestIdentity
      return cardArb(who).map(card => ({ who, card }))
    }), ({ who, card }) => {
      const signed = signInviteCard(card, who.identityKey)
      assert.ok(signed.byteLength <= MAX_SIGNED_INVITE_CARD_BYTES)
      assert.deepEqual(verifySignedInviteCard(signed), { ...card, version: 1 })
      assert.deepEqual(decodeInviteLink(encodeInviteLink(card, who.identityKey)), { ...card, version: 1 })
      assert.deepEqual(decodeInviteLink(encodeInviteQr(card, who.identityKey)), { ...card, version: 1 })
    }), { numRuns: 100 })
  })
})
