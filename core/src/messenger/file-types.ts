// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The files of file messages, as the messenger's public contract shows them.
 */

/**
 * Where a file's chunks are. Outgoing: `waiting` (the recipient has not fetched them and no relay
 * holds them yet), `done` (the recipient or one of its relays holds them). Incoming: `waiting` (not
 * fetched: over the automatic download size, from a request, or nowhere to fetch from yet),
 * `transferring`, `done` (held here, encrypted, ready to save). `failed` (see `error`) and
 * `cancelled` either way. Sent to a group: `transferring` once one member (or their relay) holds
 * them, `done` once every member it was sent to does (or refused it), `failed` when all refused.
 */
export type FileState = 'waiting' | 'transferring' | 'done' | 'failed' | 'cancelled'

/**
 * Why a file is not moving, when it waits or was cancelled for a reason of its own: `size` (incoming,
 * over `Settings.autoDownloadBytes`: fetched once the user asks, `downloadFile` or `saveFile`),
 * `request` (incoming from a contact request: never fetched until it is accepted), `held`
 * (outgoing: the recipient, or in a group every member it has still to reach, keeps it for later
 * and asks for it when wanted), `sender` (incoming,
 * `cancelled`: its sender cancelled it).
 */
export type FileReason = 'size' | 'request' | 'held' | 'sender'

/** The file of a file message, as shown. */
export interface MessageFile {
  /** The file name the sender gave (untrusted text, no path). */
  name: string
  /** Its size in bytes. */
  size: number
  /** Its MIME type as the sender named it (untrusted). */
  mime: string
  /** Where its chunks are. */
  state: FileState
  /** The error's name when `state` is `failed` (`FileTooLargeError`, `QuotaExceededError`, …). */
  error?: string
  /** An image's thumbnail (JPEG, at most 16 KiB). */
  thumbnail?: Uint8Array
  /** Why it is not moving, when it says. */
  reason?: FileReason
}

/** What `saveFile` wrote. */
export interface SavedFile {
  /** The absolute path written. */
  path: string
  /** Bytes written. */
  size: number
  /** SHA-256 of what was written, hex. */
  sha256: string
}

/** Where a file's transfer is: the message, its state, bytes of `total` moved. */
export interface FileProgress {
  /** The message id. */
  id: string
  contactId: string
  state: FileState
  /** Bytes of the file held at the far end (outgoing; to a group, its size times the share of members that hold it) or here (incoming). */
  bytes: number
  /** The file's size. */
  total: number
  /** The error's name when `state` is `failed`. */
  error?: string
  /** Why it is not moving, when it says. */
  reason?: FileReason
}
