// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay side of `/sotto/file/1.0.0`: blobs for offline recipients.
 *
 * - PUT, by a sender with a deposit token for the recipient's mailbox (the mailbox's own token
 *   check: the token's hash must be registered to that mailbox): the relay answers which chunks it
 *   holds, so an upload resumes, takes each missing chunk after checking it against the hash list,
 *   and acknowledges (Have) only chunks it has fsynced.
 * - QUERY, FETCH and DELETE, by the owner, signed with the mailbox key like mailbox reads: FETCH
 *   streams a complete blob from disk ("send me chunks from N"), DELETE removes it once fetched.
 *
 * A relay cannot check a hash list against the file's root (that is inside the end-to-end
 * encrypted message): it checks that uploads agree with the first hash list it took, and the
 * recipient checks the list against the root before accepting any chunk.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import {
  COMMIT_EVERY, FileIntegrityError, FileOp, FileStatus, checkProtocolLayout, fileFrames, haveOf, readHashes, sendChunks,
  verifyFileOwnerOp
} from '@sotto/core/files'
import { AUTH_WINDOW_MS } from '@sotto/core/mailbox'
import { FileQuotaError, FileTooLargeError } from '../errors.js'
import type { BlobLimits, BlobStore } from './store.js'
import type { MailboxStore } from '../mailbox/index.js'
import type { Connection, Stream } from '@libp2p/interface'
import type { ChunkStore, FileFrame, OpenInit } from '@sotto/core/files'
import type { Logger } from 'pino'

/** What the blob service needs. */
export interface BlobServiceComponents {
  blobs: BlobStore
  /** The mailbox store: deposit tokens and mailbox keys. */
  mailboxes: Pick<MailboxStore, 'getToken' | 'getMailbox'>
  /** The relay's PeerId as multihash bytes: owner requests must name it. */
  relayId: Uint8Array
  limits: BlobLimits & {
    /** How long a blob is kept, in seconds (the envelopes' retention). */
    retentionSeconds: number
  }
  log: Logger
  /** The clock, ms since the epoch. */
  now(): number
}

type Open = OpenInit & Required<Pick<OpenInit, 'from' | 'have' | 'size' | 'chunkSize' | 'mailboxId' | 'token' | 'publicKey' | 'ownerOp' | 'signature'>>

function sha256 (data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest()
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}

function key (mailboxId: Uint8Array, fileId: Uint8Array): string {
  return Buffer.from(mailboxId).toString('hex') + '/' + Buffer.from(fileId).toString('hex')
}

function done (status: FileStatus, message = ''): FileFrame {
  return { done: { status, message } }
}

/** Serves blobs on `/sotto/file/1.0.0`. */
export class BlobService {
  /** Blobs being uploaded: one writer each, and not served until complete. */
  private readonly uploading = new Set<string>()
  private readonly streams = new Set<Stream>()

  constructor (private readonly components: BlobServiceComponents) {}

  /** The stream handler. */
  readonly handle = (stream: Stream, connection: Connection): void => {
    this.streams.add(stream)
    this.serve(stream).catch((err: Error) => {
      this.components.log.debug({ err: err.name, peer: connection.remotePeer.toString() }, 'file stream failed')
      stream.abort(err)
    }).finally(() => { this.streams.delete(stream) })
  }

  /** Ends every stream; uploads keep what they committed. */
  stop (): void {
    for (const s of this.streams) s.abort(new Error('the relay is stopping'))
  }

  private async serve (stream: Stream): Promise<void> {
    const f = fileFrames(stream)
    const open = (await f.read())?.open as Open | undefined
    if (open == null) throw new FileIntegrityError('expected an Open frame')
    if (open.op === FileOp.PUT) {
      await this.put(f, open)
    } else {
      const mailboxId = await this.owner(open)
      if (mailboxId == null) await f.write(done(FileStatus.UNAUTHORIZED, 'unauthorized'))
      else if (open.op === FileOp.DELETE) {
        await this.components.blobs.remove(mailboxId, open.fileId)
        await f.write(done(FileStatus.OK))
      } else {
        await this.serveBlob(f, open, mailboxId)
      }
    }
    await stream.close()
  }

  private async serveBlob (f: ReturnType<typeof fileFrames>, open: Open, mailboxId: Uint8Array): Promise<void> {
    const store = this.uploading.has(key(mailboxId, open.fileId)) ? undefined : await this.components.blobs.open(mailboxId, open.fileId)
    try {
      if (store == null) await f.write(done(FileStatus.NOT_FOUND, 'no such file'))
      else if (open.op === FileOp.QUERY) await f.write(haveOf(store))
      else if (!store.complete) await f.write(done(FileStatus.NOT_FOUND, 'the upload is not complete'))
      else await sendChunks(f, store, open.from, open.have, open.acks)
    } finally {
      await store?.close()
    }
  }

  /** The mailbox an owner's signed request is for, or undefined when it does not pass. */
  private async owner (open: Open): Promise<Uint8Array | undefined> {
    const op = await verifyFileOwnerOp({ publicKey: open.publicKey, ownerOp: open.ownerOp, signature: open.signature })
    if (op == null) return undefined
    const mailbox = await this.components.mailboxes.getMailbox(op.mailboxId)
    const fresh = Math.abs(this.components.now() - op.timestamp) <= AUTH_WINDOW_MS
    const bound = op.op === open.op && equal(op.relay, this.components.relayId) && equal(op.fileId, open.fileId) &&
      equal(sha256(open.publicKey), op.mailboxId) && mailbox != null && equal(mailbox.publicKey, open.publicKey)
    return fresh && bound ? op.mailboxId : undefined
  }

  private async authorizedUpload (open: Open): Promise<boolean> {
    if (open.token.byteLength !== 32) return false
    const token = await this.components.mailboxes.getToken(sha256(open.token))
    return token != null && equal(token.mailboxId, open.mailboxId)
  }

  private async put (f: ReturnType<typeof fileFrames>, open: Open): Promise<void> {
    if (!await this.authorizedUpload(open)) return f.write(done(FileStatus.UNAUTHORIZED, 'unauthorized'))
    const layout = { size: open.size, chunkSize: open.chunkSize }
    let count: number
    try {
      count = checkProtocolLayout(layout)
    } catch (err) {
      return f.write(done((err as Error).name === 'TooLargeError' ? FileStatus.TOO_LARGE : FileStatus.BAD_REQUEST, (err as Error).message))
    }
    if (open.size > this.components.limits.maxFileBytes) {
      return f.write(done(FileStatus.TOO_LARGE, `the relay takes files of at most ${this.components.limits.maxFileBytes} bytes`))
    }
    const hashes = await readHashes(f, count)
    const k = key(open.mailboxId, open.fileId)
    if (this.uploading.has(k)) return f.write(done(FileStatus.UNAVAILABLE, 'this file is being uploaded on another stream'))
    this.uploading.add(k)
    let store: ChunkStore | undefined
    try {
      const expiresAt = this.components.now() + this.components.limits.retentionSeconds * 1000
      store = await this.components.blobs.reserve(open.mailboxId, open.fileId, layout, hashes, this.components.limits, expiresAt)
        .catch(async (err: Error) => {
          const status = err instanceof FileQuotaError ? FileStatus.QUOTA : err instanceof FileTooLargeError ? FileStatus.TOO_LARGE : err instanceof FileIntegrityError ? FileStatus.BAD_REQUEST : undefined
          if (status == null) throw err
          await f.write(done(status, err.message))
          return undefined
        })
      if (store != null) await this.receive(f, store)
    } finally {
      await store?.close()
      this.uploading.delete(k)
    }
  }

  /** Takes chunks until the blob is complete, acknowledging each durable batch. */
  private async receive (f: ReturnType<typeof fileFrames>, store: ChunkStore): Promise<void> {
    await f.write(haveOf(store))
    let written = 0
    while (!store.complete) {
      const frame = await f.read()
      if (frame?.chunk == null) {
        // The uploader left (or broke the protocol): what arrived whole stays, for its next attempt.
        await store.commit()
        if (frame != null) await f.write(done(FileStatus.BAD_REQUEST, 'expected a chunk'))
        return
      }
      try {
        await store.write(frame.chunk.index, frame.chunk.sealed)
      } catch (err) {
        await store.commit()
        await f.write(done(FileStatus.BAD_REQUEST, (err as Error).message))
        return
      }
      written++
      if (written % COMMIT_EVERY === 0 || store.heldCount + store.pendingCount === store.count) {
        await store.commit()
        await f.write(haveOf(store))
      }
    }
    await f.write(done(FileStatus.OK))
  }
}
