// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Photos are re-encoded without metadata before they are sent, with a thumbnail of at most 16 KiB,
 * turned upright first as their EXIF orientation says.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { InvalidInputError } from '../../src/errors.js'
import { cleanImage } from '../../src/media/index.js'
import { GPS_LATITUDE, QUADRANTS, photoWithGps, photoWithOrientation } from './exif.js'

const APP1 = Buffer.from([0xff, 0xe1])

describe('images', () => {
  it('a JPEG with GPS tags comes out with no EXIF, the same size in pixels, and a thumbnail', () => {
    const photo = photoWithGps()
    assert.ok(photo.includes('Exif') && photo.includes(GPS_LATITUDE) && photo.includes(APP1), 'the test photo carries GPS tags')
    const clean = cleanImage(photo, 'image/jpeg')
    const out = Buffer.from(clean.bytes)
    assert.ok(!out.includes('Exif'), 'no EXIF header')
    assert.ok(!out.includes(GPS_LATITUDE), 'no GPS latitude')
    assert.ok(!out.includes(APP1), 'no APP1 segment at all')
    const decoded = jpeg.decode(out, { useTArray: true })
    assert.deepEqual([decoded.width, decoded.height], [320, 240])
    assert.ok(clean.thumbnail.byteLength <= 16 * 1024 && clean.thumbnail[0] === 0xff && clean.thumbnail[1] === 0xd8)
    const thumb = jpeg.decode(clean.thumbnail, { useTArray: true })
    assert.ok(Math.max(thumb.width, thumb.height) <= 192)
  })

  it('a PNG with a text chunk comes out without it', () => {
    const png = new PNG({ width: 40, height: 30 })
    png.data.fill(200)
    const written = PNG.sync.write(png)
    // A tEXt chunk before IEND: "Comment" = "GPS 52.52N".
    const text = Buffer.from('Comment\x00GPS 52.52N', 'latin1')
    const chunk = Buffer.alloc(12 + text.length)
    chunk.writeUInt32BE(text.length, 0)
    chunk.write('tEXt', 4, 'latin1')
    text.copy(chunk, 8)
    const withText = Buffer.concat([written.subarray(0, written.length - 12), chunk, written.subarray(written.length - 12)])
    assert.ok(withText.includes('GPS 52.52N'))
    const clean = Buffer.from(cleanImage(withText, 'image/png').bytes)
    assert.ok(!clean.includes('GPS 52.52N') && !clean.includes('tEXt'))
    assert.deepEqual([PNG.sync.read(clean).width, PNG.sync.read(clean).height], [40, 30])
  })

  it('turns a photo upright as its EXIF orientation says before the tag is dropped', () => {
    const { red, green, blue, white } = QUADRANTS
    // Orientation → size and quadrant colours (top left, top right, bottom left, bottom right) shown.
    const shown: Array<[number, [number, number], Array<readonly number[]>]> = [
      [1, [64, 32], [red, green, blue, white]],
      [2, [64, 32], [green, red, white, blue]],
      [3, [64, 32], [white, blue, green, red]],
      [4, [64, 32], [blue, white, red, green]],
      [5, [32, 64], [red, blue, green, white]],
      [6, [32, 64], [blue, red, white, green]],
      [7, [32, 64], [white, green, blue, red]],
      [8, [32, 64], [green, white, red, blue]],
      [9, [64, 32], [red, green, blue, white]]
    ]
    for (const littleEndian of [false, true]) {
      for (const [orientation, size, colours] of shown) {
        const clean = cleanImage(photoWithOrientation(orientation, littleEndian), 'image/jpeg')
        const out = jpeg.decode(Buffer.from(clean.bytes), { useTArray: true })
        const what = `orientation ${orientation}, ${littleEndian ? 'II' : 'MM'}`
        assert.deepEqual([out.width, out.height], size, what)
        const [w, h] = size
        const at = (x: number, y: number): number[] => [...out.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 3)]
        const got = [at(w / 4, h / 4), at(3 * w / 4, h / 4), at(w / 4, 3 * h / 4), at(3 * w / 4, 3 * h / 4)]
        got.forEach((c, i) => { assert.ok(c.every((v, j) => Math.abs(v - colours[i]![j]!) < 24), `${what}: quadrant ${i} is ${c.join(',')}`) })
        assert.ok(!Buffer.from(clean.bytes).includes('Exif'), 'the tag is gone with the rest')
        const thumb = jpeg.decode(Buffer.from(clean.thumbnail), { useTArray: true })
        assert.equal(thumb.width > thumb.height, size[0] > size[1], `${what}: the thumbnail is upright too`)
      }
    }
  })

  it('refuses an image it cannot read rather than sending it as it is', () => {
    assert.throws(() => cleanImage(Buffer.from('not a jpeg at all'), 'image/jpeg'), InvalidInputError)
    assert.throws(() => cleanImage(Buffer.from('GIF89a'), 'image/gif'), InvalidInputError)
  })
})
