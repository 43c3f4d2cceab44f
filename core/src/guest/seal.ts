// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Sealing guest messages: HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
 * AES-256-GCM, over padded JSON. The same code runs in the seller's app and in the guest's browser.
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core'
import { InvalidInputError, TooLargeError } from '../errors.js'

/** Which way a sealed message goes: its HPKE `info` differs, so one cannot pass for the other. */
export type GuestDirection = 'to-seller' | 'to-guest'

/** Largest sealed guest message. */
export const MAX_GUEST_SEALED_BYTES = 16_384
/** The padded plaintext is a multiple of this. */
export const GUEST_PADDING_BLOCK = 256
const SEALED_VERSION = 0x01
const ENC_BYTES = 32
const TAG_BYTES = 16

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() })

/** An X25519 key pair, raw. */
export interface GuestKeyPair {
  publicKey: Uint8Array<ArrayBuffer>
  privateKey: Uint8Array<ArrayBuffer>
}

/** A new X25519 key pair for sealing. */
export async function generateGuestKeyPair (): Promise<GuestKeyPair> {
  const pair = await suite.kem.generateKeyPair()
  return {
    publicKey: new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey)),
    privateKey: new Uint8Array(await suite.kem.serializePrivateKey(pair.privateKey))
  }
}

function info (direction: GuestDirection, linkId: Uint8Array): Uint8Array<ArrayBuffer> {
  const label = new TextEncoder().encode(direction === 'to-seller' ? 'sotto-guest/1' : 'sotto-guest-reply/1')
  const out = new Uint8Array(label.byteLength + 1 + linkId.byteLength)
  out.set(label)
  out.set(linkId, label.byteLength + 1)
  return out
}

function pad (json: string): Uint8Array<ArrayBuffer> {
  const body = new TextEncoder().encode(json)
  if (body.byteLength > 0xffff) throw new TooLargeError('guest message too large')
  const size = Math.ceil((body.byteLength + 2) / GUEST_PADDING_BLOCK) * GUEST_PADDING_BLOCK
  if (size + 1 + ENC_BYTES + TAG_BYTES > MAX_GUEST_SEALED_BYTES) throw new TooLargeError('guest message too large')
  const out = new Uint8Array(size)
  out[0] = body.byteLength >> 8
  out[1] = body.byteLength & 0xff
  out.set(body, 2)
  return out
}

function unpad (plain: Uint8Array): unknown {
  const length = ((plain[0] ?? 0) << 8) | (plain[1] ?? 0)
  if (plain.byteLength % GUEST_PADDING_BLOCK !== 0 || length + 2 > plain.byteLength) throw new InvalidInputError('guest message: bad padding')
  for (let i = length + 2; i < plain.byteLength; i++) if (plain[i] !== 0) throw new InvalidInputError('guest message: bad padding')
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain.subarray(2, length + 2)))
  } catch {
    throw new InvalidInputError('guest message: not JSON')
  }
}

/** Seals `message` (JSON) to the X25519 public key `recipient`. */
export async function sealGuestMessage (recipient: Uint8Array, direction: GuestDirection, linkId: Uint8Array, message: unknown): Promise<Uint8Array> {
  const recipientPublicKey = await suite.kem.deserializePublicKey(new Uint8Array(recipient))
  const { enc, ct } = await suite.seal({ recipientPublicKey, info: info(direction, linkId) }, pad(JSON.stringify(message)))
  const out = new Uint8Array(1 + enc.byteLength + ct.byteLength)
  out[0] = SEALED_VERSION
  out.set(new Uint8Array(enc), 1)
  out.set(new Uint8Array(ct), 1 + enc.byteLength)
  return out
}

/** Opens what {@link sealGuestMessage} sealed; the parsed JSON, still to be validated. */
export async function openGuestMessage (privateKey: Uint8Array, direction: GuestDirection, linkId: Uint8Array, sealed: Uint8Array): Promise<unknown> {
  if (sealed.byteLength > MAX_GUEST_SEALED_BYTES) throw new TooLargeError('sealed guest message too large')
  if (sealed.byteLength < 1 + ENC_BYTES + TAG_BYTES || sealed[0] !== SEALED_VERSION) throw new InvalidInputError('not a sealed guest message')
  const recipientKey = await suite.kem.deserializePrivateKey(new Uint8Array(privateKey))
  let plain: ArrayBuffer
  try {
    plain = await suite.open({ recipientKey, enc: sealed.slice(1, 1 + ENC_BYTES), info: info(direction, linkId) }, sealed.slice(1 + ENC_BYTES))
  } catch {
    throw new InvalidInputError('a sealed guest message does not open')
  }
  return unpad(new Uint8Array(plain))
}
