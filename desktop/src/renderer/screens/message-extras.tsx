// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a message shows besides its text: the quote of the message it replies to (a button that
 * jumps to it), its reactions (in a group, each named by who made it), and its actions: reply,
 * react (a few common emoji), edit and delete (for me, or for everyone within 24 hours of sending
 * one's own). Shared by conversations and groups.
 */
import { useEffect, useState } from 'react'
import { useClient } from '../components/context.js'
import { FileCard } from '../components/file-card.js'
import { PeerText, cleanName } from '../components/peer-text.js'
import { useAction } from '../components/use-action.js'
import type { FormEvent, ReactNode } from 'react'
import type { MessageView } from '../../shared/contract.js'

/** The emoji offered for reactions. */
const REACTION_CHOICES = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const

/** How long after sending one's message may be edited or deleted for everyone, as the engine allows. */
const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000

/** Moves the list to message `id` and marks it for a moment; false when it is not shown. */
export function jumpTo (id: string): boolean {
  const row = document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`)
  if (row == null) return false
  row.scrollIntoView({ block: 'center' })
  row.classList.add('message-highlight')
  setTimeout(() => { row.classList.remove('message-highlight') }, 1500)
  row.focus()
  return true
}

/**
 * A message to bring into view (a quote clicked, a search result), starting with `initial`: older
 * pages load until it is there, or until `complete` says none is left; then it is shown.
 */
export function useJumpTarget (messages: readonly MessageView[], loadOlder: () => void, complete: boolean, initial?: string): [string | undefined, (id: string | undefined) => void] {
  const [target, setTarget] = useState(initial)
  useEffect(() => {
    if (target == null) return
    if (!messages.some(m => m.id === target)) {
      if (complete) setTarget(undefined)
      else loadOlder()
      return
    }
    // Drawn on the next frame, once the list has laid it out.
    const frame = requestAnimationFrame(() => { if (jumpTo(target)) setTarget(undefined) })
    return () => { cancelAnimationFrame(frame) }
  }, [target, messages, complete, loadOlder])
  return [target, setTarget]
}

/** The quoted message of a reply (`quoted`, when loaded), as a button that shows it. */
export function MessageQuote ({ id, quoted, onJump }: { id: string, quoted: MessageView | undefined, onJump: (id: string) => void }): ReactNode {
  if (quoted == null) {
    return <button type='button' className='message-quote message-quote-missing' onClick={() => { onJump(id) }}>Reply to an earlier message</button>
  }
  return (
    <button type='button' className='message-quote' onClick={() => { onJump(id) }} title='Show the message this replies to'>
      {quoted.deleted === true ? <em>Deleted message</em> : <PeerText text={quoted.text.slice(0, 140)} />}
    </button>
  )
}

/** The reactions to a message, grouped by emoji; with `nameOf`, each group names who reacted. */
export function MessageReactions ({ message, nameOf }: { message: MessageView, nameOf?: ((by: string) => string) | undefined }): ReactNode {
  if (message.reactions == null || message.reactions.length === 0) return null
  const by = new Map<string, string[]>()
  for (const r of message.reactions) by.set(r.emoji, [...(by.get(r.emoji) ?? []), r.by])
  return (
    <p className='message-reactions' aria-label='Reactions'>
      {[...by].map(([emoji, who]) => {
        const names = nameOf != null ? who.map(id => cleanName(nameOf(id))).join(', ') : undefined
        return (
          <span key={emoji} className='reaction' title={names}>
            {emoji}{who.length > 1 ? ` ${who.length}` : ''}
            {names != null && <span className='reaction-names'> {names}</span>}
          </span>
        )
      })}
    </p>
  )
}

/** " · edited", on a message edited and not deleted since. */
export function EditedMark ({ message }: { message: MessageView }): ReactNode {
  return message.editedAt != null && message.deleted !== true ? <span className='edited'> · edited</span> : null
}

/** Props of {@link MessageBody}. */
export interface MessageBodyProps {
  message: MessageView
  /** The message it replies to, when loaded. */
  quoted: MessageView | undefined
  /** The user asked to see message `id` (a quote was clicked). */
  onJump: (id: string) => void
  /** In a group: the name of a reactor by their user id. */
  nameOf?: ((by: string) => string) | undefined
}

/** A message's quote, its text (or file, or that it was deleted), and its reactions. */
export function MessageBody ({ message, quoted, onJump, nameOf }: MessageBodyProps): ReactNode {
  return (
    <>
      {message.replyTo != null && <MessageQuote id={message.replyTo} quoted={quoted} onJump={onJump} />}
      {message.deleted === true
        ? <p className='message-text message-deleted'><em>This message was deleted</em></p>
        : message.file != null ? <FileCard message={message} file={message.file} /> : <p className='message-text'><PeerText text={message.text} /></p>}
      <MessageReactions message={message} nameOf={nameOf} />
    </>
  )
}

/** Props of {@link MessageActions}. */
export interface MessageActionsProps {
  message: MessageView
  /** The contact of the conversation: a reaction by anyone else is one's own. */
  contactId: string
  /** In a group: the user's own id, which one's own reaction is by. */
  selfId?: string | undefined
  /** The user chose to reply to this message. */
  onReply: (message: MessageView) => void
  /** A message changed (reaction, edit); `undefined`: deleted here. */
  onChanged: (id: string, message: MessageView | undefined) => void
}

/** The actions on one message. */
export function MessageActions ({ message, contactId, selfId, onReply, onChanged }: MessageActionsProps): ReactNode {
  const client = useClient()
  const [open, setOpen] = useState<'react' | 'edit' | 'delete'>()
  const [draft, setDraft] = useState(message.text)
  const act = useAction(async (fn: () => Promise<MessageView | undefined>) => {
    onChanged(message.id, await fn())
    setOpen(undefined)
  })
  if (message.deleted === true) return null
  const mine = message.direction === 'out'
  const changeable = mine && Date.now() - message.sentAt <= EDIT_WINDOW_MS
  const myReaction = message.reactions?.find(r => selfId != null ? r.by === selfId : r.by !== contactId)?.emoji
  const react = (emoji: string): void => { void act.run(() => client.react({ messageId: message.id, emoji })) }
  const saveEdit = (event: FormEvent): void => {
    event.preventDefault()
    if (draft.trim() !== '') void act.run(() => client.editMessage({ messageId: message.id, text: draft }))
  }
  const remove = (everyone: boolean): void => {
    void act.run(async () => {
      await client.deleteMessage({ messageId: message.id, everyone })
      return everyone ? { ...message, text: '', deleted: true, reactions: [] } : undefined
    })
  }
  return (
    <div className='message-actions' role='group' aria-label='Message actions'>
      <button type='button' onClick={() => { onReply(message) }}>Reply</button>
      <button type='button' aria-expanded={open === 'react'} onClick={() => { setOpen(open === 'react' ? undefined : 'react') }}>React</button>
      {changeable && <button type='button' onClick={() => { setDraft(message.text); setOpen(open === 'edit' ? undefined : 'edit') }}>Edit</button>}
      <button type='button' aria-expanded={open === 'delete'} onClick={() => { setOpen(open === 'delete' ? undefined : 'delete') }}>Delete</button>
      {open === 'react' && (
        <span className='emoji-picker' role='group' aria-label='Choose a reaction'>
          {REACTION_CHOICES.map(e => <button key={e} type='button' aria-pressed={myReaction === e} onClick={() => { react(e) }}>{e}</button>)}
          {myReaction != null && <button type='button' onClick={() => { react('') }}>Remove reaction</button>}
        </span>
      )}
      {open === 'edit' && (
        <form className='message-edit' onSubmit={saveEdit} aria-label='Edit message'>
          <input value={draft} maxLength={8000} onChange={e => { setDraft(e.target.value) }} aria-label='New text' />
          <button type='submit' className='primary'>Save</button>
        </form>
      )}
      {open === 'delete' && (
        <span role='group' aria-label='Delete message'>
          <button type='button' onClick={() => { remove(false) }}>Delete for me</button>
          {changeable && <button type='button' className='danger' onClick={() => { remove(true) }}>Delete for everyone</button>}
        </span>
      )}
      {act.error != null && <span role='alert' className='error'>{act.error}</span>}
    </div>
  )
}
