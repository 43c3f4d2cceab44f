// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test photos: a JPEG made with jpeg-js, with an EXIF segment holding GPS tags (latitude 52° 31'
 * 12.34" N) put in after its start marker, as a phone camera writes it; and one whose EXIF names
 * an orientation, its four quadrants of different colours.
 */
import jpeg from 'jpeg-js'

/** The GPS latitude as it is stored (52/1, 31/1, 1234/100): must not survive cleaning. */
export const GPS_LATITUDE = Buffer.from([0, 0, 0, 52, 0, 0, 0, 1, 0, 0, 0, 31, 0, 0, 0, 1, 0, 0, 4, 210, 0, 0, 0, 100])

function ifdEntry (tag: number, type: number, count: number, value: Buffer): Buffer {
  const out = Buffer.alloc(12)
  out.writeUInt16BE(tag, 0)
  out.writeUInt16BE(type, 2)
  out.writeUInt32BE(count, 4)
  value.copy(out, 8)
  return out
}

function u32 (n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

/** An APP1 EXIF segment with a GPS IFD (big-endian TIFF). */
export function gpsExif (): Buffer {
  const gpsIfdAt = 8 + 2 + 12 + 4
  const latitudeAt = gpsIfdAt + 2 + 2 * 12 + 4
  const tiff = Buffer.concat([
    Buffer.from('MM\x00\x2a', 'latin1'), u32(8),
    Buffer.from([0, 1]), ifdEntry(0x8825, 4, 1, u32(gpsIfdAt)), u32(0),
    Buffer.from([0, 2]), ifdEntry(0x0001, 2, 2, Buffer.from('N\x00\x00\x00', 'latin1')), ifdEntry(0x0002, 5, 3, u32(latitudeAt)), u32(0),
    GPS_LATITUDE
  ])
  const body = Buffer.concat([Buffer.from('Exif\x00\x00', 'latin1'), tiff])
  const header = Buffer.from([0xff, 0xe1, 0, 0])
  header.writeUInt16BE(body.length + 2, 2)
  return Buffer.concat([header, body])
}

/** A `width` × `height` JPEG (a colour gradient) carrying {@link gpsExif}. */
export function photoWithGps (width = 320, height = 240): Buffer {
  const data = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      data[i] = (x * 255 / width) | 0
      data[i + 1] = (y * 255 / height) | 0
      data[i + 2] = 128
      data[i + 3] = 255
    }
  }
  const plain = jpeg.encode({ data, width, height }, 90).data
  return Buffer.concat([plain.subarray(0, 2), gpsExif(), plain.subarray(2)])
}

/** The colours of the quadrants of {@link photoWithOrientation}, as stored: top left, top right, bottom left, bottom right. */
export const QUADRANTS = { red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255], white: [255, 255, 255] } as const

/** A 64 × 32 JPEG (red, green over blue, white) whose EXIF says `orientation`, in either byte order. */
export function photoWithOrientation (orientation: number, littleEndian: boolean): Buffer {
  const width = 64
  const height = 32
  const data = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = y < height / 2 ? (x < width / 2 ? QUADRANTS.red : QUADRANTS.green) : (x < width / 2 ? QUADRANTS.blue : QUADRANTS.white)
      data.set([...colour, 255], (y * width + x) * 4)
    }
  }
  const tiff = Buffer.alloc(8 + 2 + 12 + 4)
  const u16 = (n: number, at: number): void => { if (littleEndian) tiff.writeUInt16LE(n, at); else tiff.writeUInt16BE(n, at) }
  const u32at = (n: number, at: number): void => { if (littleEndian) tiff.writeUInt32LE(n, at); else tiff.writeUInt32BE(n, at) }
  tiff.write(littleEndian ? 'II' : 'MM', 0, 'latin1')
  u16(42, 2)
  u32at(8, 4)
  u16(1, 8)
  // Orientation: tag 0x0112, SHORT (3), count 1, the value left-justified.
  u16(0x0112, 10)
  u16(3, 12)
  u32at(1, 14)
  u16(orientation, 18)
  const body = Buffer.concat([Buffer.from('Exif\x00\x00', 'latin1'), tiff])
  const header = Buffer.from([0xff, 0xe1, 0, 0])
  header.writeUInt16BE(body.length + 2, 2)
  const plain = jpeg.encode({ data, width, height }, 95).data
  return Buffer.concat([plain.subarray(0, 2), header, body, plain.subarray(2)])
}
