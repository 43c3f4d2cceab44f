// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about groups: the list (each with its newest message, for the conversation list), one
 * group, its membership changes (for the timeline), creating, adding, removing, making an admin,
 * renaming, leaving, and the disappearing timer. A group's messages go through the message calls,
 * with the group id as `contactId`.
 */
import { groupChangeEntry, groupView } from '../group-views.js'
import { messageView } from '../views.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { GroupReplies, GroupView } from '../../shared/contract.js'
import type { Group } from '@sotto/core'

/** What the group handlers use. */
export interface GroupHandlersComponents extends MessengerComponents {
  /** Counts unread messages again, after a change that may alter the count. */
  refreshUnread: () => Promise<void>
}

/** The handlers of the group calls. */
export function groupHandlers ({ messenger, refreshUnread }: GroupHandlersComponents): HandlerGroup<keyof GroupReplies> {
  /** The group's view with its newest message. */
  const shown = async (group: Group | Promise<Group>): Promise<GroupView> => {
    const g = await group
    const [last] = await messenger().history(g.id, { limit: 1 })
    return groupView(g, last != null ? messageView(last) : undefined)
  }
  return {
    groups: async () => Promise.all((await messenger().groups()).map(async g => shown(g))),
    group: async ({ groupId }) => shown(messenger().group(groupId)),
    groupChanges: async ({ groupId }) => (await messenger().groupChanges(groupId)).map(groupChangeEntry),
    createGroup: async ({ name, members }) => shown(messenger().createGroup(name, members)),
    addGroupMember: async ({ groupId, contactId }) => shown(messenger().addToGroup(groupId, contactId)),
    removeGroupMember: async ({ groupId, memberId }) => shown(messenger().removeFromGroup(groupId, memberId)),
    makeGroupAdmin: async ({ groupId, memberId }) => shown(messenger().makeGroupAdmin(groupId, memberId)),
    renameGroup: async ({ groupId, name }) => shown(messenger().renameGroup(groupId, name)),
    leaveGroup: async ({ groupId }) => {
      const left = await shown(messenger().leaveGroup(groupId))
      void refreshUnread()
      return left
    },
    setGroupDisappearing: async ({ groupId, seconds }) => shown(messenger().setGroupDisappearing(groupId, seconds))
  }
}
