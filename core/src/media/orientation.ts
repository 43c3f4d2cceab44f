// SPDX-License-Identifier: AGPL-3.0-only
/**
 * EXIF orientation: a camera stores a photo as its sensor saw it and says in tag 0x0112 how to turn
 * it. Re-encoding drops EXIF, so the turn is applied to the pixels first; otherwise a portrait photo
 * would arrive lying on its side.
 */

/** An image as pixels: RGBA, 4 bytes per pixel, row by row. */
export interface Pixels {
  width: number
  height: number
  data: Uint8Array
}

const ORIENTATION_TAG = 0x0112

/**
 * The orientation (1–8) an EXIF block names in its first IFD; 1 (as stored) when it names none or
 * cannot be read. `exif` is the APP1 payload after `Exif\0` (jpeg-js keeps one more zero byte).
 */
export function orientationOf (exif: Uint8Array | undefined): number {
  if (exif == null) return 1
  const tiff = exif[0] === 0 ? exif.subarray(1) : exif
  if (tiff.byteLength < 8) return 1
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength)
  const order = String.fromCharCode(tiff[0]!, tiff[1]!)
  if (order !== 'II' && order !== 'MM') return 1
  const little = order === 'II'
  if (view.getUint16(2, little) !== 42) return 1
  const ifd = view.getUint32(4, little)
  if (ifd + 2 > tiff.byteLength) return 1
  const count = view.getUint16(ifd, little)
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12
    if (at + 12 > tiff.byteLength) return 1
    if (view.getUint16(at, little) !== ORIENTATION_TAG) continue
    // A SHORT, stored left-justified in the value field.
    const value = view.getUint16(at + 8, little)
    return value >= 1 && value <= 8 ? value : 1
  }
  return 1
}

/** Where the pixel at (x, y) of a `w` × `h` image goes, for each orientation (EXIF 2.32, 4.6.4). */
const PLACES: Record<number, (x: number, y: number, w: number, h: number) => [number, number]> = {
  2: (x, y, w) => [w - 1 - x, y],
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y],
  4: (x, y, _w, h) => [x, h - 1 - y],
  5: (x, y) => [y, x],
  6: (x, y, _w, h) => [h - 1 - y, x],
  7: (x, y, w, h) => [h - 1 - y, w - 1 - x],
  8: (x, y, w) => [y, w - 1 - x]
}

/** The image turned and mirrored as `orientation` says, so that it shows upright with no tag. */
export function applyOrientation (image: Pixels, orientation: number): Pixels {
  const place = PLACES[orientation]
  if (place == null) return image
  const swap = orientation >= 5
  const width = swap ? image.height : image.width
  const height = swap ? image.width : image.height
  const data = new Uint8Array(image.data.byteLength)
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [tx, ty] = place(x, y, image.width, image.height)
      const s = (y * image.width + x) * 4
      data.set(image.data.subarray(s, s + 4), (ty * width + tx) * 4)
    }
  }
  return { width, height, data }
}
