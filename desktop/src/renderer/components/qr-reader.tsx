// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reads a QR code for the user: from an image file, from a screenshot pasted anywhere on the
 * screen, or from the camera — which is asked for only when the user presses "Scan", and
 * released as soon as a code is read or the user stops.
 */
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState } from 'react'
import { errorMessage } from '../client.js'
import { useClient } from './context.js'
import type { ReactNode } from 'react'

/** How often a camera frame is decoded, in ms: enough for a hand-held phone, light on the CPU. */
const FRAME_INTERVAL_MS = 150

/** The QR decoder, loaded when first needed: most sessions never read a QR code. */
const loadDecoder = async (): Promise<typeof import('./qr-decode.js')> => import('./qr-decode.js')

/** Decodes an image: drawn on a canvas and read with jsQR (where there is no canvas, another). */
export const QrImageDecoder = createContext<(image: Blob) => Promise<string | undefined>>(async image => (await loadDecoder()).decodeQrImage(image))

/** Props of {@link QrReader}. */
export interface QrReaderProps {
  /** What the code holds, in the labels ("invite", "relay link"). */
  what: string
  /** Called with the text read. */
  onText: (text: string) => void
  /**
   * Whether a text is this reader's kind; where two readers share a screen, a pasted screenshot
   * goes to the one whose kind it holds (default: every text).
   */
  accepts?: (text: string) => boolean
}

/** The camera view, while scanning. */
function CameraScan ({ onText, onClose }: { onText: (text: string) => void, onClose: () => void }): ReactNode {
  const client = useClient()
  const video = useRef<HTMLVideoElement>(null)
  const found = useRef(onText)
  found.current = onText
  const [error, setError] = useState<string>()
  useEffect(() => {
    let stream: MediaStream | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    const canvas = document.createElement('canvas')
    let decode: Awaited<ReturnType<typeof loadDecoder>>['decodeQrSource'] | undefined
    const tick = (): void => {
      const v = video.current
      const text = v != null && v.readyState >= 2 ? decode?.(v, v.videoWidth, v.videoHeight, canvas) : undefined
      if (text != null) found.current(text)
      else if (!stopped) timer = setTimeout(tick, FRAME_INTERVAL_MS)
    }
    const start = async (): Promise<void> => {
      // Electron grants the camera for this one request only; a browser asks the user itself.
      decode = (await loadDecoder()).decodeQrSource
      await client.requestCamera()
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      if (stopped || video.current == null) return
      video.current.srcObject = stream
      await video.current.play()
      tick()
    }
    start().catch(err => { if (!stopped) setError(`The camera is not available: ${errorMessage(err)}`) })
    return () => {
      stopped = true
      clearTimeout(timer)
      for (const track of stream?.getTracks() ?? []) track.stop()
    }
  }, [client])
  return (
    <div className='camera' role='group' aria-label='Camera'>
      <video ref={video} muted playsInline aria-label='Camera view' />
      <button type='button' onClick={onClose}>Stop scanning</button>
      {error != null && <p role='alert' className='error'>{error}</p>}
    </div>
  )
}

/** Reads a QR code from an image file, a pasted screenshot, or the camera. */
export function QrReader ({ what, onText, accepts }: QrReaderProps): ReactNode {
  const decodeImage = useContext(QrImageDecoder)
  const fileId = useId()
  const [error, setError] = useState<string>()
  const [scanning, setScanning] = useState(false)
  const read = useCallback(async (image: Blob, pasted = false): Promise<void> => {
    setError(undefined)
    try {
      const text = await decodeImage(image)
      if (text == null) setError('No QR code could be read in this image')
      else if (accepts == null || accepts(text)) onText(text)
      else if (!pasted) setError(`This QR code holds no ${what}`)
    } catch {
      setError('This image could not be read')
    }
  }, [decodeImage, onText, accepts, what])
  // A pasted screenshot, wherever the focus is; pasted text still goes to the fields.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent): void => {
      const image = [...(event.clipboardData?.files ?? [])].find(f => f.type.startsWith('image/'))
      if (image == null) return
      event.preventDefault()
      void read(image, true)
    }
    document.addEventListener('paste', onPaste)
    return () => { document.removeEventListener('paste', onPaste) }
  }, [read])
  return (
    <div className='qr-reader'>
      <div className='row'>
        <label htmlFor={fileId}>QR code image of the {what}</label>
        <input
          id={fileId} type='file' accept='image/*'
          onChange={e => {
            const file = e.target.files?.[0]
            e.target.value = ''
            if (file != null) void read(file)
          }}
        />
        <button type='button' onClick={() => { setScanning(true) }} disabled={scanning}>Scan</button>
      </div>
      <p className='hint'>Or paste a screenshot of the QR code, or scan it with the camera.</p>
      {scanning && <CameraScan onText={text => { setScanning(false); onText(text) }} onClose={() => { setScanning(false) }} />}
      {error != null && <p role='alert' className='error'>{error}</p>}
    </div>
  )
}
