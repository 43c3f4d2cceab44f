// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Photos before they are sent: decoded and encoded again, so that nothing but the pixels travels
 * (EXIF with the place a photo was taken, the camera's serial number, XMP, comments, text chunks),
 * and a small JPEG thumbnail for the message. Pure JavaScript (jpeg-js, pngjs): nothing native to
 * build, the same in Node and Electron.
 *
 * JPEG and PNG are re-encoded; a JPEG at quality 90, turned upright first as its EXIF orientation
 * says (the tag goes with the rest). Other image types are not touched here.
 */
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { InvalidInputError } from '../errors.js'
import { MAX_THUMBNAIL_BYTES } from '../protocol/index.js'
import { applyOrientation, orientationOf } from './orientation.js'
import type { Pixels } from './orientation.js'

/** Largest image decoded, in megapixels (a 100 MP photo takes 400 MB of RGBA while it is re-encoded). */
export const MAX_IMAGE_MEGAPIXELS = 100

/** Longest side of a thumbnail, in pixels. */
const THUMBNAIL_SIDE = 192

/** What {@link cleanImage} makes of an image. */
export interface CleanImage {
  /** The image encoded again, with no metadata. */
  bytes: Uint8Array
  /** Its MIME type (the same as the original's). */
  mime: string
  /** A JPEG of at most {@link MAX_THUMBNAIL_BYTES}. */
  thumbnail: Uint8Array
}

/** Whether {@link cleanImage} re-encodes images of this MIME type. */
export function isCleanable (mime: string): boolean {
  return mime === 'image/jpeg' || mime === 'image/png'
}

function decode (bytes: Uint8Array, mime: string): Pixels {
  try {
    if (mime === 'image/jpeg') {
      // jpeg-js returns the EXIF block (`exifBuffer`), which its typings leave out.
      const decoded: { width: number, height: number, data: Uint8Array, exifBuffer?: Uint8Array } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_MEGAPIXELS, maxMemoryUsageInMB: 4 * MAX_IMAGE_MEGAPIXELS + 64 })
      const { width, height, data, exifBuffer } = decoded
      // Only the pixels, upright: jpeg-js hands back the EXIF and comments too, and its encoder writes them.
      return applyOrientation({ width, height, data }, orientationOf(exifBuffer))
    }
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    if (png.width * png.height > MAX_IMAGE_MEGAPIXELS * 1e6) throw new InvalidInputError('the image is too large')
    return { width: png.width, height: png.height, data: png.data }
  } catch (err) {
    throw new InvalidInputError(`the image cannot be read to remove its metadata: ${(err as Error).message}`, { cause: err })
  }
}

function encode (pixels: Pixels, mime: string, quality = 90): Uint8Array {
  if (mime === 'image/jpeg') return new Uint8Array(jpeg.encode({ width: pixels.width, height: pixels.height, data: pixels.data }, quality).data)
  const png = new PNG({ width: pixels.width, height: pixels.height })
  png.data = Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength)
  return new Uint8Array(PNG.sync.write(png))
}

/** Scales an image down so that its longer side is at most `side` (an area average: no aliasing). */
function shrink (image: Pixels, side: number): Pixels {
  const scale = Math.min(1, side / Math.max(image.width, image.height))
  const width = Math.max(1, Math.round(image.width * scale))
  const height = Math.max(1, Math.round(image.height * scale))
  const sums = new Float64Array(width * height * 4)
  const counts = new Float64Array(width * height)
  for (let y = 0; y < image.height; y++) {
    const ty = Math.min(height - 1, Math.floor(y * height / image.height))
    for (let x = 0; x < image.width; x++) {
      const t = ty * width + Math.min(width - 1, Math.floor(x * width / image.width))
      const s = (y * image.width + x) * 4
      for (let c = 0; c < 4; c++) sums[t * 4 + c]! += image.data[s + c]!
      counts[t]!++
    }
  }
  const data = new Uint8Array(width * height * 4)
  for (let t = 0; t < width * height; t++) {
    for (let c = 0; c < 4; c++) data[t * 4 + c] = Math.round(sums[t * 4 + c]! / counts[t]!)
  }
  return { width, height, data }
}

/** A JPEG thumbnail of at most {@link MAX_THUMBNAIL_BYTES}: smaller and coarser until it fits. */
export function thumbnailOf (image: Pixels): Uint8Array {
  for (let side = THUMBNAIL_SIDE; side >= 16; side = Math.floor(side * 0.75)) {
    const small = shrink(image, side)
    for (const quality of [70, 50, 30]) {
      const bytes = encode(small, 'image/jpeg', quality)
      if (bytes.byteLength <= MAX_THUMBNAIL_BYTES) return bytes
    }
  }
  throw new InvalidInputError('no thumbnail of the image fits in 16 KiB')
}

/**
 * Decodes a JPEG or PNG and encodes it again with no metadata, and makes its thumbnail. Throws
 * InvalidInputError for an image it cannot read (it is then not sent: it might carry a location).
 */
export function cleanImage (bytes: Uint8Array, mime: string): CleanImage {
  if (!isCleanable(mime)) throw new InvalidInputError(`${mime} images are not re-encoded`)
  const pixels = decode(bytes, mime)
  return { bytes: encode(pixels, mime), mime, thumbnail: thumbnailOf(pixels) }
}
