// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `/sotto/file/1.0.0` between peers, and a peer's side of it at a relay.
 *
 * - A sender serves its files with {@link handleFiles}: "which chunks do you have" (QUERY → Have)
 *   and "send me chunks from N" (FETCH → Hashes, Chunks, Done), from sealed chunk stores.
 * - A recipient pulls with {@link fetchFile}, from the sender or (signed by its mailbox key) from
 *   its relay; it resumes from the bitmap it persisted, so a transfer cut by a kill -9 of either
 *   side goes on where it stopped.
 * - A sender that cannot reach the recipient uploads with {@link uploadFile} to the recipient's
 *   relay (PUT with a deposit token): the relay answers which chunks it holds, so an upload resumes
 *   too, and acknowledges chunks only once they are fsynced.
 *
 * The protocol never runs on a limited (relayed) connection: libp2p refuses it there, so a file
 * never goes through a relayed circuit.
 */
import { InvalidInputError, ProtocolError, TimeoutError } from '../errors.js'
import { frames } from '../protocol/index.js'
import { CHUNK_SIZE, checkChunkHashes, openChunk, sealFile } from './chunks.js'
import { ChunkStore } from './chunk-store.js'
import { FILE_PROTOCOL, FileOp, FileStatus, MAX_FILE_FRAME_BYTES, countBits, fileFrameCodec } from './frames.js'
import { errorOf, haveOf, receiveChunks, resumePoint, sendChunks, sendHashes, sendHeld } from './transfer.js'
import type { FileSecrets, newFileKeys } from './chunks.js'
import type { FileFrame, SignedFileOwnerOp } from './frames.js'
import type { ProgressListener } from './transfer.js'
import type { Logger } from '../logger.js'
import type { Frames } from '../protocol/index.js'
import type { AbortOptions, Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Open } from './file.js'

/** What the file protocol needs of a libp2p node. */
export type FileNode = Pick<Libp2p, 'dialProtocol' | 'handle' | 'unhandle'>

/** Finds the sealed chunk store of a file this node serves; undefined for one it does not. */
export type FileSource = (fileId: Uint8Array) => Promise<ChunkStore | undefined>

/** Wraps a stream of `/sotto/file/1.0.0` in checked frames. */
export function fileFrames (stream: Stream): Frames<FileFrame> {
  return frames(stream, fileFrameCodec, { maxBytes: MAX_FILE_FRAME_BYTES })
}

/** An Open frame with every field not given left empty. */
export function openFrame (open: OpenInit): FileFrame {
  const empty = new Uint8Array(0)
  const full = { from: 0, have: empty, size: 0, chunkSize: 0, mailboxId: empty, token: empty, publicKey: empty, ownerOp: empty, signature: empty, acks: false, ...open }
  return { open: full as Open }
}

/** The fields of an Open frame, with any byte array. */
export type OpenInit = { [K in keyof Open]?: Open[K] extends Uint8Array ? Uint8Array : Open[K] } & { op: Open['op'], fileId: Uint8Array }

/**
 * Serves this node's files on `/sotto/file/1.0.0`. A file id is random and travels only inside
 * end-to-end encrypted messages: knowing it is the permission to fetch the (sealed) chunks.
 */
export async function handleFiles (node: FileNode, source: FileSource, log: Logger): Promise<void> {
  await node.handle(FILE_PROTOCOL, (stream: Stream, connection: Connection) => {
    serveStream(stream, source).catch(err => {
      log.warn('file stream ended with an error', { peer: connection.remotePeer.toString(), error: (err as Error)?.name ?? 'Error' })
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    })
  }, { maxInboundStreams: 16 })
}

async function serveStream (stream: Stream, source: FileSource): Promise<void> {
  const f = fileFrames(stream)
  const first = await f.read()
  const open = first?.open
  if (open == null) throw new ProtocolError('expected an Open frame')
  const store = open.op === FileOp.FETCH || open.op === FileOp.QUERY ? await source(open.fileId) : undefined
  try {
    if (open.op !== FileOp.FETCH && open.op !== FileOp.QUERY) {
      await f.write({ done: { status: FileStatus.BAD_REQUEST, message: 'a peer serves QUERY and FETCH' } })
    } else if (store == null) {
      await f.write({ done: { status: FileStatus.NOT_FOUND, message: 'no such file' } })
    } else if (open.op === FileOp.QUERY) {
      await f.write(haveOf(store))
    } else {
      await sendChunks(f, store, open.from, open.have, open.acks)
    }
  } finally {
    await store?.close()
  }
  await stream.close()
}

/** Where to reach the other side: a peer or a relay. */
export type FileTarget = PeerId | Multiaddr

/** Options of {@link fetchFile}. */
export interface FetchFileOptions extends AbortOptions {
  /** At a relay: the owner's signature over a FETCH of this file. */
  owner?: SignedFileOwnerOp
  /** Called after each durable batch. */
  onProgress?: ProgressListener
  /** Longest wait for the stream to open, in ms. Default 10 s. */
  dialTimeoutMs?: number
}

async function dial (node: FileNode, target: FileTarget, options: { signal?: AbortSignal, dialTimeoutMs?: number }): Promise<Stream> {
  const timeout = AbortSignal.timeout(options.dialTimeoutMs ?? 10_000)
  const signal = options.signal != null ? AbortSignal.any([options.signal, timeout]) : timeout
  try {
    return await node.dialProtocol(target, FILE_PROTOCOL, { signal })
  } catch (err) {
    if (timeout.aborted) throw new TimeoutError(`could not reach ${target.toString()}`, { cause: err })
    throw err
  }
}

/**
 * Fetches a file's sealed chunks into the chunk store at `dir`, resuming from what is held there.
 * Resolves once the store is complete (immediately if it was).
 */
export async function fetchFile (node: FileNode, target: FileTarget, secrets: FileSecrets, dir: string, options: FetchFileOptions = {}): Promise<void> {
  const { from, have } = await resumePoint(dir)
  const existing = await ChunkStore.open(dir)
  const complete = existing?.complete === true
  await existing?.close()
  if (complete) return
  const stream = await dial(node, target, options)
  const onAbort = (): void => { stream.abort(new TimeoutError('the transfer was cancelled')) }
  options.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const f = fileFrames(stream)
    await f.write(openFrame({ op: FileOp.FETCH, fileId: secrets.id, from, have, acks: true, ...options.owner }))
    await receiveChunks(f, secrets, dir, { acks: true, ...(options.onProgress != null ? { onProgress: options.onProgress } : {}) })
    await stream.close()
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
}

/** Asks which chunks of a file the other side holds. */
export async function queryFile (node: FileNode, target: FileTarget, fileId: Uint8Array, options: { owner?: SignedFileOwnerOp } & AbortOptions = {}): Promise<{ count: number, bitmap: Uint8Array }> {
  const stream = await dial(node, target, options)
  try {
    const f = fileFrames(stream)
    await f.write(openFrame({ op: FileOp.QUERY, fileId, ...options.owner }))
    const answer = await f.read()
    if (answer?.done != null) throw errorOf(answer.done.status, answer.done.message)
    if (answer?.have == null) throw new ProtocolError('expected a Have frame')
    await stream.close()
    return answer.have
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

/** Asks a relay to delete a blob; the owner signs the DELETE. */
export async function deleteRemoteFile (node: FileNode, relay: FileTarget, fileId: Uint8Array, owner: SignedFileOwnerOp, options: AbortOptions = {}): Promise<void> {
  const stream = await dial(node, relay, options)
  try {
    const f = fileFrames(stream)
    await f.write(openFrame({ op: FileOp.DELETE, fileId, ...owner }))
    const answer = await f.read()
    if (answer?.done == null) throw new ProtocolError('expected a Done frame')
    if (answer.done.status !== FileStatus.OK) throw errorOf(answer.done.status, answer.done.message)
    await stream.close()
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

/** What an upload names. */
export interface UploadTarget {
  /** The recipient's mailbox at the relay. */
  mailboxId: Uint8Array
  /** A deposit token for that mailbox. */
  token: Uint8Array
}

/** Options of {@link uploadFile}. */
export interface UploadOptions extends AbortOptions {
  /** Called as the relay acknowledges durable chunks. */
  onProgress?: ProgressListener
  /** Longest wait for the stream to open, in ms. Default 10 s. */
  dialTimeoutMs?: number
}

/**
 * Uploads a complete chunk store to a relay for a recipient's mailbox, sending only the chunks the
 * relay does not hold yet. Resolves once the relay has acknowledged every chunk as durable.
 * Returns how many chunks were sent.
 */
export async function uploadFile (node: FileNode, relay: FileTarget, fileId: Uint8Array, store: ChunkStore, to: UploadTarget, options: UploadOptions = {}): Promise<number> {
  if (!store.complete) throw new InvalidInputError('only a complete file can be uploaded')
  const stream = await dial(node, relay, options)
  try {
    const f = fileFrames(stream)
    await f.write(openFrame({ op: FileOp.PUT, fileId, size: store.layout.size, chunkSize: store.layout.chunkSize, ...to }))
    await sendHashes(f, store.hashes())
    const first = await f.read(options)
    if (first?.done != null) throw errorOf(first.done.status, first.done.message)
    if (first?.have?.count !== store.count) throw new ProtocolError('expected a Have frame for this file')
    const held = first.have.bitmap
    options.onProgress?.(countBits(held, store.count), store.count)
    const acks = readAcks(f, store.count, options.onProgress)
    acks.catch(() => {})
    const sent = await sendHeld(f, store, 0, held).catch(async (err: unknown) => {
      // The relay's reason (a Done frame) explains a failed write better than the write's error.
      await acks
      throw err
    })
    await acks
    await stream.close()
    return sent
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

async function readAcks (f: Frames<FileFrame>, count: number, onProgress?: ProgressListener): Promise<void> {
  while (true) {
    const frame = await f.read()
    if (frame == null) throw new ProtocolError('the relay closed the stream before acknowledging every chunk')
    if (frame.have != null) {
      onProgress?.(countBits(frame.have.bitmap, count), count)
      continue
    }
    if (frame.done == null) throw new ProtocolError('unexpected frame from the relay')
    if (frame.done.status !== FileStatus.OK) throw errorOf(frame.done.status, frame.done.message)
    return
  }
}

/**
 * Seals a file from `read` into a new chunk store at `dir` (the sender's copy, encrypted at rest)
 * and returns its secrets for the message that carries it.
 */
export async function sealToStore (dir: string, size: number, read: (offset: number, length: number) => Promise<Uint8Array>, keys?: ReturnType<typeof newFileKeys>, chunkSize?: number): Promise<{ secrets: FileSecrets, store: ChunkStore }> {
  const sealer = sealFile(size, read, keys, chunkSize)
  let secrets: FileSecrets | undefined
  async function * chunks (): AsyncGenerator<{ index: number, sealed: Uint8Array, hash: Uint8Array }> {
    for (;;) {
      const next = await sealer.next()
      if (next.done === true) {
        secrets = next.value
        return
      }
      yield next.value
    }
  }
  const layout = { size, chunkSize: chunkSize ?? CHUNK_SIZE }
  const store = await ChunkStore.fromChunks(dir, layout, chunks())
  if (secrets == null) throw new ProtocolError('sealing ended without the file secrets')
  return { secrets, store }
}

/**
 * The plaintext of a complete chunk store, a chunk at a time, padding cut off. Checks the hash
 * list against the root first; each chunk is opened (and so authenticated) as it is read.
 */
export async function * readPlaintext (store: ChunkStore, secrets: FileSecrets): AsyncGenerator<Uint8Array> {
  checkChunkHashes(secrets, store.hashes())
  for (let i = 0; i < store.count; i++) yield openChunk(secrets, i, await store.read(i))
}
