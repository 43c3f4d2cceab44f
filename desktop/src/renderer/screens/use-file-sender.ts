// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Sending files from the chat: picked with the attach button, dropped on the conversation, or
 * pasted. The page has a `File`, not a path the main side could trust (and in headless mode it runs
 * in a browser elsewhere), so its bytes travel in pieces of `UPLOAD_CHUNK_BYTES`, in order, one at
 * a time, and the main side sends the file once all are there. Files go one after the other.
 */
import { useCallback, useRef, useState } from 'react'
import { useClient } from '../components/context.js'
import { errorMessage } from '../client.js'
import { safeName, toBase64 } from '../components/file-content.js'
import { UPLOAD_CHUNK_BYTES } from '../../shared/contract.js'
import type { MessageView } from '../../shared/contract.js'
import type { SottoClient } from '../client.js'

/** A file on its way to the main side. */
export interface Upload {
  /** The file's name. */
  name: string
  /** Bytes handed over. */
  received: number
  /** Its size. */
  size: number
}

/** What {@link useFileSender} returns. */
export interface FileSender {
  /** Sends files, one after the other. */
  send: (files: readonly File[]) => void
  /** The file being handed over, if any. */
  upload: Upload | undefined
  /** Why the last file could not be sent. */
  error: string | undefined
  /** Stops handing over the file being handed over (the others queued still go). */
  cancel: () => void
}

/** A name the contract takes for a file (a pasted image may have none at all). */
export function uploadName (file: File): string {
  return safeName(file.name, file.type === 'image/png' ? 'pasted.png' : file.type === 'image/jpeg' ? 'pasted.jpg' : 'file')
}

/** Hands one file to the main side and sends it to `contactId`; cancels the upload if anything fails. */
export async function sendFile (client: SottoClient, contactId: string, file: File, onProgress: (received: number) => void, signal?: AbortSignal): Promise<MessageView> {
  if (file.size === 0) throw new Error(`${uploadName(file)} is empty`)
  const { uploadId } = await client.startUpload({ name: uploadName(file), size: file.size })
  try {
    for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
      signal?.throwIfAborted()
      const piece = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer())
      const { received } = await client.uploadChunk({ uploadId, offset, data: toBase64(piece) })
      onProgress(received)
    }
    return await client.sendUpload({ uploadId, contactId })
  } catch (err) {
    await client.cancelUpload({ uploadId }).catch(() => {})
    throw err
  }
}

/** Sends files to `contactId`, reporting each sent message to `onSent`. */
export function useFileSender (contactId: string, onSent: (message: MessageView) => void): FileSender {
  const client = useClient()
  const [upload, setUpload] = useState<Upload>()
  const [error, setError] = useState<string>()
  const queue = useRef<Promise<void>>(Promise.resolve())
  const current = useRef<AbortController>(undefined)
  const send = useCallback((files: readonly File[]) => {
    setError(undefined)
    for (const file of files) {
      queue.current = queue.current.then(async () => {
        const controller = new AbortController()
        current.current = controller
        setUpload({ name: file.name, received: 0, size: file.size })
        try {
          onSent(await sendFile(client, contactId, file, received => { setUpload({ name: file.name, received, size: file.size }) }, controller.signal))
        } catch (err) {
          if (!controller.signal.aborted) setError(`${uploadName(file)} could not be sent: ${errorMessage(err)}`)
        } finally {
          setUpload(undefined)
        }
      })
    }
  }, [client, contactId, onSent])
  const cancel = useCallback(() => { current.current?.abort() }, [])
  return { send, upload, error, cancel }
}
