// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A file message in the chat: the file's name, type and size, as the sender gave them (untrusted
 * text, shown as text).
 */
import { PeerName } from './peer-text.js'
import type { ReactNode } from 'react'
import type { FileView } from '../../shared/contract.js'

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

/** The card of a file message. */
export function FileCard ({ file }: { file: FileView }): ReactNode {
  return (
    <p className='message-file'>
      <span className='file-kind'>{kindLabel(file.mime)}</span>{' '}
      <span className='file-name'><PeerName name={file.name} /></span>{' '}
      <span className='file-size'>{sizeLabel(file.size)}</span>
    </p>
  )
}
