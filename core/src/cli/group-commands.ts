// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The `sotto` group commands (part of the command table, `table.ts`): create a group, ask a
 * contact to join, remove a member, rename the group, leave, list. In `run`,
 * `{"cmd":"group","action":"create","name":NAME,"member":[CONTACT]}`.
 */
import { groupLine } from './lines.js'
import type { Command, Field, Input } from './table.js'

const group: Field = { key: 'group', label: 'GROUP', what: 'a group (its id or name)', kind: 'string', positional: true }
const str = (input: Input, key: string): string => input[key] as string

/** The group commands, in the order the usage text lists them. */
export const GROUP_COMMANDS: readonly Command[] = [
  { name: 'groups', fields: [], output: 'lines', handler: async ({ messenger }) => (await messenger.groups()).map(groupLine) },
  {
    name: 'group create',
    fields: [
      { key: 'name', label: 'NAME', what: 'a group name', kind: 'string', positional: true },
      { key: 'member', label: 'CONTACT', what: 'contacts', kind: 'strings', optional: true },
      { key: 'max', label: 'N', what: 'a number of members from 1 to 100', kind: 'number', min: 1, optional: true }
    ],
    help: 'each CONTACT is asked to join, and added once their messenger answers',
    output: 'one',
    handler: async ({ messenger }, input) => groupLine(await messenger.createGroup(str(input, 'name'), (input.member as string[] | undefined) ?? [],
      input.max != null ? { maxMembers: input.max as number } : {}))
  },
  {
    name: 'group add',
    fields: [group, { key: 'contact', label: 'CONTACT', what: 'a contact', kind: 'string', positional: true }],
    help: 'admins only; added once their messenger answers',
    output: 'one',
    handler: async ({ messenger }, input) => groupLine(await messenger.addToGroup(str(input, 'group'), str(input, 'contact')))
  },
  {
    name: 'group remove',
    fields: [group, { key: 'member', label: 'MEMBER', what: 'a member (user id or name)', kind: 'string', positional: true }],
    help: 'admins only',
    output: 'one',
    handler: async ({ messenger }, input) => groupLine(await messenger.removeFromGroup(str(input, 'group'), str(input, 'member')))
  },
  {
    name: 'group rename',
    fields: [group, { key: 'name', label: 'NAME', what: 'a group name', kind: 'string', positional: true }],
    help: 'admins only; every member shows the new name',
    output: 'one',
    handler: async ({ messenger }, input) => groupLine(await messenger.renameGroup(str(input, 'group'), str(input, 'name')))
  },
  {
    name: 'group disappearing',
    fields: [group, { key: 'seconds', label: 'SECONDS', what: 'a number of seconds', kind: 'number', min: 0, positional: true }],
    help: 'your texts carry it; 0 turns them off',
    output: 'one',
    handler: async ({ messenger }, input) => groupLine(await messenger.setGroupDisappearing(str(input, 'group'), input.seconds as number))
  },
  {
    name: 'group leave',
    fields: [group],
    output: 'one',
    handler: async ({ messenger }, input) => groupLine(await messenger.leaveGroup(str(input, 'group')))
  }
]
