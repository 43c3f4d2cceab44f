// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Sotto's wire formats: invite cards and links, envelopes, Content, the frames of
 * `/sotto/message/1.0.0`, and length-prefixed framing on libp2p streams. docs/PROTOCOL.md is the
 * specification. The rest of `core` uses these functions and types, never the generated protobuf
 * code.
 *
 * Every decoder checks the input's size before decoding and every field after, and throws only
 * InvalidInputError or its subclasses (TooLargeError, BadSignatureError) on bad input.
 */
export { decodeContent, encodeContent } from './content.js'
export { decodeEnvelope, encodeEnvelope, newEnvelopeId } from './envelope.js'
export { frames, messageFrameCodec } from './frames.js'
export type { FrameCodec, Frames, FramesOptions } from './frames.js'
export { FRAMED_STREAM_OPTIONS, frameStream } from './framing.js'
export type { FrameStream } from './framing.js'
export {
  decodeInviteLink, decodeRelayAddr, encodeInviteCardBody, encodeInviteLink, encodeInviteQr, encodeRelayAddr,
  signInviteCard, verifySignedInviteCard
} from './invite-card.js'
export {
  CONTENT_PADDING_BLOCK, ENVELOPE_BUCKETS, ENVELOPE_ID_BYTES, INVITE_CARD_SIGNATURE_CONTEXT,
  INVITE_CARD_VERSION, INVITE_LINK_PREFIX, INVITE_QR_PREFIX, MAX_CARD_ADDRS, MAX_CARD_RELAYS, MAX_CONTENT_BYTES,
  MAX_DISAPPEARING_SECONDS, MAX_EMOJI_LENGTH, MAX_ENVELOPE_BYTES, MAX_INVITE_LINK_LENGTH, MAX_MESSAGE_FRAME_BYTES,
  MAX_NAME_LENGTH, MAX_RECEIPT_IDS, MAX_RECEIPT_REASON_LENGTH, MAX_SEALED_BYTES,
  MAX_SIGNED_INVITE_CARD_BYTES, MAX_TEXT_LENGTH, MESSAGE_PROTOCOL
} from './limits.js'
export { MAX_FILE_NAME_LENGTH, MAX_MIME_LENGTH, MAX_THUMBNAIL_BYTES } from './limits.js'
export { decodeMessageFrame, encodeMessageFrame } from './message-frame.js'
export { MAX_INSTALLATION, MOVED_SIGNATURE_CONTEXT, movedSigningInput } from './moved.js'
export type {
  Content, ContentDelete, ContentDeliveryReceipt, ContentDisappearingTimer, ContentEdit, ContentFile, ContentGroupJoin, ContentGroupText, ContentGroupUpdate, ContentMoved, ContentReaction, ContentReadReceipt,
  ContentResendRequest, ContentSenderKey, ContentText, ContentTokens, ContentTyping, DeliverFrame, Envelope,
  InviteCard, InviteRelay, MessageFrame, PreKeyBundleData, ReceiptFrame, ReceiptStatus, RelayToken
} from './types.js'
