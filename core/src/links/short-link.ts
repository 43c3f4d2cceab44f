// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Short invite links: `sotto://s/<payload>#<key>`. The payload names the relay that stores the
 * card (its Ed25519 key and an address without /p2p) and the link's id there; the fragment holds
 * the key that seals the card. The relay sees the id and the sealed bytes, never the key: a link
 * opened in a browser does not send its fragment either. 130 characters with an IPv4 address.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { BugError, InvalidInputError, TooLargeError } from '../errors.js'
import { MAX_SIGNED_INVITE_CARD_BYTES } from '../protocol/limits.js'
import { errorMessage } from '../protocol/wire.js'
import {
  LINK_ID_BYTES, LINK_KEY_BYTES, MAX_ADDRESS_HINT_BYTES, MAX_SEALED_CARD_BYTES, MAX_SHORT_LINK_LENGTH,
  SEALED_CARD_CONTEXT, SEALED_CARD_PADDING, SHORT_LINK_PREFIX, SHORT_LINK_VERSION
} from './constants.js'

const BASE64URL = /^[A-Za-z0-9_-]+$/
const RELAY_KEY_BYTES = 32
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** What a short link carries. */
export interface ShortLink {
  /** The relay that stores the card: a multiaddr ending in /p2p/<relay PeerId>. */
  relay: string
  /** The link's id at that relay. */
  linkId: Uint8Array
  /** The key that seals the card. */
  key: Uint8Array
}

/** Whether `text` looks like a short link (it may still be malformed). */
export function isShortLink (text: unknown): boolean {
  return typeof text === 'string' && text.trimStart().startsWith(SHORT_LINK_PREFIX)
}

/** A new random link id and key. */
export function newLinkSecrets (): { linkId: Uint8Array, key: Uint8Array } {
  return { linkId: new Uint8Array(randomBytes(LINK_ID_BYTES)), key: new Uint8Array(randomBytes(LINK_KEY_BYTES)) }
}

/**
 * Writes a short link.
 *
 * @throws InvalidInputError when the relay's address is not `<addr>/p2p/<Ed25519 PeerId>` with an
 * address of at most {@link MAX_ADDRESS_HINT_BYTES} bytes, or the id or key has the wrong size
 */
export function encodeShortLink (link: ShortLink): string {
  checkSecret(link.linkId, LINK_ID_BYTES, 'short link id')
  checkSecret(link.key, LINK_KEY_BYTES, 'short link key')
  const { hint, relayKey } = splitRelayAddr(link.relay)
  const payload = new Uint8Array(1 + LINK_ID_BYTES + RELAY_KEY_BYTES + hint.byteLength)
  payload[0] = SHORT_LINK_VERSION
  payload.set(link.linkId, 1)
  payload.set(relayKey, 1 + LINK_ID_BYTES)
  payload.set(hint, 1 + LINK_ID_BYTES + RELAY_KEY_BYTES)
  const text = `${SHORT_LINK_PREFIX}${b64(payload)}#${b64(link.key)}`
  // Every part is bounded: a longer link is a bug, never the input's fault.
  if (text.length > MAX_SHORT_LINK_LENGTH) throw new BugError(`short link of ${text.length} characters`)
  return text
}

/**
 * Reads a short link; whitespace around it is ignored.
 *
 * @throws TooLargeError when longer than {@link MAX_SHORT_LINK_LENGTH}; InvalidInputError when
 * malformed or of an unknown version
 */
export function decodeShortLink (text: string): ShortLink {
  if (typeof text !== 'string') throw new InvalidInputError('short link: expected a string')
  const trimmed = text.length > MAX_SHORT_LINK_LENGTH + 64 ? text : text.trim()
  if (trimmed.length > MAX_SHORT_LINK_LENGTH) throw new TooLargeError(`short link: longer than ${MAX_SHORT_LINK_LENGTH} characters`)
  if (!trimmed.startsWith(SHORT_LINK_PREFIX)) throw new InvalidInputError(`short link: does not start with ${SHORT_LINK_PREFIX}`)
  const [payloadText, keyText, ...rest] = trimmed.slice(SHORT_LINK_PREFIX.length).split('#')
  if (rest.length > 0 || keyText == null) throw new InvalidInputError('short link: expected <payload>#<key>')
  const payload = fromB64(payloadText ?? '', 'short link payload')
  const key = fromB64(keyText, 'short link key')
  checkSecret(key, LINK_KEY_BYTES, 'short link key')
  const fixed = 1 + LINK_ID_BYTES + RELAY_KEY_BYTES
  if (payload.byteLength <= fixed || payload.byteLength > fixed + MAX_ADDRESS_HINT_BYTES) {
    throw new InvalidInputError('short link: payload of the wrong size')
  }
  if (payload[0] !== SHORT_LINK_VERSION) throw new InvalidInputError(`short link: unsupported version ${payload[0]}`)
  const linkId = payload.slice(1, 1 + LINK_ID_BYTES)
  const relayKey = payload.slice(1 + LINK_ID_BYTES, fixed)
  const hint = payload.slice(fixed)
  return { relay: joinRelayAddr(hint, relayKey), linkId, key }
}

/**
 * Seals an encoded SignedInviteCard for a link: AES-256-GCM under the link's key, a random
 * nonce, the link id in the additional data, the card padded to a multiple of
 * {@link SEALED_CARD_PADDING} bytes. Returns nonce ‖ ciphertext ‖ tag.
 *
 * @param nonce - for test vectors only: a fixed 12-byte nonce (a nonce must never repeat under a key)
 */
export function sealCard (card: Uint8Array, linkId: Uint8Array, key: Uint8Array, nonce: Uint8Array = randomBytes(NONCE_BYTES)): Uint8Array {
  if (card.byteLength === 0 || card.byteLength > MAX_SIGNED_INVITE_CARD_BYTES) {
    throw new TooLargeError(`short link: a card of ${card.byteLength} bytes cannot be sealed`)
  }
  const padded = new Uint8Array(Math.ceil((card.byteLength + 2) / SEALED_CARD_PADDING) * SEALED_CARD_PADDING)
  new DataView(padded.buffer).setUint16(0, card.byteLength)
  padded.set(card, 2)
  checkSecret(key, LINK_KEY_BYTES, 'short link key')
  checkSecret(nonce, NONCE_BYTES, 'short link nonce')
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(additionalData(linkId))
  const out = Buffer.concat([nonce, cipher.update(padded), cipher.final(), cipher.getAuthTag()])
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/**
 * Opens a sealed card: the encoded SignedInviteCard (not yet verified).
 *
 * @throws InvalidInputError when it does not decrypt with this key and id, or its padding is wrong
 */
export function openCard (sealed: Uint8Array, linkId: Uint8Array, key: Uint8Array): Uint8Array {
  if (sealed.byteLength < NONCE_BYTES + SEALED_CARD_PADDING + TAG_BYTES || sealed.byteLength > MAX_SEALED_CARD_BYTES) {
    throw new InvalidInputError('short link: the stored card has the wrong size')
  }
  let padded: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES))
    decipher.setAAD(additionalData(linkId))
    decipher.setAuthTag(sealed.subarray(sealed.byteLength - TAG_BYTES))
    padded = Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.byteLength - TAG_BYTES)), decipher.final()])
  } catch (err) {
    throw new InvalidInputError('short link: the stored card does not decrypt with this link\'s key', { cause: err })
  }
  const length = padded.readUInt16BE(0)
  if (length === 0 || length + 2 > padded.byteLength || padded.subarray(length + 2).some(b => b !== 0)) {
    throw new InvalidInputError('short link: the stored card is not padded correctly')
  }
  return new Uint8Array(padded.subarray(2, length + 2))
}

function additionalData (linkId: Uint8Array): Uint8Array {
  checkSecret(linkId, LINK_ID_BYTES, 'short link id')
  const context = new TextEncoder().encode(SEALED_CARD_CONTEXT)
  const out = new Uint8Array(context.byteLength + 1 + linkId.byteLength)
  out.set(context, 0)
  out.set(linkId, context.byteLength + 1)
  return out
}

function splitRelayAddr (addr: string): { hint: Uint8Array, relayKey: Uint8Array } {
  let parsed
  try {
    parsed = multiaddr(addr)
  } catch (err) {
    throw new InvalidInputError(`short link: not a relay multiaddr (${errorMessage(err)})`, { cause: err })
  }
  const components = parsed.getComponents()
  const last = components.at(-1)
  if (last?.name !== 'p2p' || last.value == null || components.slice(0, -1).some(c => c.name === 'p2p' || c.name === 'p2p-circuit')) {
    throw new InvalidInputError('short link: a relay address is <addr>/p2p/<relay PeerId>, no circuit')
  }
  const peerId = peerIdFromString(last.value)
  if (peerId.type !== 'Ed25519') throw new InvalidInputError('short link: the relay\'s PeerId is not Ed25519')
  const hint = multiaddr(components.slice(0, -1)).bytes
  if (hint.byteLength === 0 || hint.byteLength > MAX_ADDRESS_HINT_BYTES) {
    throw new InvalidInputError(`short link: the relay's address takes ${hint.byteLength} bytes, at most ${MAX_ADDRESS_HINT_BYTES} fit`)
  }
  return { hint, relayKey: peerId.publicKey.raw }
}

function joinRelayAddr (hint: Uint8Array, relayKey: Uint8Array): string {
  try {
    const peerId = peerIdFromPublicKey(publicKeyFromRaw(relayKey))
    if (peerId.type !== 'Ed25519') throw new InvalidInputError('not an Ed25519 key')
    const addr = multiaddr(hint)
    if (addr.getComponents().some(c => c.name === 'p2p' || c.name === 'p2p-circuit')) {
      throw new InvalidInputError('the address hint names a peer')
    }
    return multiaddr(`${addr.toString()}/p2p/${peerId.toString()}`).toString()
  } catch (err) {
    throw new InvalidInputError(`short link: the relay is malformed (${errorMessage(err)})`, { cause: err })
  }
}

function checkSecret (bytes: unknown, length: number, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== length) throw new InvalidInputError(`${what}: expected ${length} bytes`)
}

function b64 (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

function fromB64 (text: string, what: string): Uint8Array {
  // Buffer's decoder skips characters it does not know; check the alphabet first.
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new InvalidInputError(`${what}: not base64url`)
  return new Uint8Array(Buffer.from(text, 'base64url'))
}
