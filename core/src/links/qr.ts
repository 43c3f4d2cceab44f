// SPDX-License-Identifier: AGPL-3.0-only
/**
 * QR codes of links, as PNG images, and reading them back. Error correction M (15% of the code
 * may be lost): a short link of 200 characters fits version 10 (57×57 modules), which phone
 * cameras read off a screen; the long invite link needed version 40.
 */
import { readFile, writeFile } from 'node:fs/promises'
import jsqr from 'jsqr'
import { PNG } from 'pngjs'
import QRCode from 'qrcode'
import { InvalidInputError } from '../errors.js'

/** Error correction of Sotto's QR codes. */
const ERROR_CORRECTION = 'M'
/** Largest PNG read, in bytes: a screenshot, not a film. */
const MAX_PNG_BYTES = 32 * 1024 * 1024
// jsqr is CommonJS with `exports.default`: Node hands its whole exports object over as the default.
const jsQR = jsqr.default

/** The QR code version (1–40) that holds `text`. */
export function qrVersion (text: string): number {
  return QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION }).version
}

/** A PNG image of the QR code of `text`, 8 pixels a module with the standard quiet zone. */
export async function qrPng (text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { errorCorrectionLevel: ERROR_CORRECTION, type: 'png', scale: 8, margin: 4 })
}

/** An SVG image of the QR code of `text` (for web pages). */
export async function qrSvg (text: string): Promise<string> {
  return QRCode.toString(text, { errorCorrectionLevel: ERROR_CORRECTION, type: 'svg', margin: 4 })
}

/** Writes the QR code of `text` as a PNG file; resolves to its version. */
export async function writeQrPng (text: string, file: string): Promise<number> {
  await writeFile(file, await qrPng(text))
  return qrVersion(text)
}

/**
 * Reads the text of the QR code in a PNG image.
 *
 * @throws InvalidInputError when the file is no PNG, or holds no QR code that decodes
 */
export function decodeQrPng (png: Uint8Array): string {
  if (png.byteLength > MAX_PNG_BYTES) throw new InvalidInputError('QR image: larger than 32 MiB')
  let image: PNG
  try {
    image = PNG.sync.read(Buffer.from(png))
  } catch (err) {
    throw new InvalidInputError('QR image: not a PNG file', { cause: err })
  }
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height)
  if (code == null) throw new InvalidInputError('QR image: no QR code found')
  return code.data
}

/** Reads the text of the QR code in a PNG file. */
export async function readQrPng (file: string): Promise<string> {
  return decodeQrPng(await readFile(file))
}
