// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A file that is here, opened or saved: a photo is read (decrypted by the main side, in memory) and
 * shown in a viewer as a `data:` image; "Save…" asks the main side, which shows the system's save
 * dialog in Electron, or gives the page a one-time URL the browser downloads it from (headless).
 */
import { useEffect, useState } from 'react'
import { errorMessage } from '../client.js'
import { Dialog } from './dialog.js'
import { PeerName } from './peer-text.js'
import type { ReactNode } from 'react'
import type { FileView } from '../../shared/contract.js'
import type { SottoClient } from '../client.js'

/** Largest photo the viewer opens, in bytes. */
export const VIEW_MAX_BYTES = 25 * 1024 * 1024

/** Image types the viewer shows (what the page's CSP and the browser can draw safely as `<img>`). */
const VIEWABLE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

/** The file can be opened in the viewer. */
export function viewable (file: FileView): boolean {
  return VIEWABLE.has(file.mime) && file.size <= VIEW_MAX_BYTES
}

/** Bytes from base64. */
function fromBase64 (text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Reads a file that is here, whole, in the pieces the main side hands out. */
export async function readWhole (client: SottoClient, messageId: string, maxBytes: number): Promise<Array<Uint8Array<ArrayBuffer>>> {
  const pieces: Array<Uint8Array<ArrayBuffer>> = []
  let offset = 0
  for (let done = false; !done;) {
    const piece = await client.readFile({ messageId, offset })
    const bytes = fromBase64(piece.data)
    offset += bytes.byteLength
    if (offset > maxBytes) throw new Error('The file is larger than it said')
    pieces.push(bytes)
    done = piece.done
  }
  return pieces
}

/**
 * Saves a file where the user chooses: the system's dialog, or the browser's download from a
 * one-time URL of the page's server, which streams it (nothing of it is held in the page).
 */
export async function saveFile (client: SottoClient, messageId: string, name: string): Promise<void> {
  const saved = await client.saveFile({ messageId, name })
  if (saved.outcome !== 'download') return
  const link = document.createElement('a')
  link.href = saved.url
  link.download = name
  link.click()
}

/** Base64 of bytes (the contract carries bytes as text, as JSON over a WebSocket must). */
export function toBase64 (bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.byteLength; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

/** A name the contract takes: no path or control characters; `fallback` when nothing is left. */
export function safeName (name: string, fallback: string): string {
  const safe = name.replace(/[/\\\p{Cc}]/gu, '_').slice(0, 255)
  return safe === '' || safe === '.' || safe === '..' ? fallback : safe
}

/** A `data:` URL of the bytes. */
function toDataUrl (mime: string, pieces: Uint8Array[]): string {
  const all = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const piece of pieces) {
    all.set(piece, at)
    at += piece.byteLength
  }
  return `data:${mime};base64,${toBase64(all)}`
}

/** The viewer: the full photo, decrypted into memory for as long as it is open. */
export function ImageViewer ({ client, messageId, file, onClose }: { client: SottoClient, messageId: string, file: FileView, onClose: () => void }): ReactNode {
  const [src, setSrc] = useState<string>()
  const [error, setError] = useState<string>()
  useEffect(() => {
    let live = true
    readWhole(client, messageId, Math.min(file.size, VIEW_MAX_BYTES))
      .then(pieces => { if (live) setSrc(toDataUrl(file.mime, pieces)) })
      .catch(err => { if (live) setError(errorMessage(err)) })
    return () => { live = false }
  }, [client, messageId, file])
  return (
    <Dialog title={`Photo: ${file.name}`} onClose={onClose}>
      <div className='dialog-body image-viewer'>
        {src != null ? <img src={src} alt={file.name} /> : error == null && <p aria-busy='true'>Opening <PeerName name={file.name} />…</p>}
        {error != null && <p role='alert' className='error'>{error}</p>}
      </div>
      <div className='dialog-actions'>
        <button type='button' onClick={onClose}>Close</button>
      </div>
    </Dialog>
  )
}
