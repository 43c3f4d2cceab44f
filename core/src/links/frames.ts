// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Frames of `/sotto/link/1.0.0`: link operations signed by a mailbox key, lookups by link id, and
 * join requests. Decoders check the size first and every field after, and throw only
 * InvalidInputError (or TooLargeError).
 */
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { InvalidInputError, TooLargeError } from '../errors.js'
import { ed25519PublicKeyOf } from '../mailbox/keys.js'
import {
  LINK_ID_BYTES, LINK_OP_CONTEXT, MAX_JOIN_CODE_LENGTH, MAX_LINK_FRAME_BYTES, MAX_SEALED_CARD_BYTES
} from './constants.js'
import { LinkOp, LinkOpKind, LinkRequest, LinkResponse, LinkStatus } from './links.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** A link operation: bound to one relay, one mailbox, one link and one moment. */
export interface LinkOpData {
  kind: 'put' | 'delete'
  /** The relay's PeerId as multihash bytes. */
  relay: Uint8Array
  mailboxId: Uint8Array
  linkId: Uint8Array
  /** Milliseconds since the epoch. */
  timestamp: number
  /** PUT: seconds to keep the link. */
  ttl: number
  /** PUT: the sealed card. */
  sealed: Uint8Array
}

/** A validated request frame. */
export type LinkRequestData =
  | { type: 'owner', publicKey: Uint8Array, op: Uint8Array, signature: Uint8Array }
  | { type: 'get', linkId: Uint8Array }
  | { type: 'join', mailboxId: Uint8Array, code: string }

/** A relay's answer status, as named on the wire without its `LINK_` prefix. */
export type LinkStatusName = 'OK' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'NOT_FOUND' | 'REVOKED' | 'TOO_LARGE' | 'QUOTA' | 'RATE_LIMITED' | 'STALE_AUTH' | 'INTERNAL'

/** A validated response frame. */
export interface LinkResponseData {
  status: LinkStatusName
  message: string
  /** GET: the sealed card. */
  sealed?: Uint8Array
  /** When the link expires (ms), on GET and PUT. */
  expiresAt: number
  /** RATE_LIMITED: milliseconds until a retry may succeed. */
  retryAfter: number
  /** STALE_AUTH: the relay's clock. */
  serverTime: number
}

const CONTEXT = new TextEncoder().encode(LINK_OP_CONTEXT)

function wire (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>
}

function decode<T> (what: string, data: Uint8Array | Uint8ArrayList, fn: (d: Uint8Array | Uint8ArrayList) => T): T {
  if (data.byteLength > MAX_LINK_FRAME_BYTES) throw new TooLargeError(`${what} of ${data.byteLength} bytes exceeds ${MAX_LINK_FRAME_BYTES}`)
  try {
    return fn(data)
  } catch (err) {
    throw new InvalidInputError(`${what} does not decode`, { cause: err })
  }
}

function checkLength (bytes: Uint8Array, length: number, what: string): void {
  if (bytes.byteLength !== length) throw new InvalidInputError(`${what} must be ${length} bytes`)
}

/** The bytes a mailbox key signs for an encoded LinkOp. */
export function linkOpSigningBytes (op: Uint8Array): Uint8Array {
  const out = new Uint8Array(CONTEXT.byteLength + 1 + op.byteLength)
  out.set(CONTEXT, 0)
  out.set(op, CONTEXT.byteLength + 1)
  return out
}

/** Encodes a LinkOp to sign. */
export function encodeLinkOp (op: LinkOpData): Uint8Array {
  return LinkOp.encode({
    kind: op.kind === 'put' ? LinkOpKind.PUT : LinkOpKind.DELETE,
    relay: wire(op.relay),
    mailboxId: wire(op.mailboxId),
    linkId: wire(op.linkId),
    timestamp: op.timestamp,
    ttl: op.kind === 'put' ? op.ttl : 0,
    sealed: wire(op.kind === 'put' ? op.sealed : new Uint8Array(0))
  })
}

/** Decodes and validates a signed LinkOp (after its signature was checked). */
export function decodeLinkOp (data: Uint8Array): LinkOpData {
  const raw = decode('link op', data, d => LinkOp.decode(d))
  if (raw.kind !== LinkOpKind.PUT && raw.kind !== LinkOpKind.DELETE) throw new InvalidInputError('link op: unknown kind')
  if (raw.relay.byteLength === 0 || raw.relay.byteLength > 64) throw new InvalidInputError('link op: relay must be a PeerId')
  checkLength(raw.mailboxId, 32, 'link op mailbox id')
  checkLength(raw.linkId, LINK_ID_BYTES, 'link op link id')
  if (!Number.isSafeInteger(raw.timestamp) || raw.timestamp <= 0) throw new InvalidInputError('link op: no timestamp')
  const kind = raw.kind === LinkOpKind.PUT ? 'put' : 'delete'
  if (kind === 'put' && (raw.sealed.byteLength === 0 || raw.ttl === 0)) throw new InvalidInputError('link op: a put carries a sealed card and a ttl')
  if (raw.sealed.byteLength > MAX_SEALED_CARD_BYTES) throw new TooLargeError(`link op: a sealed card of ${raw.sealed.byteLength} bytes exceeds ${MAX_SEALED_CARD_BYTES}`)
  return { kind, relay: raw.relay, mailboxId: raw.mailboxId, linkId: raw.linkId, timestamp: raw.timestamp, ttl: raw.ttl, sealed: raw.sealed }
}

/** Encodes and signs a link operation with the mailbox key (Ed25519). */
export async function signLinkOp (mailboxKey: PrivateKey, op: LinkOpData): Promise<Extract<LinkRequestData, { type: 'owner' }>> {
  const encoded = encodeLinkOp(op)
  return { type: 'owner', publicKey: ed25519PublicKeyOf(mailboxKey), op: encoded, signature: await mailboxKey.sign(linkOpSigningBytes(encoded)) }
}

/** Whether `signature` is the mailbox key's over the encoded op. Never throws for bad input. */
export async function verifyLinkOp (publicKey: Uint8Array, op: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    return await publicKeyFromRaw(publicKey).verify(linkOpSigningBytes(op), signature)
  } catch {
    return false
  }
}

/** Encodes a request frame's body (the caller adds the length prefix). */
export function encodeLinkRequest (request: LinkRequestData): Uint8Array {
  switch (request.type) {
    case 'owner':
      return LinkRequest.encode({ owner: { publicKey: wire(request.publicKey), op: wire(request.op), signature: wire(request.signature) }, get: new Uint8Array(0) })
    case 'get':
      return LinkRequest.encode({ get: wire(request.linkId) })
    case 'join':
      return LinkRequest.encode({ get: new Uint8Array(0), join: { mailboxId: wire(request.mailboxId), code: request.code } })
  }
}

/** Decodes and validates a request frame. */
export function parseLinkRequest (data: Uint8Array | Uint8ArrayList): LinkRequestData {
  const raw = decode('link request', data, d => LinkRequest.decode(d))
  const set = Number(raw.owner != null) + Number(raw.get.byteLength > 0) + Number(raw.join != null)
  if (set !== 1) throw new InvalidInputError('a link request carries exactly one of owner, get, join')
  if (raw.owner != null) {
    checkLength(raw.owner.publicKey, 32, 'link owner public key')
    checkLength(raw.owner.signature, 64, 'link owner signature')
    if (raw.owner.op.byteLength === 0) throw new InvalidInputError('link op is empty')
    return { type: 'owner', publicKey: raw.owner.publicKey, op: raw.owner.op, signature: raw.owner.signature }
  }
  if (raw.join != null) {
    checkLength(raw.join.mailboxId, 32, 'join mailbox id')
    if (raw.join.code.length === 0 || raw.join.code.length > MAX_JOIN_CODE_LENGTH) throw new InvalidInputError('join code: empty or too long')
    return { type: 'join', mailboxId: raw.join.mailboxId, code: raw.join.code }
  }
  checkLength(raw.get, LINK_ID_BYTES, 'link id')
  return { type: 'get', linkId: raw.get }
}

/** Encodes a response frame's body. */
export function encodeLinkResponse (response: Partial<LinkResponseData> & { status: LinkStatusName }): Uint8Array {
  return LinkResponse.encode({
    status: LinkStatus[`LINK_${response.status}`],
    message: response.message ?? '',
    sealed: wire(response.sealed ?? new Uint8Array(0)),
    expiresAt: response.expiresAt ?? 0,
    retryAfter: response.retryAfter ?? 0,
    serverTime: response.serverTime ?? 0
  })
}

/** Decodes and validates a response frame. */
export function parseLinkResponse (data: Uint8Array | Uint8ArrayList): LinkResponseData {
  const raw = decode('link response', data, d => LinkResponse.decode(d))
  if (raw.status === LinkStatus.LINK_STATUS_UNSPECIFIED || !String(raw.status).startsWith('LINK_')) throw new InvalidInputError('link response: no status')
  if (raw.message.length > 256) throw new InvalidInputError('link response: message too long')
  if (raw.sealed.byteLength > MAX_SEALED_CARD_BYTES) throw new TooLargeError('link response: sealed card too large')
  return {
    status: String(raw.status).slice('LINK_'.length) as LinkStatusName,
    message: raw.message,
    ...(raw.sealed.byteLength > 0 ? { sealed: raw.sealed } : {}),
    expiresAt: raw.expiresAt,
    retryAfter: raw.retryAfter,
    serverTime: raw.serverTime
  }
}
