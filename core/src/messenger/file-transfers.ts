// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The routes of a file between two messengers, one attempt each: the sender uploads its sealed
 * chunks to one of the recipient's relays (from a throwaway node, as deposits go, so the relay
 * does not learn who sends), and the recipient fetches them from the sender directly or from its
 * own relays (signed with the mailbox key, then deleted there). Retrying is the caller's.
 */
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { FileQuotaError, FileTooLargeError, NotFoundError, QuotaExceededError, TooLargeError } from '../errors.js'
import { FileOp, deleteRemoteFile, fetchFile, signFileOwnerOp, uploadFile } from '../files/index.js'
import type { ChunkStore, FileNode, FileSecrets, ProgressListener } from '../files/index.js'
import type { Logger } from '../logger.js'
import type { RelayRecord } from './records.js'

/** A dial-only node under a throwaway identity, stopped after one upload. */
export type ThrowawayNode = FileNode & { stop(): void | Promise<void> }

/** Where a sender may upload: one of the recipient's mailboxes and a deposit token for it. */
export interface UploadTarget {
  /** The relay's multiaddr, ending in /p2p/<relay PeerId>. */
  addr: string
  mailboxId: Uint8Array
  token: Uint8Array
}

/** What a transfer attempt uses. */
export interface TransferComponents {
  /** The messenger's node: it fetches from the sender and from its own relays. */
  node: FileNode
  /** Makes a throwaway node for an upload. */
  throwaway(): Promise<ThrowawayNode>
  log: Logger
}

/** Options of one attempt. */
export interface AttemptOptions {
  signal: AbortSignal
  onProgress: ProgressListener
}

/** A relay's refusal that another attempt would meet again: the file is too large, or no room. */
function refusal (err: unknown): Error | undefined {
  if (err instanceof FileQuotaError || err instanceof FileTooLargeError) return err
  if (err instanceof QuotaExceededError) return new FileQuotaError(err.message, { cause: err })
  if (err instanceof TooLargeError) return new FileTooLargeError(err.message, { cause: err })
  return undefined
}

/**
 * Uploads the sealed chunks to the first of `targets` that takes them, each from a throwaway node.
 * Throws {@link FileQuotaError} or {@link FileTooLargeError} when every relay refused the file so,
 * and otherwise the last error (a relay unreachable: worth another attempt later).
 */
export async function uploadToRelays (components: TransferComponents, store: ChunkStore, fileId: Uint8Array, targets: readonly UploadTarget[], options: AttemptOptions): Promise<void> {
  let refused: Error | undefined
  let failed: Error | undefined
  for (const target of targets) {
    if (options.signal.aborted) break
    const node = await components.throwaway()
    // Stopping the node ends the upload at once when the messenger stops or the user cancels.
    const stop = (): void => { void Promise.resolve(node.stop()).catch(() => {}) }
    options.signal.addEventListener('abort', stop, { once: true })
    try {
      await uploadFile(node, multiaddr(target.addr), fileId, store, { mailboxId: target.mailboxId, token: target.token }, options)
      return
    } catch (err) {
      const named = refusal(err)
      if (named != null) refused = named
      else failed = err as Error
      components.log.info('a relay did not take a file', { error: (err as Error).name })
    } finally {
      options.signal.removeEventListener('abort', stop)
      await Promise.resolve(node.stop()).catch(() => {})
    }
  }
  throw failed ?? refused ?? new NotFoundError('the recipient has no relay to upload to')
}

/** Fetches a file from its sender, directly (never over a relayed circuit). */
export async function fetchFromSender (components: TransferComponents, peerId: string, secrets: FileSecrets, dir: string, options: AttemptOptions): Promise<void> {
  await fetchFile(components.node, peerIdFromString(peerId), secrets, dir, { ...options, dialTimeoutMs: 5_000 })
}

async function ownerOp (relay: RelayRecord, op: FileOp.FETCH | FileOp.DELETE, fileId: Uint8Array): ReturnType<typeof signFileOwnerOp> {
  return signFileOwnerOp(privateKeyFromProtobuf(relay.mailboxKey), {
    op,
    relay: peerIdFromString(relay.peerId).toMultihash().bytes,
    mailboxId: relay.mailboxId,
    fileId,
    timestamp: Date.now()
  })
}

/**
 * Fetches a file from the first of the messenger's own relays that holds it whole, then deletes it
 * there. Resolves false when none does (yet).
 */
export async function fetchFromOwnRelays (components: TransferComponents, relays: readonly RelayRecord[], secrets: FileSecrets, dir: string, options: AttemptOptions): Promise<boolean> {
  for (const relay of relays) {
    const addr = multiaddr(relay.addr)
    try {
      await fetchFile(components.node, addr, secrets, dir, { ...options, owner: await ownerOp(relay, FileOp.FETCH, secrets.id) })
    } catch (err) {
      if (!(err instanceof NotFoundError)) components.log.info('a relay did not give a file', { error: (err as Error).name })
      continue
    }
    await deleteRemoteFile(components.node, addr, secrets.id, await ownerOp(relay, FileOp.DELETE, secrets.id)).catch((err: Error) => {
      components.log.info('a fetched file was not deleted at its relay; it expires there', { error: err.name })
    })
    return true
  }
  return false
}

/**
 * Deletes a file at every one of the messenger's own relays that may hold it: once it arrived
 * from its sender directly, a copy the sender uploaded while the recipient was away would
 * otherwise wait there until it expires. A relay without it answers not found, which is fine.
 */
export async function forgetAtOwnRelays (components: TransferComponents, relays: readonly RelayRecord[], fileId: Uint8Array): Promise<void> {
  for (const relay of relays) {
    await deleteRemoteFile(components.node, multiaddr(relay.addr), fileId, await ownerOp(relay, FileOp.DELETE, fileId)).catch((err: Error) => {
      if (!(err instanceof NotFoundError)) components.log.info('a file was not deleted at its relay; it expires there', { error: err.name })
    })
  }
}
