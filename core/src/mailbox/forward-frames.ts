// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Frames of `/sotto/forward/1.0.0` (forwarded deposits): a user who hides their IP address hands an
 * envelope for a contact's relay to their own relay, which deposits it there in its own name. One
 * request frame, one response frame. Decoders check the size first and every field after; bad input
 * throws {@link InvalidInputError} (or {@link TooLargeError}) and nothing else.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { InvalidInputError, TooLargeError } from '../errors.js'
import { DEPOSIT_TOKEN_BYTES, MAILBOX_ID_BYTES, MAX_ENVELOPE_BYTES } from './constants.js'
import { ForwardRequest, ForwardResponse, ForwardStatus } from './forward.js'
import type { Uint8ArrayList } from 'uint8arraylist'

/** The protocol of forwarded deposits. */
export const FORWARD_PROTOCOL = '/sotto/forward/1.0.0'

/** Longest target relay address accepted, in bytes. */
export const MAX_FORWARD_RELAY_BYTES = 512

/** Largest request frame: an envelope at the cap, the relay address and the other fields. */
export const MAX_FORWARD_REQUEST_BYTES = MAX_ENVELOPE_BYTES + MAX_FORWARD_RELAY_BYTES + 256

/** Largest response frame. */
export const MAX_FORWARD_RESPONSE_BYTES = 1024

/** A validated forward request. */
export interface ForwardDeposit {
  /** The target relay: a multiaddr ending in /p2p/<PeerId>, not a circuit. */
  relay: string
  /** The contact's mailbox at the target relay. */
  mailboxId: Uint8Array
  /** The deposit token the target relay checks (this relay only passes it on). */
  token: Uint8Array
  /** The sealed envelope, as it would be deposited directly. */
  envelope: Uint8Array
  /** Seconds the target relay should keep it (0: its retention), as in a direct deposit. */
  ttl: number
}

/** A forward answer's status, as named on the wire (without the `FORWARD_` prefix). */
export type ForwardStatusName = 'OK' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'TOO_LARGE' | 'QUOTA' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'INTERNAL' | 'NOT_A_USER' | 'UNREACHABLE'

/** A validated forward answer. */
export interface ForwardAnswer {
  /** How the forward ended. */
  status: ForwardStatusName
  /** Why, for a person reading logs; empty with OK. */
  message: string
  /** Milliseconds; set with RATE_LIMITED. */
  retryAfter: number
}

const STATUS_NAMES: Record<ForwardStatusName, ForwardStatus> = {
  OK: ForwardStatus.FORWARD_OK,
  BAD_REQUEST: ForwardStatus.FORWARD_BAD_REQUEST,
  UNAUTHORIZED: ForwardStatus.FORWARD_UNAUTHORIZED,
  TOO_LARGE: ForwardStatus.FORWARD_TOO_LARGE,
  QUOTA: ForwardStatus.FORWARD_QUOTA,
  RATE_LIMITED: ForwardStatus.FORWARD_RATE_LIMITED,
  UNAVAILABLE: ForwardStatus.FORWARD_UNAVAILABLE,
  INTERNAL: ForwardStatus.FORWARD_INTERNAL,
  NOT_A_USER: ForwardStatus.FORWARD_NOT_A_USER,
  UNREACHABLE: ForwardStatus.FORWARD_UNREACHABLE
}

function decode<T> (what: string, data: Uint8Array | Uint8ArrayList, max: number, decoder: (d: Uint8Array | Uint8ArrayList) => T): T {
  if (data.byteLength > max) throw new TooLargeError(`${what} of ${data.byteLength} bytes exceeds ${max}`)
  try {
    return decoder(data)
  } catch (err) {
    throw new InvalidInputError(`${what} does not decode`, { cause: err })
  }
}

/** Checks that `relay` names a relay directly: a multiaddr ending in /p2p/<PeerId>, no circuit. */
export function checkForwardTarget (relay: string): void {
  if (relay.length === 0 || Buffer.byteLength(relay) > MAX_FORWARD_RELAY_BYTES) throw new InvalidInputError('the target relay address is empty or too long')
  let components
  try {
    components = multiaddr(relay).getComponents()
  } catch (err) {
    throw new InvalidInputError('the target relay address is not a multiaddr', { cause: err })
  }
  if (components.at(-1)?.name !== 'p2p') throw new InvalidInputError('the target relay address must end in /p2p/<PeerId>')
  if (components.some(c => c.name === 'p2p-circuit')) throw new InvalidInputError('the target relay address must not be a circuit')
}

/** Decodes and validates a request frame's body. */
export function parseForwardRequest (data: Uint8Array | Uint8ArrayList): ForwardDeposit {
  const raw = decode('forward request', data, MAX_FORWARD_REQUEST_BYTES, d => ForwardRequest.decode(d))
  checkForwardTarget(raw.relay)
  if (raw.mailboxId.byteLength !== MAILBOX_ID_BYTES) throw new InvalidInputError(`mailbox id must be ${MAILBOX_ID_BYTES} bytes`)
  if (raw.token.byteLength !== DEPOSIT_TOKEN_BYTES) throw new InvalidInputError(`token must be ${DEPOSIT_TOKEN_BYTES} bytes`)
  if (raw.envelope.byteLength > MAX_ENVELOPE_BYTES) throw new TooLargeError(`envelope of ${raw.envelope.byteLength} bytes exceeds ${MAX_ENVELOPE_BYTES}`)
  if (raw.envelope.byteLength === 0) throw new InvalidInputError('envelope is empty')
  return { relay: raw.relay, mailboxId: raw.mailboxId, token: raw.token, envelope: raw.envelope, ttl: raw.ttl }
}

/** Encodes a request frame's body (the caller adds the length prefix). */
export function encodeForwardRequest (request: ForwardDeposit): Uint8Array {
  return ForwardRequest.encode({
    relay: request.relay,
    mailboxId: request.mailboxId as Uint8Array<ArrayBuffer>,
    token: request.token as Uint8Array<ArrayBuffer>,
    envelope: request.envelope as Uint8Array<ArrayBuffer>,
    ttl: request.ttl
  })
}

/** Decodes and validates a response frame's body. */
export function parseForwardResponse (data: Uint8Array | Uint8ArrayList): ForwardAnswer {
  const raw = decode('forward response', data, MAX_FORWARD_RESPONSE_BYTES, d => ForwardResponse.decode(d))
  const status = (Object.keys(STATUS_NAMES) as ForwardStatusName[]).find(k => STATUS_NAMES[k] === raw.status)
  if (status == null) throw new InvalidInputError('forward response has no known status')
  return { status, message: raw.message, retryAfter: raw.retryAfter }
}

/** Encodes a response frame's body. */
export function encodeForwardResponse (answer: Partial<ForwardAnswer> & Pick<ForwardAnswer, 'status'>): Uint8Array {
  return ForwardResponse.encode({ status: STATUS_NAMES[answer.status], message: answer.message ?? '', retryAfter: answer.retryAfter ?? 0 })
}
