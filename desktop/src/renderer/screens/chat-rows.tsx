// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A conversation's message list: day separators between messages, each message with its time,
 * disappearing time and delivery state, in a virtualised list.
 */
import { useCallback, useMemo } from 'react'
import { dayKey, dayLabel, stateLabel, timeLabel } from '../components/format.js'
import { PeerName } from '../components/peer-text.js'
import { VirtualList } from '../components/virtual-list.js'
import { EditedMark, MessageActions, MessageBody } from './message-extras.js'
import type { ReactNode } from 'react'
import type { MessageView } from '../../shared/contract.js'

/** A row of the message list. */
export type ChatRow =
  | { kind: 'day', key: string, at: number }
  | { kind: 'message', key: string, message: MessageView }

/** Interleaves day separators with messages (oldest first). */
export function chatRows (messages: readonly MessageView[]): ChatRow[] {
  const rows: ChatRow[] = []
  let day: string | undefined
  for (const message of messages) {
    const key = dayKey(message.sentAt)
    if (key !== day) {
      // Keyed by the message it heads: when older messages of the same day load, the day's
      // separator moves above them and becomes another row, so the list keeps its place.
      rows.push({ kind: 'day', key: `day:${key}:${message.id}`, at: message.sentAt })
      day = key
    }
    rows.push({ kind: 'message', key: `msg:${message.id}`, message })
  }
  return rows
}

/** What a row needs besides its message: the others (for quotes) and the actions' callbacks. */
type RowContext = Omit<MessageListProps, 'messages' | 'onReachTop' | 'reveal'> & { byId: ReadonlyMap<string, MessageView> }

function MessageRow ({ message, ctx }: { message: MessageView, ctx: RowContext }): ReactNode {
  const out = message.direction === 'out'
  const { alias } = ctx
  return (
    <div className={`message ${out ? 'message-out' : 'message-in'}`} data-state={message.state} data-message-id={message.id} tabIndex={-1}>
      <span className='visually-hidden'>{out ? 'You' : <PeerName name={alias} />}: </span>
      <MessageBody message={message} quoted={message.replyTo != null ? ctx.byId.get(message.replyTo) : undefined} onJump={ctx.onJump} />
      <p className='message-meta'>
        <time dateTime={new Date(message.sentAt).toISOString()}>{timeLabel(message.sentAt)}</time>
        <EditedMark message={message} />
        {message.expiresAt != null && <span className='disappearing' title='Disappears'> · disappears {timeLabel(message.expiresAt)}</span>}
        {out && <span className={`delivery delivery-${message.state}`}> · {stateLabel(message.state, message.failure)}</span>}
      </p>
      <MessageActions message={message} contactId={ctx.contactId} onReply={ctx.onReply} onChanged={ctx.onChanged} />
    </div>
  )
}

/** Props of {@link MessageList}. */
export interface MessageListProps {
  /** The messages, oldest first. */
  messages: readonly MessageView[]
  /** The contact's alias (untrusted text). */
  alias: string
  /** The contact's id. */
  contactId: string
  /** The user chose to reply to a message. */
  onReply: (message: MessageView) => void
  /** A message changed here (reaction, edit, delete for everyone); `undefined`: deleted here. */
  onChanged: (id: string, message: MessageView | undefined) => void
  /** The user asked to see message `id` (a quote was clicked). */
  onJump: (id: string) => void
  /** The message to bring into view, if any. */
  reveal?: string | undefined
  /** Called when the list is scrolled to its top, to load older messages. */
  onReachTop: () => void
}

/** The messages of a conversation, or a hint when there are none. */
export function MessageList ({ messages, alias, contactId, onReply, onChanged, onJump, reveal, onReachTop }: MessageListProps): ReactNode {
  const rows = useMemo(() => chatRows(messages), [messages])
  const ctx = useMemo<RowContext>(() => ({ alias, contactId, onReply, onChanged, onJump, byId: new Map(messages.map(m => [m.id, m])) }), [alias, contactId, onReply, onChanged, onJump, messages])
  const getKey = useCallback((row: ChatRow) => row.key, [])
  const estimate = useCallback((row: ChatRow) => row.kind === 'day' ? 36 : 24 + 20 * Math.ceil(row.message.text.length / 60), [])
  const renderRow = useCallback((row: ChatRow) => row.kind === 'day'
    ? <h3 className='day-separator'>{dayLabel(row.at)}</h3>
    : <MessageRow message={row.message} ctx={ctx} />, [ctx])
  if (messages.length === 0) return <p className='empty'>No messages yet. Say hello.</p>
  return <VirtualList items={rows} getKey={getKey} renderItem={renderRow} estimateHeight={estimate} onReachTop={onReachTop} label={`Messages with ${alias}`} role='log' revealKey={reveal != null ? `msg:${reveal}` : undefined} />
}
