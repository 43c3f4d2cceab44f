// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reading QR codes in the renderer with jsQR (pure JavaScript, no network, no native code): from
 * RGBA pixels, from an image (a file or a pasted screenshot), or from a video frame.
 */
import jsQRModule from 'jsqr'

type Decoder = typeof jsQRModule.default

// A CommonJS module whose types describe its `default` export: bundlers hand over the function,
// Node the module object holding it.
const jsQR: Decoder = typeof jsQRModule === 'function' ? jsQRModule as unknown as Decoder : jsQRModule.default

/**
 * Longest side an image is scaled down to before decoding: a full-screen screenshot at 4K takes
 * jsQR seconds, and a QR code shown by an app is still hundreds of pixels wide at this size.
 */
export const MAX_DECODE_SIDE = 1600

/** The text of the QR code in RGBA pixels, or undefined when none is read. */
export function decodeQrPixels (rgba: Uint8ClampedArray, width: number, height: number): string | undefined {
  const code = jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' })
  return code?.data === '' ? undefined : code?.data
}

/** The size to draw an image of `width` × `height` at, scaled down to {@link MAX_DECODE_SIDE}. */
export function decodeSize (width: number, height: number): { width: number, height: number } {
  const scale = Math.min(1, MAX_DECODE_SIDE / Math.max(width, height, 1))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** Draws a source (image bitmap or video frame) on a canvas and reads a QR code from its pixels. */
export function decodeQrSource (source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement = document.createElement('canvas')): string | undefined {
  const size = decodeSize(width, height)
  canvas.width = size.width
  canvas.height = size.height
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (context == null) return undefined
  // A white background: a transparent PNG's QR code would otherwise read as black on black.
  context.fillStyle = '#fff'
  context.fillRect(0, 0, size.width, size.height)
  context.drawImage(source, 0, 0, size.width, size.height)
  return decodeQrPixels(context.getImageData(0, 0, size.width, size.height).data, size.width, size.height)
}

/** Reads a QR code from an image file or a pasted image; undefined when none is read. */
export async function decodeQrImage (image: Blob): Promise<string | undefined> {
  const bitmap = await createImageBitmap(image)
  try {
    return decodeQrSource(bitmap, bitmap.width, bitmap.height)
  } finally {
    bitmap.close()
  }
}
