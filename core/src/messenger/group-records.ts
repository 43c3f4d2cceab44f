// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the messenger keeps of each group beside its membership log (`groups/group-store.ts`):
 * under `['group-info', groupId]` a {@link GroupInfo}. Members who are not the user's contacts are
 * reached through a contact record of status `member` made from their card in the group: the
 * courier, the outbox and the inbox then treat them as any contact, but they are never listed,
 * asked about, or given tokens.
 */
import { z } from 'zod'
import { StorageCorruptError } from '../errors.js'
import { contactFromCard, decodeRecord, encodeRecord } from './records.js'
import type { GroupMemberState } from '../groups/index.js'
import type { Key, StoreReader, Transaction } from '../storage/types.js'
import type { ContactRecord, MessageRecord } from './records.js'

/** One group as this messenger keeps it, beside its log. */
export interface GroupInfo {
  /** The group id, 32 hex digits. */
  groupId: string
  /** The group's name as its log last said; absent while we wait to be added. */
  name?: string
  /** The deposit token registered at our relays for this group's members. */
  token: Uint8Array
  /** The relays (addresses) that registered {@link token}. */
  tokenAt: string[]
  /** Contacts asked to join (admins only) whose answer has not come. */
  invited: string[]
  /** The admin who asked us to join, while we wait for the change that adds us. */
  joiningVia?: string
  /** Sequence number of our next text in the group. */
  nextSeq: number
  /** The group's disappearing timer in seconds (the last one a member's text carried). */
  disappearingSeconds: number
  /** Incoming messages not yet read. */
  unread: number
  lastActivity: number
}

const bytes = z.instanceof(Uint8Array)
const count = z.number()

const groupInfoSchema: z.ZodType<GroupInfo> = z.looseObject({
  groupId: z.string().regex(/^[0-9a-f]{32}$/),
  name: z.string().optional(),
  token: bytes,
  tokenAt: z.array(z.string()),
  invited: z.array(z.string()),
  joiningVia: z.string().optional(),
  nextSeq: count,
  disappearingSeconds: count,
  unread: count,
  lastActivity: count
})

/** The key of a group's {@link GroupInfo}. */
export function groupInfoKey (groupId: string): Key {
  return ['group-info', groupId]
}

/** The {@link GroupInfo} of `groupId`, checked, or undefined. */
export async function readGroupInfo (reader: StoreReader, groupId: string): Promise<GroupInfo | undefined> {
  const stored = await reader.get(groupInfoKey(groupId))
  if (stored == null) return undefined
  return parseGroupInfo(stored)
}

/** Checks stored bytes against the schema of {@link GroupInfo}. */
export function parseGroupInfo (stored: Uint8Array): GroupInfo {
  const parsed = groupInfoSchema.safeParse(decodeRecord<unknown>(stored))
  if (!parsed.success) throw new StorageCorruptError('a stored group record is malformed', { cause: parsed.error })
  return parsed.data
}

/** Writes `info` in `tx`. */
export function writeGroupInfo (tx: Transaction, info: GroupInfo): void {
  tx.put(groupInfoKey(info.groupId), encodeRecord(info))
}

/**
 * Records that `memberId` stored the group message `message`: true when that is news. The message
 * is `delivered` once every member it was sent to stored it, `sent` before.
 */
export function markGroupDelivered (message: MessageRecord, memberId: string): boolean {
  const recipients = message.recipientIds ?? []
  const delivered = message.deliveredTo ?? []
  if (!recipients.includes(memberId) || delivered.includes(memberId)) return false
  message.deliveredTo = [...delivered, memberId]
  message.state = message.deliveredTo.length >= recipients.length ? 'delivered' : 'sent'
  return true
}

/** For a `status` event: how many members stored the group message `message`, of how many (nothing outside groups). */
export function groupCounts (message: MessageRecord): { deliveredCount?: number, recipientCount?: number } {
  if (message.recipientIds == null) return {}
  return { deliveredCount: message.deliveredTo?.length ?? 0, recipientCount: message.recipientIds.length }
}

/** Records that `memberId` refused the group message `message`: true when that is news. */
export function markGroupRefused (message: MessageRecord, memberId: string): boolean {
  const refused = message.refusedBy ?? []
  if (!(message.recipientIds ?? []).includes(memberId) || refused.includes(memberId) || (message.deliveredTo ?? []).includes(memberId)) return false
  message.refusedBy = [...refused, memberId]
  return true
}

/**
 * The contact record through which `member` is reached when they are not a contact: made from
 * their card, their group deposit token at each of their relays. An existing `member` record keeps
 * its counters and takes the card's addresses and relays; a contact or request is left alone.
 */
export function memberRoute (existing: ContactRecord | undefined, member: GroupMemberState, now: number): ContactRecord | undefined {
  if (existing != null && existing.status !== 'member') return undefined
  const { card } = member
  const base = existing ?? contactFromCard(card, card.bundle.identityKey, 'member', true, now)
  return {
    ...base,
    peerId: card.peerId,
    displayName: card.name,
    alias: card.name,
    addrs: card.addrs,
    relays: card.relays,
    tokens: card.relays.map(r => ({ addr: r.addr, mailboxId: r.mailboxId, token: member.depositToken }))
  }
}
