// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Decoders and encoders of mailbox frames. Every decoder checks the frame's size before decoding
 * and validates every field after; bad input throws {@link InvalidInputError} (or its subclass
 * {@link TooLargeError}) and nothing else.
 */

import { InvalidInputError, TooLargeError } from '../errors.js'
import {
  CHALLENGE_BYTES, DEFAULT_READ_LIMIT, DEPOSIT_TOKEN_BYTES, MAILBOX_ID_BYTES, MAX_ACK_IDS,
  MAX_ENVELOPE_BYTES, MAX_OWNER_OP_BYTES, MAX_READ_LIMIT, MAX_RELAY_INFO_FRAME_BYTES,
  MAX_REQUEST_FRAME_BYTES, MAX_RESPONSE_FRAME_BYTES
} from './constants.js'
import { OpKind, OwnerOp, RelayInfo as RelayInfoMessage, Request, Response, Status, TokenKind } from './mailbox.js'
import type { StoredEnvelope } from './mailbox.js'
import type { Uint8ArrayList } from 'uint8arraylist'

/** The kind of token a deposit used: a contact's own, or the introduction token of an invite card. */
export type DepositTokenKind = 'contact' | 'introduction'

/** A relay's answer status, as named on the wire. */
export type MailboxStatus = 'OK' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'TOO_LARGE' | 'QUOTA' | 'RATE_LIMITED' | 'STALE_AUTH' | 'UNAVAILABLE' | 'INTERNAL'

/** What an owner asks for, with the fields that kind needs. */
export type OwnerAction =
  | { kind: 'create' }
  | { kind: 'subscribe' }
  | { kind: 'delete' }
  | { kind: 'register-token', tokenHash: Uint8Array, tokenKind: DepositTokenKind }
  | { kind: 'revoke-token', tokenHash: Uint8Array }
  | { kind: 'read', after: number, limit: number }
  | { kind: 'ack', ids: number[] }

/** How an owner op proves it is fresh: a timestamp within the window, or a relay challenge. */
export type Freshness = { timestamp: number } | { challenge: Uint8Array }

/** A validated OwnerOp: an action bound to one relay, one mailbox and one moment. */
export type OwnerOpData = OwnerAction & {
  /** The relay's PeerId as multihash bytes. */
  relay: Uint8Array
  mailboxId: Uint8Array
  freshness: Freshness
}

/** A validated request frame. */
export type MailboxRequest =
  | { id: number, type: 'owner', publicKey: Uint8Array, op: Uint8Array, signature: Uint8Array }
  | { id: number, type: 'deposit', mailboxId: Uint8Array, token: Uint8Array, envelope: Uint8Array, ttl: number }
  | { id: number, type: 'challenge' }
  | { id: number, type: 'ping' }

/** The result of {@link parseRequest}: a request, or the error to answer with (id 0 if unknown). */
export type ParsedRequest =
  | { ok: true, request: MailboxRequest }
  | { ok: false, id: number, error: InvalidInputError }

/** An envelope as its owner reads it from a relay. */
export interface MailboxEnvelope {
  /** The relay's id: increasing in deposit order within the mailbox, never reused. Ack with it. */
  id: number
  /** The sealed envelope, as deposited. */
  envelope: Uint8Array
  /** Milliseconds since the epoch after which the relay deletes it. */
  expiresAt: number
  /** The kind of token it was deposited with: `'introduction'` belongs in "requests". */
  kind: DepositTokenKind
}

/** A validated response frame. */
export interface MailboxResponse {
  /** The request's id, or 0 for a push to a subscriber. */
  id: number
  status: MailboxStatus
  message: string
  /** RATE_LIMITED: milliseconds until a retry may succeed. */
  retryAfter: number
  /** The answer to a challenge request. */
  challenge?: Uint8Array
  envelopes: MailboxEnvelope[]
  more: boolean
  deleted: number
  /** A push to a subscriber. */
  pushed?: MailboxEnvelope
  /** The relay's clock, sent with STALE_AUTH. */
  serverTime: number
}

/** A token bucket: `burst` deposits at once, refilled at `perHour`. */
export interface RateLimitInfo {
  burst: number
  perHour: number
}

/** What a relay says about itself on `/sotto/relay-info/1.0.0`. */
export interface RelayInfo {
  /** The operator's name. */
  operator: string
  /** How to reach the operator (a URI). */
  contact: string
  /** ISO 3166-1 alpha-2 code of the relay's jurisdiction, upper case. */
  jurisdiction: string
  /** Longest time the relay keeps an envelope, in seconds. */
  retentionSeconds: number
  /** Largest envelope accepted, in bytes. */
  maxEnvelopeBytes: number
  /** Per mailbox: most envelopes held. */
  mailboxMaxEnvelopes: number
  /** Per mailbox: most bytes held. */
  mailboxMaxBytes: number
  /** Deposit rate of a contact token. */
  contactRate: RateLimitInfo
  /** Deposit rate of an introduction token. */
  introductionRate: RateLimitInfo
  /** Software and version, e.g. `sotto-relay/0.1.0`. */
  version: string
  /** New mailboxes need a join code from the operator. Absent: false (an open relay). */
  inviteOnly?: boolean
  /**
   * UDP port of the relay's STUN binding responder, at the relay's own IP address. Absent: none.
   * Its users give it to WebRTC as their only ICE server (see `net/stun-servers.ts`).
   */
  stunPort?: number
  /**
   * The relay's public web address (`http(s)://host[:port]`, no path), when it serves its web page;
   * the guest page is at this address followed by `/g`.
   */
  webUrl?: string
}

const OP_KIND_NAMES: Record<OpKind, OwnerAction['kind'] | undefined> = {
  [OpKind.OP_KIND_UNSPECIFIED]: undefined,
  [OpKind.CREATE]: 'create',
  [OpKind.REGISTER_TOKEN]: 'register-token',
  [OpKind.REVOKE_TOKEN]: 'revoke-token',
  [OpKind.READ]: 'read',
  [OpKind.ACK]: 'ack',
  [OpKind.SUBSCRIBE]: 'subscribe',
  [OpKind.DELETE]: 'delete'
}

const OP_KINDS: Record<OwnerAction['kind'], OpKind> = {
  create: OpKind.CREATE,
  'register-token': OpKind.REGISTER_TOKEN,
  'revoke-token': OpKind.REVOKE_TOKEN,
  read: OpKind.READ,
  ack: OpKind.ACK,
  subscribe: OpKind.SUBSCRIBE,
  delete: OpKind.DELETE
}

/** The wire enum of a token kind. */
export function tokenKindToWire (kind: DepositTokenKind): TokenKind {
  return kind === 'contact' ? TokenKind.CONTACT : TokenKind.INTRODUCTION
}

/** The token kind named by a wire enum, or undefined for UNSPECIFIED. */
export function tokenKindFromWire (kind: TokenKind): DepositTokenKind | undefined {
  if (kind === TokenKind.CONTACT) return 'contact'
  if (kind === TokenKind.INTRODUCTION) return 'introduction'
  return undefined
}

// The generated encoders only read these bytes: any backing buffer will do.
function wire (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>
}

function byteLength (data: Uint8Array | Uint8ArrayList): number {
  return data.byteLength
}

function decodeWith<T> (what: string, data: Uint8Array | Uint8ArrayList, max: number, decode: (d: Uint8Array | Uint8ArrayList) => T): T {
  if (byteLength(data) > max) throw new TooLargeError(`${what} of ${byteLength(data)} bytes exceeds ${max}`)
  try {
    return decode(data)
  } catch (err) {
    throw new InvalidInputError(`${what} does not decode`, { cause: err })
  }
}

function isSafeId (n: number): boolean {
  return Number.isSafeInteger(n) && n > 0
}

/**
 * Decodes and validates a request frame. Never throws for bad input: it returns the error to
 * answer with, and the request id when the frame got that far.
 */
export function parseRequest (data: Uint8Array | Uint8ArrayList): ParsedRequest {
  let raw: Request
  try {
    raw = decodeWith('request frame', data, MAX_REQUEST_FRAME_BYTES, (d) => Request.decode(d, { limits: {} }))
  } catch (err) {
    return { ok: false, id: 0, error: err as InvalidInputError }
  }
  const id = raw.id
  const fail = (error: InvalidInputError): ParsedRequest => ({ ok: false, id, error })
  if (id === 0) return fail(new InvalidInputError('request id must not be 0'))
  const set = Number(raw.owner != null) + Number(raw.deposit != null) + Number(raw.challenge) + Number(raw.ping)
  if (set !== 1) return fail(new InvalidInputError('a request carries exactly one of owner, deposit, challenge, ping'))
  if (raw.owner != null) {
    const { publicKey, op, signature } = raw.owner
    if (publicKey.byteLength !== 32) return fail(new InvalidInputError('public key must be 32 bytes'))
    if (signature.byteLength !== 64) return fail(new InvalidInputError('signature must be 64 bytes'))
    if (op.byteLength === 0 || op.byteLength > MAX_OWNER_OP_BYTES) return fail(new InvalidInputError('op is empty or too long'))
    return { ok: true, request: { id, type: 'owner', publicKey, op, signature } }
  }
  if (raw.deposit != null) {
    const { mailboxId, token, envelope, ttl } = raw.deposit
    if (mailboxId.byteLength !== MAILBOX_ID_BYTES) return fail(new InvalidInputError(`mailbox id must be ${MAILBOX_ID_BYTES} bytes`))
    if (token.byteLength !== DEPOSIT_TOKEN_BYTES) return fail(new InvalidInputError(`token must be ${DEPOSIT_TOKEN_BYTES} bytes`))
    if (envelope.byteLength > MAX_ENVELOPE_BYTES) return fail(new TooLargeError(`envelope of ${envelope.byteLength} bytes exceeds ${MAX_ENVELOPE_BYTES}`))
    if (envelope.byteLength === 0) return fail(new InvalidInputError('envelope is empty'))
    return { ok: true, request: { id, type: 'deposit', mailboxId, token, envelope, ttl } }
  }
  return { ok: true, request: { id, type: raw.challenge ? 'challenge' : 'ping' } }
}

/** Encodes a request frame's body (the caller adds the length prefix). */
export function encodeRequest (request: MailboxRequest): Uint8Array {
  switch (request.type) {
    case 'owner':
      return Request.encode({ id: request.id, owner: { publicKey: wire(request.publicKey), op: wire(request.op), signature: wire(request.signature) }, challenge: false, ping: false })
    case 'deposit':
      return Request.encode({ id: request.id, deposit: { mailboxId: wire(request.mailboxId), token: wire(request.token), envelope: wire(request.envelope), ttl: request.ttl }, challenge: false, ping: false })
    case 'challenge':
      return Request.encode({ id: request.id, challenge: true, ping: false })
    case 'ping':
      return Request.encode({ id: request.id, challenge: false, ping: true })
  }
}

/** Encodes an OwnerOp to sign. */
export function encodeOwnerOp (op: OwnerOpData): Uint8Array {
  const msg: OwnerOp = {
    kind: OP_KINDS[op.kind],
    relay: wire(op.relay),
    mailboxId: wire(op.mailboxId),
    timestamp: 'timestamp' in op.freshness ? op.freshness.timestamp : 0,
    challenge: 'challenge' in op.freshness ? wire(op.freshness.challenge) : new Uint8Array(0),
    tokenHash: new Uint8Array(0),
    tokenKind: TokenKind.TOKEN_KIND_UNSPECIFIED,
    after: 0,
    limit: 0,
    ids: []
  }
  if (op.kind === 'register-token') {
    msg.tokenHash = wire(op.tokenHash)
    msg.tokenKind = tokenKindToWire(op.tokenKind)
  } else if (op.kind === 'revoke-token') {
    msg.tokenHash = wire(op.tokenHash)
  } else if (op.kind === 'read') {
    msg.after = op.after
    msg.limit = op.limit
  } else if (op.kind === 'ack') {
    msg.ids = op.ids
  }
  return OwnerOp.encode(msg)
}

/** Decodes and validates a signed OwnerOp (after its signature was checked). */
export function decodeOwnerOp (data: Uint8Array): OwnerOpData {
  const raw = decodeWith('owner op', data, MAX_OWNER_OP_BYTES, (d) => OwnerOp.decode(d, { limits: { ids: MAX_ACK_IDS } }))
  const kind = OP_KIND_NAMES[raw.kind]
  if (kind == null) throw new InvalidInputError('owner op has no kind')
  if (raw.relay.byteLength === 0 || raw.relay.byteLength > 128) throw new InvalidInputError('owner op names no relay')
  if (raw.mailboxId.byteLength !== MAILBOX_ID_BYTES) throw new InvalidInputError(`mailbox id must be ${MAILBOX_ID_BYTES} bytes`)
  let freshness: Freshness
  if (raw.challenge.byteLength > 0) {
    if (raw.timestamp !== 0) throw new InvalidInputError('owner op carries both a timestamp and a challenge')
    if (raw.challenge.byteLength !== CHALLENGE_BYTES) throw new InvalidInputError(`challenge must be ${CHALLENGE_BYTES} bytes`)
    freshness = { challenge: raw.challenge }
  } else {
    if (!isSafeId(raw.timestamp)) throw new InvalidInputError('owner op carries neither a timestamp nor a challenge')
    freshness = { timestamp: raw.timestamp }
  }
  const base = { relay: raw.relay, mailboxId: raw.mailboxId, freshness }
  switch (kind) {
    case 'register-token': {
      if (raw.tokenHash.byteLength !== 32) throw new InvalidInputError('token hash must be 32 bytes')
      const tokenKind = tokenKindFromWire(raw.tokenKind)
      if (tokenKind == null) throw new InvalidInputError('token kind is missing')
      return { ...base, kind, tokenHash: raw.tokenHash, tokenKind }
    }
    case 'revoke-token':
      if (raw.tokenHash.byteLength !== 32) throw new InvalidInputError('token hash must be 32 bytes')
      return { ...base, kind, tokenHash: raw.tokenHash }
    case 'read':
      if (!Number.isSafeInteger(raw.after) || raw.after < 0) throw new InvalidInputError('read position is out of range')
      if (raw.limit > MAX_READ_LIMIT) throw new InvalidInputError(`read limit exceeds ${MAX_READ_LIMIT}`)
      return { ...base, kind, after: raw.after, limit: raw.limit === 0 ? DEFAULT_READ_LIMIT : raw.limit }
    case 'ack':
      if (raw.ids.length === 0) throw new InvalidInputError('ack names no ids')
      if (!raw.ids.every(isSafeId)) throw new InvalidInputError('ack id is out of range')
      return { ...base, kind, ids: raw.ids }
    default:
      return { ...base, kind }
  }
}

function parseEnvelope (raw: { id: number, envelope: Uint8Array, expiresAt: number, kind: TokenKind }): MailboxEnvelope {
  if (!isSafeId(raw.id)) throw new InvalidInputError('envelope id is out of range')
  if (raw.envelope.byteLength === 0 || raw.envelope.byteLength > MAX_ENVELOPE_BYTES) throw new InvalidInputError('envelope size is out of range')
  if (!Number.isSafeInteger(raw.expiresAt) || raw.expiresAt <= 0) throw new InvalidInputError('envelope expiry is out of range')
  const kind = tokenKindFromWire(raw.kind)
  if (kind == null) throw new InvalidInputError('envelope kind is missing')
  return { id: raw.id, envelope: raw.envelope, expiresAt: raw.expiresAt, kind }
}

/** Decodes and validates a response frame (the client side). */
export function parseResponse (data: Uint8Array | Uint8ArrayList): MailboxResponse {
  const raw = decodeWith('response frame', data, MAX_RESPONSE_FRAME_BYTES, (d) => Response.decode(d, { limits: { envelopes: MAX_READ_LIMIT } }))
  if (raw.status === Status.STATUS_UNSPECIFIED) throw new InvalidInputError('response has no status')
  if (raw.message.length > 1024) throw new InvalidInputError('response message is too long')
  if (raw.challenge.byteLength !== 0 && raw.challenge.byteLength !== CHALLENGE_BYTES) throw new InvalidInputError('challenge has the wrong size')
  if (!Number.isSafeInteger(raw.serverTime)) throw new InvalidInputError('server time is out of range')
  const envelopes = raw.envelopes.map(parseEnvelope)
  for (let i = 1; i < envelopes.length; i++) {
    if ((envelopes[i]?.id ?? 0) <= (envelopes[i - 1]?.id ?? 0)) throw new InvalidInputError('envelopes are not in deposit order')
  }
  const res: MailboxResponse = {
    id: raw.id,
    status: raw.status as MailboxStatus,
    message: raw.message,
    retryAfter: raw.retryAfter,
    envelopes,
    more: raw.more,
    deleted: raw.deleted,
    serverTime: raw.serverTime
  }
  if (raw.challenge.byteLength > 0) res.challenge = raw.challenge
  if (raw.pushed != null) res.pushed = parseEnvelope(raw.pushed)
  return res
}

/** What a relay answers; fields that do not apply may be left out. */
export interface MailboxResponseInit {
  id: number
  status: MailboxStatus
  message?: string
  retryAfter?: number
  challenge?: Uint8Array
  envelopes?: MailboxEnvelope[]
  more?: boolean
  deleted?: number
  pushed?: MailboxEnvelope
  serverTime?: number
}

function envelopeToWire (e: MailboxEnvelope): StoredEnvelope {
  return { id: e.id, envelope: wire(e.envelope), expiresAt: e.expiresAt, kind: tokenKindToWire(e.kind) }
}

/** Encodes a response frame's body (the relay side). */
export function encodeResponse (res: MailboxResponseInit): Uint8Array {
  const msg: Response = {
    id: res.id,
    status: res.status as Status,
    message: res.message ?? '',
    retryAfter: res.retryAfter ?? 0,
    challenge: res.challenge != null ? wire(res.challenge) : new Uint8Array(0),
    envelopes: (res.envelopes ?? []).map(envelopeToWire),
    more: res.more ?? false,
    deleted: res.deleted ?? 0,
    serverTime: res.serverTime ?? 0
  }
  if (res.pushed != null) msg.pushed = envelopeToWire(res.pushed)
  return Response.encode(msg)
}

const CC = /^[A-Z]{2}$/
/** A web address a relay may publish: http(s), a host, an optional port, nothing after. */
export const WEB_URL = /^https?:\/\/[^/?#\s]+$/

/** Encodes a relay-info frame's body. */
export function encodeRelayInfo (info: RelayInfo): Uint8Array {
  return RelayInfoMessage.encode({
    operator: info.operator,
    contact: info.contact,
    jurisdiction: info.jurisdiction,
    retention: info.retentionSeconds,
    maxEnvelopeBytes: info.maxEnvelopeBytes,
    mailboxMaxEnvelopes: info.mailboxMaxEnvelopes,
    mailboxMaxBytes: info.mailboxMaxBytes,
    contactRate: info.contactRate,
    introductionRate: info.introductionRate,
    version: info.version,
    inviteOnly: info.inviteOnly === true,
    stunPort: info.stunPort ?? 0,
    webUrl: info.webUrl ?? ''
  })
}

/** Decodes and validates a relay-info frame. */
export function parseRelayInfo (data: Uint8Array | Uint8ArrayList): RelayInfo {
  const raw = decodeWith('relay info', data, MAX_RELAY_INFO_FRAME_BYTES, (d) => RelayInfoMessage.decode(d))
  if (!CC.test(raw.jurisdiction)) throw new InvalidInputError('relay jurisdiction is not an ISO 3166-1 alpha-2 code')
  if (raw.operator.length > 256 || raw.contact.length > 512 || raw.version.length > 64 || raw.webUrl.length > 512) throw new InvalidInputError('relay info text is too long')
  if (raw.webUrl !== '' && !WEB_URL.test(raw.webUrl)) throw new InvalidInputError('relay web address is not an http(s) URL')
  if (!Number.isSafeInteger(raw.mailboxMaxBytes)) throw new InvalidInputError('relay quota is out of range')
  return {
    operator: raw.operator,
    contact: raw.contact,
    jurisdiction: raw.jurisdiction,
    retentionSeconds: raw.retention,
    maxEnvelopeBytes: raw.maxEnvelopeBytes,
    mailboxMaxEnvelopes: raw.mailboxMaxEnvelopes,
    mailboxMaxBytes: raw.mailboxMaxBytes,
    contactRate: { burst: raw.contactRate?.burst ?? 0, perHour: raw.contactRate?.perHour ?? 0 },
    introductionRate: { burst: raw.introductionRate?.burst ?? 0, perHour: raw.introductionRate?.perHour ?? 0 },
    version: raw.version,
    // Left out when false, so that an open relay's info reads as before the field existed.
    ...(raw.inviteOnly ? { inviteOnly: true } : {}),
    ...(raw.stunPort > 0 && raw.stunPort < 65_536 ? { stunPort: raw.stunPort } : {}),
    ...(raw.webUrl !== '' ? { webUrl: raw.webUrl } : {})
  }
}
