// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files on their way from the renderer to the messenger. The renderer holds a `File` (picked,
 * dropped or pasted), never a path the main side could trust, and in headless mode it runs in a
 * browser on another machine: so it sends the bytes, in pieces of at most `UPLOAD_CHUNK_BYTES`, in
 * order, into `<data>/uploads/<random id>/<name>` (mode 0600, in a 0700 directory). Once complete
 * the messenger's `sendFile` seals it into its store, and the plaintext copy is removed whatever
 * the outcome; what a crash leaves behind is removed at the next start ({@link FileUploads.sweep}).
 * At most {@link MAX_UPLOADS} run at once, each no larger than it declared.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { InvalidPayloadError, TooManyUploadsError } from '../errors.js'
import type { FileHandle } from 'node:fs/promises'

/** Uploads that may run at once. */
export const MAX_UPLOADS = 4

interface Upload {
  dir: string
  path: string
  size: number
  received: number
  fd: FileHandle
  /** The call writing now, so two pieces never interleave. */
  writing: Promise<unknown>
}

/** The uploads in progress, in one directory. */
export class FileUploads {
  private readonly uploads = new Map<string, Upload>()

  /** Keeps uploads in `dir` (created when needed). */
  constructor (private readonly dir: string) {}

  /** Removes whatever uploads a crash left behind (call before the first upload). */
  async sweep (): Promise<void> {
    await rm(this.dir, { recursive: true, force: true })
  }

  /** Starts an upload of `size` bytes named `name` (a file name, checked by the contract's schema). */
  async start (name: string, size: number): Promise<string> {
    if (this.uploads.size >= MAX_UPLOADS) throw new TooManyUploadsError(`at most ${MAX_UPLOADS} files can be on their way at once`)
    // The schema refused paths; basename is the second lock on that door.
    if (basename(name) !== name) throw new InvalidPayloadError('the file name must not contain a path')
    const id = randomBytes(16).toString('hex')
    const dir = join(this.dir, id)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const path = join(dir, name)
    const fd = await open(path, 'wx', 0o600)
    this.uploads.set(id, { dir, path, size, received: 0, fd, writing: Promise.resolve() })
    return id
  }

  /** Appends a piece at `offset`, which must be where the last one ended; returns the bytes received. */
  async append (id: string, offset: number, piece: Uint8Array): Promise<number> {
    const upload = this.get(id)
    const write = upload.writing.then(async () => {
      if (offset !== upload.received) throw new InvalidPayloadError(`the next piece starts at ${upload.received}, not ${offset}`)
      if (upload.received + piece.byteLength > upload.size) throw new InvalidPayloadError(`more bytes than the ${upload.size} announced`)
      await upload.fd.write(piece, 0, piece.byteLength, offset)
      upload.received += piece.byteLength
      return upload.received
    })
    upload.writing = write.catch(() => {})
    return await write
  }

  /**
   * Hands the complete file's path to `use` (which seals it away), then removes the file whatever
   * `use` did. Throws `InvalidPayloadError` while bytes are missing.
   */
  async take<T> (id: string, use: (path: string) => Promise<T>): Promise<T> {
    const upload = this.get(id)
    await upload.writing
    if (upload.received !== upload.size) throw new InvalidPayloadError(`${upload.size - upload.received} bytes of the file are missing`)
    this.uploads.delete(id)
    try {
      await upload.fd.close()
      return await use(upload.path)
    } finally {
      await rm(upload.dir, { recursive: true, force: true })
    }
  }

  /** Drops an upload and its bytes (nothing happens for an unknown id). */
  async abort (id: string): Promise<void> {
    const upload = this.uploads.get(id)
    if (upload == null) return
    this.uploads.delete(id)
    await upload.writing
    await upload.fd.close().catch(() => {})
    await rm(upload.dir, { recursive: true, force: true })
  }

  /** Drops every upload (at stop). */
  async abortAll (): Promise<void> {
    await Promise.all([...this.uploads.keys()].map(async id => { await this.abort(id) }))
  }

  private get (id: string): Upload {
    const upload = this.uploads.get(id)
    if (upload == null) throw new InvalidPayloadError('no such upload (it was sent, cancelled or never started)')
    return upload
  }
}
