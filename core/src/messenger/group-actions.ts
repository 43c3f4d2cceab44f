// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reactions, edits and deletes of a group's messages: sealed with our sender key as one group
 * message to the group's current members (never to a removed one), each carrying the group's id;
 * a member's applied as a contact's are in a conversation (conversation-actions.ts): its target
 * must be a message of that group, an edit or delete must be its author's, within the window.
 * Sealed again to a member who could not open it, as things are then.
 */
import { randomBytes } from 'node:crypto'
import { recipientsOf } from '../groups/index.js'
import { GroupChangeRefusedError, NotFoundError } from '../errors.js'
import { decodeContent, encodeContent } from '../protocol/index.js'
import { fromHex, toHex } from '../util/index.js'
import { applyEditOrDelete, editRefusal, resealedAction, setReaction } from './conversation-actions.js'
import { Routes } from './group-fanout.js'
import { decodeRecord, encodeRecord } from './records.js'
import type { GroupLog } from '../groups/index.js'
import type { Content } from '../protocol/index.js'
import type { Key, Transaction } from '../storage/types.js'
import type { ActionBody, ActionEvent } from './conversation-actions.js'
import type { Groups } from './groups.js'
import type { ContactRecord, SentControl } from './records.js'
import type { ChangeControl } from './state.js'

/** The group id a reaction, edit or delete in `content` carries: it acts on a group's message. */
export function groupActionOf (content: Content): Uint8Array | undefined {
  return (content.reaction ?? content.edit ?? content.delete)?.groupId
}

/**
 * Seals our current sender key of `log`'s group again, one to one, to `contact` (a member who
 * could not open our group message), after readying it for every member we send to. `contact`
 * is the caller's record, which it writes; the routes read are written by the caller's
 * `flush` of the answer.
 */
export async function sendKeyAgain (groups: Groups, tx: Transaction, change: ChangeControl, log: GroupLog, contact: ContactRecord): Promise<Routes> {
  const { identity, outbox, repos } = groups.components
  const routes = new Routes(tx, repos.contacts, log.state)
  routes.adopt(contact)
  const recipients = []
  for (const r of recipientsOf(log.state, identity.userId)) if ((await routes.get(r.userId))?.blocked !== true) recipients.push(r)
  const distribution = await groups.distributeKey(tx, change, routes, log, recipients)
  // Their copy of our key is missing whatever we recorded: it goes again, before what they asked for.
  await outbox.add(tx, change, contact, { id: randomBytes(16), sentAt: Date.now(), senderKey: { groupId: fromHex(log.groupId), distribution } })
  return routes
}

/** Reactions, edits and deletes in groups. */
export class GroupActions {
  constructor (private readonly groups: Groups) {}

  /**
   * Seals `body` (acting on a message of `groupId`) as a group message to the group's members but
   * the blocked ones, in `tx`, and keeps a record of it to seal it again at a member's request.
   *
   * @throws {GroupChangeRefusedError} when we are no longer a member
   */
  async send (tx: Transaction, change: ChangeControl, groupId: string, body: ActionBody, sentAt: number): Promise<void> {
    const { identity, repos } = this.groups.components
    const log = await this.groups.logOf(tx, groupId)
    if (log == null) throw new NotFoundError(`no group ${groupId}`)
    if (!log.state.members.has(identity.userId)) throw new GroupChangeRefusedError('you are no longer a member of this group')
    const id = randomBytes(16)
    const to = await this.groups.seal(tx, change, log, { id, sentAt, ...withGroupId(body, fromHex(groupId)) })
    if (to.length === 0) return
    // The target only: sealed again, it carries the state as it is then.
    const target = body.reaction != null ? { reaction: toHex(body.reaction.target) } : body.edit != null ? { edit: toHex(body.edit.target) } : { delete: toHex((body.delete as NonNullable<ActionBody['delete']>).target) }
    repos.controls.put(tx, { id: toHex(id), contactId: groupId, sentAt, group: { groupId, to }, ...target })
  }

  /**
   * Applies member `from`'s reaction, edit or delete in `content` (checked to be of the group it was
   * sealed for) in `tx`; resolves with the events to emit once durable (none when it is dropped),
   * `blocked` when `from` is blocked (what they do is refused), or `early` when its target is not
   * here (the caller drops it, or holds it with its target).
   */
  async receive (tx: Transaction, from: string, content: Content): Promise<ActionEvent[] | 'blocked' | 'early'> {
    const { repos } = this.groups.components
    if ((await repos.contacts.get(from, tx))?.blocked === true) return 'blocked'
    const action = (content.reaction ?? content.edit ?? content.delete) as NonNullable<Content['delete']>
    const groupId = toHex(action.groupId as Uint8Array)
    const m = await repos.message(toHex(action.target), tx)
    if (m == null) {
      this.ignored('unknown target')
      return 'early'
    }
    if (m.groupId !== groupId || m.deleted === true) return this.ignored('unknown target')
    if (content.reaction != null) {
      setReaction(m, from, content.reaction.emoji)
      repos.messages.put(tx, m)
      return [{ event: 'reaction', detail: { contactId: groupId, id: m.id, by: from, emoji: content.reaction.emoji, group: groupId } }]
    }
    const refusal = m.senderId !== from ? 'not their message' : editRefusal(m, content.sentAt)
    if (refusal != null) return this.ignored(refusal)
    const events = applyEditOrDelete(m, content)
    if (events.length === 0) return this.ignored('stale')
    repos.messages.put(tx, m)
    return events
  }

  /**
   * The body of our group action `control` to seal again, one to one, to `contact` at their request
   * (after our sender key): as things are now, while they and we are members, else undefined.
   */
  async resealed (tx: Transaction, change: ChangeControl, contact: ContactRecord, control: SentControl): Promise<ActionBody | undefined> {
    const { identity, repos } = this.groups.components
    const groupId = (control.group as NonNullable<SentControl['group']>).groupId
    const log = await this.groups.logOf(tx, groupId)
    if (log == null || !log.state.members.has(contact.id) || !log.state.members.has(identity.userId)) return undefined
    const body = await resealedAction(tx, repos, identity.userId, control)
    if (body == null) return undefined
    const routes = await sendKeyAgain(this.groups, tx, change, log, contact)
    routes.flush()
    return withGroupId(body, fromHex(groupId))
  }

  /**
   * Keeps member `from`'s action `content`, whose target `target` is held here (it came before its
   * sender's key), until that is stored ({@link applyEarly}).
   */
  keepEarly (tx: Transaction, target: string, from: string, content: Content): void {
    tx.put(earlyKey(target, toHex(content.id)), encodeRecord({ from, content: encodeContent(content) }))
  }

  /** Applies in `tx` the actions kept for message `target`, just stored; resolves with their events. */
  async applyEarly (tx: Transaction, target: string): Promise<ActionEvent[]> {
    const events: ActionEvent[] = []
    for await (const bytes of tx.values(['group-early', target])) {
      const kept = decodeRecord<{ from: string, content: Uint8Array }>(bytes)
      const content = decodeContent(kept.content)
      tx.del(earlyKey(target, toHex(content.id)))
      const applied = await this.receive(tx, kept.from, content)
      if (Array.isArray(applied)) events.push(...applied)
    }
    return events
  }

  /** Drops in `tx` the actions kept for message `target`, which will never be stored. */
  async dropEarly (tx: Transaction, target: string): Promise<void> {
    for await (const bytes of tx.values(['group-early', target])) {
      tx.del(earlyKey(target, toHex(decodeContent(decodeRecord<{ content: Uint8Array }>(bytes).content).id)))
    }
  }

  /** Notes, without any content, that a member's action was dropped; there is nothing to emit. */
  private ignored (reason: string): ActionEvent[] {
    this.groups.components.log.debug('group action ignored', { reason })
    return []
  }
}

/** Where an action that came before its held target waits for it. */
function earlyKey (target: string, id: string): Key {
  return ['group-early', target, id]
}

/** `body` (a reaction, edit or delete) marked as acting on a message of group `groupId`. */
function withGroupId (body: ActionBody, groupId: Uint8Array): ActionBody {
  if (body.reaction != null) return { reaction: { ...body.reaction, groupId } }
  if (body.edit != null) return { edit: { ...body.edit, groupId } }
  if (body.delete != null) return { delete: { ...body.delete, groupId } }
  return body
}
