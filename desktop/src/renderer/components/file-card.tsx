// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A file message in the chat: an image's thumbnail, the file's name, type and size, as the sender
 * gave them (untrusted text, shown as text), while it moves a progress bar with Cancel, Download for
 * a received file that waits for the user (over the automatic download size, or cancelled), why one
 * does not move (a request's, cancelled by its sender, held by the recipient), and once it is here
 * Save… and, for a photo, a click that opens the viewer.
 */
import { useState } from 'react'
import { useClient } from './context.js'
import { ImageViewer, safeName, saveFile, viewable } from './file-content.js'
import { PeerName } from './peer-text.js'
import { useAction } from './use-action.js'
import type { ReactNode } from 'react'
import type { FileReason, FileState, FileView, MessageView } from '../../shared/contract.js'

const UNITS = ['bytes', 'KB', 'MB', 'GB']

/** A size for people: 812 bytes, 1.5 MB (powers of 1024, one decimal from KB on). */
export function sizeLabel (bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${UNITS[unit]}`
}

/** What kind of file, in a word, from its MIME type. */
export function kindLabel (mime: string): string {
  if (mime.startsWith('image/')) return 'Photo'
  if (mime === 'application/pdf') return 'PDF'
  if (mime.startsWith('video/')) return 'Video'
  if (mime.startsWith('audio/')) return 'Audio'
  return 'File'
}

/** Why a file does not move, in words. */
const REASONS: Record<FileReason, string> = {
  size: 'Not downloaded: larger than your automatic download size',
  request: 'Not downloaded: accept the request to download it',
  held: 'Kept for later by the recipient',
  sender: 'Cancelled by sender'
}

/** Where a file is, in words, by direction (and why it does not move, when it says). */
export function fileStateLabel (direction: MessageView['direction'], state: FileState, error?: string, reason?: FileReason): string {
  if (reason != null) return REASONS[reason]
  switch (state) {
    case 'waiting': return direction === 'out' ? 'Waiting for the recipient' : 'Not downloaded yet'
    case 'transferring': return direction === 'out' ? 'Uploading' : 'Downloading'
    case 'done': return direction === 'out' ? 'Handed over' : 'Downloaded'
    case 'cancelled': return 'Cancelled'
    default: return error != null ? `Failed (${error})` : 'Failed'
  }
}

/** The transfer still runs (or waits to, unless it waits for a reason of its own). */
const moving = (file: FileView): boolean => (file.state === 'waiting' && file.reason == null) || file.state === 'transferring'

/** The transfer can be stopped: it runs, or the recipient keeps it for later. */
const cancellable = (file: FileView): boolean => moving(file) || (file.state === 'waiting' && file.reason === 'held')

/** A received file the user may download now: one over the automatic size, or cancelled or failed here. */
const downloadable = (message: MessageView, file: FileView): boolean =>
  message.direction === 'in' && (file.reason === 'size' || ((file.state === 'cancelled' || file.state === 'failed') && file.reason == null))

/** The file is here to open or save: sent from here, or downloaded. */
const here = (message: MessageView, file: FileView): boolean => message.direction === 'out' || file.state === 'done'

/** The card of a file message. */
export function FileCard ({ message, file }: { message: MessageView, file: FileView }): ReactNode {
  const client = useClient()
  const [viewing, setViewing] = useState(false)
  const cancel = useAction(async () => { await client.cancelFile({ messageId: message.id }) })
  const save = useAction(async () => { await saveFile(client, message.id, safeName(file.name, 'file')) })
  const download = useAction(async () => { await client.downloadFile({ messageId: message.id }) })
  const label = fileStateLabel(message.direction, file.state, file.error, file.reason)
  const open = here(message, file) && viewable(file)
  const thumbnail = file.thumbnail != null && <img className='file-thumbnail' src={`data:image/jpeg;base64,${file.thumbnail}`} alt={`Preview of ${file.name}`} />
  return (
    <div className='file-card' data-file-state={file.state}>
      {open ? <button type='button' className='file-open' onClick={() => { setViewing(true) }} aria-label={`Open ${file.name}`}>{thumbnail !== false ? thumbnail : 'Open'}</button> : thumbnail}
      <p className='message-file'>
        <span className='file-kind'>{kindLabel(file.mime)}</span>{' '}
        <span className='file-name'><PeerName name={file.name} /></span>{' '}
        <span className='file-size'>{sizeLabel(file.size)}</span>
      </p>
      <p className='file-state'>
        {moving(file) && <progress max={file.size} value={Math.min(file.bytes ?? 0, file.size)} aria-label={`Transfer of ${file.name}`} />}
        <span>{label}</span>
        {cancellable(file) && <button type='button' className='link' onClick={() => { void cancel.run() }} disabled={cancel.busy} aria-label={`Cancel ${file.name}`}>Cancel</button>}
        {downloadable(message, file) && <button type='button' className='link' onClick={() => { void download.run() }} disabled={download.busy} aria-label={`Download ${file.name}`}>Download</button>}
        {here(message, file) && <button type='button' className='link' onClick={() => { void save.run() }} disabled={save.busy} aria-label={`Save ${file.name}`}>Save…</button>}
      </p>
      {(cancel.error ?? save.error ?? download.error) != null && <p role='alert' className='error'>{cancel.error ?? save.error ?? download.error}</p>}
      {viewing && <ImageViewer client={client} messageId={message.id} file={file} onClose={() => { setViewing(false) }} />}
    </div>
  )
}
