// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Maps `@sotto/core`'s groups to the IPC contract's views, field by field (as views.ts does for
 * the rest), so nothing core may add later (cards, tokens) crosses to the renderer by accident.
 */
import type { Group, GroupChangeView, Message } from '@sotto/core'
import type { GroupChangeEntry, GroupMessageFields, GroupView, MessageView } from '../shared/contract.js'

/** A group as the renderer sees it, with its newest message when there is one. */
export function groupView (g: Group, lastMessage?: MessageView): GroupView {
  const view: GroupView = {
    id: g.id,
    name: g.name,
    members: g.members.map(m => ({ id: m.id, name: m.name, admin: m.admin, contact: m.contact })),
    invited: [...g.invited],
    member: g.member,
    admin: g.admin,
    maxMembers: g.maxMembers,
    disappearingSeconds: g.disappearingSeconds,
    unread: g.unread,
    lastActivity: g.lastActivity
  }
  if (lastMessage != null) {
    view.lastMessage = lastMessage
    // The list shows a file's kind and name only (as for contacts).
    delete view.lastMessage.file?.thumbnail
  }
  return view
}

/** A membership change as the renderer sees it. */
export function groupChangeEntry (c: GroupChangeView): GroupChangeEntry {
  const entry: GroupChangeEntry = { id: c.id, type: c.type, at: c.at, by: c.by, byName: c.byName }
  if (c.member != null) entry.member = c.member
  if (c.memberName != null) entry.memberName = c.memberName
  if (c.name != null) entry.name = c.name
  if (c.previousName != null) entry.previousName = c.previousName
  return entry
}

/**
 * What a group message adds to its view: its sender, how many members stored it, and the timer
 * it carried. A group text disappears that long after it was stored here (sent, for the user's
 * own), so the timer is what lies between the two.
 */
export function groupMessageFields (m: Message): GroupMessageFields {
  if (m.groupId == null) return {}
  const fields: GroupMessageFields = {}
  if (m.senderId != null) fields.senderId = m.senderId
  if (m.recipientCount != null) {
    fields.deliveredCount = m.deliveredCount ?? 0
    fields.recipientCount = m.recipientCount
  }
  if (m.expiresAt != null) fields.disappearingSeconds = Math.round((m.expiresAt - m.storedAt) / 1000)
  return fields
}
