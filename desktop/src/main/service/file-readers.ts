// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reads decrypted files for the renderer, in pieces: to show a photo, or to hand a file to the
 * browser as a download in headless mode. The plaintext exists only in memory, a piece at a time
 * here; the messenger decrypts each chunk as it is read. A reader follows each file a page reads in
 * order, so reading a whole file is one pass; a piece asked out of order starts a new pass.
 */
import type { Messenger } from '@sotto/core'

/** Largest piece one call returns, in bytes. */
export const READ_PIECE_BYTES = 512 * 1024

/** Files read at once; the least recently read one is dropped beyond that. */
export const MAX_READERS = 4

interface Reader {
  chunks: AsyncGenerator<Uint8Array>
  /** Where the next byte handed out starts. */
  position: number
  /** Bytes read from the messenger and not handed out yet. */
  rest: Uint8Array
}

/** A piece of a file: its bytes and whether it was the last. */
export interface FilePiece {
  bytes: Uint8Array
  done: boolean
}

/** Readers over one messenger's files. */
export class FileReaders {
  private readonly readers = new Map<string, Reader>()

  /** The piece of message `id`'s file that starts at `offset`. */
  async piece (messenger: Messenger, id: string, offset: number): Promise<FilePiece> {
    let reader = this.readers.get(id)
    this.readers.delete(id)
    if (reader == null || reader.position !== offset) {
      await reader?.chunks.return(undefined)
      reader = { chunks: messenger.readFile(id), position: 0, rest: new Uint8Array(0) }
      await this.skip(reader, offset)
    }
    const pieces: Uint8Array[] = []
    let length = 0
    let done = false
    while (length < READ_PIECE_BYTES) {
      if (reader.rest.byteLength === 0) {
        const next = await reader.chunks.next()
        if (next.done === true) { done = true; break }
        reader.rest = next.value
      }
      const take = reader.rest.subarray(0, READ_PIECE_BYTES - length)
      reader.rest = reader.rest.subarray(take.byteLength)
      pieces.push(take)
      length += take.byteLength
    }
    reader.position += length
    if (!done) this.keep(id, reader)
    return { bytes: Buffer.concat(pieces), done }
  }

  /** Stops every reader. */
  async close (): Promise<void> {
    const readers = [...this.readers.values()]
    this.readers.clear()
    await Promise.allSettled(readers.map(async r => await r.chunks.return(undefined)))
  }

  private async skip (reader: Reader, offset: number): Promise<void> {
    while (reader.position < offset) {
      const next = await reader.chunks.next()
      if (next.done === true) return
      const over = reader.position + next.value.byteLength - offset
      if (over > 0) reader.rest = next.value.subarray(next.value.byteLength - over)
      reader.position = Math.min(offset, reader.position + next.value.byteLength)
    }
  }

  private keep (id: string, reader: Reader): void {
    this.readers.set(id, reader)
    if (this.readers.size <= MAX_READERS) return
    const [oldest, dropped] = this.readers.entries().next().value!
    this.readers.delete(oldest)
    void dropped.chunks.return(undefined).catch(() => {})
  }
}
