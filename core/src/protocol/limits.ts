// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Protocol ids and size limits of Sotto's wire formats. docs/PROTOCOL.md explains each one.
 */

/** Direct delivery of envelopes between two peers. */
export const MESSAGE_PROTOCOL = '/sotto/message/1.0.0'

/** Bytes of an envelope id (and of the Content id that must equal it). */
export const ENVELOPE_ID_BYTES = 16

/** The sizes an encoded envelope may have, smallest first. */
export const ENVELOPE_BUCKETS: readonly number[] = Object.freeze([1024, 4096, 16384, 65536])

/** Largest encoded envelope (64 KiB): the largest bucket. */
export const MAX_ENVELOPE_BYTES = 65536

/**
 * Largest sealed ciphertext an envelope carries: 64 KiB less the id field (18 bytes), the sealed
 * field's tag and length (4 bytes) and the smallest padding field (2 bytes).
 */
export const MAX_SEALED_BYTES = MAX_ENVELOPE_BYTES - 24

/** Largest frame of {@link MESSAGE_PROTOCOL}: a Deliver frame around the largest envelope fits. */
export const MAX_MESSAGE_FRAME_BYTES = MAX_ENVELOPE_BYTES + 64

/** Longest reason text in a receipt, in Unicode code points. */
export const MAX_RECEIPT_REASON_LENGTH = 256

/** Every invite link starts with this. */
export const INVITE_LINK_PREFIX = 'sotto://invite/'

/**
 * The QR form of an invite starts with this: every character of it, and of the base45 after it,
 * is in the QR code's alphanumeric mode.
 */
export const INVITE_QR_PREFIX = 'SOTTO://INVITE/'

/** The invite card version this code writes and reads. */
export const INVITE_CARD_VERSION = 1

/**
 * Longest invite link or QR text accepted (12 KiB and 64 characters: the largest card fits in
 * either form), checked before anything is decoded.
 */
export const MAX_INVITE_LINK_LENGTH = 12 * 1024 + 64

/** Bytes of an invite card's one-time `inviteTag` and of `Content.inviteTag`. */
export const INVITE_TAG_BYTES = 16

/** Largest encoded SignedInviteCard (8 KiB), in a link or in Content.senderCard. */
export const MAX_SIGNED_INVITE_CARD_BYTES = 8 * 1024

/** Longest display name, in Unicode code points. */
export const MAX_NAME_LENGTH = 64

/** Most addresses in an invite card. */
export const MAX_CARD_ADDRS = 16

/** Most relays in an invite card. */
export const MAX_CARD_RELAYS = 8

/** Largest binary multiaddr in an invite card. */
export const MAX_MULTIADDR_BYTES = 256

/** Largest mailbox id and introduction token in an invite card. */
export const MAX_RELAY_FIELD_BYTES = 64

/** Largest serialized KEM public key in a bundle (Kyber1024 takes 1569). */
export const MAX_KEM_PUBLIC_KEY_BYTES = 2048

/** The identity key signs these bytes, one zero byte, then the encoded InviteCardBody. */
export const INVITE_CARD_SIGNATURE_CONTEXT = 'sotto-invite-card/1'

/** Longest text message, in Unicode code points. */
export const MAX_TEXT_LENGTH = 8000

/** Largest encoded Content, padding included (48 KiB: sealed, it still fits an envelope). */
export const MAX_CONTENT_BYTES = 48 * 1024

/** An encoded Content is padded to a multiple of this many bytes. */
export const CONTENT_PADDING_BLOCK = 256

/** Most envelope ids in one delivery receipt. */
export const MAX_RECEIPT_IDS = 256

/** Longest reaction, in Unicode code points (an emoji with skin tone and joiners fits). */
export const MAX_EMOJI_LENGTH = 16

/** Longest disappearing-messages timer: one year, in seconds. */
export const MAX_DISAPPEARING_SECONDS = 365 * 24 * 60 * 60

/** Longest file name in a file message, in Unicode code points. */
export const MAX_FILE_NAME_LENGTH = 255

/** Longest MIME type in a file message, in characters. */
export const MAX_MIME_LENGTH = 127

/** Largest thumbnail in a file message (16 KiB). */
export const MAX_THUMBNAIL_BYTES = 16 * 1024

/** Most signed changes one GroupUpdate carries (a longer log goes in several). */
export const MAX_GROUP_UPDATE_CHANGES = 64

/** Largest SignedGroupChange a GroupUpdate carries (groups/limits.ts's MAX_GROUP_CHANGE_BYTES). */
export const MAX_GROUP_UPDATE_CHANGE_BYTES = 12 * 1024

/** Largest sender key distribution message a SenderKey body carries. */
export const MAX_SENDER_KEY_BYTES = 256

/** Bytes of a group id. */
export const GROUP_ID_LENGTH = 16
