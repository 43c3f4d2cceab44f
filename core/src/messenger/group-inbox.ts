// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What arrives for groups: group messages (sealed sender v2 parts, 0x22), and the group bodies
 * sealed one to one (membership changes, sender keys, asks to join and their answers, texts sent
 * again). A member who is not a contact is never made a request: what they send is shown in the
 * group, or dropped. The inbox calls in here within its transaction; what is refused is never
 * committed.
 */
import { randomBytes } from 'node:crypto'
import {
  GroupLog, checkGroupSender, openGroupMessage, processSenderKeyDistribution, recordGroupChange,
  verifyMemberEntry
} from '../groups/index.js'
import {
  DecryptionError, DuplicateEnvelopeError, IdentityChangedError, InvalidInputError, MissingSenderKeyError
} from '../errors.js'
import { hasSession } from '../crypto/index.js'
import { generateDepositToken } from '../mailbox/index.js'
import { decodeContent } from '../protocol/index.js'
import { equalBytes, fromHex, toHex } from '../util/index.js'
import { GroupActions, groupActionOf, sendKeyAgain } from './group-actions.js'
import { Routes, groupView } from './group-fanout.js'
import { groupFileOf, receivedGroupFile } from './group-files.js'
import { markGroupDelivered, readGroupInfo } from './group-records.js'
import { toMessage } from './context.js'
import { decodeRecord, encodeRecord, keys, messageOrder, tombstone } from './records.js'
import type { Content, ContentGroupJoin, ContentGroupUpdate } from '../protocol/index.js'
import type { Key, Transaction } from '../storage/types.js'
import type { Groups } from './groups.js'
import type { GroupInfo } from './group-records.js'
import type { Accepted, InboxOutcome, Route } from './inbox.js'
import type { ContactRecord, MessageRecord, SentControl } from './records.js'
import type { ChangeControl } from './state.js'

/** The sender of a message opened one to one. */
export interface GroupSender {
  senderUserId: string
  senderIdentityKey: Uint8Array
}

const refused = (reason: string): InboxOutcome => ({ result: { status: 'REJECTED', reason } })

/** A group message kept until what opens it comes (see {@link GroupInbox.hold}). */
interface Held {
  senderId: string
  /** The envelope id, hex. */
  id: string
  sealed: Uint8Array
  route: Route
}

function heldKey (senderId: string, id: string): Key {
  return ['group-held', senderId, id]
}

function nothing (): Accepted {
  return { delivered: [], requeued: [] }
}

/** Whether `content` carries a group body. */
export function hasGroupBody (content: Content): boolean {
  return (content.groupUpdate ?? content.senderKey ?? content.groupText ?? content.groupJoin ?? groupActionOf(content)) != null
}

/** Receives for groups, within the inbox's transactions. */
export class GroupInbox {
  /** Reactions, edits and deletes in groups: sent, applied, and sealed again. */
  readonly actions: GroupActions

  constructor (private readonly groups: Groups) {
    this.actions = new GroupActions(groups)
  }

  /**
   * Starts the groups; answers again every ask to join we have not got in by yet (a stop may have
   * come before the answer was queued; a copy of one that went is a duplicate to the admin).
   */
  async start (): Promise<void> {
    for (const { groupId, admin } of await this.groups.start()) this.answerLater(groupId, admin)
  }

  /** Opens one member's part of a group message and stores the text it carries. */
  async openMessage (tx: Transaction, change: ChangeControl, id: string, sealed: Uint8Array, route: Route): Promise<InboxOutcome> {
    return this.guarded(change, async () => this.open(tx, change, id, sealed, route))
  }

  /** Takes a group body sealed one to one (see the file comment). */
  async receive (tx: Transaction, change: ChangeControl, id: string, sender: GroupSender, content: Content, route: Route): Promise<InboxOutcome> {
    return this.guarded(change, async () => this.take(tx, change, id, sender, content, route))
  }

  /** Runs `fn`; the logs in memory are forgotten unless what it did commits. */
  private async guarded (change: ChangeControl, fn: () => Promise<InboxOutcome>): Promise<InboxOutcome> {
    this.groups.watch(change)
    try {
      // What is refused (not committed) was refused before any log in memory was changed.
      return await fn()
    } catch (err) {
      this.groups.forget()
      throw err
    }
  }

  private async open (tx: Transaction, change: ChangeControl, id: string, sealed: Uint8Array, route: Route, replay = false): Promise<InboxOutcome> {
    const { identity, log } = this.groups.components
    const held: Held = { senderId: '', id, sealed, route }
    let opened
    try {
      opened = await openGroupMessage(tx, identity, sealed)
    } catch (err) {
      if (err instanceof DuplicateEnvelopeError) return { result: { status: 'DUPLICATE' } }
      if (err instanceof MissingSenderKeyError) return this.hold(change, { ...held, senderId: err.senderUserId }, replay, true)
      if (err instanceof IdentityChangedError) return refused('identity')
      if (err instanceof DecryptionError || err instanceof InvalidInputError) {
        log.warn('group message does not decrypt', { error: err.name })
        return refused('undecryptable')
      }
      throw err
    }
    const group = await this.groups.logOf(tx, opened.groupId)
    held.senderId = opened.senderUserId
    if (group == null) {
      const joining = (await readGroupInfo(tx, opened.groupId))?.joiningVia != null
      return joining ? this.hold(change, held, replay, false) : refused('unknown')
    }
    // A sender we do not know as a member yet may be added by a change still on its way to us.
    if (!group.state.members.has(opened.senderUserId) && group.state.members.has(identity.userId)) return this.hold(change, held, replay, false)
    try {
      checkGroupSender(group.state, opened)
    } catch {
      return refused('refused')
    }
    let content
    try {
      content = decodeContent(opened.plaintext)
    } catch {
      return refused('malformed')
    }
    const bodyGroupId = content.groupText?.groupId ?? groupActionOf(content)
    if (toHex(content.id) !== id || bodyGroupId == null || toHex(bodyGroupId) !== opened.groupId) return refused('tampered')
    if (content.groupText == null) return this.act(tx, id, opened.senderUserId, content)
    return this.storeText(tx, change, id, opened.senderUserId, content, route)
  }

  private async take (tx: Transaction, change: ChangeControl, id: string, sender: GroupSender, content: Content, route: Route): Promise<InboxOutcome> {
    const from = sender.senderUserId
    if (content.groupJoin != null) {
      if (content.groupJoin.card == null) return this.asked(tx, change, id, from, content)
      return this.answered(tx, change, id, sender, content.groupJoin)
    }
    if (content.groupUpdate != null) return this.update(tx, change, id, from, content.groupUpdate)
    const bodyGroupId = (content.senderKey ?? content.groupText)?.groupId ?? groupActionOf(content)
    if (bodyGroupId == null) return this.done(tx, id, from)
    const groupId = toHex(bodyGroupId)
    const group = await this.groups.logOf(tx, groupId)
    const member = group?.state.members.get(from)
    if (member != null && !equalBytes(member.card.bundle.identityKey, sender.senderIdentityKey)) return this.done(tx, id, from)
    if (content.groupText != null) return group == null || member == null ? this.done(tx, id, from) : this.storeText(tx, change, id, from, content, route)
    if (content.senderKey == null) return group == null || member == null ? this.done(tx, id, from) : this.act(tx, id, from, content)
    // A key from someone not (yet) a member in our copy is kept: the change adding them may be on
    // its way, and their messages count only once they are members (checkGroupSender).
    if (group == null && (await readGroupInfo(tx, groupId))?.joiningVia == null) return this.done(tx, id, from)
    try {
      await processSenderKeyDistribution(tx, this.groups.components.identity, from, groupId, (content.senderKey as NonNullable<Content['senderKey']>).distribution)
    } catch (err) {
      if (err instanceof InvalidInputError) return refused('malformed')
      throw err
    }
    this.replayAfter(change, from)
    return this.done(tx, id, from)
  }

  /**
   * A member stored our group message `message`: true when that is news (a delivery receipt from
   * a member the message was sent to).
   */
  delivered (message: MessageRecord, memberId: string): boolean {
    return message.direction === 'out' && markGroupDelivered(message, memberId)
  }

  /**
   * A member could not open our group message (they lack our sender key): seal it again to them
   * one to one, under its id, after our current sender key. `contact` is the inbox's record of
   * them, which it writes.
   */
  async resend (tx: Transaction, change: ChangeControl, contact: ContactRecord, message: MessageRecord): Promise<void> {
    const { outbox } = this.groups.components
    const groupId = message.groupId as string
    if (message.direction !== 'out' || message.deleted === true || !(message.recipientIds ?? []).includes(contact.id) || (message.deliveredTo ?? []).includes(contact.id)) return
    const group = await this.groups.logOf(tx, groupId)
    const info = await readGroupInfo(tx, groupId)
    if (group == null || info == null || !group.state.members.has(contact.id)) return
    const routes = await sendKeyAgain(this.groups, tx, change, group, contact)
    const seq = (message.order - messageOrder(0, 'out')) / 2
    const quote = message.replyTo != null ? { replyTo: fromHex(message.replyTo) } : {}
    await outbox.add(tx, change, contact, {
      id: fromHex(message.id),
      sentAt: message.sentAt,
      groupText: { groupId: fromHex(groupId), text: message.text, seq, disappearingSeconds: info.disappearingSeconds, ...quote, ...groupFileOf(message.file, seq) }
    }, message.id)
    routes.flush()
  }

  /**
   * The body of a group control we sent `contact`, to seal again at their request, or undefined
   * when it no longer applies:
   * - a GroupUpdate: the same changes, read from the group's log (so that a removed member is sent
   *   nothing after its removal), unless the group or one of them is no longer held;
   * - an ask to join: while they are still asked and we are still an admin;
   * - our answer: while we are still joining through them, with our entry as it is now.
   */
  async resealed (tx: Transaction, contact: ContactRecord, sent: SentControl, change: ChangeControl): Promise<Pick<Content, 'groupUpdate' | 'groupJoin' | 'reaction' | 'edit' | 'delete'> | undefined> {
    if (sent.group != null) return this.actions.resealed(tx, change, contact, sent)
    if (sent.groupJoin != null) return sent.groupJoin.answer === true ? this.answerBody(tx, contact.id, sent.groupJoin.groupId) : this.askBody(tx, contact.id, sent.groupJoin.groupId)
    if (sent.groupUpdate == null) return undefined
    return this.resealedUpdate(tx, sent.groupUpdate)
  }

  private async resealedUpdate (tx: Transaction, sent: { groupId: string, changes: readonly string[] }): Promise<Pick<Content, 'groupUpdate'> | undefined> {
    const log = await this.groups.logOf(tx, sent.groupId)
    const changes: Uint8Array[] = []
    for (const id of sent.changes) {
      const bytes = log?.change(id)
      if (bytes == null) return undefined
      changes.push(bytes)
    }
    return changes.length === 0 ? undefined : { groupUpdate: { groupId: fromHex(sent.groupId), changes } }
  }

  /**
   * A member's reaction, edit or delete (group-actions.ts): refused when they are blocked. One whose
   * target is held here (it came before its sender's key) is kept until that is stored; one whose
   * target is unknown otherwise is dropped.
   */
  private async act (tx: Transaction, id: string, from: string, content: Content): Promise<InboxOutcome> {
    const applied = await this.actions.receive(tx, from, content)
    if (applied === 'blocked') return refused('refused')
    if (applied !== 'early') return this.done(tx, id, from, { ...nothing(), events: applied })
    const target = toHex((content.reaction ?? content.edit ?? content.delete as NonNullable<Content['delete']>).target)
    if (await this.isHeld(target)) this.actions.keepEarly(tx, target, from, content)
    return this.done(tx, id, from)
  }

  /** A group text from member `from`: stored in the group's conversation, unless they are blocked. */
  private async storeText (tx: Transaction, change: ChangeControl, id: string, from: string, content: Content, route: Route): Promise<InboxOutcome> {
    const { repos, disappearing } = this.groups.components
    const text = content.groupText as NonNullable<Content['groupText']>
    const groupId = toHex(text.groupId)
    const sender = await repos.contacts.get(from, tx)
    // Blocking a member hides what they write.
    if (sender?.blocked === true) return refused('refused')
    const info = await readGroupInfo(tx, groupId)
    if (info == null) return refused('unknown')
    const now = Date.now()
    const message: MessageRecord = {
      id,
      contactId: groupId,
      direction: 'in',
      text: text.text,
      ...(text.replyTo != null ? { replyTo: toHex(text.replyTo) } : {}),
      sentAt: content.sentAt,
      order: messageOrder(text.seq, 'in'),
      storedAt: now,
      state: 'delivered',
      groupId,
      senderId: from,
      ...(text.disappearingSeconds > 0 ? { expiresAt: now + text.disappearingSeconds * 1000 } : {})
    }
    const place = { contactId: groupId, sentAt: message.sentAt, order: message.order }
    if (!await receivedGroupFile(tx, repos, message, text)) return refused('tampered')
    repos.messages.put(tx, message)
    repos.unread.put(tx, place)
    repos.refs.put(tx, place, id)
    // Stored with the message, so a crash cannot lose the receipt the sender counts.
    if (route === 'relay') repos.receipts.put(tx, { contactId: from, id })
    if (message.expiresAt != null) {
      disappearing.schedule(tx, message)
      change.onSettled(() => { disappearing.rearm() })
    }
    info.disappearingSeconds = text.disappearingSeconds
    info.unread += 1
    info.lastActivity = now
    this.groups.record(tx, info)
    const events = await this.actions.applyEarly(tx, id)
    // The inbox may write `message` again: it carries what they changed.
    if (events.length > 0) Object.assign(message, await repos.message(id, tx))
    return { result: { status: 'STORED' }, accepted: { ...nothing(), message, ...(events.length > 0 ? { events } : {}) }, commit: true }
  }

  /**
   * A group message that came before what opens it (its sender's key, the change that made its
   * sender a member, the log of a group we are joining) is kept, stored, and opened again when
   * that comes ({@link replay}); nothing it did to the transaction is kept. Without the key, its
   * sender is also asked to seal it again (the resend machinery answers with the key and the
   * text, one to one). When replayed, it stays held: `reason` is `held`, and nothing commits.
   */
  private async hold (change: ChangeControl, held: Held, replay: boolean, askKey: boolean): Promise<InboxOutcome> {
    if (replay) return { result: { status: 'REJECTED', reason: 'held' } }
    const { repos, outbox, log } = this.groups.components
    const tx = change.fresh()
    tx.put(heldKey(held.senderId, held.id), encodeRecord(held))
    const route = await repos.contacts.get(held.senderId, tx)
    // Without a session with its sender, their key is on its way in their first envelope to us
    // (queued before the message): the message waits for it, and nothing could be sealed to ask.
    const ask = askKey && route != null && (route.status !== 'request' || route.viaGroup === true) && !route.blocked &&
      await hasSession(tx, this.groups.components.identity, held.senderId)
    if (ask) {
      await outbox.add(tx, change, route, { id: randomBytes(16), sentAt: Date.now(), resendRequest: { ids: [fromHex(held.id)] } })
      repos.contacts.put(tx, route)
      log.info('group message without its sender key; kept, and asked its sender to seal it again', {})
    }
    return { result: { status: 'STORED' }, commit: true }
  }

  /** Opens again the group messages held from `senderId` (or from anyone), each in a change of its own. */
  async replay (senderId?: string): Promise<void> {
    const { repos, events } = this.groups.components
    for await (const bytes of repos.state.store.values(senderId != null ? ['group-held', senderId] : ['group-held'])) {
      const held = decodeRecord<Held>(bytes)
      const accepted = await repos.state.change(async (tx, change) => {
        if (await tx.get(keys.messageRef(held.id)) != null) {
          tx.del(heldKey(held.senderId, held.id))
          return undefined
        }
        const outcome = await this.open(tx, change, held.id, held.sealed, held.route, true)
        if (outcome.result.reason === 'held') return change.discard()
        // Opened, or refused for good: held no longer (a refusal keeps nothing else, nor the
        // actions that waited for it).
        const keep = outcome.commit === true ? tx : change.fresh()
        keep.del(heldKey(held.senderId, held.id))
        if (outcome.commit !== true) await this.actions.dropEarly(keep, held.id)
        return outcome.accepted
      })
      if (accepted?.message != null) events.emit('message', toMessage(accepted.message))
      for (const e of accepted?.events ?? []) events.emit(e.event, e.detail as never)
    }
  }

  /** Whether a group message with envelope id `id` is held here (see {@link hold}). */
  private async isHeld (id: string): Promise<boolean> {
    for await (const bytes of this.groups.components.repos.state.store.values(['group-held'])) {
      if (decodeRecord<Held>(bytes).id === id) return true
    }
    return false
  }

  /** Once `change` is durable, opens again what was held from `senderId` (or from anyone). */
  private replayAfter (change: ChangeControl, senderId?: string): void {
    change.onSettled(durable => {
      if (durable) void this.replay(senderId).catch(err => { this.groups.components.log.warn('held group messages not replayed', { error: (err as Error).name }) })
    })
  }

  /** Accepted, with nothing to show: the envelope id is kept so a copy is a duplicate. */
  private done (tx: Transaction, id: string, from: string, accepted: Accepted = nothing()): InboxOutcome {
    this.groups.components.repos.refs.put(tx, tombstone(id, { contactId: from, sentAt: 0, order: 0 }, Date.now()), id)
    return { result: { status: 'STORED' }, accepted, commit: true }
  }

  /** An admin asks us to join: from a contact, we answer with our entry once our relays hold its token. */
  private async asked (tx: Transaction, change: ChangeControl, id: string, from: string, content: Content): Promise<InboxOutcome> {
    const { repos } = this.groups.components
    const join = content.groupJoin as ContentGroupJoin
    const groupId = toHex(join.groupId)
    const contact = await repos.contacts.get(from, tx)
    if (contact?.status !== 'contact' || contact.blocked) return this.done(tx, id, from)
    const log = await this.groups.logOf(tx, groupId)
    if (log?.state.members.has(this.groups.components.identity.userId) === true) return this.done(tx, id, from)
    const info: GroupInfo = await readGroupInfo(tx, groupId) ??
      { groupId, token: generateDepositToken(), tokenAt: [], invited: [], nextSeq: 0, disappearingSeconds: 0, unread: 0, lastActivity: Date.now() }
    info.joiningVia = from
    this.groups.record(tx, info)
    change.onSettled(durable => { if (durable) this.answerLater(groupId, from) })
    return this.done(tx, id, from)
  }

  private answerLater (groupId: string, adminId: string): void {
    void this.answer(groupId, adminId).catch(err => { this.groups.components.log.warn('an answer to join not sent', { error: (err as Error).name }) })
  }

  /** Registers our token for the group at our relays, then sends the admin our entry. */
  private async answer (groupId: string, adminId: string): Promise<void> {
    const { repos, outbox } = this.groups.components
    const info = await readGroupInfo(repos.state.store, groupId)
    if (info == null) return
    await this.groups.registerToken(groupId, info.token, info.tokenAt)
    await repos.state.change(async (tx, change) => {
      const body = await this.answerBody(tx, adminId, groupId)
      const admin = await repos.contacts.get(adminId, tx)
      if (body == null || admin == null || admin.blocked) return change.discard()
      await outbox.add(tx, change, admin, { id: randomBytes(16), sentAt: Date.now(), ...body })
      repos.contacts.put(tx, admin)
    })
  }

  /** Our answer to `adminId`'s ask to join `groupId`: while we are joining through them. */
  private async answerBody (tx: Transaction, adminId: string, groupId: string): Promise<Pick<Content, 'groupJoin'> | undefined> {
    const info = await readGroupInfo(tx, groupId)
    if (info?.joiningVia !== adminId) return undefined
    const card = await this.groups.components.ownCard()
    return { groupJoin: { groupId: fromHex(groupId), name: '', card, depositToken: info.token } }
  }

  /** Our ask to `contactId` to join `groupId`: while they are asked and we are an admin. */
  private async askBody (tx: Transaction, contactId: string, groupId: string): Promise<Pick<Content, 'groupJoin'> | undefined> {
    const info = await readGroupInfo(tx, groupId)
    const log = await this.groups.logOf(tx, groupId)
    if (info == null || log == null || !info.invited.includes(contactId)) return undefined
    if (log.state.members.get(this.groups.components.identity.userId)?.admin !== true) return undefined
    return { groupJoin: { groupId: fromHex(groupId), name: log.state.name } }
  }

  /** A contact we asked answers with their entry: we add them and tell every member. */
  private async answered (tx: Transaction, change: ChangeControl, id: string, sender: GroupSender, join: ContentGroupJoin): Promise<InboxOutcome> {
    const { identity, events, repos } = this.groups.components
    const from = sender.senderUserId
    const groupId = toHex(join.groupId)
    const info = await readGroupInfo(tx, groupId)
    const group = await this.groups.logOf(tx, groupId)
    if (info == null || group == null || !info.invited.includes(from)) return this.done(tx, id, from)
    let entry
    try {
      entry = verifyMemberEntry({ card: join.card as Uint8Array, depositToken: join.depositToken as Uint8Array })
    } catch {
      return refused('malformed')
    }
    if (entry.decoded.userId !== from || !equalBytes(entry.decoded.bundle.identityKey, sender.senderIdentityKey)) return refused('tampered')
    info.invited = info.invited.filter(u => u !== from)
    const before = [...group.state.members.keys()]
    try {
      const bytes = group.propose(identity, { type: 'add', member: entry })
      await this.groups.announce(tx, change, group, bytes, before, from)
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err
      this.groups.components.log.info('an answer to join could not be taken', { error: err.name })
    }
    this.groups.record(tx, info, group)
    const view = await groupView(repos, identity.userId, group.state, info)
    change.onSettled(durable => { if (durable) events.emit('group', view) })
    return this.done(tx, id, from)
  }

  /** Membership changes: taken in when we hold the group, or asked to join it. */
  private async update (tx: Transaction, change: ChangeControl, id: string, from: string, update: ContentGroupUpdate): Promise<InboxOutcome> {
    const { identity, events, repos } = this.groups.components
    const groupId = toHex(update.groupId)
    const info = await readGroupInfo(tx, groupId)
    let group = await this.groups.logOf(tx, groupId)
    let changes = update.changes
    if (group == null) {
      if (info?.joiningVia == null) return this.done(tx, id, from)
      try {
        group = GroupLog.open(changes[0] as Uint8Array)
      } catch {
        return refused('malformed')
      }
      if (group.groupId !== groupId) return refused('tampered')
      recordGroupChange(tx, group, changes[0] as Uint8Array)
      this.groups.watch(change, group)
      changes = changes.slice(1)
    }
    const before = group.state.hash
    for (const bytes of changes) {
      try {
        if (group.receive(bytes) !== 'duplicate') recordGroupChange(tx, group, bytes)
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err
      }
    }
    if (info == null) return this.done(tx, id, from)
    if (group.state.members.has(identity.userId)) delete info.joiningVia
    const routes = new Routes(tx, repos.contacts, group.state)
    if (group.state.members.has(identity.userId)) await routes.ensureAll(identity.userId)
    routes.flush()
    this.groups.record(tx, info, group)
    if (!equalBytes(before, group.state.hash) || changes.length < update.changes.length) {
      this.replayAfter(change)
      const view = await groupView(repos, identity.userId, group.state, info)
      change.onSettled(durable => { if (durable) events.emit('group', view) })
    }
    return this.done(tx, id, from)
  }
}
