// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Placing an outgoing file with its recipient, one attempt at a time: while the recipient is
 * connected directly it fetches the chunks itself (asked which it holds), otherwise they are
 * uploaded to one of its relays with its deposit token. A group file is placed so with every
 * member it has still to reach, each on its own and at once (group-files.ts).
 */
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { FileQuotaError, FileTooLargeError } from '../errors.js'
import { ChunkStore, countBits, queryFile } from '../files/index.js'
import { toHex } from '../util/index.js'
import { uploadToRelays } from './file-transfers.js'
import { pendingMembers, placedBytes, recordPlacements } from './group-files.js'
import type { FileNode, ProgressListener } from '../files/index.js'
import type { Events } from './context.js'
import type { FileMessage, Placement } from './group-files.js'
import type { TransferComponents, UploadTarget } from './file-transfers.js'
import type { Peers } from './peers.js'
import type { ContactRecord } from './records.js'
import type { Repositories } from './state.js'

/** One attempt's end for one recipient: its copy is placed, worth another attempt, or refused for good (`error`). */
export type Placing = 'placed' | 'retry' | { error: string }

/** What placing uses. */
export interface FilePlacingComponents {
  repos: Pick<Repositories, 'state' | 'message' | 'messages' | 'contacts'>
  events: Events
  node: FileNode
  peers: Pick<Peers, 'presenceOf' | 'follow' | 'update'>
  transfers: TransferComponents
  /** The directory of the chunk stores. */
  dir: string
  /** The current members of `groupId` (one removed since the send is not placed with), if it is held. */
  membersOf?: (groupId: string) => Promise<ReadonlyMap<string, unknown> | undefined>
}

/** Where a contact's mailboxes take deposits from this messenger: its tokens, else its card's. */
function uploadTargets (c: ContactRecord): UploadTarget[] {
  return c.tokens?.map(t => ({ addr: t.addr, mailboxId: t.mailboxId, token: t.token })) ??
    c.relays.map(r => ({ addr: r.addr, mailboxId: r.mailboxId, token: r.introToken }))
}

/** Places outgoing files with their recipients. */
export class FilePlacing {
  constructor (private readonly components: FilePlacingComponents) {}

  /** One attempt to place `m`'s file with `contact` (progress of an upload to `onProgress`). */
  async place (m: FileMessage, contact: ContactRecord, signal: AbortSignal, onProgress?: ProgressListener): Promise<Placing> {
    if (this.presenceOf(contact) === 'direct') {
      // The recipient fetches them itself; placed once it holds them all.
      const have = await queryFile(this.components.node, peerIdFromString(contact.peerId), m.file.id, { signal }).catch(() => undefined)
      return have != null && have.count > 0 && countBits(have.bitmap, have.count) === have.count ? 'placed' : 'retry'
    }
    const store = await ChunkStore.open(join(this.components.dir, toHex(m.file.id)))
    if (store == null) return { error: 'NotFoundError' }
    try {
      await uploadToRelays(this.components.transfers, store, m.file.id, uploadTargets(contact), { signal, onProgress: onProgress ?? (() => {}) })
      return 'placed'
    } catch (err) {
      if (err instanceof FileQuotaError || err instanceof FileTooLargeError) return { error: err.name }
      return 'retry'
    } finally {
      await store.close()
    }
  }

  /**
   * One attempt to place a group file with every member it has still to reach, each on its own;
   * records where each went and emits the file's progress. Resolves `retry` while one is worth
   * another attempt.
   */
  async toMembers (m: FileMessage, signal: AbortSignal): Promise<'stop' | 'retry'> {
    const { repos, events, membersOf } = this.components
    const pending = pendingMembers(m)
    // Read once for the attempt: every member's check below uses it.
    const members = pending.length > 0 && m.groupId != null && membersOf != null ? await membersOf(m.groupId) ?? new Map() : undefined
    const tried = await Promise.all(pending.map(async memberId => {
      const contact = await repos.contacts.get(memberId)
      // A member blocked or removed since, or whose record is gone, is not sent the file.
      const gone = contact == null || contact.blocked || (members != null && !members.has(memberId))
      const placing: Placing = gone ? { error: 'NotFoundError' } : await this.place(m, contact, signal)
      return { memberId, placing }
    }))
    const placements: Placement[] = tried.flatMap(t => t.placing === 'retry' ? [] : [{ memberId: t.memberId, ...(t.placing === 'placed' ? {} : { error: t.placing.error }) }])
    const after = placements.length > 0 || tried.length === 0 ? await recordPlacements(repos, m.id, placements) : undefined
    if (after != null) {
      const { state, error, reason } = after.file
      events.emit('file', { id: m.id, contactId: m.contactId, state, bytes: placedBytes(after), total: m.file.size, ...(error != null ? { error } : {}), ...(reason != null ? { reason } : {}) })
    }
    return tried.some(t => t.placing === 'retry') ? 'retry' : 'stop'
  }

  /** How `contact` is reachable now; a group member's record, made while running, is followed first. */
  presenceOf (contact: ContactRecord): ReturnType<Peers['presenceOf']> {
    const { peers } = this.components
    if (contact.status === 'member') {
      peers.follow(contact)
      peers.update(contact.peerId)
    }
    return peers.presenceOf(contact.id)
  }
}
