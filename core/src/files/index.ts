// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files: how a photo or document is sealed for travel, a chunk at a time.
 */
export {
  CHUNK_SIZE, FILE_ID_LENGTH, FILE_KEY_LENGTH, HASH_LENGTH, MAX_FILE_SIZE, MIN_PADDED_SIZE, TAG_LENGTH,
  checkChunkHashes, chunkCount, chunkHash, chunkMatches, newFileKeys, openChunk, paddedSize,
  plainChunkLength, rootOf, sealChunk, sealFile, sealedChunkLength
} from './chunks.js'
export type { FileSecrets } from './chunks.js'
