// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The files part of the IPC contract (joined into `contract.ts`): a file message's file and its
 * transfer, as the renderer sees them.
 */
import type { FileProgress, FileReason, FileState } from '@sotto/core'

/** The file of a file message: what the sender said of it (untrusted text). */
export interface FileView {
  /** The file name, no path. */
  name: string
  /** Its size in bytes. */
  size: number
  /** Its MIME type. */
  mime: string
  /** Where its chunks are (see `FileProgressView`). */
  state: FileState
  /** The error's name when `state` is `failed`. */
  error?: string
  /** An image's thumbnail: a JPEG of at most 16 KiB, base64. */
  thumbnail?: string
  /** Bytes moved so far (the far end's for outgoing, here for incoming), once a `file` event said. */
  bytes?: number
  /** Why it is not moving, when it says (`size`: waits for Download; `request`: accept first; `held`: the recipient keeps it for later; `sender`: cancelled by its sender). */
  reason?: FileReason
}

/**
 * A file's transfer moved. Outgoing: `waiting` until the recipient or one of its relays holds the
 * chunks, then `done`. Incoming: `waiting`, `transferring`, `done` (here, encrypted, ready to save).
 * `failed` and `cancelled` either way.
 */
export type FileProgressView = Pick<FileProgress, 'id' | 'contactId' | 'state' | 'bytes' | 'total' | 'error' | 'reason'>
