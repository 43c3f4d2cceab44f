// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about files: uploading a file's bytes from the renderer and sending it (see
 * file-uploads.ts for why bytes and not a path), and cancelling a file's transfer.
 */
import { FileTooLargeError } from '@sotto/core/errors'
import { messageView } from '../views.js'
import type { FileUploads } from './file-uploads.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'

/** What the file handlers use. */
export interface FileHandlersComponents extends MessengerComponents {
  /** Where uploads are kept until sent. */
  uploads: FileUploads
}

/** The handlers of the file calls. */
export function fileHandlers ({ messenger, uploads }: FileHandlersComponents): HandlerGroup<'startUpload' | 'uploadChunk' | 'sendUpload' | 'cancelUpload' | 'cancelFile'> {
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
    }
  }
}
