// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a file message says of a file: its name (the last part of the path, made safe to show) and
 * its MIME type, named from the extension. Neither is trusted by the recipient.
 */
import { basename, extname } from 'node:path'
import { MAX_FILE_NAME_LENGTH } from '../protocol/index.js'

const TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.zip': 'application/zip',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
}

/** The MIME type of a file name, from its extension; `application/octet-stream` when unknown. */
export function mimeOf (name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The name a file travels under: the path's last part, control and bidi-override characters
 * replaced, at most {@link MAX_FILE_NAME_LENGTH} characters (the extension kept).
 */
export function fileNameOf (path: string): string {
  let name = [...basename(path).replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069\\/]/gu, '_')].join('')
  if (name === '' || name === '.' || name === '..') name = 'file'
  const chars = [...name]
  if (chars.length <= MAX_FILE_NAME_LENGTH) return name
  const ext = [...extname(name)].slice(0, 16)
  return chars.slice(0, MAX_FILE_NAME_LENGTH - ext.length).join('') + ext.join('')
}
