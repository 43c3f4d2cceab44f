// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The mailbox: Sotto's store-and-forward queue at a relay. The client (`createMailboxClient`) is
 * what the messenger uses; the codecs and constants are shared with `sotto-relay`.
 *
 * @packageDocumentation
 */

export * from './constants.js'
export { createMailboxClient } from './client.js'
export type { MailboxClient, MailboxClientOptions, MailboxNode, MailboxPage, MailboxReadOptions, MailboxSubscribeOptions, MailboxSubscription } from './client.js'
export {
  WEB_URL, decodeOwnerOp, encodeOwnerOp, encodeRelayInfo, encodeRequest, encodeResponse, parseRelayInfo,
  parseRequest, parseResponse, tokenKindFromWire, tokenKindToWire
} from './frames.js'
export type {
  DepositTokenKind, Freshness, MailboxEnvelope, MailboxRequest, MailboxResponse, MailboxResponseInit,
  MailboxStatus, OwnerAction, OwnerOpData, ParsedRequest, RateLimitInfo, RelayInfo
} from './frames.js'
export { FRAMED_STREAM_OPTIONS, frameStream } from '../protocol/index.js'
export type { FrameStream } from '../protocol/index.js'
export { encodeVarint, varintLength } from '../protocol/wire.js'
export { ed25519PublicKeyOf, generateDepositToken, generateMailboxKey, hashDepositToken, mailboxIdOf } from './keys.js'
export { ownerOpSigningBytes, signOwnerOp, verifyOwnerOp } from './owner-op.js'
export type { SignedOwnerOp } from './owner-op.js'
export { FORWARD_PROTOCOL, MAX_FORWARD_REQUEST_BYTES, checkForwardTarget, encodeForwardRequest, encodeForwardResponse, parseForwardRequest, parseForwardResponse } from './forward-frames.js'
export type { ForwardAnswer, ForwardDeposit, ForwardStatusName } from './forward-frames.js'
export { ForwardingClient, forwardDeposit } from './forward-client.js'
