// SPDX-License-Identifier: AGPL-3.0-only
/**
 * File notices: what the two ends of a file's transfer tell each other, end-to-end encrypted in a
 * Content like a reaction, so they reach an offline contact through relays too.
 *
 * - `cancelled`, from the sender: the recipient's card says "Cancelled by sender", it stops
 *   fetching, drops what it fetched and deletes the chunks at its own relays.
 * - `held`, from the recipient (a file over its automatic download size, or one it cancelled): the
 *   sender stops offering it (no more asking "which chunks do you hold" while both are online).
 * - `wanted`, from the recipient once its user asks for a held file: the sender offers it again,
 *   directly or through the recipient's relays.
 *
 * A notice is applied in the inbox's write that stores its envelope; one that names an unknown
 * message, someone else's, or a file already settled changes nothing. In a group, notices go
 * between a file's sender and each member, one to one (group-files.ts).
 */
import { randomBytes } from 'node:crypto'
import { fromHex, toHex } from '../util/index.js'
import { applyGroupFileNotice, mayTransfer } from './group-files.js'
import type { Content, ContentFileNotice } from '../protocol/types.js'
import type { Transaction } from '../storage/types.js'
import type { FileRecord } from './file-records.js'
import type { FileMessage } from './group-files.js'
import type { ContactRecord, MessageRecord } from './records.js'
import type { Repositories } from './state.js'

/** A kind of file notice. */
export type FileNoticeKind = ContentFileNotice['kind']

/** A file notice the inbox applied: the message it changed, as it now is. */
export interface FileNoticed {
  kind: FileNoticeKind
  message: MessageRecord & { file: FileRecord }
}

/**
 * Whether a notice may go to `contact`: an accepted contact (or, about a group's file, a member),
 * not blocked, its key not in doubt.
 */
export function canNotify (contact: ContactRecord, inGroup = false): boolean {
  return mayTransfer(contact, inGroup) && !contact.blocked && contact.pendingIdentityKey == null && contact.relocation == null
}

/** The Content of a notice about message `messageId`. */
export function noticeContent (messageId: string, kind: FileNoticeKind, now: number): Omit<Content, 'senderCard'> {
  return { id: randomBytes(16), sentAt: now, fileNotice: { target: fromHex(messageId), kind } }
}

/**
 * Applies a contact's file notice to the message it names in `tx`; `undefined` when it changes
 * nothing. The caller writes nothing else for it: the message is put here.
 */
export async function applyFileNotice (tx: Transaction, repos: Pick<Repositories, 'message' | 'messages'>, contact: ContactRecord, notice: ContentFileNotice): Promise<FileNoticed | undefined> {
  const m = await repos.message(toHex(notice.target), tx)
  if (m?.file != null && m.groupId != null) {
    if (!applyGroupFileNotice(m as FileMessage, contact, notice)) return undefined
    repos.messages.put(tx, m)
    return { kind: notice.kind, message: m as FileMessage }
  }
  if (m?.file == null || m.contactId !== contact.id) return undefined
  const file = m.file
  if (notice.kind === 'cancelled') {
    // A file already here stays: the sender changed its mind too late.
    if (m.direction !== 'in' || file.state === 'done' || file.reason === 'sender') return undefined
    file.state = 'cancelled'
    file.reason = 'sender'
    delete file.error
  } else if (notice.kind === 'held') {
    if (m.direction !== 'out' || file.state !== 'waiting' || file.reason === 'held') return undefined
    file.reason = 'held'
  } else {
    if (m.direction !== 'out' || file.state !== 'waiting' || file.reason !== 'held') return undefined
    delete file.reason
  }
  repos.messages.put(tx, m)
  return { kind: notice.kind, message: m as MessageRecord & { file: FileRecord } }
}
