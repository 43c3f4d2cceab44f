// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Protocol ids and limits of short invite links and relay links. A short link fits in 200
 * characters, so its QR code is version 10 or lower at error correction M (213 bytes).
 */

/** Short links and joining an invite-only relay: one request frame, one response, then close. */
export const LINK_PROTOCOL = '/sotto/link/1.0.0'

/** What a short invite link starts with. */
export const SHORT_LINK_PREFIX = 'sotto://s/'

/** What a relay link starts with. */
export const RELAY_LINK_PREFIX = 'sotto://relay/'

/** The first byte of a short link's payload. */
export const SHORT_LINK_VERSION = 1

/** Longest short link, in characters. */
export const MAX_SHORT_LINK_LENGTH = 200

/** Longest relay link, in characters. */
export const MAX_RELAY_LINK_LENGTH = 2048

/** Bytes of a link id: random, chosen by the owner. */
export const LINK_ID_BYTES = 16

/** Bytes of the key that seals the card: random, carried by the link alone. */
export const LINK_KEY_BYTES = 32

/** Longest address hint (the relay's multiaddr without /p2p), in bytes. */
export const MAX_ADDRESS_HINT_BYTES = 56

/** Sealed cards are padded to a multiple of this, so their size says little about the card. */
export const SEALED_CARD_PADDING = 512

/** Largest sealed card: a SignedInviteCard at its cap, padded, with nonce and tag. */
export const MAX_SEALED_CARD_BYTES = 9216

/** Largest request and response frames of {@link LINK_PROTOCOL}. */
export const MAX_LINK_FRAME_BYTES = MAX_SEALED_CARD_BYTES + 1024

/** The bytes a mailbox key signs are these, one zero byte, then the encoded LinkOp. */
export const LINK_OP_CONTEXT = 'sotto-link-op/1'

/** Additional data of the card's encryption: these, one zero byte, then the link id. */
export const SEALED_CARD_CONTEXT = 'sotto-short-link/1'

/** A signed timestamp is accepted this many milliseconds either side of the relay's clock. */
export const LINK_AUTH_WINDOW_MS = 60_000

/** Longest join code, in characters. */
export const MAX_JOIN_CODE_LENGTH = 128
