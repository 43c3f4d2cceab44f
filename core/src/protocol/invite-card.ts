// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Invite cards: signed by the owner's libsignal identity key, carried as a link
 * (`sotto://invite/<base64url>`), a QR code, or `Content.senderCard`.
 */
import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { KEMPublicKey, PublicKey } from '@signalapp/libsignal-client'
import { BadSignatureError, InvalidInputError, TooLargeError } from '../errors.js'
import { fromBase45, toBase45 } from './base45.js'
import {
  INVITE_CARD_SIGNATURE_CONTEXT, INVITE_CARD_VERSION, INVITE_TAG_BYTES, INVITE_LINK_PREFIX, INVITE_QR_PREFIX, MAX_CARD_ADDRS,
  MAX_CARD_RELAYS, MAX_INVITE_LINK_LENGTH, MAX_KEM_PUBLIC_KEY_BYTES, MAX_MULTIADDR_BYTES,
  MAX_NAME_LENGTH, MAX_RELAY_FIELD_BYTES, MAX_SIGNED_INVITE_CARD_BYTES
} from './limits.js'
import * as pb from './sotto.js'
import {
  checkBytes, checkInteger, checkSize, checkText, copyBytes, decodeProto, equalBytes, errorMessage,
  toSafeNumber, wireBytes
} from './wire.js'
import type { InviteCard, InviteRelay, PreKeyBundleData } from './types.js'
import type { PrivateKey } from '@signalapp/libsignal-client'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const BASE64URL = /^[A-Za-z0-9_-]*$/
const EC_PUBLIC_KEY_BYTES = 33
const SIGNATURE_BYTES = 64
// An Ed25519 PeerId is an identity multihash (0x00, length 0x24) of the protobuf public key.
const ED25519_PEER_ID_BYTES = 38
const MAX_REGISTRATION_ID = 16380
const MAX_DEVICE_ID = 127
const MAX_UINT32 = 0xffffffff

/**
 * Signs an invite card with the owner's libsignal identity private key, whose public key must be
 * `card.bundle.identityKey`. Returns the encoded SignedInviteCard (for `Content.senderCard`).
 *
 * Multiaddrs are stored in binary: a decoded card holds their canonical string forms.
 *
 * @throws InvalidInputError when a field is invalid or the key is not the bundle's identity key
 * @throws BadSignatureError when a prekey signature in the bundle does not verify
 * @throws TooLargeError when the signed card exceeds {@link MAX_SIGNED_INVITE_CARD_BYTES}
 */
export function signInviteCard (card: Omit<InviteCard, 'version'>, identityPrivateKey: PrivateKey): Uint8Array<ArrayBuffer> {
  const { body, identityKey } = encodeBody({ ...card, version: INVITE_CARD_VERSION })
  if (!identityPrivateKey.getPublicKey().equals(identityKey)) {
    throw new InvalidInputError('invite card: the signing key is not the bundle\'s identity key')
  }
  const signature = identityPrivateKey.sign(signingInput(body))
  const signed = pb.SignedInviteCard.encode({ body, signature })
  if (signed.byteLength > MAX_SIGNED_INVITE_CARD_BYTES) {
    throw new TooLargeError(`invite card: ${signed.byteLength} bytes signed, at most ${MAX_SIGNED_INVITE_CARD_BYTES} allowed`)
  }
  return signed
}

/**
 * Decodes an encoded SignedInviteCard, checks every field and verifies its signatures (the card's
 * and the bundle's prekey signatures).
 *
 * @throws TooLargeError when larger than {@link MAX_SIGNED_INVITE_CARD_BYTES}
 * @throws InvalidInputError when malformed, of an unknown version, or a field is invalid
 * @throws BadSignatureError when a signature does not verify
 */
export function verifySignedInviteCard (bytes: Uint8Array): InviteCard {
  checkSize(bytes, MAX_SIGNED_INVITE_CARD_BYTES, 'invite card')
  const signed = decodeProto(() => pb.SignedInviteCard.decode(bytes), 'invite card')
  const raw = decodeProto(() => pb.InviteCardBody.decode(signed.body, {
    limits: { addrs: MAX_CARD_ADDRS, relays: MAX_CARD_RELAYS }
  }), 'invite card body')
  if (raw.version !== INVITE_CARD_VERSION) {
    throw new InvalidInputError(`invite card: unsupported version ${raw.version}`)
  }
  const card = fromBody(raw)
  const identityKey = checkBundle(card.bundle)
  checkBytes(signed.signature, SIGNATURE_BYTES, SIGNATURE_BYTES, 'invite card signature')
  if (!identityKey.verify(signingInput(signed.body), signed.signature)) {
    throw new BadSignatureError('invite card: the signature does not verify')
  }
  return card
}

/**
 * Makes an invite link `sotto://invite/<base64url(SignedInviteCard)>` (no padding characters).
 *
 * @throws the errors of {@link signInviteCard}
 */
export function encodeInviteLink (card: Omit<InviteCard, 'version'>, identityPrivateKey: PrivateKey): string {
  const signed = signInviteCard(card, identityPrivateKey)
  return INVITE_LINK_PREFIX + Buffer.from(signed.buffer, signed.byteOffset, signed.byteLength).toString('base64url')
}

/**
 * Makes the QR form of an invite: `SOTTO://INVITE/<base45(SignedInviteCard)>`. Every character is
 * in the QR code's alphanumeric mode, so a card of up to 2,854 bytes fits a QR code (version 40,
 * level L), where the link form fits only 2,203. {@link decodeInviteLink} reads both forms.
 *
 * @throws the errors of {@link signInviteCard}
 */
export function encodeInviteQr (card: Omit<InviteCard, 'version'>, identityPrivateKey: PrivateKey): string {
  return INVITE_QR_PREFIX + toBase45(signInviteCard(card, identityPrivateKey))
}

/**
 * Reads an invite link (`sotto://invite/<base64url>`) or its QR form (`SOTTO://INVITE/<base45>`).
 * Whitespace around a link is ignored (around the QR form, only line breaks: base45 has a space).
 * The length is checked before anything is decoded.
 *
 * @throws TooLargeError when longer than {@link MAX_INVITE_LINK_LENGTH}
 * @throws InvalidInputError, BadSignatureError as {@link verifySignedInviteCard}
 */
export function decodeInviteLink (link: string): InviteCard {
  if (typeof link !== 'string') {
    throw new InvalidInputError('invite link: expected a string')
  }
  if (link.length > MAX_INVITE_LINK_LENGTH + 1024) {
    // Refuse absurd input before even trimming it.
    throw new TooLargeError(`invite link: longer than ${MAX_INVITE_LINK_LENGTH} characters`)
  }
  const start = link.trimStart()
  const trimmed = start.startsWith(INVITE_QR_PREFIX) ? start.replace(/[\r\n]+$/, '') : start.trimEnd()
  if (trimmed.length > MAX_INVITE_LINK_LENGTH) {
    throw new TooLargeError(`invite link: longer than ${MAX_INVITE_LINK_LENGTH} characters`)
  }
  let bytes: Uint8Array
  if (trimmed.startsWith(INVITE_QR_PREFIX)) {
    bytes = fromBase45(trimmed.slice(INVITE_QR_PREFIX.length))
  } else if (trimmed.startsWith(INVITE_LINK_PREFIX)) {
    const payload = trimmed.slice(INVITE_LINK_PREFIX.length)
    // Buffer's decoder skips characters it does not know; check the alphabet first.
    if (payload.length === 0 || !BASE64URL.test(payload) || payload.length % 4 === 1) {
      throw new InvalidInputError('invite link: not base64url')
    }
    bytes = new Uint8Array(Buffer.from(payload, 'base64url'))
  } else {
    throw new InvalidInputError(`invite link: does not start with ${INVITE_LINK_PREFIX}`)
  }
  return verifySignedInviteCard(bytes)
}

/** The bytes the identity key signs: the context string, a zero byte, the encoded body. */
export function signingInput (body: Uint8Array): Uint8Array<ArrayBuffer> {
  const context = new TextEncoder().encode(INVITE_CARD_SIGNATURE_CONTEXT)
  const input = new Uint8Array(context.byteLength + 1 + body.byteLength)
  input.set(context, 0)
  input.set(body, context.byteLength + 1)
  return input
}

/**
 * The encoded InviteCardBody of a card (the bytes that are signed), every field checked.
 *
 * @throws InvalidInputError, BadSignatureError as {@link signInviteCard}
 */
export function encodeInviteCardBody (card: InviteCard): Uint8Array<ArrayBuffer> {
  return encodeBody(card).body
}

function encodeBody (card: InviteCard): { body: Uint8Array<ArrayBuffer>, identityKey: PublicKey } {
  if (card == null || typeof card !== 'object') {
    throw new InvalidInputError('invite card: expected an object')
  }
  checkInteger(card.version, INVITE_CARD_VERSION, INVITE_CARD_VERSION, 'invite card version')
  checkName(card.name)
  const userId = uuidToBytes(card.userId)
  const peerId = parsePeerId(card.peerId)
  const identityKey = checkBundle(card.bundle)
  if (!Array.isArray(card.addrs) || card.addrs.length > MAX_CARD_ADDRS) {
    throw new InvalidInputError(`invite card: at most ${MAX_CARD_ADDRS} addrs`)
  }
  if (!Array.isArray(card.relays) || card.relays.length > MAX_CARD_RELAYS) {
    throw new InvalidInputError(`invite card: at most ${MAX_CARD_RELAYS} relays`)
  }
  checkInteger(card.createdAt, 0, Number.MAX_SAFE_INTEGER, 'invite card createdAt')
  const body = pb.InviteCardBody.encode({
    version: card.version,
    name: card.name,
    userId,
    peerId: wireBytes(peerId.toMultihash().bytes),
    bundle: toBundle(card.bundle),
    addrs: card.addrs.map(addr => checkOwnerAddr(parseMultiaddr(addr, 'invite card addr'), card.peerId).bytes),
    relays: card.relays.map(relay => toRelay(relay)),
    createdAt: BigInt(card.createdAt),
    ...(card.inviteTag != null ? { inviteTag: wireBytes(checkInviteTag(card.inviteTag)) } : {})
  })
  return { body, identityKey }
}

function fromBody (raw: pb.InviteCardBody): InviteCard {
  checkName(raw.name)
  const peerId = peerIdFromBytes(raw.peerId)
  if (raw.bundle == null) {
    throw new InvalidInputError('invite card: no prekey bundle')
  }
  return {
    version: raw.version,
    name: raw.name,
    userId: uuidFromBytes(raw.userId),
    peerId,
    bundle: fromBundle(raw.bundle),
    addrs: raw.addrs.map(bytes => checkOwnerAddr(parseMultiaddrBytes(bytes, 'invite card addr'), peerId).toString()),
    relays: raw.relays.map(relay => fromRelay(relay)),
    createdAt: toSafeNumber(raw.createdAt, 'invite card createdAt'),
    ...(raw.inviteTag != null ? { inviteTag: copyBytes(checkInviteTag(raw.inviteTag)) } : {})
  }
}

function checkInviteTag (tag: Uint8Array): Uint8Array {
  checkBytes(tag, INVITE_TAG_BYTES, INVITE_TAG_BYTES, 'invite card inviteTag')
  return tag
}

function checkName (name: unknown): asserts name is string {
  checkText(name, MAX_NAME_LENGTH, 'invite card name', true)
  if (!/\S/u.test(name)) {
    throw new InvalidInputError('invite card name: empty')
  }
}

function uuidToBytes (userId: unknown): Uint8Array<ArrayBuffer> {
  if (typeof userId !== 'string' || !UUID.test(userId)) {
    throw new InvalidInputError('invite card userId: not a lowercase UUID')
  }
  return new Uint8Array(Buffer.from(userId.replaceAll('-', ''), 'hex'))
}

function uuidFromBytes (bytes: Uint8Array): string {
  checkBytes(bytes, 16, 16, 'invite card userId')
  const hex = Buffer.from(bytes).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function parsePeerId (peerId: unknown): ReturnType<typeof peerIdFromString> {
  if (typeof peerId !== 'string') {
    throw new InvalidInputError('invite card peerId: expected a string')
  }
  let parsed
  try {
    parsed = peerIdFromString(peerId)
  } catch (err) {
    throw new InvalidInputError(`invite card peerId: not a PeerId (${errorMessage(err)})`, { cause: err })
  }
  if (parsed.type !== 'Ed25519') {
    throw new InvalidInputError('invite card peerId: not an Ed25519 PeerId')
  }
  if (parsed.toString() !== peerId) {
    throw new InvalidInputError('invite card peerId: not in base58btc form')
  }
  return parsed
}

function peerIdFromBytes (bytes: Uint8Array): string {
  checkBytes(bytes, ED25519_PEER_ID_BYTES, ED25519_PEER_ID_BYTES, 'invite card peerId')
  if (bytes[0] !== 0x00 || bytes[1] !== ED25519_PEER_ID_BYTES - 2) {
    throw new InvalidInputError('invite card peerId: not an identity multihash')
  }
  let peerId
  try {
    const key = publicKeyFromProtobuf(bytes.subarray(2))
    if (key.type !== 'Ed25519') {
      throw new InvalidInputError('not an Ed25519 key')
    }
    peerId = peerIdFromPublicKey(key)
  } catch (err) {
    throw new InvalidInputError(`invite card peerId: not an Ed25519 PeerId (${errorMessage(err)})`, { cause: err })
  }
  if (!equalBytes(peerId.toMultihash().bytes, bytes)) {
    throw new InvalidInputError('invite card peerId: not in canonical form')
  }
  return peerId.toString()
}

function parseMultiaddrBytes (bytes: Uint8Array, what: string): ReturnType<typeof multiaddr> {
  checkBytes(bytes, 1, MAX_MULTIADDR_BYTES, what)
  try {
    const addr = multiaddr(copyBytes(bytes))
    // Parsing from bytes is lazy in places: render it now so that errors surface here.
    multiaddr(addr.toString())
    return addr
  } catch (err) {
    throw new InvalidInputError(`${what}: not a multiaddr (${errorMessage(err)})`, { cause: err })
  }
}

function parseMultiaddr (addr: unknown, what: string): ReturnType<typeof multiaddr> {
  if (typeof addr !== 'string' || addr.length > 4 * MAX_MULTIADDR_BYTES) {
    throw new InvalidInputError(`${what}: expected a multiaddr string`)
  }
  let parsed
  try {
    parsed = multiaddr(addr)
    if (parsed.bytes.byteLength > MAX_MULTIADDR_BYTES) {
      throw new InvalidInputError(`longer than ${MAX_MULTIADDR_BYTES} bytes`)
    }
  } catch (err) {
    throw new InvalidInputError(`${what}: not a multiaddr (${errorMessage(err)})`, { cause: err })
  }
  return parsed
}

/** An owner address: a multiaddr which, if it ends in /p2p/<id>, names the owner. */
function checkOwnerAddr (addr: ReturnType<typeof multiaddr>, peerId: string): ReturnType<typeof multiaddr> {
  const last = addr.getComponents().at(-1)
  if (last?.name === 'p2p' && last.value !== peerId) {
    throw new InvalidInputError('invite card addr: ends in another peer\'s id')
  }
  return addr
}

/** A relay address: a multiaddr ending in /p2p/<relay id>, not itself a circuit. */
function checkRelayAddr (addr: ReturnType<typeof multiaddr>, what = 'invite card relay addr'): void {
  const components = addr.getComponents()
  if (components.at(-1)?.name !== 'p2p') {
    throw new InvalidInputError(`${what}: does not end in /p2p/<relay PeerId>`)
  }
  if (components.some(c => c.name === 'p2p-circuit')) {
    throw new InvalidInputError(`${what}: is a circuit address`)
  }
}

/**
 * The binary form of a relay's multiaddr (ending in /p2p/<relay PeerId>, no /p2p-circuit), as
 * cards and Tokens carry it.
 *
 * @throws InvalidInputError when it is not such an address
 */
export function encodeRelayAddr (addr: string, what: string): Uint8Array<ArrayBuffer> {
  const parsed = parseMultiaddr(addr, what)
  checkRelayAddr(parsed, what)
  return wireBytes(parsed.bytes)
}

/**
 * The canonical text form of a relay's binary multiaddr.
 *
 * @throws InvalidInputError when it is not a relay address
 */
export function decodeRelayAddr (bytes: Uint8Array, what: string): string {
  const parsed = parseMultiaddrBytes(bytes, what)
  checkRelayAddr(parsed, what)
  return parsed.toString()
}

function toRelay (relay: InviteRelay): pb.InviteRelay {
  if (relay == null || typeof relay !== 'object') {
    throw new InvalidInputError('invite card relay: expected an object')
  }
  const addr = parseMultiaddr(relay.addr, 'invite card relay addr')
  checkRelayAddr(addr)
  checkBytes(relay.mailboxId, 1, MAX_RELAY_FIELD_BYTES, 'invite card relay mailboxId')
  checkBytes(relay.introToken, 1, MAX_RELAY_FIELD_BYTES, 'invite card relay introToken')
  return { addr: addr.bytes, mailboxId: wireBytes(relay.mailboxId), introToken: wireBytes(relay.introToken) }
}

function fromRelay (relay: pb.InviteRelay): InviteRelay {
  const addr = parseMultiaddrBytes(relay.addr, 'invite card relay addr')
  checkRelayAddr(addr)
  checkBytes(relay.mailboxId, 1, MAX_RELAY_FIELD_BYTES, 'invite card relay mailboxId')
  checkBytes(relay.introToken, 1, MAX_RELAY_FIELD_BYTES, 'invite card relay introToken')
  return { addr: addr.toString(), mailboxId: copyBytes(relay.mailboxId), introToken: copyBytes(relay.introToken) }
}

function toBundle (bundle: PreKeyBundleData): pb.PreKeyBundle {
  const out: pb.PreKeyBundle = {
    registrationId: bundle.registrationId,
    deviceId: bundle.deviceId,
    signedPreKeyId: bundle.signedPreKeyId,
    signedPreKey: wireBytes(bundle.signedPreKey),
    signedPreKeySignature: wireBytes(bundle.signedPreKeySignature),
    identityKey: wireBytes(bundle.identityKey),
    kyberPreKeyId: bundle.kyberPreKeyId,
    kyberPreKey: wireBytes(bundle.kyberPreKey),
    kyberPreKeySignature: wireBytes(bundle.kyberPreKeySignature)
  }
  if (bundle.preKeyId != null) out.preKeyId = bundle.preKeyId
  if (bundle.preKey != null) out.preKey = wireBytes(bundle.preKey)
  return out
}

function fromBundle (raw: pb.PreKeyBundle): PreKeyBundleData {
  const bundle: PreKeyBundleData = {
    registrationId: raw.registrationId,
    deviceId: raw.deviceId,
    signedPreKeyId: raw.signedPreKeyId,
    signedPreKey: copyBytes(raw.signedPreKey),
    signedPreKeySignature: copyBytes(raw.signedPreKeySignature),
    identityKey: copyBytes(raw.identityKey),
    kyberPreKeyId: raw.kyberPreKeyId,
    kyberPreKey: copyBytes(raw.kyberPreKey),
    kyberPreKeySignature: copyBytes(raw.kyberPreKeySignature)
  }
  if (raw.preKeyId != null) bundle.preKeyId = raw.preKeyId
  if (raw.preKey != null) bundle.preKey = copyBytes(raw.preKey)
  return bundle
}

/**
 * Checks every field of a prekey bundle, including both prekey signatures. Returns the identity key.
 */
function checkBundle (bundle: PreKeyBundleData): PublicKey {
  if (bundle == null || typeof bundle !== 'object') {
    throw new InvalidInputError('invite card: no prekey bundle')
  }
  checkInteger(bundle.registrationId, 1, MAX_REGISTRATION_ID, 'bundle registrationId')
  checkInteger(bundle.deviceId, 1, MAX_DEVICE_ID, 'bundle deviceId')
  checkInteger(bundle.signedPreKeyId, 0, MAX_UINT32, 'bundle signedPreKeyId')
  checkInteger(bundle.kyberPreKeyId, 0, MAX_UINT32, 'bundle kyberPreKeyId')
  if ((bundle.preKeyId == null) !== (bundle.preKey == null)) {
    throw new InvalidInputError('bundle: preKeyId and preKey come together')
  }
  if (bundle.preKeyId != null) {
    checkInteger(bundle.preKeyId, 0, MAX_UINT32, 'bundle preKeyId')
    ecPublicKey(bundle.preKey, 'bundle preKey')
  }
  const identityKey = ecPublicKey(bundle.identityKey, 'bundle identityKey')
  ecPublicKey(bundle.signedPreKey, 'bundle signedPreKey')
  checkBytes(bundle.signedPreKeySignature, SIGNATURE_BYTES, SIGNATURE_BYTES, 'bundle signedPreKeySignature')
  checkBytes(bundle.kyberPreKey, 1, MAX_KEM_PUBLIC_KEY_BYTES, 'bundle kyberPreKey')
  try {
    KEMPublicKey.deserialize(copyBytes(bundle.kyberPreKey))
  } catch (err) {
    throw new InvalidInputError(`bundle kyberPreKey: not a KEM public key (${errorMessage(err)})`, { cause: err })
  }
  checkBytes(bundle.kyberPreKeySignature, SIGNATURE_BYTES, SIGNATURE_BYTES, 'bundle kyberPreKeySignature')
  if (!identityKey.verify(copyBytes(bundle.signedPreKey), copyBytes(bundle.signedPreKeySignature))) {
    throw new BadSignatureError('bundle: the signed prekey\'s signature does not verify')
  }
  if (!identityKey.verify(copyBytes(bundle.kyberPreKey), copyBytes(bundle.kyberPreKeySignature))) {
    throw new BadSignatureError('bundle: the Kyber prekey\'s signature does not verify')
  }
  return identityKey
}

function ecPublicKey (bytes: unknown, what: string): PublicKey {
  checkBytes(bytes, EC_PUBLIC_KEY_BYTES, EC_PUBLIC_KEY_BYTES, what)
  try {
    return PublicKey.deserialize(copyBytes(bytes))
  } catch (err) {
    throw new InvalidInputError(`${what}: not a public key (${errorMessage(err)})`, { cause: err })
  }
}
