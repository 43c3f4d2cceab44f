// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The client side of `/sotto/link/1.0.0`: store, read and delete short links at a relay, and join
 * an invite-only relay. One stream per request: links are read once and refreshed rarely.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  InvalidInputError, InviteLinkExpiredError, InviteLinkRevokedError, JoinCodeRequiredError, ProtocolError,
  QuotaExceededError, RateLimitedError, RelayRequestError, TooLargeError, UnauthorizedError
} from '../errors.js'
import { mailboxIdOf } from '../mailbox/keys.js'
import { frameStream } from '../protocol/index.js'
import { INVITE_LINK_PREFIX } from '../protocol/limits.js'
import { dialTwice } from '../util/index.js'
import { LINK_PROTOCOL, MAX_LINK_FRAME_BYTES } from './constants.js'
import { encodeLinkRequest, parseLinkResponse, signLinkOp } from './frames.js'
import { decodeShortLink, openCard } from './short-link.js'
import type { LinkOpData, LinkRequestData, LinkResponseData } from './frames.js'
import type { AbortOptions, Libp2p, PrivateKey } from '@libp2p/interface'

/** The part of a libp2p node the link client uses. */
export type LinkNode = Pick<Libp2p, 'dialProtocol'>

/** How long one request waits by default. */
const REQUEST_TIMEOUT_MS = 10_000

/** Sends one request to the relay at `relay` and reads its answer. */
export async function linkRequest (node: LinkNode, relay: string, request: LinkRequestData, options: AbortOptions = {}): Promise<LinkResponseData> {
  const signal = AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(options.signal != null ? [options.signal] : [])])
  // Dialled once more after a failed dial (see util/redial.ts): nothing was sent yet.
  const stream = await dialTwice(async () => node.dialProtocol(multiaddr(relay), LINK_PROTOCOL, { signal }), signal)
  try {
    const frames = frameStream(stream, MAX_LINK_FRAME_BYTES)
    await frames.write(encodeLinkRequest(request), { signal })
    const frame = await frames.read({ signal })
    if (frame == null) throw new ProtocolError('the relay closed the link stream without answering')
    const response = parseLinkResponse(frame.subarray())
    await stream.close({ signal }).catch(() => {})
    return response
  } catch (err) {
    stream.abort(err as Error)
    if (err instanceof InvalidInputError) throw new ProtocolError('the relay sent a malformed link response', { cause: err })
    throw err
  }
}

/** What {@link putLink} stores. */
export interface PutLinkInit {
  linkId: Uint8Array
  /** The sealed card ({@link sealCard}). */
  sealed: Uint8Array
  /** Seconds to keep it; the relay may keep it for less. */
  ttl: number
}

/**
 * Stores (or replaces) a sealed card under a link id at the relay where `mailboxKey` owns a
 * mailbox. Resolves to the link's expiry (ms since the epoch) as the relay set it.
 */
export async function putLink (node: LinkNode, relay: string, mailboxKey: PrivateKey, init: PutLinkInit, options: AbortOptions = {}): Promise<number> {
  const response = await ownerCall(node, relay, mailboxKey, { kind: 'put', linkId: init.linkId, ttl: init.ttl, sealed: init.sealed }, options)
  return response.expiresAt
}

/** Deletes a link: from then on the relay answers that it was revoked. */
export async function deleteLink (node: LinkNode, relay: string, mailboxKey: PrivateKey, linkId: Uint8Array, options: AbortOptions = {}): Promise<void> {
  await ownerCall(node, relay, mailboxKey, { kind: 'delete', linkId, ttl: 0, sealed: new Uint8Array(0) }, options)
}

/**
 * Reads a short link's card from its relay and opens it: the long invite link
 * (`sotto://invite/…`), to verify as any other.
 *
 * @throws InviteLinkRevokedError, InviteLinkExpiredError; InvalidInputError for a malformed link
 * or a card that does not open
 */
export async function resolveShortLink (node: LinkNode, text: string, options: AbortOptions = {}): Promise<string> {
  const link = decodeShortLink(text)
  const response = await linkRequest(node, link.relay, { type: 'get', linkId: link.linkId }, options)
  if (response.status === 'REVOKED') throw new InviteLinkRevokedError('this invite link was revoked by its owner: ask them for a new one')
  if (response.status === 'NOT_FOUND') throw new InviteLinkExpiredError('this invite link has expired or never existed: ask its owner for a new one')
  check(response)
  if (response.sealed == null) throw new ProtocolError('the relay answered a link lookup without the card')
  const card = openCard(response.sealed, link.linkId, link.key)
  return INVITE_LINK_PREFIX + Buffer.from(card).toString('base64url')
}

/**
 * Asks an invite-only relay to admit the mailbox of `mailboxKey` with a join code; the mailbox
 * may then be created.
 *
 * @throws JoinCodeRequiredError when the relay refuses the code
 */
export async function joinRelay (node: LinkNode, relay: string, mailboxKey: PrivateKey, code: string, options: AbortOptions = {}): Promise<void> {
  const response = await linkRequest(node, relay, { type: 'join', mailboxId: mailboxIdOf(mailboxKey), code }, options)
  if (response.status === 'UNAUTHORIZED') throw new JoinCodeRequiredError('the relay refused this join code: ask its operator for a valid one')
  check(response)
}

async function ownerCall (node: LinkNode, relay: string, mailboxKey: PrivateKey, op: Pick<LinkOpData, 'kind' | 'linkId' | 'ttl' | 'sealed'>, options: AbortOptions): Promise<LinkResponseData> {
  const relayId = peerIdFromString(multiaddr(relay).getComponents().findLast(c => c.name === 'p2p')?.value ?? '')
  const call = async (timestamp: number): Promise<LinkResponseData> => linkRequest(node, relay, await signLinkOp(mailboxKey, {
    ...op, relay: relayId.toMultihash().bytes, mailboxId: mailboxIdOf(mailboxKey), timestamp
  }), options)
  let response = await call(Date.now())
  // Our clock is off: sign again with the relay's.
  if (response.status === 'STALE_AUTH' && response.serverTime > 0) response = await call(response.serverTime)
  check(response)
  return response
}

function check (response: LinkResponseData): void {
  const reason = response.message === '' ? response.status : response.message
  switch (response.status) {
    case 'OK': return
    case 'UNAUTHORIZED': throw new UnauthorizedError(`relay: ${reason}`)
    case 'QUOTA': throw new QuotaExceededError(`relay: ${reason}`)
    case 'RATE_LIMITED': throw new RateLimitedError(`relay: ${reason}`, response.retryAfter)
    case 'TOO_LARGE': throw new TooLargeError(`relay: ${reason}`)
    default: throw new RelayRequestError(`relay: ${reason}`, response.status)
  }
}
