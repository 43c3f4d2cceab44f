// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A QR code drawn as SVG elements: no data URL, no markup strings.
 */
import QRCode from 'qrcode'
import { useMemo } from 'react'
import type { ReactNode } from 'react'

/** A QR code of `text`, or a note when the text is too long for one. */
export function QrCode ({ text, label }: { text: string, label: string }): ReactNode {
  const qr = useMemo(() => {
    try {
      const code = QRCode.create(text, { errorCorrectionLevel: 'L' })
      const size = code.modules.size
      let path = ''
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          if (code.modules.get(y, x) !== 0) path += `M${x + 4} ${y + 4}h1v1h-1z`
        }
      }
      return { size: size + 8, path }
    } catch {
      return undefined
    }
  }, [text])
  if (qr == null) return <p className='note'>This invite is too long for a QR code: share the link instead.</p>
  return (
    // At least three pixels a module: a camera reads a dense code only when it is drawn large.
    <svg className='qr-code' role='img' aria-label={label} viewBox={`0 0 ${qr.size} ${qr.size}`} width={Math.max(256, qr.size * 3)} height={Math.max(256, qr.size * 3)} shapeRendering='crispEdges'>
      <rect width={qr.size} height={qr.size} fill='#fff' />
      <path d={qr.path} fill='#000' />
    </svg>
  )
}
