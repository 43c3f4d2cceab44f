// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Links a person passes on: short invite links (the card sealed at the owner's relay), relay
 * links, their QR codes, and `/sotto/link/1.0.0`, shared with `sotto-relay`.
 *
 * @packageDocumentation
 */

export * from './constants.js'
export { deleteLink, joinRelay, linkRequest, putLink, resolveShortLink } from './client.js'
export type { LinkNode, PutLinkInit } from './client.js'
export {
  decodeLinkOp, encodeLinkOp, encodeLinkRequest, encodeLinkResponse, linkOpSigningBytes, parseLinkRequest,
  parseLinkResponse, signLinkOp, verifyLinkOp
} from './frames.js'
export type { LinkOpData, LinkRequestData, LinkResponseData, LinkStatusName } from './frames.js'
export { decodeQrPng, qrPng, qrSvg, qrVersion, readQrPng, writeQrPng } from './qr.js'
export { decodeRelayLink, encodeRelayLink, isRelayLink, relayAddrOf } from './relay-link.js'
export type { RelayLink } from './relay-link.js'
export { decodeShortLink, encodeShortLink, isShortLink, newLinkSecrets, openCard, sealCard } from './short-link.js'
export type { ShortLink } from './short-link.js'
export { decodeInviteLink } from '../protocol/index.js'
