// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files in groups. A file sent to a group is sealed once into one chunk store, and its pointer (a
 * File body) travels inside the group message, sealed with the sender's sender key. Its chunks
 * then reach each member as a one-to-one file's reach its recipient, through the record the member
 * is reached by (a contact, or one of status `member`): fetched by the member directly, or uploaded
 * to that member's relays with their deposit token. The sender's record of the message keeps, per
 * member, whose copy is placed, who asked it held (a file over their automatic download size), and
 * whose relays refused it; the file is `done` once every member it was sent to is placed.
 */
import { contentFileOf, fileIdTaken, fileRecordOf, fileRefOf } from './file-records.js'
import type { ContentFile, ContentFileNotice, ContentGroupText } from '../protocol/types.js'
import type { Transaction } from '../storage/types.js'
import type { FileRecord } from './file-records.js'
import type { ContactRecord, MessageRecord } from './records.js'
import type { Repositories } from './state.js'
import type { FileState } from './types.js'

/** A file message as kept. */
export type FileMessage = MessageRecord & { file: FileRecord }

/** Where a member's copy of a group file went: placed, or refused by every relay of theirs (`error`). */
export interface Placement {
  memberId: string
  error?: string
}

const SETTLED: readonly FileState[] = ['done', 'failed', 'cancelled']

/** The File body a group message carries for `file`, as its `seq`-th message; nothing for a text. */
export function groupFileOf (file: FileRecord | undefined, seq: number): { file?: ContentFile } {
  return file != null ? { file: contentFileOf(file, seq) } : {}
}

/**
 * A group message that arrived carrying a file: its record (not fetched yet) and index entry, in
 * `tx`. False, with nothing written, when its file id is taken here already (see {@link fileIdTaken}).
 */
export async function receivedGroupFile (tx: Transaction, repos: Pick<Repositories, 'files'>, message: MessageRecord, text: ContentGroupText): Promise<boolean> {
  if (text.file == null) return true
  if (await fileIdTaken(tx, repos.files, text.file.id)) return false
  message.file = fileRecordOf(text.file)
  repos.files.put(tx, fileRefOf({ ...message, file: message.file }))
  return true
}

/** Whom an incoming file comes from: its contact, or in a group its sender. */
export function senderOf (m: Pick<MessageRecord, 'contactId' | 'groupId' | 'senderId'>): string {
  return m.groupId != null && m.senderId != null ? m.senderId : m.contactId
}

/**
 * Whether a file may be fetched from, and notices sent to, `contact`: an accepted contact, or in a
 * group any member (a request only when it came through the group). Blocking is the caller's.
 */
export function mayTransfer (contact: ContactRecord, inGroup: boolean): boolean {
  if (contact.status === 'contact') return true
  return inGroup && (contact.status === 'member' || contact.viaGroup === true)
}

/** The members an outgoing group file still has to reach: not placed, not held, not refused. */
export function pendingMembers (m: FileMessage): string[] {
  const { placed = [], heldBy = [], missedBy = [] } = m.file
  return (m.recipientIds ?? []).filter(id => !placed.includes(id) && !heldBy.includes(id) && !missedBy.includes(id))
}

/** `held` while every member the file has still to reach asked it held. */
function holdReason (m: FileMessage): void {
  const { placed = [], missedBy = [] } = m.file
  const left = (m.recipientIds ?? []).filter(id => !placed.includes(id) && !missedBy.includes(id))
  if (left.length > 0 && pendingMembers(m).length === 0) m.file.reason = 'held'
  else delete m.file.reason
}

/**
 * Records where members' copies of the outgoing group file of `messageId` went, in one write: it is
 * `done` once every member is placed or refused (`failed` when none was placed), `transferring`
 * once one is. Resolves with the message as it now is, or undefined when it settled meanwhile.
 */
export async function recordPlacements (repos: Pick<Repositories, 'state' | 'message' | 'messages'>, messageId: string, placements: readonly Placement[]): Promise<FileMessage | undefined> {
  return repos.state.change(async (tx, change) => {
    const m = await repos.message(messageId, tx)
    if (m?.file == null || SETTLED.includes(m.file.state)) {
      change.discard()
      return undefined
    }
    const file = m.file
    for (const p of placements) {
      if (p.error == null) file.placed = [...new Set([...file.placed ?? [], p.memberId])]
      else file.missedBy = [...new Set([...file.missedBy ?? [], p.memberId])]
    }
    const placed = file.placed?.length ?? 0
    const recipients = m.recipientIds ?? []
    if (placed + (file.missedBy?.length ?? 0) >= recipients.length) {
      file.state = placed > 0 || recipients.length === 0 ? 'done' : 'failed'
      if (file.state === 'failed') file.error = placements.find(p => p.error != null)?.error ?? 'NotFoundError'
    } else if (placed > 0) {
      file.state = 'transferring'
    }
    holdReason(m as FileMessage)
    repos.messages.put(tx, m)
    return m as FileMessage
  })
}

/** The bytes of an outgoing group file counted as held by the other side: its size times the share of members placed. */
export function placedBytes (m: FileMessage): number {
  const recipients = m.recipientIds?.length ?? 0
  return recipients === 0 ? m.file.size : Math.floor(m.file.size * (m.file.placed?.length ?? 0) / recipients)
}

/**
 * Applies a member's file notice to the group file message `m` (changed in place): `cancelled`
 * from its sender; `held` and `wanted` from a member it was sent to and who is not placed yet.
 * False when it changes nothing.
 */
export function applyGroupFileNotice (m: FileMessage, contact: ContactRecord, notice: ContentFileNotice): boolean {
  const file = m.file
  if (notice.kind === 'cancelled') {
    if (m.direction !== 'in' || m.senderId !== contact.id || file.state === 'done' || file.reason === 'sender') return false
    file.state = 'cancelled'
    file.reason = 'sender'
    delete file.error
    return true
  }
  if (m.direction !== 'out' || SETTLED.includes(file.state) || !(m.recipientIds ?? []).includes(contact.id) || (file.placed ?? []).includes(contact.id)) return false
  const heldBy = file.heldBy ?? []
  if (notice.kind === 'held' && heldBy.includes(contact.id)) return false
  if (notice.kind === 'wanted' && !heldBy.includes(contact.id)) return false
  file.heldBy = notice.kind === 'held' ? [...heldBy, contact.id] : heldBy.filter(id => id !== contact.id)
  holdReason(m)
  return true
}
