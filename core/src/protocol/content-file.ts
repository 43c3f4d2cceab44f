// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The File body of a Content: the pointer to a file's sealed chunks, checked field by field. The
 * chunks themselves travel on `/sotto/file/1.0.0` (`core/src/files`). And the FileNotice body, by
 * which the two ends of a file's transfer tell each other it was cancelled, held or wanted.
 */
import { InvalidInputError } from '../errors.js'
import { FILE_ID_LENGTH, FILE_KEY_LENGTH, HASH_LENGTH, paddedSize } from '../files/chunks.js'
import { ENVELOPE_ID_BYTES, MAX_FILE_NAME_LENGTH, MAX_MIME_LENGTH, MAX_THUMBNAIL_BYTES } from './limits.js'
import { checkBytes, checkInteger, checkText, copyBytes, toSafeNumber, wireBytes } from './wire.js'
import * as pb from './sotto.js'
import type { ContentFile, ContentFileNotice } from './types.js'

/** Smallest and largest chunk a File body may name (what `/sotto/file/1.0.0` carries). */
const MIN_CHUNK_SIZE = 1024
const MAX_CHUNK_SIZE = 256 * 1024

/** The wire form of a File body. */
export function fileToWire (file: ContentFile): pb.Content.File {
  return {
    id: wireBytes(file.id),
    key: wireBytes(file.key),
    size: BigInt(file.size),
    paddedSize: BigInt(file.paddedSize),
    chunkSize: file.chunkSize,
    root: wireBytes(file.root),
    mime: file.mime,
    name: file.name,
    ...(file.thumbnail != null ? { thumbnail: wireBytes(file.thumbnail) } : {}),
    seq: BigInt(file.seq)
  }
}

/** A File body from its wire form (checked afterwards with {@link checkFileBody}). */
export function fileFromWire (raw: pb.Content.File): ContentFile {
  return {
    id: copyBytes(raw.id),
    key: copyBytes(raw.key),
    size: toSafeNumber(raw.size, 'content file size'),
    paddedSize: toSafeNumber(raw.paddedSize, 'content file paddedSize'),
    chunkSize: raw.chunkSize,
    root: copyBytes(raw.root),
    mime: raw.mime,
    name: raw.name,
    ...(raw.thumbnail != null ? { thumbnail: copyBytes(raw.thumbnail) } : {}),
    seq: toSafeNumber(raw.seq, 'content file seq')
  }
}

/** Throws InvalidInputError unless every field of a File body holds. */
export function checkFileBody (file: ContentFile): void {
  checkBytes(file.id, FILE_ID_LENGTH, FILE_ID_LENGTH, 'content file id')
  checkBytes(file.key, FILE_KEY_LENGTH, FILE_KEY_LENGTH, 'content file key')
  checkBytes(file.root, HASH_LENGTH, HASH_LENGTH, 'content file root')
  checkInteger(file.size, 0, Number.MAX_SAFE_INTEGER, 'content file size')
  checkInteger(file.chunkSize, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE, 'content file chunkSize')
  let padded: number
  try {
    padded = paddedSize(file.size)
  } catch (err) {
    throw new InvalidInputError('content file size: larger than a file may be', { cause: err })
  }
  if (file.paddedSize !== padded) throw new InvalidInputError('content file paddedSize: not the padding of its size')
  checkText(file.mime, MAX_MIME_LENGTH, 'content file mime', true)
  if (!/^[\x21-\x7e]*$/.test(file.mime)) throw new InvalidInputError('content file mime: printable ASCII without spaces')
  checkText(file.name, MAX_FILE_NAME_LENGTH, 'content file name', true)
  if (file.name.length === 0 || /[/\\]/.test(file.name) || file.name === '.' || file.name === '..') {
    throw new InvalidInputError('content file name: a name without a path')
  }
  if (file.thumbnail != null) checkBytes(file.thumbnail, 1, MAX_THUMBNAIL_BYTES, 'content file thumbnail')
  checkInteger(file.seq, 0, Number.MAX_SAFE_INTEGER, 'content file seq')
}

const NOTICE_KINDS = {
  cancelled: pb.Content.FileNotice.Kind.CANCELLED,
  held: pb.Content.FileNotice.Kind.HELD,
  wanted: pb.Content.FileNotice.Kind.WANTED
} as const

/** The wire form of a FileNotice body. */
export function fileNoticeToWire (notice: ContentFileNotice): pb.Content.FileNotice {
  return { target: wireBytes(notice.target), kind: NOTICE_KINDS[notice.kind] }
}

/** A FileNotice body from its wire form; `undefined` for a kind this version does not know (no body). */
export function fileNoticeFromWire (raw: pb.Content.FileNotice): ContentFileNotice | undefined {
  const kind = (Object.keys(NOTICE_KINDS) as Array<ContentFileNotice['kind']>).find(k => NOTICE_KINDS[k] === raw.kind)
  return kind != null ? { target: copyBytes(raw.target), kind } : undefined
}

/** Throws InvalidInputError unless a FileNotice body holds: a 16-byte target and a known kind. */
export function checkFileNotice (notice: ContentFileNotice): void {
  checkBytes(notice.target, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'content file notice target')
  if (!Object.hasOwn(NOTICE_KINDS, notice.kind)) throw new InvalidInputError('content file notice kind: cancelled, held or wanted')
}
