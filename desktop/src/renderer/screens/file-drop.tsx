// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files dropped on a conversation, and the line that shows a file being handed over.
 */
import { useState } from 'react'
import { PeerName } from '../components/peer-text.js'
import type { DragEvent, ReactNode } from 'react'
import type { FileSender } from './use-file-sender.js'

/** The handlers that make an element take dropped files, and whether files are dragged over it. */
export interface FileDrop {
  /** Files are dragged over the element now. */
  over: boolean
  /** Props for the element. */
  props: {
    onDragOver: (event: DragEvent) => void
    onDragLeave: (event: DragEvent) => void
    onDrop: (event: DragEvent) => void
  }
}

const carriesFiles = (event: DragEvent): boolean => event.dataTransfer.types.includes('Files')

/** Takes files dropped on an element and hands them to `onFiles` (nothing while `disabled`). */
export function useFileDrop (onFiles: (files: File[]) => void, disabled: boolean): FileDrop {
  const [over, setOver] = useState(false)
  return {
    over,
    props: {
      onDragOver: event => {
        if (disabled || !carriesFiles(event)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
        setOver(true)
      },
      onDragLeave: () => { setOver(false) },
      onDrop: event => {
        setOver(false)
        if (disabled || !carriesFiles(event)) return
        event.preventDefault()
        const files = [...event.dataTransfer.files]
        if (files.length > 0) onFiles(files)
      }
    }
  }
}

/** The file being handed over, and why the last one failed. */
export function UploadStatus ({ sender }: { sender: FileSender }): ReactNode {
  const { upload, error } = sender
  return (
    <>
      {upload != null && (
        <p className='upload' role='status'>
          Sending <PeerName name={upload.name} />{' '}
          <progress max={upload.size} value={upload.received} aria-label={`Sending ${upload.name}`} />
          <button type='button' className='link' onClick={sender.cancel}>Stop sending</button>
        </p>
      )}
      {error != null && <p role='alert' className='error'>{error}</p>}
    </>
  )
}
