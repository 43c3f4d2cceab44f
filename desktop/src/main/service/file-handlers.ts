// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about files: uploading a file's bytes from the renderer and sending it (see
 * file-uploads.ts for why bytes and not a path), cancelling a file's transfer, reading a file that
 * is here (file-readers.ts), downloading a received one into the encrypted store, and saving one
 * where the user chooses.
 */
import { FileTooLargeError } from '@sotto/core/errors'
import { messageView } from '../views.js'
import type { FileDownloads } from '../file-downloads.js'
import type { FileReaders } from './file-readers.js'
import type { FileUploads } from './file-uploads.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'

/** What the file handlers use. */
export interface FileHandlersComponents extends MessengerComponents {
  /** Where uploads are kept until sent. */
  uploads: FileUploads
  /** Reads decrypted files in pieces. */
  readers: FileReaders
  /** Hands a file to the browser as a one-time download URL, where there is no save dialog. */
  downloads: FileDownloads
  /**
   * Asks the user where to save a file (Electron's save dialog), suggesting `name`; `undefined` when
   * they chose nowhere. Absent in headless mode: the page downloads the file instead.
   */
  chooseSavePath?: (name: string) => Promise<string | undefined>
}

/** The handlers of the file calls. */
export function fileHandlers ({ messenger, uploads, readers, downloads, chooseSavePath }: FileHandlersComponents): HandlerGroup<'startUpload' | 'uploadChunk' | 'sendUpload' | 'cancelUpload' | 'cancelFile' | 'downloadFile' | 'readFile' | 'saveFile'> {
  return {
    startUpload: async ({ name, size }) => {
      const { maxFileBytes } = await messenger().settings()
      // Refused before a byte is written; the messenger checks again when it seals the file.
      if (size > maxFileBytes) throw new FileTooLargeError(`a file may have at most ${maxFileBytes} bytes; this one has ${size}`)
      return { uploadId: await uploads.start(name, size) }
    },
    uploadChunk: async ({ uploadId, offset, data }) => {
      return { received: await uploads.append(uploadId, offset, Buffer.from(data, 'base64')) }
    },
    sendUpload: async ({ uploadId, contactId }) => {
      const m = messenger()
      return messageView(await uploads.take(uploadId, async path => await m.sendFile(contactId, path)))
    },
    cancelUpload: async ({ uploadId }) => {
      await uploads.abort(uploadId)
      return null
    },
    cancelFile: async ({ messageId }) => {
      await messenger().cancelFile(messageId)
      return null
    },
    downloadFile: async ({ messageId }) => {
      await messenger().downloadFile(messageId)
      return null
    },
    readFile: async ({ messageId, offset }) => {
      const { bytes, done } = await readers.piece(messenger(), messageId, offset)
      return { data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), done }
    },
    saveFile: async ({ messageId, name }) => {
      const m = messenger()
      // The browser fetches it from the headless server, streamed (file-downloads.ts).
      if (chooseSavePath == null) return { outcome: 'download', url: downloads.issue({ name, read: () => m.readFile(messageId) }) }
      // The path comes from the system's dialog, never from the page.
      const path = await chooseSavePath(name)
      if (path == null) return { outcome: 'cancelled' }
      await m.saveFile(messageId, path)
      return { outcome: 'saved' }
    }
  }
}
