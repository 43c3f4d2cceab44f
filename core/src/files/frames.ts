// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The frames of `/sotto/file/1.0.0`, checked as they are decoded: sizes, lengths and "exactly
 * one field set" are enforced here, so the protocol code sees only well-formed frames.
 */
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { InvalidInputError } from '../errors.js'
import { ed25519PublicKeyOf } from '../mailbox/keys.js'
import { FILE_ID_LENGTH, HASH_LENGTH, TAG_LENGTH } from './chunks.js'
import { FileFrame, FileOp, FileOwnerOp, FileStatus } from './file.js'
import type { FrameCodec } from '../protocol/index.js'
import type { PrivateKey } from '@libp2p/interface'

export { FileOp, FileStatus }
export type { FileFrame }

/** The protocol id. */
export const FILE_PROTOCOL = '/sotto/file/1.0.0'
/** Largest plaintext chunk the protocol carries. */
export const MAX_PROTOCOL_CHUNK_SIZE = 256 * 1024
/** Most chunks in one file (16 GiB at 64 KiB chunks); bounds the hash list and the bitmap. */
export const MAX_CHUNKS = 1 << 18
/** Most hashes in one Hashes frame (64 KiB of hashes). */
export const HASHES_PER_FRAME = 2048
/** Largest frame, read or written; checked on the length prefix, before decoding. */
export const MAX_FILE_FRAME_BYTES = MAX_PROTOCOL_CHUNK_SIZE + TAG_LENGTH + 1024
/** What an owner's signature covers first, so it can never pass for a mailbox operation. */
export const FILE_OWNER_OP_CONTEXT = 'sotto-file-op/1'

/** Frames of `/sotto/file/1.0.0`. */
export const fileFrameCodec: FrameCodec<FileFrame> = {
  encode: (frame) => FileFrame.encode(frame),
  decode: decodeFileFrame
}

function decodeFileFrame (bytes: Uint8Array): FileFrame {
  let frame: FileFrame
  try {
    frame = FileFrame.decode(bytes)
  } catch (err) {
    throw new InvalidInputError('file frame is not decodable', { cause: err })
  }
  const set = [frame.open, frame.have, frame.hashes, frame.chunk, frame.done, frame.received].filter(x => x != null).length
  if (set !== 1) throw new InvalidInputError('a file frame holds exactly one message')
  if (frame.open != null) {
    if (frame.open.fileId.byteLength !== FILE_ID_LENGTH) throw new InvalidInputError('a file id is 16 bytes')
    if (frame.open.op === FileOp.FILE_OP_UNSPECIFIED) throw new InvalidInputError('an Open names its op')
  }
  if (frame.have != null) {
    if (frame.have.count > MAX_CHUNKS || frame.have.bitmap.byteLength !== bitmapLength(frame.have.count)) {
      throw new InvalidInputError('a Have bitmap does not match its count')
    }
  }
  if (frame.hashes != null) {
    const n = frame.hashes.hashes.byteLength
    if (n === 0 || n % HASH_LENGTH !== 0 || n / HASH_LENGTH > HASHES_PER_FRAME) throw new InvalidInputError('a Hashes frame holds 1 to 2048 hashes')
  }
  if (frame.done != null && frame.done.status === FileStatus.FILE_STATUS_UNSPECIFIED) {
    throw new InvalidInputError('a Done frame has a status')
  }
  return frame
}

/** Bytes of a bitmap over `count` chunks. */
export function bitmapLength (count: number): number {
  return Math.ceil(count / 8)
}

/** Whether bit `i` is set. */
export function hasBit (bitmap: Uint8Array, i: number): boolean {
  return i >= 0 && i < bitmap.byteLength * 8 && ((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) !== 0
}

/** Sets bit `i`. */
export function setBit (bitmap: Uint8Array, i: number): void {
  bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7))
}

/** How many of the first `count` bits are set. */
export function countBits (bitmap: Uint8Array, count: number): number {
  let n = 0
  for (let i = 0; i < count; i++) if (hasBit(bitmap, i)) n++
  return n
}

/** What an owner signs to query, fetch or delete a blob at a relay. */
export interface FileOwnerOpData {
  op: FileOp.QUERY | FileOp.FETCH | FileOp.DELETE
  /** The relay's PeerId, multihash bytes. */
  relay: Uint8Array
  mailboxId: Uint8Array
  fileId: Uint8Array
  /** Milliseconds since the epoch. */
  timestamp: number
}

/** The fields of an Open frame that carry an owner's signature. */
export interface SignedFileOwnerOp {
  publicKey: Uint8Array
  ownerOp: Uint8Array
  signature: Uint8Array
}

function signingBytes (op: Uint8Array): Uint8Array {
  const context = new TextEncoder().encode(FILE_OWNER_OP_CONTEXT)
  const out = new Uint8Array(context.byteLength + 1 + op.byteLength)
  out.set(context)
  out.set(op, context.byteLength + 1)
  return out
}

/** Encodes and signs an owner's request with the mailbox key. */
export async function signFileOwnerOp (key: PrivateKey, op: FileOwnerOpData): Promise<SignedFileOwnerOp> {
  const ownerOp = FileOwnerOp.encode(op as Partial<FileOwnerOp>)
  return { publicKey: ed25519PublicKeyOf(key), ownerOp, signature: await key.sign(signingBytes(ownerOp)) }
}

/**
 * Checks an owner's signature and decodes what it signed; undefined when the signature or the
 * encoding is bad. Never throws for bad input.
 */
export async function verifyFileOwnerOp (signed: SignedFileOwnerOp): Promise<FileOwnerOpData | undefined> {
  try {
    if (!await publicKeyFromRaw(signed.publicKey).verify(signingBytes(signed.ownerOp), signed.signature)) return undefined
    const op = FileOwnerOp.decode(signed.ownerOp)
    if (op.op !== FileOp.QUERY && op.op !== FileOp.FETCH && op.op !== FileOp.DELETE) return undefined
    return { op: op.op, relay: op.relay, mailboxId: op.mailboxId, fileId: op.fileId, timestamp: op.timestamp }
  } catch {
    return undefined
  }
}
