// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's membership changes as its timeline shows them: each applied change of its log, in the
 * order the log resolves them, with its author and the member it concerns named (a member who
 * left or was removed keeps the name their card gave them; a rename, the name it replaced).
 */
import { decodeGroupChange } from '../groups/index.js'
import type { GroupLog, GroupChange } from '../groups/index.js'
import type { Repositories } from './state.js'
import type { GroupChangeView } from './group-types.js'

const TYPES = { create: 'created', add: 'added', remove: 'removed', 'make-admin': 'made-admin', leave: 'left', rename: 'renamed' } as const

/** The applied changes of `log`, oldest first, as shown. */
export async function groupHistory (repos: Pick<Repositories, 'contacts'>, log: GroupLog): Promise<GroupChangeView[]> {
  const changes: GroupChange[] = log.changes().map(decodeGroupChange).filter(c => log.isApplied(c.id))
  const cardNames = new Map<string, string>()
  for (const c of changes) {
    if (c.action.type === 'create') cardNames.set(c.author, c.action.creator.decoded.name)
    if (c.action.type === 'add') cardNames.set(c.action.member.decoded.userId, c.action.member.decoded.name)
  }
  const names = new Map<string, string>()
  const nameOf = async (userId: string): Promise<string> => {
    let name = names.get(userId)
    if (name == null) {
      const contact = await repos.contacts.get(userId)
      name = contact != null && contact.status === 'contact' ? contact.alias : cardNames.get(userId) ?? ''
      names.set(userId, name)
    }
    return name
  }
  const shown: GroupChangeView[] = []
  let groupName = ''
  for (const c of changes) {
    const view: GroupChangeView = { id: c.id, type: TYPES[c.action.type], at: c.createdAt, by: c.author, byName: await nameOf(c.author) }
    const member = c.action.type === 'add' ? c.action.member.decoded.userId : c.action.type === 'remove' || c.action.type === 'make-admin' ? c.action.userId : undefined
    if (member != null) {
      view.member = member
      view.memberName = await nameOf(member)
    }
    if (c.action.type === 'rename') view.previousName = groupName
    if (c.action.type === 'create' || c.action.type === 'rename') view.name = groupName = c.action.name
    shown.push(view)
  }
  return shown
}
