// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Groups, as the messenger's public contract shows them.
 */

/** One member of a group, as shown. */
export interface GroupMemberView {
  /** Their user id. */
  id: string
  /** Their contact alias when they are a contact, else the name on their card (untrusted text). */
  name: string
  /** They may change the group. */
  admin: boolean
  /** They are one of the user's contacts. */
  contact: boolean
}

/** A group, as shown. */
export interface Group {
  /** The group id, 32 hex digits. */
  id: string
  /** Its name (untrusted text). */
  name: string
  /** Its members, the user included while a member. */
  members: GroupMemberView[]
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
  /** Incoming messages not yet read. */
  unread: number
  /** When the group last changed or carried a message here (ms since epoch). */
  lastActivity: number
}

/**
 * One change of a group's membership, as shown in its timeline: `created` the group, `added`,
 * `removed` or `made-admin` a member, `left`, or `renamed` it.
 */
export interface GroupChangeView {
  /** The change's id, hex. */
  id: string
  /** What it did. */
  type: 'created' | 'added' | 'removed' | 'made-admin' | 'left' | 'renamed'
  /** When its author made it (ms since epoch, the author's clock). */
  at: number
  /** Its author's user id. */
  by: string
  /** Its author's name: their contact alias, else the name on their card (untrusted text). */
  byName: string
  /** The member it concerns (`added`, `removed`, `made-admin`): a user id. */
  member?: string
  /** That member's name, as {@link byName}. */
  memberName?: string
  /** The group's name it gave (`created`, `renamed`). */
  name?: string
  /** The group's name it replaced (`renamed`). */
  previousName?: string
}

/** Options of {@link Messenger.createGroup}. */
export interface CreateGroupOptions {
  /** At most this many members, 1-100 (default 100); every member enforces it. */
  maxMembers?: number
}
