// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Groups in the messenger: create, ask to join, add, remove, leave, and texts sent with the
 * sender's sender key to every member (see docs/ARCHITECTURE.md, "Groups"). A member is reached
 * as a contact is, directly or through two of their relays, through their contact record or one
 * made from their card in the group ({@link Routes}). What arrives for groups is group-inbox.ts's.
 */
import { randomBytes } from 'node:crypto'
import {
  GroupLog, createGroup, loadGroupLog, markSenderKeyDistributed, prepareGroupSend, recipientsOf, recordGroupChange,
  sealForGroup, startMemberSessions
} from '../groups/index.js'
import { GroupChangeRefusedError, GroupFullError, InvalidInputError, NotFoundError, NotGroupAdminError } from '../errors.js'
import { generateDepositToken } from '../mailbox/index.js'
import { MAX_DISAPPEARING_SECONDS, encodeContent } from '../protocol/index.js'
import { fromHex, toHex } from '../util/index.js'
import { MAX_TEXT_LENGTH } from './conversations.js'
import { toMessage } from './context.js'
import { Routes, groupView, registerAtRelays, sendChanges } from './group-fanout.js'
import { groupFileOf } from './group-files.js'
import { groupHistory } from './group-history.js'
import { parseGroupInfo, readGroupInfo, writeGroupInfo } from './group-records.js'
import { keys, messageOrder } from './records.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { GroupRecipient } from '../groups/index.js'
import type { Content } from '../protocol/index.js'
import type { Logger } from '../logger.js'
import type { MailboxClient } from '../mailbox/index.js'
import type { StoreReader, Transaction } from '../storage/types.js'
import type { ContactBook } from './contacts.js'
import type { Events } from './context.js'
import type { Disappearing } from './disappearing.js'
import type { FileRecord } from './file-records.js'
import type { GroupInfo } from './group-records.js'
import type { GroupChangeView } from './group-types.js'
import type { Outbox } from './outbox.js'
import type { ContactRecord, MessageRecord } from './records.js'
import type { ChangeControl, Repositories } from './state.js'
import type { CreateGroupOptions, Group, Message } from './types.js'

/** What groups use. */
export interface GroupsComponents {
  repos: Repositories
  identity: LocalIdentity
  events: Events
  log: Logger
  outbox: Outbox
  contacts: Pick<ContactBook, 'resolve' | 'assertSendable'>
  disappearing: Pick<Disappearing, 'schedule' | 'rearm'>
  /** Mailbox clients of our relays, to register each group's deposit token. */
  clients: { get(addr: string, preferred: boolean): MailboxClient }
  /** This messenger's signed card (without a one-time prekey): our entry in a group. */
  ownCard(): Promise<Uint8Array>
}

/** A group's log and record, read in one transaction. */
interface Opened {
  info: GroupInfo
  log: GroupLog
}

/** The messenger's groups. */
export class Groups {
  /**
   * Each group's log as last committed, once read: reading one again checks every change and card
   * (about 1 s for a group of 100 here). A change that does not commit forgets what it touched.
   */
  private readonly logs = new Map<string, GroupLog>()

  /** Group ids by name, of the groups we hold a log of: a group is named without a read of the store. */
  private readonly names = new Map<string, string>()

  constructor (readonly components: GroupsComponents) {}

  /**
   * Writes `info` in `tx`, with the name the group's log gives it when there is one, and notes
   * that name: sends name a group at once, so that they keep the order of the calls.
   */
  record (tx: Transaction, info: GroupInfo, log?: GroupLog): void {
    if (log != null) info.name = log.state.name
    if (info.name != null) this.names.set(info.groupId, info.name)
    writeGroupInfo(tx, info)
  }

  /**
   * The id of the group `ref` names (its id, or its name), or undefined when none does.
   *
   * @throws {InvalidInputError} when several groups have that name
   */
  named (ref: string): string | undefined {
    if (this.names.has(ref)) return ref
    const ids = [...this.names].filter(([, name]) => name === ref).map(([id]) => id)
    if (ids.length > 1) throw new InvalidInputError(`several groups are named ${JSON.stringify(ref)}: use the group id`)
    return ids[0]
  }

  /**
   * The log of `groupId` (from memory once read), or undefined. Only a read under the messenger's
   * lock (`locked`, in a change) is kept: one read outside it could replace the log a change is
   * working on with an older one.
   */
  async logOf (reader: StoreReader, groupId: string, locked = true): Promise<GroupLog | undefined> {
    const known = this.logs.get(groupId)
    if (known != null) return known
    const log = await loadGroupLog(reader, groupId)
    if (log != null && locked) this.logs.set(groupId, log)
    return log
  }

  /**
   * Keeps `log` in memory once `change` commits (a log just opened), still under the lock, so that
   * the next change finds it; forgets every log if the change fails, so that what a change did to
   * a log in memory without committing is read again.
   */
  watch (change: ChangeControl, log?: GroupLog): void {
    if (log != null) change.afterCommit(() => { this.logs.set(log.groupId, log) })
    change.onSettled(durable => { if (!durable) this.logs.clear() })
  }

  /** Forgets every log held in memory (a change failed part way). */
  forget (): void {
    this.logs.clear()
  }

  /**
   * Registers at our relays the group tokens some relay has not taken yet (a relay was down).
   * Resolves with the groups we were asked to join and are not in yet, with the admin who asked.
   */
  async start (): Promise<Array<{ groupId: string, admin: string }>> {
    const { repos } = this.components
    const joining = []
    for await (const stored of repos.state.store.values(['group-info'])) {
      const info = parseGroupInfo(stored)
      if (info.name != null) this.names.set(info.groupId, info.name)
      if (info.joiningVia != null) joining.push({ groupId: info.groupId, admin: info.joiningVia })
      else void this.registerToken(info.groupId, info.token, info.tokenAt).catch(() => {})
    }
    return joining
  }

  /** Registers `token` where it is not yet, and records where it is. */
  async registerToken (groupId: string, token: Uint8Array, already: readonly string[] = []): Promise<void> {
    const { repos, clients } = this.components
    const done = await registerAtRelays(repos.relays, clients, token, already)
    if (done.length === 0) return
    await repos.state.change(async (tx, change) => {
      const info = await readGroupInfo(tx, groupId)
      if (info == null) return change.discard()
      info.tokenAt = [...new Set([...info.tokenAt, ...done])]
      this.record(tx, info)
    })
  }

  /** Creates a group and asks `memberRefs` (contacts) to join (see `Messenger.createGroup`). */
  async create (name: string, memberRefs: readonly string[], options: CreateGroupOptions = {}): Promise<Group> {
    const { repos, identity } = this.components
    const maxMembers = options.maxMembers ?? 100
    if (memberRefs.length + 1 > maxMembers) {
      throw new GroupFullError(`a group of at most ${maxMembers} members cannot take ${memberRefs.length + 1}`)
    }
    const token = generateDepositToken()
    const card = await this.components.ownCard()
    const group = await repos.state.change(async (tx, change) => {
      const { log, create } = createGroup(identity, { name, creator: { card, depositToken: token }, maxMembers })
      recordGroupChange(tx, log, create)
      this.watch(change, log)
      const info: GroupInfo = { groupId: log.groupId, token, tokenAt: [], invited: [], nextSeq: 0, disappearingSeconds: 0, unread: 0, lastActivity: Date.now() }
      for (const ref of memberRefs) await this.ask(tx, change, info, log, ref)
      this.record(tx, info, log)
      return await groupView(repos, identity.userId, log.state, info)
    })
    void this.registerToken(group.id, token).catch(() => {})
    this.components.events.emit('group', group)
    return group
  }

  /** Asks a contact to join (admins only); they are added when their entry comes. */
  async add (groupRef: string, contactRef: string): Promise<Group> {
    return this.change(groupRef, async (tx, change, { info, log }) => {
      await this.ask(tx, change, info, log, contactRef)
    })
  }

  /** Removes a member (admins only): the change goes to every member, the removed one included. */
  async remove (groupRef: string, memberRef: string): Promise<Group> {
    return this.change(groupRef, async (tx, change, { log }) => {
      const userId = await this.memberId(log, memberRef)
      const before = log.state
      const bytes = log.propose(this.components.identity, { type: 'remove', userId })
      await this.announce(tx, change, log, bytes, [...before.members.keys()])
    })
  }

  /** Makes a member an admin (admins only): the change goes to every member. */
  async makeAdmin (groupRef: string, memberRef: string): Promise<Group> {
    return this.change(groupRef, async (tx, change, { log }) => {
      const userId = await this.memberId(log, memberRef)
      if (log.state.members.get(userId)?.admin === true) throw new GroupChangeRefusedError('they are an admin already')
      const bytes = log.propose(this.components.identity, { type: 'make-admin', userId })
      await this.announce(tx, change, log, bytes, [...log.state.members.keys()])
    })
  }

  /**
   * Renames the group (admins only): the change goes to every member, and each shows the new name.
   * The name is checked as a new group's is.
   */
  async rename (groupRef: string, name: string): Promise<Group> {
    return this.change(groupRef, async (tx, change, { log }) => {
      if (log.state.members.get(this.components.identity.userId)?.admin !== true) throw new NotGroupAdminError('only an admin renames the group')
      if (log.state.name === name) throw new GroupChangeRefusedError('the group has that name already')
      const bytes = log.propose(this.components.identity, { type: 'rename', name })
      await this.announce(tx, change, log, bytes, [...log.state.members.keys()])
    })
  }

  /** The membership changes of the group `ref` names, oldest first (see group-history.ts). */
  async history (ref: string): Promise<GroupChangeView[]> {
    const { repos } = this.components
    const { log } = await this.open(repos.state.store, this.requireId(ref), false)
    return await groupHistory(repos, log)
  }

  /** Leaves a group: the change goes to every other member. */
  async leave (groupRef: string): Promise<Group> {
    return this.change(groupRef, async (tx, change, { log, info }) => {
      const before = log.state
      const bytes = log.propose(this.components.identity, { type: 'leave' })
      info.invited = []
      await this.announce(tx, change, log, bytes, [...before.members.keys()])
    })
  }

  /**
   * Sets the group's disappearing timer: our texts from now on disappear that long after they are
   * sent, and carry it, so that each member adopts it.
   */
  async setDisappearing (groupRef: string, seconds: number): Promise<Group> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_DISAPPEARING_SECONDS) {
      throw new InvalidInputError(`a disappearing timer is 0 (off) to ${MAX_DISAPPEARING_SECONDS} seconds`)
    }
    return this.change(groupRef, async (_tx, _change, { info }) => { info.disappearingSeconds = seconds })
  }

  /** Every group this messenger holds a log of, newest activity first. */
  async list (): Promise<Group[]> {
    const { repos, identity } = this.components
    const groups: Array<{ at: number, group: Group }> = []
    for await (const stored of repos.state.store.values(['group-info'])) {
      const info = parseGroupInfo(stored)
      const log = await this.logOf(repos.state.store, info.groupId, false)
      if (log != null) groups.push({ at: info.lastActivity, group: await groupView(repos, identity.userId, log.state, info) })
    }
    return groups.sort((a, b) => b.at - a.at).map(g => g.group)
  }

  /** The id of the group `ref` names; throws NotFoundError without one. */
  requireId (ref: string): string {
    const id = this.named(ref)
    if (id == null) throw new NotFoundError(`no group named ${JSON.stringify(ref)}`)
    return id
  }

  /** The group `ref` names; throws NotFoundError without one. */
  async require (ref: string): Promise<Group> {
    const { repos, identity } = this.components
    const { info, log } = await this.open(repos.state.store, this.requireId(ref), false)
    return await groupView(repos, identity.userId, log.state, info)
  }

  /**
   * Sends a text to every member but the blocked ones; resolves once it is durable. A reply
   * (`options.replyTo`) quotes a message of the group; one it does not have (or no longer shows)
   * is a `NotFoundError`.
   */
  async send (groupRef: string, text: string, options: { replyTo?: string } = {}): Promise<Message> {
    if (typeof text !== 'string' || text.length === 0) throw new InvalidInputError('a message needs text')
    if (text.length > MAX_TEXT_LENGTH) throw new InvalidInputError(`a message has at most ${MAX_TEXT_LENGTH} characters`)
    return this.post(groupRef, { ...options, text })
  }

  /**
   * Sends a file sealed already (see attachments.ts) to every member but the blocked ones, its
   * pointer inside the group message; `index` writes the file's index entry in the same
   * transaction. Resolves once it is durable.
   */
  async sendFile (groupRef: string, file: FileRecord, index: (tx: Transaction, message: MessageRecord) => void): Promise<Message> {
    return this.post(groupRef, { text: '', file }, index)
  }

  /** Whether `ref` names a contact (or several). */
  private async namesContact (ref: string): Promise<boolean> {
    return this.components.contacts.resolve(ref).then(() => true, (err: unknown) => !(err instanceof NotFoundError))
  }

  /** Seals a group message once for every member but the blocked ones and queues it to each. */
  private async post (groupRef: string, body: { text: string, file?: FileRecord, replyTo?: string }, index?: (tx: Transaction, message: MessageRecord) => void): Promise<Message> {
    const { text, file, replyTo } = body
    const { repos, identity, disappearing } = this.components
    const groupId = this.requireId(groupRef)
    const message = await this.guarded(async (tx, change) => {
      // A group's name is its admins' choice: one that is also a contact's name sends to neither.
      if (groupRef !== groupId && await this.namesContact(groupRef)) {
        throw new InvalidInputError(`${JSON.stringify(groupRef)} names a group and a contact: use the group id or the contact id`)
      }
      const { info, log } = await this.open(tx, groupId)
      if (!log.state.members.has(identity.userId)) throw new GroupChangeRefusedError('you are no longer a member of this group')
      if (replyTo != null) {
        const quoted = /^[0-9a-f]{32}$/.test(replyTo) ? await repos.message(replyTo, tx) : undefined
        if (quoted?.groupId !== groupId || quoted.deleted === true) throw new NotFoundError(`no message ${replyTo} in this group`)
      }
      const id = randomBytes(16)
      const sentAt = Date.now()
      const seq = info.nextSeq++
      const seconds = info.disappearingSeconds
      const quote = replyTo != null ? { replyTo: fromHex(replyTo) } : {}
      const groupText = { groupId: fromHex(groupId), text, seq, disappearingSeconds: seconds, ...quote, ...groupFileOf(file, seq) }
      const recipientIds = await this.seal(tx, change, log, { id, sentAt, groupText }, toHex(id))
      const record: MessageRecord = {
        id: toHex(id),
        contactId: groupId,
        direction: 'out',
        text,
        sentAt,
        order: messageOrder(seq, 'out'),
        storedAt: sentAt,
        state: recipientIds.length === 0 ? 'delivered' : 'queued',
        groupId,
        senderId: identity.userId,
        recipientIds,
        deliveredTo: [],
        ...(replyTo != null ? { replyTo } : {}),
        ...(file != null ? { file } : {}),
        ...(seconds > 0 ? { expiresAt: sentAt + seconds * 1000 } : {})
      }
      repos.messages.put(tx, record)
      index?.(tx, record)
      repos.refs.put(tx, { contactId: groupId, sentAt, order: record.order }, record.id)
      if (record.expiresAt != null) disappearing.schedule(tx, record)
      info.lastActivity = sentAt
      this.record(tx, info)
      return record
    })
    if (message.expiresAt != null) disappearing.rearm()
    return toMessage(message)
  }

  /**
   * Seals `content` as one group message of `log`'s group, with our sender key (sent first, one
   * to one, to those who lack it), for every member but us and the blocked ones, in `tx`: one
   * outbox entry each under the content's id (`messageId`: the message it carries). Resolves with
   * the user ids of those it is sealed for.
   */
  async seal (tx: Transaction, change: ChangeControl, log: GroupLog, content: Content, messageId?: string): Promise<string[]> {
    const { repos, identity, outbox } = this.components
    const routes = new Routes(tx, repos.contacts, log.state)
    const recipients: GroupRecipient[] = []
    for (const r of recipientsOf(log.state, identity.userId)) {
      // Blocking a member stops deliveries to them (and resets the sender key they held).
      if ((await routes.get(r.userId))?.blocked !== true) recipients.push(r)
    }
    if (recipients.length > 0) {
      await this.distributeKey(tx, change, routes, log, recipients)
      const parts = await sealForGroup(tx, identity, log.groupId, recipients.map(r => r.userId), encodeContent(content))
      for (const [userId, sealed] of parts) {
        outbox.addSealed(tx, change, await routes.get(userId) as ContactRecord, { id: content.id, sentAt: content.sentAt, sealed }, messageId)
      }
    }
    routes.flush()
    return recipients.map(r => r.userId)
  }

  /** Marks every incoming message of the group read. */
  async markRead (groupId: string): Promise<void> {
    const { repos } = this.components
    await repos.state.change(async (tx, change) => {
      const info = await readGroupInfo(tx, groupId)
      let read = 0
      for await (const place of repos.unread.values(keys.unreadOf(groupId), {}, tx)) {
        repos.unread.del(tx, place)
        const m = await repos.messages.get(place, tx)
        if (m != null) repos.messages.put(tx, { ...m, readAt: Date.now() })
        read++
      }
      if (info == null || (read === 0 && info.unread === 0)) return change.discard()
      this.record(tx, { ...info, unread: 0 })
    })
  }

  /**
   * Readies our sender key of the group for `recipients` (reset when someone who held it is no
   * longer one), starts sessions from the cards of members we have none with, and seals the key
   * one to one to those who lack it: queued before the message, so it arrives first. Answers the
   * distribution message.
   */
  async distributeKey (tx: Transaction, change: ChangeControl, routes: Routes, log: GroupLog, recipients: readonly GroupRecipient[]): Promise<Uint8Array> {
    const { identity, outbox } = this.components
    await startMemberSessions(tx, identity, log.state)
    const plan = await prepareGroupSend(tx, identity, log.groupId, recipients)
    for (const userId of plan.missing) {
      const route = await routes.get(userId)
      if (route == null) continue
      await outbox.add(tx, change, route, { id: randomBytes(16), sentAt: Date.now(), senderKey: { groupId: fromHex(log.groupId), distribution: plan.distributionMessage } })
    }
    await markSenderKeyDistributed(tx, log.groupId, recipients)
    return plan.distributionMessage
  }

  /** The log and record of `groupId`, in `tx`. */
  async open (tx: StoreReader, groupId: string, locked = true): Promise<Opened> {
    const info = await readGroupInfo(tx, groupId)
    const log = await this.logOf(tx, groupId, locked)
    if (info == null || log == null) throw new NotFoundError(`no group ${groupId}`)
    return { info, log }
  }

  /**
   * Records a change we made and sends it to `to` (but us); new members are sent the whole log.
   * Routes to every member are made from the state after it.
   */
  async announce (tx: Transaction, change: ChangeControl, log: GroupLog, bytes: Uint8Array, to: readonly string[], added?: string): Promise<void> {
    const { repos, identity, outbox } = this.components
    recordGroupChange(tx, log, bytes)
    const routes = new Routes(tx, repos.contacts, log.state)
    await routes.ensureAll(identity.userId)
    const others = to.filter(id => id !== identity.userId && id !== added)
    await sendChanges(tx, change, { outbox, routes }, log.groupId, others, [bytes])
    if (added != null) await sendChanges(tx, change, { outbox, routes }, log.groupId, [added], log.changes())
    routes.flush()
  }

  /** Asks contact `ref` to join the group of `log` (we must be its admin, with room for them). */
  private async ask (tx: Transaction, change: ChangeControl, info: GroupInfo, log: GroupLog, ref: string): Promise<void> {
    const { identity, contacts, outbox, repos } = this.components
    const state = log.state
    if (state.members.get(identity.userId)?.admin !== true) throw new NotGroupAdminError('only an admin adds members')
    const contact = await contacts.resolve(ref)
    if (contact.status !== 'contact') throw new NotFoundError(`${JSON.stringify(ref)} is not a contact`)
    contacts.assertSendable(contact)
    if (state.members.has(contact.id)) throw new GroupChangeRefusedError(`${contact.alias} is a member already`)
    if (!info.invited.includes(contact.id)) {
      if (state.members.size + info.invited.length >= state.maxMembers) {
        throw new GroupFullError(`the group has room for ${state.maxMembers} members`)
      }
      info.invited.push(contact.id)
    }
    const record = await repos.contacts.require(contact.id, tx)
    await outbox.add(tx, change, record, { id: randomBytes(16), sentAt: Date.now(), groupJoin: { groupId: fromHex(log.groupId), name: state.name } })
    repos.contacts.put(tx, record)
  }

  /** The user id of member `ref` (an id, a contact alias, or the name on their card). */
  private async memberId (log: GroupLog, ref: string): Promise<string> {
    const members = [...log.state.members.values()]
    if (members.some(m => m.userId === ref)) return ref
    const matches = []
    for (const m of members) {
      const contact = await this.components.repos.contacts.get(m.userId)
      if (m.card.name === ref || (contact != null && contact.alias === ref)) matches.push(m.userId)
    }
    if (matches.length !== 1) throw new NotFoundError(`${matches.length === 0 ? 'no' : 'several'} members named ${JSON.stringify(ref)}`)
    return matches[0] as string
  }

  /** Runs `fn` in one change of the messenger's state, forgetting the logs in memory unless it commits. */
  private async guarded<R> (fn: (tx: Transaction, change: ChangeControl) => Promise<R>): Promise<R> {
    try {
      return await this.components.repos.state.change(async (tx, change) => {
        this.watch(change)
        return await fn(tx, change)
      })
    } catch (err) {
      this.forget()
      throw err
    }
  }

  /** Runs `fn` on the group named `ref` in one change, then emits and returns the group as it is. */
  private async change (ref: string, fn: (tx: Transaction, change: ChangeControl, opened: Opened) => Promise<void>): Promise<Group> {
    const { repos, identity } = this.components
    const id = this.requireId(ref)
    const group = await this.guarded(async (tx, change) => {
      const opened = await this.open(tx, id)
      await fn(tx, change, opened)
      opened.info.lastActivity = Date.now()
      this.record(tx, opened.info, opened.log)
      return await groupView(repos, identity.userId, opened.log.state, opened.info)
    })
    this.components.events.emit('group', group)
    return group
  }
}
