// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Attachments: files in conversations. Sending seals the file into a chunk store in the data
 * directory and posts a File message through the outbox (delivery states apply to it). One job
 * per file then moves its chunks until they are where they need to be:
 *
 * - outgoing: while the recipient is connected directly, it fetches them from this messenger
 *   (`/sotto/file/1.0.0` served from the store); the job asks it which chunks it holds. Otherwise
 *   the job uploads them to one of the recipient's relays with its deposit token.
 * - incoming: from contacts (and group members) only, up to `Settings.autoDownloadBytes` by itself
 *   and any size once the user saves it: from the sender directly, else from the messenger's own relays.
 *
 * A file sent to a group is sealed once; its job places it with each member as above, in parallel
 * (group-files.ts).
 *
 * Chunks stay sealed on disk (the key lives in the encrypted message record); `save` decrypts to
 * the path the user chose and nowhere else. Transfers resume from the store's bitmap after a
 * restart. A file whose message is gone (disappeared, conversation deleted) has its chunks removed
 * by the sweep, which also runs at start, so a crash cannot leave them behind.
 */
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { FileFromRequestError, FileTooLargeError, InvalidInputError, NotFoundError } from '../errors.js'
import { cleanImage, isCleanable } from '../media/index.js'
import { ChunkStore, handleFiles, newFileKeys, readPlaintext, sealToStore } from '../files/index.js'
import { systemClock, sleep, toHex } from '../util/index.js'
import { toMessage } from './context.js'
import { contentFileOf, fileKeys, fileRefOf } from './file-records.js'
import { fileNameOf, mimeOf } from './file-names.js'
import { canNotify, noticeContent } from './file-notices.js'
import { FilePlacing } from './file-placing.js'
import { mayTransfer, senderOf } from './group-files.js'
import { waitForFile, waitForMessage, writePlaintext } from './file-saving.js'
import { fetchFromOwnRelays, fetchFromSender, forgetAtOwnRelays } from './file-transfers.js'
import type { FileNode, FileSecrets } from '../files/index.js'
import type { Logger } from '../logger.js'
import type { Transaction } from '../storage/types.js'
import type { Clock } from '../util/index.js'
import type { ContactBook } from './contacts.js'
import type { Events } from './context.js'
import type { Conversations } from './conversations.js'
import type { FileNoticed, FileNoticeKind } from './file-notices.js'
import type { FileRecord, FileRef } from './file-records.js'
import type { Groups } from './groups.js'
import type { ThrowawayNode, TransferComponents } from './file-transfers.js'
import type { Outbox } from './outbox.js'
import type { Peers } from './peers.js'
import type { MessageRecord, RelayRecord } from './records.js'
import type { ChangeControl, Repositories } from './state.js'
import type { FileReason, FileState, Message, SavedFile } from './types.js'

/** Options of attachments. */
export interface AttachmentsInit {
  /** First wait before a transfer is tried again, in ms (default 1 s); it doubles each time. */
  retryMs?: number
  /** Longest wait between two attempts, in ms (default 30 s). */
  maxRetryMs?: number
}

/** What attachments use. */
export interface AttachmentsComponents {
  repos: Repositories
  events: Events
  log: Logger
  /** The messenger's node: serves this messenger's files, fetches from senders and own relays. */
  node: FileNode
  /** Makes a dial-only node with a throwaway identity, for uploads to contacts' relays. */
  throwaway(): Promise<ThrowawayNode>
  contacts: Pick<ContactBook, 'resolve' | 'assertSendable'>
  conversations: Pick<Conversations, 'post'>
  peers: Pick<Peers, 'presenceOf' | 'follow' | 'update'>
  /** Groups a file may be sent to (by id or name) instead of a contact. */
  groups?: Pick<Groups, 'named' | 'sendFile' | 'logOf'>
  /** Where file notices to the other end go (file-notices.ts). */
  outbox: Pick<Outbox, 'add'>
  /** The data directory: chunk stores live in its `files/`. */
  dataDir: string
  clock?: Clock
}

type Outcome = 'stop' | 'retry'

/** A change of a file's state: its error, why it does not move, and a notice to the other end in the same write. */
interface StateChange {
  /** Change it only while it is in this state (a cancel may have come first). */
  from?: FileState
  error?: string
  reason?: FileReason
  notice?: FileNoticeKind
}

const SETTLED: readonly FileState[] = ['done', 'failed', 'cancelled']

/** The secrets of a stored file. */
function secretsOf (file: FileRecord): FileSecrets {
  return { id: file.id, key: file.key, size: file.size, chunkSize: file.chunkSize, root: file.root }
}

/** Files in conversations. */
export class Attachments {
  private readonly jobs = new Map<string, { done: Promise<void>, controller: AbortController }>()
  /** Files whose job was kicked while it ran. */
  private readonly again = new Set<string>()
  /** Incoming files the user asked for, whatever their size. */
  private readonly wanted = new Set<string>()
  /** Files being sealed: the sweep leaves their directories alone. */
  private readonly sealing = new Set<string>()
  private readonly wakers = new Set<() => void>()
  private readonly clock: Clock
  private readonly retryMs: number
  private readonly maxRetryMs: number
  private readonly transfers: TransferComponents
  private readonly placing: FilePlacing
  private stopped = false

  constructor (private readonly components: AttachmentsComponents, init: AttachmentsInit = {}) {
    this.clock = components.clock ?? systemClock
    this.retryMs = init.retryMs ?? 1000
    this.maxRetryMs = init.maxRetryMs ?? 30_000
    this.transfers = { node: components.node, throwaway: components.throwaway, log: components.log }
    const { groups, repos } = components
    const membersOf = async (groupId: string): Promise<ReadonlyMap<string, unknown> | undefined> => (await groups?.logOf(repos.state.store, groupId, false))?.state.members
    this.placing = new FilePlacing({ ...components, transfers: this.transfers, dir: this.dir, membersOf })
  }

  private get dir (): string {
    return join(this.components.dataDir, 'files')
  }

  private dirOf (fileId: string): string {
    return join(this.dir, fileId)
  }

  /** Serves this messenger's files, removes what is left of deleted ones, resumes transfers. */
  async start (): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    await handleFiles(this.components.node, async (fileId) => {
      const hex = toHex(fileId)
      return await this.components.repos.files.get(hex) != null ? ChunkStore.open(this.dirOf(hex)) : undefined
    }, this.components.log)
    await this.sweep(true)
    await this.resume()
  }

  /** Stops every transfer (each resumes at the next start). */
  async stop (): Promise<void> {
    this.stopped = true
    for (const job of this.jobs.values()) job.controller.abort()
    this.wake()
    await Promise.allSettled([...this.jobs.values()].map(async j => j.done))
  }

  /** Something changed that a waiting transfer may be waiting for (a contact connected, a request accepted). */
  wake (): void {
    for (const wake of [...this.wakers]) wake()
  }

  /** Starts the transfer of every file not yet where it needs to be. */
  async resume (): Promise<void> {
    for await (const ref of this.components.repos.files.values(fileKeys())) this.kick(ref.messageId)
    this.wake()
  }

  /** A new message arrived: if it carries a file, its transfer may start. */
  arrived (message: Message): void {
    if (message.file != null) this.kick(message.id)
  }

  /**
   * Seals the file at `path` into this messenger's store and sends it to `ref` as a File message
   * (state `queued`); resolves once both are durable. A JPEG or PNG is decoded and encoded again
   * first, without its metadata, and gets a thumbnail; one that cannot be decoded is refused
   * (`InvalidInputError`) rather than sent with whatever it carries. Throws {@link FileTooLargeError} over
   * `Settings.maxFileBytes`.
   */
  async send (ref: string, path: string): Promise<Message> {
    const { repos, contacts, conversations } = this.components
    const settings = await repos.currentSettings()
    const info = await stat(path).catch((err: Error) => { throw new NotFoundError(`cannot read ${path}`, { cause: err }) })
    if (!info.isFile()) throw new InvalidInputError(`${path} is not a file`)
    if (info.size > settings.maxFileBytes) throw new FileTooLargeError(`a file may have at most ${settings.maxFileBytes} bytes; this one has ${info.size}`)
    const group = this.components.groups?.named(ref)
    if (group == null) contacts.assertSendable(await contacts.resolve(ref))
    const name = fileNameOf(path)
    const mime = mimeOf(name)
    // A photo travels re-encoded: its metadata (a location, a camera's serial number) stays here.
    const image = isCleanable(mime) ? cleanImage(await readFile(path), mime) : undefined
    if (image != null && image.bytes.byteLength > settings.maxFileBytes) throw new FileTooLargeError(`a file may have at most ${settings.maxFileBytes} bytes`)
    const keys = newFileKeys()
    const fileId = toHex(keys.id)
    this.sealing.add(fileId)
    try {
      const secrets = image != null
        ? await this.seal(keys, image.bytes.byteLength, async (offset, length) => image.bytes.subarray(offset, offset + length))
        : await this.sealFrom(path, info.size, keys)
      const file: FileRecord = { ...secrets, mime, name, ...(image != null ? { thumbnail: image.thumbnail } : {}), state: 'waiting' }
      const index = (tx: Transaction, m: MessageRecord): void => { repos.files.put(tx, fileRefOf({ ...m, file })) }
      const message = group != null && this.components.groups != null
        ? await this.components.groups.sendFile(ref, file, index)
        : toMessage(await conversations.post(ref, seq => ({ file: contentFileOf(file, seq) }), { text: '', file }, index))
      this.kick(message.id)
      return message
    } catch (err) {
      await ChunkStore.remove(this.dirOf(fileId))
      throw err
    } finally {
      this.sealing.delete(fileId)
    }
  }

  private async sealFrom (path: string, size: number, keys: ReturnType<typeof newFileKeys>): Promise<FileSecrets> {
    const fd = await open(path, 'r')
    try {
      return await this.seal(keys, size, async (offset, length) => {
        const buffer = new Uint8Array(length)
        const { bytesRead } = await fd.read(buffer, 0, length, offset)
        return buffer.subarray(0, bytesRead)
      })
    } finally {
      await fd.close()
    }
  }

  private async seal (keys: ReturnType<typeof newFileKeys>, size: number, read: (offset: number, length: number) => Promise<Uint8Array>): Promise<FileSecrets> {
    const { secrets, store } = await sealToStore(this.dirOf(toHex(keys.id)), size, read, keys)
    await store.close()
    return secrets
  }

  /**
   * Decrypts a message's file to `path` (written whole, then renamed into place), fetching it first
   * if it is not here yet and waiting up to `timeoutMs` for it (and for its message, which a relay
   * may still be handing over). Throws {@link FileFromRequestError}
   * for a file of a contact request, `TimeoutError`, or the transfer's failure.
   */
  async save (messageId: string, path: string, timeoutMs: number): Promise<SavedFile> {
    const deadline = this.clock.now() + timeoutMs
    const message = await this.arrivedMessage(messageId, timeoutMs)
    timeoutMs = Math.max(0, deadline - this.clock.now())
    if (message.direction === 'in' && message.file.state !== 'done') await this.waitUntilHere(message, timeoutMs)
    const store = await ChunkStore.open(this.dirOf(toHex(message.file.id)))
    if (store?.complete !== true) {
      await store?.close()
      throw new NotFoundError(`the file of message ${messageId} is not here`)
    }
    return await writePlaintext(store, secretsOf(message.file), path)
  }

  /** The plaintext of a file that is here, a chunk at a time, in memory only; `NotFoundError` while it is not. */
  async * read (messageId: string): AsyncGenerator<Uint8Array> {
    const message = await this.fileMessage(messageId)
    const store = message.direction === 'out' || message.file.state === 'done' ? await ChunkStore.open(this.dirOf(toHex(message.file.id))) : undefined
    if (store?.complete !== true) {
      await store?.close()
      throw new NotFoundError(`the file of message ${messageId} is not here`)
    }
    try {
      yield * readPlaintext(store, secretsOf(message.file))
    } finally {
      await store.close()
    }
  }

  /**
   * Fetches an incoming file into the store whatever its size (its progress in `file` events);
   * resolves once the transfer is asked for. Throws {@link FileFromRequestError} for a file of a
   * contact request, `NotFoundError` for one its sender cancelled, `InvalidInputError` for an
   * outgoing one.
   */
  async download (messageId: string): Promise<void> {
    const message = await this.fileMessage(messageId)
    if (message.direction !== 'in') throw new InvalidInputError('only a received file is downloaded')
    await this.want(message)
  }

  /** The user wants an incoming file: it is fetched whatever its size, and a sender told to hold it is told it is wanted. */
  private async want (message: MessageRecord & { file: FileRecord }): Promise<void> {
    const contact = await this.components.repos.contacts.get(senderOf(message))
    if (contact == null || !mayTransfer(contact, message.groupId != null)) throw new FileFromRequestError('a file of a contact request is fetched only once the request is accepted')
    if (message.file.reason === 'sender') throw new NotFoundError('its sender cancelled this file')
    if (message.file.state === 'done') return
    this.wanted.add(message.id)
    const held = message.file.reason === 'size' || (message.file.state === 'cancelled' && message.file.reason == null)
    if (message.file.state !== 'waiting' && message.file.state !== 'transferring') await this.setState(message.id, 'waiting', held ? { notice: 'wanted' } : {})
    else if (held) await this.setState(message.id, message.file.state, { notice: 'wanted' })
    this.kick(message.id)
  }

  /**
   * Stops a file's transfer for good (saving an incoming one starts it again) and tells the other
   * end: the recipient of an outgoing file stops fetching it, the sender of an incoming one stops
   * offering it.
   */
  async cancel (messageId: string): Promise<void> {
    const message = await this.fileMessage(messageId)
    this.wanted.delete(messageId)
    this.jobs.get(messageId)?.controller.abort()
    if (SETTLED.includes(message.file.state)) return
    // A file never fetched because of its size was held already; one of a request cannot be told.
    const told = message.direction === 'in' && message.file.reason != null
    await this.setState(messageId, 'cancelled', told ? {} : { notice: message.direction === 'out' ? 'cancelled' : 'held' })
  }

  /** The inbox applied a contact's file notice: the transfer follows. */
  noticed ({ kind, message }: FileNoticed): void {
    const { id, contactId, file } = message
    this.components.events.emit('file', { id, contactId, state: file.state, bytes: 0, total: file.size, ...(file.reason != null ? { reason: file.reason } : {}) })
    // In a group, a member's notice changes whom the job places the file with.
    if (kind === 'wanted' || (message.groupId != null && message.direction === 'out')) {
      this.kick(id)
      return
    }
    this.wanted.delete(id)
    this.jobs.get(id)?.controller.abort()
    if (kind === 'cancelled') void this.forget(message).catch((err: Error) => { this.components.log.info('a cancelled file was not removed', { error: err.name }) })
  }

  /** Removes what arrived of a file its sender cancelled, here and at this messenger's relays. */
  private async forget (message: MessageRecord & { file: FileRecord }): Promise<void> {
    await this.jobs.get(message.id)?.done
    await ChunkStore.remove(this.dirOf(toHex(message.file.id)))
    await forgetAtOwnRelays(this.transfers, await this.ownRelays(), message.file.id)
  }

  private async ownRelays (): Promise<RelayRecord[]> {
    const relays = []
    for await (const r of this.components.repos.relays.values(['relay'])) if (r.ready && r.leaving !== true) relays.push(r)
    return relays
  }

  private async fileMessage (messageId: string): Promise<MessageRecord & { file: FileRecord }> {
    const message = await this.components.repos.message(messageId)
    if (message?.file == null) throw new NotFoundError(`no file message ${messageId}`)
    return message as MessageRecord & { file: FileRecord }
  }

  /** A file message, waiting up to `timeoutMs` for it to arrive (a relay may still be handing it over). */
  private async arrivedMessage (messageId: string, timeoutMs: number): Promise<MessageRecord & { file: FileRecord }> {
    await waitForMessage(this.components.events, this.clock, messageId, timeoutMs, async () => await this.components.repos.message(messageId) != null)
    return await this.fileMessage(messageId)
  }

  private async waitUntilHere (message: MessageRecord & { file: FileRecord }, timeoutMs: number): Promise<void> {
    await waitForFile(this.components.events, this.clock, message.id, timeoutMs, async () => {
      await this.want(message)
      // It may have completed between the read and the subscription.
      return (await this.components.repos.message(message.id))?.file?.state === 'done'
    })
  }

  /** Starts a file's transfer job; if one runs, it runs again once it ends (it may have decided on old facts). */
  private kick (messageId: string): void {
    if (this.stopped) return
    if (this.jobs.has(messageId)) {
      this.again.add(messageId)
      return
    }
    const controller = new AbortController()
    const done = this.run(messageId, controller.signal).catch((err: Error) => {
      if (!this.stopped) this.components.log.warn('a file transfer stopped', { error: err.name })
    }).finally(() => {
      this.jobs.delete(messageId)
      if (this.again.delete(messageId) && !controller.signal.aborted) this.kick(messageId)
    })
    this.jobs.set(messageId, { done, controller })
  }

  private async run (messageId: string, signal: AbortSignal): Promise<void> {
    let delay = this.retryMs
    while (!signal.aborted) {
      const message = await this.components.repos.message(messageId)
      if (message?.file == null || SETTLED.includes(message.file.state)) return
      const m = message as MessageRecord & { file: FileRecord }
      const outcome = m.direction === 'out' ? await this.push(m, signal) : await this.pull(m, signal)
      if (outcome === 'stop' || signal.aborted) return
      await sleep(this.clock, delay, wake => {
        const once = (): void => { this.wakers.delete(once); wake() }
        this.wakers.add(once)
        signal.addEventListener('abort', once, { once: true })
      })
      delay = Math.min(delay * 2, this.maxRetryMs)
    }
  }

  /** One attempt to get an outgoing file's chunks to the recipient or one of its relays. */
  private async push (m: MessageRecord & { file: FileRecord }, signal: AbortSignal): Promise<Outcome> {
    if (m.groupId != null) return this.placing.toMembers(m, signal)
    const contact = await this.components.repos.contacts.get(m.contactId)
    // A recipient that holds it for later asks for it when its user wants it.
    if (contact == null || m.file.reason === 'held') return 'stop'
    const placing = await this.placing.place(m, contact, signal, (held, count) => { this.progress(m, held, count) })
    if (placing === 'retry') return 'retry'
    return this.finish(m, placing === 'placed' ? 'done' : 'failed', placing === 'placed' ? {} : { error: placing.error })
  }

  /** One attempt to fetch an incoming file: from its sender directly, else from own relays. */
  private async pull (m: MessageRecord & { file: FileRecord }, signal: AbortSignal): Promise<Outcome> {
    const { repos } = this.components
    const contact = await repos.contacts.get(senderOf(m))
    // Never from a request, nor a blocked contact; accepting a request wakes its files.
    if (contact == null || contact.blocked) return 'stop'
    if (!mayTransfer(contact, m.groupId != null)) return this.hold(m, 'request')
    // One the user asked for was `transferring` before a restart: it goes on whatever its size.
    const asked = this.wanted.has(m.id) || m.file.state === 'transferring'
    if (m.file.size > (await repos.currentSettings()).autoDownloadBytes && !asked) return this.hold(m, 'size')
    if (m.file.state !== 'transferring') await this.setState(m.id, 'transferring', { from: 'waiting' })
    const dir = this.dirOf(toHex(m.file.id))
    const options = { signal, onProgress: (held: number, count: number) => { this.progress(m, held, count) } }
    const relays = await this.ownRelays()
    if (this.placing.presenceOf(contact) === 'direct') {
      try {
        await fetchFromSender(this.transfers, contact.peerId, secretsOf(m.file), dir, options)
        await forgetAtOwnRelays(this.transfers, relays, m.file.id)
        return await this.finish(m, 'done')
      } catch (err) {
        this.components.log.info('a file did not come from its sender', { error: (err as Error).name })
      }
    }
    if (await fetchFromOwnRelays(this.transfers, relays, secretsOf(m.file), dir, options)) return this.finish(m, 'done')
    return 'retry'
  }

  /** An incoming file waits for the user (`size`: the sender is told to hold it) or for a request's acceptance. */
  private async hold (m: MessageRecord & { file: FileRecord }, reason: 'size' | 'request'): Promise<Outcome> {
    if (m.file.reason !== reason) await this.setState(m.id, 'waiting', { from: 'waiting', reason, ...(reason === 'size' ? { notice: 'held' as const } : {}) })
    return 'stop'
  }

  private progress (m: MessageRecord & { file: FileRecord }, held: number, count: number): void {
    const bytes = held === count ? m.file.size : Math.min(m.file.size, held * m.file.chunkSize)
    this.components.events.emit('file', { id: m.id, contactId: m.contactId, state: 'transferring', bytes, total: m.file.size })
  }

  private async finish (m: MessageRecord, state: FileState, how: StateChange = {}): Promise<Outcome> {
    await this.setState(m.id, state, how)
    return 'stop'
  }

  /** Sets a file's state (its error and reason as `how` says, else none) and queues `how.notice` to the contact, in one write. */
  private async setState (messageId: string, state: FileState, how: StateChange = {}): Promise<void> {
    const { repos, events } = this.components
    const { error, reason, notice } = how
    const changed = await repos.state.change(async (tx, change) => {
      const m = await repos.message(messageId, tx)
      if (m?.file == null || (how.from != null && m.file.state !== how.from)) {
        change.discard()
        return undefined
      }
      m.file.state = state
      if (error != null) m.file.error = error
      else delete m.file.error
      if (reason != null) m.file.reason = reason
      else delete m.file.reason
      repos.messages.put(tx, m)
      if (notice != null) await this.notify(tx, change, m, notice)
      return m
    })
    if (changed?.file == null) return
    const bytes = state === 'done' ? changed.file.size : 0
    events.emit('file', { id: messageId, contactId: changed.contactId, state, bytes, total: changed.file.size, ...(error != null ? { error } : {}), ...(reason != null ? { reason } : {}) })
  }

  /** Queues `notice` about `m`'s file to the other end: its contact, its group sender, or every member a group file was sent to. */
  private async notify (tx: Transaction, change: ChangeControl, m: MessageRecord, notice: FileNoticeKind): Promise<void> {
    const { repos, outbox } = this.components
    const to = m.groupId != null && m.direction === 'out' ? m.recipientIds ?? [] : [senderOf(m)]
    for (const id of to) {
      const contact = await repos.contacts.get(id, tx)
      if (contact == null || !canNotify(contact, m.groupId != null)) continue
      await outbox.add(tx, change, contact, noticeContent(m.id, notice, this.clock.now()))
      repos.contacts.put(tx, contact)
    }
  }

  /**
   * Removes the chunks of files whose message is gone, and directories no message names (left by
   * a crash while sealing). At start, also the leftovers of stores being built.
   */
  async sweep (atStart = false): Promise<void> {
    const { repos } = this.components
    const gone: FileRef[] = []
    for await (const ref of repos.files.values(fileKeys())) {
      if (!this.sealing.has(ref.fileId) && (await repos.message(ref.messageId))?.file == null) gone.push(ref)
    }
    for (const ref of gone) {
      this.jobs.get(ref.messageId)?.controller.abort()
      await this.jobs.get(ref.messageId)?.done
      await ChunkStore.remove(this.dirOf(ref.fileId))
    }
    if (gone.length > 0) await repos.state.change(async tx => { for (const ref of gone) repos.files.del(tx, ref.fileId) })
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const base = name.split('.')[0] ?? name
      if (this.sealing.has(base) || (name !== base && !atStart)) continue
      if (name !== base || await repos.files.get(name) == null) await rm(join(this.dir, name), { recursive: true, force: true })
    }
  }
}
