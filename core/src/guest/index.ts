// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Guest links: the link, the sealing and the frames shared by the seller's app and the guest's
 * browser page (docs/PROTOCOL.md, "Guest links"). Nothing here imports Node built-ins.
 *
 * @packageDocumentation
 */
export { fixedBase64url, fromBase64url, hex, randomBytes, toBase64url } from './codec.js'
export { GUEST_LINK_ID_BYTES, GUEST_RESUME_BYTES, MAX_GUEST_LABEL_LENGTH, MAX_GUEST_LINK_LENGTH, decodeGuestLink, encodeGuestLink } from './link.js'
export type { GuestLink } from './link.js'
export { GUEST_PADDING_BLOCK, MAX_GUEST_SEALED_BYTES, generateGuestKeyPair, openGuestMessage, sealGuestMessage } from './seal.js'
export type { GuestDirection, GuestKeyPair } from './seal.js'
export {
  GUEST_PROTOCOL, MAX_GUEST_FRAME_BYTES, MAX_GUEST_TEXT_LENGTH, encodeGuestAnswer, encodeGuestDelivery, guestMessageJson,
  parseGuestAnswer, parseGuestDelivery, parseGuestMessage, parseGuestReply
} from './messages.js'
export type { GuestAnswer, GuestDelivery, GuestMessage, GuestReply, GuestReturn, GuestStatus } from './messages.js'
// What the guest page needs of the mailbox, from the files themselves rather than the mailbox's
// door: that door also opens the protocol codecs, which need libsignal (no browser build).
export { createMailboxClient } from '../mailbox/client.js'
export type { MailboxClient, MailboxSubscription } from '../mailbox/client.js'
export { mailboxIdOf } from '../mailbox/keys.js'
export { frameStream } from '../protocol/framing.js'
