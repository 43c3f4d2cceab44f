// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import QRCode from 'qrcode'
import { MAX_DECODE_SIDE, decodeQrPixels, decodeSize } from '../../src/renderer/components/qr-decode.js'

/** RGBA pixels of the QR code of `text`: `scale` pixels a module, a quiet zone of four modules. */
function qrPixels (text: string, scale = 4, dark = 0, light = 255): { rgba: Uint8ClampedArray, side: number } {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const side = (code.modules.size + 8) * scale
  const rgba = new Uint8ClampedArray(side * side * 4).fill(light)
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const [mx, my] = [Math.floor(x / scale) - 4, Math.floor(y / scale) - 4]
      const on = mx >= 0 && my >= 0 && mx < code.modules.size && my < code.modules.size && code.modules.get(my, mx) !== 0
      if (on) rgba.fill(dark, (y * side + x) * 4, (y * side + x) * 4 + 3)
    }
  }
  return { rgba, side }
}

describe('reading QR codes in the renderer (jsQR)', () => {
  const short = 'sotto://s/AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wBH8AAAEGD6A#c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXktMTI'
  const relay = 'sotto://relay/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWGE8Fj24EPMF35MWsCNBfqiHpC5aGRRKjyQKQyzR9HbQi?operator=Hackerspace&jurisdiction=NL'

  it('reads a short link and a relay link, as drawn, and inverted (light on dark)', () => {
    for (const text of [short, relay]) {
      const { rgba, side } = qrPixels(text)
      assert.equal(decodeQrPixels(rgba, side, side), text)
      const inverted = qrPixels(text, 4, 255, 0)
      assert.equal(decodeQrPixels(inverted.rgba, inverted.side, inverted.side), text)
    }
  })

  it('reads nothing from an image without a code', () => {
    const side = 200
    assert.equal(decodeQrPixels(new Uint8ClampedArray(side * side * 4).fill(255), side, side), undefined)
  })

  it('scales large images down to the longest side it decodes, keeping the aspect', () => {
    assert.deepEqual(decodeSize(800, 600), { width: 800, height: 600 })
    assert.deepEqual(decodeSize(3840, 2160), { width: MAX_DECODE_SIDE, height: 900 })
    assert.deepEqual(decodeSize(0, 0), { width: 1, height: 1 })
  })
})
