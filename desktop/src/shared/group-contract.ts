// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The groups part of the IPC contract (joined into `contract.ts`): the group as the renderer sees
 * it, its membership changes for the timeline, a schema for every group call's payload, and their
 * replies. A group's conversation uses the contract's `history`, `send` and `markRead` with the
 * group id as `contactId`.
 */
import { z } from 'zod'
import type { MessageView } from './contract.js'
import type { GroupChangeView } from '@sotto/core'

/** One member of a group. `name` is untrusted. */
export interface GroupMemberInfo {
  /** Their user id. */
  id: string
  /** Their contact alias when they are a contact, else the name on their card (untrusted text). */
  name: string
  /** They may change the group. */
  admin: boolean
  /** They are one of the user's contacts. */
  contact: boolean
}

/** A group. `name` is untrusted. */
export interface GroupView {
  /** The group id, 32 hex digits; also its conversation's `contactId`. */
  id: string
  /** Its name (untrusted text). */
  name: string
  /** Its members, the user included while a member. */
  members: GroupMemberInfo[]
  /** User ids asked to join whose answer has not come yet. */
  invited: string[]
  /** The user is a member (false once removed or left). */
  member: boolean
  /** The user is an admin. */
  admin: boolean
  /** Most members it may have. */
  maxMembers: number
  /** Disappearing-messages timer in seconds; 0 is off. */
  disappearingSeconds: number
  /** Unread incoming messages. */
  unread: number
  /** When it last changed or carried a message here (ms since epoch). */
  lastActivity: number
  /** The newest message, for the conversation list. */
  lastMessage?: MessageView
}

/** One membership change, for the group's timeline. Names are untrusted. */
export type GroupChangeEntry = Pick<GroupChangeView, 'id' | 'type' | 'at' | 'by' | 'byName' | 'member' | 'memberName' | 'name' | 'previousName'>

/** What a message of a group adds to a `MessageView`. */
export interface GroupMessageFields {
  /** In a group: the user id of who wrote it (the user's own for outgoing messages). */
  senderId?: string
  /** Outgoing, in a group: how many members stored it. */
  deliveredCount?: number
  /** Outgoing, in a group: how many members it was sent to. */
  recipientCount?: number
  /** In a group: the disappearing timer it carried, in seconds (0 or absent: none). */
  disappearingSeconds?: number
}

const groupId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a group id')
const memberId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a user id')
const contactId = z.string().min(1).max(128)
const groupName = z.string().trim().min(1).max(64)
  .refine(s => !/[\p{Cc}]/u.test(s), 'must not contain control characters')
const ref = z.strictObject({ groupId })

/**
 * The schema of every group call's payload; `timers` are the disappearing timers offered (the
 * contract's `DISAPPEARING_CHOICES`, passed in so that this file imports no value from it).
 */
export function groupRequestSchemas (timers: readonly number[]) {
  return {
    groups: z.undefined(),
    group: ref,
    groupChanges: ref,
    createGroup: z.strictObject({ name: groupName, members: z.array(contactId).min(1).max(99) }),
    addGroupMember: z.strictObject({ groupId, contactId }),
    removeGroupMember: z.strictObject({ groupId, memberId }),
    makeGroupAdmin: z.strictObject({ groupId, memberId }),
    renameGroup: z.strictObject({ groupId, name: groupName }),
    leaveGroup: ref,
    setGroupDisappearing: z.strictObject({
      groupId,
      seconds: z.number().int().refine(n => timers.includes(n), 'is not an offered timer')
    })
  }
}

/** The reply value of each group call. */
export interface GroupReplies {
  groups: GroupView[]
  group: GroupView
  groupChanges: GroupChangeEntry[]
  createGroup: GroupView
  addGroupMember: GroupView
  removeGroupMember: GroupView
  makeGroupAdmin: GroupView
  renameGroup: GroupView
  leaveGroup: GroupView
  setGroupDisappearing: GroupView
}

/** The group events: a group was created, joined, renamed, or its membership changed. */
export interface GroupEvents {
  group: GroupView
}
