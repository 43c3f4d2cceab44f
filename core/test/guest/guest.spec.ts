// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The guest link's wire formats: the link (and resume link), the HPKE seal, the frames of
 * `/sotto/guest/1.0.0`. Decoders refuse malformed input with InvalidInputError only.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { InvalidInputError } from '../../src/errors.js'
import {
  GUEST_PADDING_BLOCK, MAX_GUEST_FRAME_BYTES, MAX_GUEST_SEALED_BYTES, MAX_GUEST_TEXT_LENGTH, decodeGuestLink, encodeGuestDelivery,
  encodeGuestLink, generateGuestKeyPair, guestMessageJson, openGuestMessage, parseGuestAnswer, parseGuestDelivery, parseGuestMessage,
  randomBytes, sealGuestMessage
} from '../../src/guest/index.js'
import type { GuestLink } from '../../src/guest/index.js'

const PEER = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'

function sample (): GuestLink {
  return {
    page: 'https://relay.example.org/g',
    seller: PEER,
    relay: `/dns4/relay.example.org/tcp/443/wss/p2p/${PEER}`,
    key: randomBytes(32),
    mailbox: randomBytes(32),
    token: randomBytes(32),
    id: randomBytes(16),
    label: 'Bike & helmet, 50 €'
  }
}

describe('guest link', () => {
  it('round-trips a link and a resume link, with the secrets in the fragment only', () => {
    const link = sample()
    const text = encodeGuestLink(link)
    assert.ok(text.startsWith('https://relay.example.org/g#v=1&'))
    assert.deepEqual(decodeGuestLink(text), link)
    const resume = randomBytes(128)
    assert.deepEqual(decodeGuestLink(encodeGuestLink({ ...link, resume })).resume, resume)
  })

  it('refuses a wrong version, a relay that is no WebSocket address, a short key, two #', () => {
    const text = encodeGuestLink(sample())
    for (const bad of [text.replace('v=1', 'v=2'), text.replace('%2Fwss%2F', '%2Ftcp%2F'), text.replace(/k=[^&]+/, 'k=AAAA'), `${text}#x`, text.slice(0, text.indexOf('#'))]) {
      assert.throws(() => decodeGuestLink(bad), InvalidInputError, bad)
    }
  })
})

describe('guest sealing', () => {
  it('opens what it sealed, padded to a block, and nothing sealed the other way or for another link', async () => {
    const keys = await generateGuestKeyPair()
    const link = randomBytes(16)
    const message = { hello: 'wörld' }
    const sealed = await sealGuestMessage(keys.publicKey, 'to-seller', link, message)
    assert.equal((sealed.byteLength - 1 - 32 - 16) % GUEST_PADDING_BLOCK, 0)
    assert.deepEqual(await openGuestMessage(keys.privateKey, 'to-seller', link, sealed), message)
    await assert.rejects(openGuestMessage(keys.privateKey, 'to-guest', link, sealed), InvalidInputError)
    await assert.rejects(openGuestMessage(keys.privateKey, 'to-seller', randomBytes(16), sealed), InvalidInputError)
    const tampered = sealed.slice()
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    await assert.rejects(openGuestMessage(keys.privateKey, 'to-seller', link, tampered), InvalidInputError)
  })

  it('refuses random bytes as a sealed message with InvalidInputError only', async () => {
    const keys = await generateGuestKeyPair()
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async bytes => {
      await assert.rejects(openGuestMessage(keys.privateKey, 'to-seller', randomBytes(16), bytes), InvalidInputError)
    }), { numRuns: 100 })
  })
})

describe('guest frames', () => {
  it('round-trip a delivery, and refuse anything else with InvalidInputError only', () => {
    const d = { link: randomBytes(16), token: randomBytes(32), sealed: randomBytes(100) }
    assert.deepEqual(parseGuestDelivery(encodeGuestDelivery(d)), d)
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
      for (const parse of [parseGuestDelivery, parseGuestAnswer]) {
        try { parse(bytes) } catch (err) { assert.ok(err instanceof InvalidInputError) }
      }
    }))
    fc.assert(fc.property(fc.jsonValue(), value => {
      try { parseGuestMessage(value) } catch (err) { assert.ok(err instanceof InvalidInputError) }
    }))
  })
})

describe('guest limits', () => {
  it('the longest text in a three-byte script seals and fits one live frame', async () => {
    const keys = await generateGuestKeyPair()
    const link = randomBytes(16)
    const text = '語'.repeat(MAX_GUEST_TEXT_LENGTH)
    const message = guestMessageJson({ id: '0'.repeat(32), sentAt: Date.now(), text, guest: { key: randomBytes(32), mailbox: randomBytes(32), token: randomBytes(32) } })
    const sealed = await sealGuestMessage(keys.publicKey, 'to-seller', link, message)
    assert.ok(sealed.byteLength <= MAX_GUEST_SEALED_BYTES, `${sealed.byteLength} sealed bytes`)
    const frame = encodeGuestDelivery({ link, token: randomBytes(32), sealed })
    assert.ok(frame.byteLength <= MAX_GUEST_FRAME_BYTES, `${frame.byteLength} frame bytes`)
    const opened = parseGuestMessage(await openGuestMessage(keys.privateKey, 'to-seller', link, parseGuestDelivery(frame).sealed))
    assert.equal(opened.text, text)
  })
})
