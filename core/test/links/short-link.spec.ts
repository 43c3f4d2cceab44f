// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Short links, relay links and link frames: what fits, what is refused, and that a decoder of
 * arbitrary input throws nothing but InvalidInputError.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import fc from 'fast-check'
import { InvalidInputError } from '../../src/errors.js'
import {
  MAX_SHORT_LINK_LENGTH, SHORT_LINK_PREFIX, decodeRelayLink, decodeShortLink, encodeRelayLink, encodeShortLink,
  newLinkSecrets, openCard, parseLinkRequest, parseLinkResponse, qrVersion, relayAddrOf, sealCard
} from '../../src/links/index.js'

const relayId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
// The longest host name whose /dns4 address and TCP port still fit the 56-byte hint: 51 characters.
const LONGEST = `/dns4/${'r'.repeat(51)}/tcp/65535/p2p/${relayId}`

describe('short links', () => {
  it('fit 200 characters and a QR code of version 10 or lower, even with the longest address', () => {
    const link = encodeShortLink({ relay: LONGEST, ...newLinkSecrets() })
    assert.ok(link.length <= MAX_SHORT_LINK_LENGTH, `${link.length}`)
    assert.ok(qrVersion(link) <= 10, `version ${qrVersion(link)}`)
    assert.equal(decodeShortLink(link).relay, LONGEST)
  })

  it('refuse a relay address that does not fit, or names no relay', () => {
    const secrets = newLinkSecrets()
    assert.throws(() => encodeShortLink({ relay: `/dns4/${'r'.repeat(52)}/tcp/65535/p2p/${relayId}`, ...secrets }), InvalidInputError)
    assert.throws(() => encodeShortLink({ relay: '/ip4/192.0.2.1/tcp/4001', ...secrets }), InvalidInputError)
    assert.throws(() => encodeShortLink({ relay: `/ip4/192.0.2.1/tcp/4001/p2p/${relayId}/p2p-circuit/p2p/${relayId}`, ...secrets }), InvalidInputError)
  })

  it('refuse malformed links with InvalidInputError', () => {
    const good = encodeShortLink({ relay: `/ip4/192.0.2.1/tcp/4001/p2p/${relayId}`, ...newLinkSecrets() })
    const [payload, key] = good.slice(SHORT_LINK_PREFIX.length).split('#') as [string, string]
    for (const bad of [
      good.replace('sotto://s/', 'sotto://x/'), `${SHORT_LINK_PREFIX}${payload}`, `${SHORT_LINK_PREFIX}${payload}#${key}#x`,
      `${SHORT_LINK_PREFIX}${payload}#${key.slice(0, -2)}`, `${SHORT_LINK_PREFIX}_${payload.slice(1)}#${key}`,
      `${SHORT_LINK_PREFIX}${payload}=#${key}`, `${SHORT_LINK_PREFIX}${payload.slice(0, 40)}#${key}`, good + 'x'.repeat(200)
    ]) assert.throws(() => decodeShortLink(bad), InvalidInputError, bad)
  })

  it('decode arbitrary text to a link or an InvalidInputError, nothing else', () => {
    fc.assert(fc.property(fc.string({ maxLength: 220 }), fc.base64String({ maxLength: 150 }), (text, b64) => {
      for (const input of [text, SHORT_LINK_PREFIX + text, `${SHORT_LINK_PREFIX}${b64.replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')}#${b64}`]) {
        try {
          decodeShortLink(input)
        } catch (err) {
          if (!(err instanceof InvalidInputError)) throw err
        }
      }
    }))
  })

  it('seal a card that opens only with its key and link id, padded to 512 bytes', () => {
    const { linkId, key } = newLinkSecrets()
    const card = new Uint8Array(2300).fill(0x41)
    const sealed = sealCard(card, linkId, key)
    assert.equal((sealed.byteLength - 28) % 512, 0)
    assert.ok(!Buffer.from(sealed).includes(Buffer.from('AAAAAAAA')))
    assert.deepEqual(openCard(sealed, linkId, key), card)
    assert.throws(() => openCard(sealed, linkId, newLinkSecrets().key), InvalidInputError)
    assert.throws(() => openCard(sealed, newLinkSecrets().linkId, key), InvalidInputError)
    const flipped = new Uint8Array(sealed)
    flipped[40] = flipped[40]! ^ 1
    assert.throws(() => openCard(flipped, linkId, key), InvalidInputError)
  })
})

describe('relay links', () => {
  it('carry the address and the operator\'s details, and name a relay as a multiaddr does', () => {
    const addr = `/dns4/relay.example.org/tcp/4001/p2p/${relayId}`
    const link = encodeRelayLink({ addr, operator: 'Café & Co', contact: 'mailto:ops@example.org', jurisdiction: 'CH', code: 'c0de' })
    assert.deepEqual(decodeRelayLink(link), { addr, operator: 'Café & Co', contact: 'mailto:ops@example.org', jurisdiction: 'CH', code: 'c0de' })
    assert.equal(relayAddrOf(link), addr)
    assert.equal(relayAddrOf(` ${addr} `), addr)
  })

  it('refuse a link without a relay PeerId, a circuit, or a bad jurisdiction', () => {
    assert.throws(() => decodeRelayLink('sotto://relay/ip4/192.0.2.1/tcp/4001'), InvalidInputError)
    assert.throws(() => decodeRelayLink(`sotto://relay/ip4/192.0.2.1/tcp/4001/p2p/${relayId}/p2p-circuit`), InvalidInputError)
    assert.throws(() => decodeRelayLink(`sotto://relay/ip4/192.0.2.1/tcp/4001/p2p/${relayId}?jurisdiction=de`), InvalidInputError)
    assert.throws(() => decodeRelayLink('sotto://invite/abc'), InvalidInputError)
  })
})

describe('link frames', () => {
  it('decode arbitrary bytes to a frame or an InvalidInputError, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      for (const parse of [parseLinkRequest, parseLinkResponse]) {
        try {
          parse(bytes)
        } catch (err) {
          if (!(err instanceof InvalidInputError)) throw err
        }
      }
    }))
  })
})
