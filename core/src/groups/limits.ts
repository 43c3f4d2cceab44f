// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Limits of group membership. docs/PROTOCOL.md ("Groups") explains each one.
 */

/** Most members a group may have; a creator may choose fewer, never more. */
export const MAX_GROUP_MEMBERS = 100

/** Bytes of a group id. */
export const GROUP_ID_BYTES = 16

/**
 * Largest encoded SignedGroupChange: an added member's card (at most 8 KiB) with its token, the
 * change's other fields and its signature fit in 12 KiB.
 */
export const MAX_GROUP_CHANGE_BYTES = 12 * 1024

/** Largest per-group deposit token. */
export const MAX_GROUP_DEPOSIT_TOKEN_BYTES = 64

/**
 * Most parent change ids one change names: the heads of its author's log. More than a handful
 * means that many admins changed the group at once without seeing each other.
 */
export const MAX_GROUP_CHANGE_PARENTS = 32

/** Most changes a log holds while waiting for their parents to arrive. */
export const MAX_PENDING_GROUP_CHANGES = 256

/** The author's identity key signs these bytes, one zero byte, then the encoded GroupChangeBody. */
export const GROUP_CHANGE_SIGNATURE_CONTEXT = 'sotto-group-change/1'
