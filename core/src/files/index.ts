// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files: how a photo or document is sealed for travel, a chunk at a time, kept in chunk stores,
 * and moved on `/sotto/file/1.0.0` between peers and through relays.
 */
export {
  CHUNK_SIZE, FILE_ID_LENGTH, FILE_KEY_LENGTH, HASH_LENGTH, MAX_FILE_SIZE, MIN_PADDED_SIZE, TAG_LENGTH,
  checkChunkHashes, chunkCount, chunkHash, chunkMatches, newFileKeys, openChunk, paddedSize,
  plainChunkLength, rootOf, sealChunk, sealFile, sealedChunkLength
} from './chunks.js'
export type { FileSecrets } from './chunks.js'
export { FileIntegrityError } from '../errors.js'
export { ChunkStore, writeFileDurably } from './chunk-store.js'
export type { ChunkLayout } from './chunk-store.js'
export {
  FILE_OWNER_OP_CONTEXT, FILE_PROTOCOL, FileOp, FileStatus, HASHES_PER_FRAME, MAX_CHUNKS, MAX_FILE_FRAME_BYTES,
  MAX_PROTOCOL_CHUNK_SIZE, bitmapLength, countBits, fileFrameCodec, hasBit, setBit, signFileOwnerOp, verifyFileOwnerOp
} from './frames.js'
export type { FileFrame, FileOwnerOpData, SignedFileOwnerOp } from './frames.js'
export {
  deleteRemoteFile, fetchFile, fileFrames, handleFiles, openFrame, queryFile, readPlaintext, sealToStore, uploadFile
} from './protocol.js'
export type { FetchFileOptions, FileNode, OpenInit, FileSource, FileTarget, UploadOptions, UploadTarget } from './protocol.js'
export {
  COMMIT_EVERY, checkProtocolLayout, emptyBitmap, errorOf, haveOf, readHashes, receiveChunks, resumePoint, sendChunks, sendHashes,
  sendHeld
} from './transfer.js'
export type { ProgressListener, ReceiveOptions } from './transfer.js'
