// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a messenger keeps of the files its messages carry: the file's secrets and what to show,
 * inside the message record (so they are encrypted at rest with it), and an index by file id
 * (`['file', fileId]` → {@link FileRef}) to serve a file's chunks, resume its transfer after a
 * restart and remove its chunks once its message is gone.
 */
import { z } from 'zod'
import { paddedSize } from '../files/chunks.js'
import { toHex } from '../util/index.js'
import type { ContentFile } from '../protocol/types.js'
import type { Key, StoreReader } from '../storage/types.js'
import type { FileReason, FileState, MessageFile } from './types.js'

/** The file of a message record. */
export interface FileRecord {
  /** The file id (16 bytes). */
  id: Uint8Array
  /** The AES-256-GCM key: it never leaves the encrypted store except inside a File body. */
  key: Uint8Array
  size: number
  chunkSize: number
  /** SHA-256 over the chunk hashes. */
  root: Uint8Array
  mime: string
  name: string
  thumbnail?: Uint8Array
  state: FileState
  /** The error's name when `state` is `failed`. */
  error?: string
  /** Why it is not moving, when it says (see {@link FileReason}). */
  reason?: FileReason
  /** Sent to a group: the members whose copy is placed (they fetched it, or one of their relays holds it). */
  placed?: string[]
  /** Sent to a group: the members who asked it held until their user wants it. */
  heldBy?: string[]
  /** Sent to a group: the members none of whose relays took it (too large, no room). */
  missedBy?: string[]
}

/** A file's entry in the index: whose message it is. */
export interface FileRef {
  /** The file id, hex: also the name of its chunk store's directory. */
  fileId: string
  messageId: string
  contactId: string
  direction: 'in' | 'out'
}

const bytes = z.instanceof(Uint8Array)

/** {@link FileRecord}. */
export const fileRecordSchema: z.ZodType<FileRecord> = z.looseObject({
  id: bytes,
  key: bytes,
  size: z.number(),
  chunkSize: z.number(),
  root: bytes,
  mime: z.string(),
  name: z.string(),
  thumbnail: bytes.optional(),
  state: z.enum(['waiting', 'transferring', 'done', 'failed', 'cancelled']),
  error: z.string().optional(),
  reason: z.enum(['size', 'request', 'held', 'sender']).optional(),
  placed: z.array(z.string()).optional(),
  heldBy: z.array(z.string()).optional(),
  missedBy: z.array(z.string()).optional()
})

/** {@link FileRef}. */
export const fileRefSchema: z.ZodType<FileRef> = z.looseObject({
  fileId: z.string(),
  messageId: z.string(),
  contactId: z.string(),
  direction: z.enum(['in', 'out'])
})

/** The key of a file's index entry. */
export function fileKey (fileId: string): Key {
  return ['file', fileId]
}

/** The prefix of every file's index entry. */
export function fileKeys (): Key {
  return ['file']
}

/** The File body that carries `file` as the sender's `seq`-th message. */
export function contentFileOf (file: FileRecord, seq: number): ContentFile {
  return {
    id: file.id,
    key: file.key,
    size: file.size,
    paddedSize: paddedSize(file.size),
    chunkSize: file.chunkSize,
    root: file.root,
    mime: file.mime,
    name: file.name,
    ...(file.thumbnail != null ? { thumbnail: file.thumbnail } : {}),
    seq
  }
}

/** The record of a file received in a File body: not fetched yet. */
export function fileRecordOf (body: ContentFile): FileRecord {
  return {
    id: body.id,
    key: body.key,
    size: body.size,
    chunkSize: body.chunkSize,
    root: body.root,
    mime: body.mime,
    name: body.name,
    ...(body.thumbnail != null ? { thumbnail: body.thumbnail } : {}),
    state: 'waiting'
  }
}

/** The index entry of a message's file. */
export function fileRefOf (message: { id: string, contactId: string, direction: 'in' | 'out', file: FileRecord }): FileRef {
  return { fileId: toHex(message.file.id), messageId: message.id, contactId: message.contactId, direction: message.direction }
}

/** What a message's file shows: never its key, id or root. */
export function publicFile (file: FileRecord): MessageFile {
  return {
    name: file.name,
    size: file.size,
    mime: file.mime,
    state: file.state,
    ...(file.error != null ? { error: file.error } : {}),
    ...(file.reason != null ? { reason: file.reason } : {}),
    ...(file.thumbnail != null ? { thumbnail: file.thumbnail } : {})
  }
}

/**
 * Whether a file of id `fileId` is indexed here already. A pointer that names it again is refused:
 * whoever sent it could otherwise take over that file's index entry, and with a `CANCELLED` notice
 * have its chunks removed.
 */
export async function fileIdTaken (tx: StoreReader, files: { get(id: string, reader: StoreReader): Promise<unknown> }, fileId: Uint8Array): Promise<boolean> {
  return (await files.get(toHex(fileId), tx)) != null
}
