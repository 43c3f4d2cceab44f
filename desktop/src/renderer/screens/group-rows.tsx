// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's timeline: day separators, system lines (membership changes, and a timer a member's
 * texts start to carry), and messages (texts, or files as in a one-to-one chat) with their sender's
 * name in the sender's colour and, for the user's own, "Delivered to N of M", in a virtualised
 * list. A message has the actions of a conversation's (message-extras.tsx): reply with a quote,
 * reactions named by member, edit and delete for everyone.
 */
import { useCallback, useMemo } from 'react'
import { dayKey, dayLabel, disappearingLabel, stateLabel, timeLabel } from '../components/format.js'
import { PeerName, cleanName } from '../components/peer-text.js'
import { senderColour } from '../components/sender-colours.js'
import { VirtualList } from '../components/virtual-list.js'
import { EditedMark, MessageActions, MessageBody } from './message-extras.js'
import type { CSSProperties, ReactNode } from 'react'
import type { GroupChangeEntry, MessageView } from '../../shared/contract.js'

/** A row of the group timeline. */
export type GroupRow =
  | { kind: 'day', key: string, at: number }
  | { kind: 'system', key: string, text: string }
  | { kind: 'message', key: string, message: MessageView }

/** What names the people of a group: the user's own id, and a name for every other id seen. */
export interface GroupNames {
  /** The user's own id. */
  selfId: string
  /** Names by user id (untrusted text). */
  names: ReadonlyMap<string, string>
}

function who (id: string, names: GroupNames, capital = true): string {
  if (id === names.selfId) return capital ? 'You' : 'you'
  return cleanName(names.names.get(id) ?? '')
}

/** A membership change in words. */
export function changeText (c: GroupChangeEntry, names: GroupNames): string {
  const by = who(c.by, names)
  const member = c.member != null ? who(c.member, names, false) : ''
  switch (c.type) {
    case 'created': return `${by} created the group “${cleanName(c.name ?? '')}”`
    case 'added': return `${by} added ${member}`
    case 'removed': return c.member === names.selfId ? `${by} removed you from the group` : `${by} removed ${member}`
    case 'made-admin': return `${by} made ${member} an admin`
    case 'left': return `${by} left the group`
    default: return c.previousName != null
      ? `${by} renamed the group from “${cleanName(c.previousName)}” to “${cleanName(c.name ?? '')}”`
      : `${by} renamed the group “${cleanName(c.name ?? '')}”`
  }
}

/** The timer a message carried, in words, as a system line. */
function timerText (message: MessageView, names: GroupNames): string {
  const by = who(message.senderId ?? names.selfId, names)
  const seconds = message.disappearingSeconds ?? 0
  return seconds === 0 ? `${by} turned off disappearing messages` : `${by} set disappearing messages to ${disappearingLabel(seconds)}`
}

/**
 * Interleaves, oldest first, day separators, membership changes (by when they were made; those
 * before the oldest message loaded only once every message is), and the messages, each after a
 * line when it carries another timer than the one before it.
 */
export function groupRows (messages: readonly MessageView[], changes: readonly GroupChangeEntry[], names: GroupNames, complete: boolean): GroupRow[] {
  const first = messages[0]?.sentAt ?? Infinity
  const pending = changes.filter(c => complete || c.at >= first)
  const rows: GroupRow[] = []
  let day: string | undefined
  const dated = (at: number, id: string): void => {
    const key = dayKey(at)
    if (key === day) return
    rows.push({ kind: 'day', key: `day:${key}:${id}`, at })
    day = key
  }
  let timer = complete ? 0 : messages[0]?.disappearingSeconds ?? 0
  let next = 0
  for (const message of messages) {
    for (; next < pending.length && pending[next]!.at <= message.sentAt; next++) {
      const c = pending[next]!
      dated(c.at, c.id)
      rows.push({ kind: 'system', key: `change:${c.id}`, text: changeText(c, names) })
    }
    dated(message.sentAt, message.id)
    const seconds = message.disappearingSeconds ?? 0
    if (seconds !== timer) rows.push({ kind: 'system', key: `timer:${message.id}`, text: timerText(message, names) })
    timer = seconds
    rows.push({ kind: 'message', key: `msg:${message.id}`, message })
  }
  for (const c of pending.slice(next)) {
    dated(c.at, c.id)
    rows.push({ kind: 'system', key: `change:${c.id}`, text: changeText(c, names) })
  }
  return rows
}

/** "Delivered to N of M", or the state while nobody has it. */
export function groupDelivery (message: MessageView): string {
  if (message.state === 'failed' || message.recipientCount == null) return stateLabel(message.state, message.failure)
  if (message.recipientCount === 0) return 'Not sent: no other members'
  if (message.state === 'queued' && (message.deliveredCount ?? 0) === 0) return stateLabel('queued')
  return `Delivered to ${message.deliveredCount ?? 0} of ${message.recipientCount}`
}

/** What a message row needs besides its message: the others (for quotes), who is who, and the actions' callbacks. */
type GroupRowContext = Pick<GroupTimelineProps, 'names' | 'groupId' | 'onReply' | 'onChanged' | 'onJump'> & {
  byId: ReadonlyMap<string, MessageView>
  nameOf: (id: string) => string
}

function GroupMessage ({ message, ctx }: { message: MessageView, ctx: GroupRowContext }): ReactNode {
  const { names } = ctx
  const out = message.direction === 'out'
  const sender = message.senderId ?? ''
  const [light, dark] = senderColour(sender)
  const colours = { '--sender-light': light, '--sender-dark': dark } as CSSProperties
  return (
    <div className={`message ${out ? 'message-out' : 'message-in'}`} data-state={message.state} data-message-id={message.id} tabIndex={-1}>
      {out
        ? <span className='visually-hidden'>You: </span>
        : <span className='sender-name' style={colours}><PeerName name={names.names.get(sender) ?? ''} /><span className='visually-hidden'>: </span></span>}
      <MessageBody message={message} quoted={message.replyTo != null ? ctx.byId.get(message.replyTo) : undefined} onJump={ctx.onJump} nameOf={ctx.nameOf} />
      <p className='message-meta'>
        <time dateTime={new Date(message.sentAt).toISOString()}>{timeLabel(message.sentAt)}</time>
        <EditedMark message={message} />
        {message.expiresAt != null && <span className='disappearing' title='Disappears'> · disappears {timeLabel(message.expiresAt)}</span>}
        {out && <span className={`delivery delivery-${message.state}`}> · {groupDelivery(message)}</span>}
      </p>
      <MessageActions message={message} contactId={ctx.groupId} selfId={names.selfId} onReply={ctx.onReply} onChanged={ctx.onChanged} />
    </div>
  )
}

/** Props of {@link GroupTimeline}. */
export interface GroupTimelineProps {
  /** The rows, from {@link groupRows}. */
  rows: readonly GroupRow[]
  /** Who is who. */
  names: GroupNames
  /** The group's name (untrusted text), for the list's label. */
  groupName: string
  /** Called at the top, to load older messages. */
  onReachTop: () => void
  /** The group's id. */
  groupId: string
  /** The user chose to reply to a message. */
  onReply: (message: MessageView) => void
  /** A message changed here (reaction, edit, delete for everyone); `undefined`: deleted here. */
  onChanged: (id: string, message: MessageView | undefined) => void
  /** The user asked to see message `id` (a quote was clicked). */
  onJump: (id: string) => void
  /** The message to bring into view, if any. */
  reveal?: string | undefined
}

/** The timeline, or a hint when it is empty. */
export function GroupTimeline ({ rows, names, groupName, onReachTop, groupId, onReply, onChanged, onJump, reveal }: GroupTimelineProps): ReactNode {
  const ctx = useMemo<GroupRowContext>(() => ({
    names,
    groupId,
    onReply,
    onChanged,
    onJump,
    byId: new Map(rows.flatMap(r => r.kind === 'message' ? [[r.message.id, r.message] as const] : [])),
    nameOf: id => who(id, names)
  }), [rows, names, groupId, onReply, onChanged, onJump])
  const getKey = useCallback((row: GroupRow) => row.key, [])
  const estimate = useCallback((row: GroupRow) => row.kind === 'message' ? 42 + 20 * Math.ceil(row.message.text.length / 60) : 32, [])
  const renderRow = useCallback((row: GroupRow) => {
    if (row.kind === 'day') return <h3 className='day-separator'>{dayLabel(row.at)}</h3>
    if (row.kind === 'system') return <p className='system-line'>{row.text}</p>
    return <GroupMessage message={row.message} ctx={ctx} />
  }, [ctx])
  const label = useMemo(() => `Messages in ${cleanName(groupName)}`, [groupName])
  if (rows.length === 0) return <p className='empty'>No messages yet. Say hello.</p>
  return <VirtualList items={rows} getKey={getKey} renderItem={renderRow} estimateHeight={estimate} onReachTop={onReachTop} label={label} role='log' revealKey={reveal != null ? `msg:${reveal}` : undefined} />
}
