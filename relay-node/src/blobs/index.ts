// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Blobs: a file's sealed chunks held at the recipient's relay until the recipient fetches them.
 */

export { BlobService } from './service.js'
export type { BlobServiceComponents } from './service.js'
export { BlobStore, sealedBytesOf } from './store.js'
export type { BlobLimits } from './store.js'
