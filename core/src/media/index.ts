// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Media: what is done to a photo before it is sent (metadata removed, a thumbnail made).
 */
export { MAX_IMAGE_MEGAPIXELS, cleanImage, isCleanable, thumbnailOf } from './images.js'
export type { CleanImage } from './images.js'
