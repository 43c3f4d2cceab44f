// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Protocol ids and limits of the mailbox protocol, shared by the client and the relay.
 */

/** The mailbox protocol: create, tokens, deposit, read, ack, subscribe, delete. */
export const MAILBOX_PROTOCOL = '/sotto/mailbox/1.0.0'

/** The relay's self-description: one {@link RelayInfo} frame, then the stream closes. */
export const RELAY_INFO_PROTOCOL = '/sotto/relay-info/1.0.0'

/** Largest envelope a relay accepts, in bytes (64 KiB). */
export const MAX_ENVELOPE_BYTES = 64 * 1024

/** Largest request frame: an envelope at the cap plus the deposit's other fields. */
export const MAX_REQUEST_FRAME_BYTES = MAX_ENVELOPE_BYTES + 1024

/** A read page holds envelopes up to about this many bytes (always at least one envelope). */
export const READ_PAGE_BYTES = 1024 * 1024

/** Largest response frame: a full read page, one more envelope, and framing. */
export const MAX_RESPONSE_FRAME_BYTES = READ_PAGE_BYTES + MAX_ENVELOPE_BYTES + 16 * 1024

/** Largest relay-info frame. */
export const MAX_RELAY_INFO_FRAME_BYTES = 4096

/** Most envelopes one read returns. */
export const MAX_READ_LIMIT = 1000

/** Envelopes a read returns when the request names no limit. */
export const DEFAULT_READ_LIMIT = 100

/** Most ids one ack may carry. */
export const MAX_ACK_IDS = 1000

/** Bytes of a deposit token. */
export const DEPOSIT_TOKEN_BYTES = 32

/** Bytes of a mailbox id (SHA-256 of the mailbox public key). */
export const MAILBOX_ID_BYTES = 32

/** Bytes of a relay challenge. */
export const CHALLENGE_BYTES = 32

/** A signed timestamp is accepted this many milliseconds either side of the relay's clock. */
export const AUTH_WINDOW_MS = 60_000

/** A challenge is valid this long after the relay issued it, and once. */
export const CHALLENGE_TTL_MS = 60_000

/** Largest encoded OwnerOp. */
export const MAX_OWNER_OP_BYTES = 16 * 1024

/** The bytes an owner signs are these, one zero byte, then the encoded OwnerOp. */
export const OWNER_OP_CONTEXT = 'sotto-mailbox-op/1'
