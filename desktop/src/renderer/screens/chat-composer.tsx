// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The composer of a conversation: Enter sends, Shift+Enter starts a new line. The text is emptied
 * at once, so the next message can be typed while one is sent, and given back if sending failed.
 */
import { useId, useRef, useState } from 'react'
import { PeerText } from '../components/peer-text.js'
import { useClient } from '../components/context.js'
import { errorMessage } from '../client.js'
import type { ChangeEvent, ClipboardEvent, FormEvent, KeyboardEvent, ReactNode } from 'react'
import type { MessageView } from '../../shared/contract.js'

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** The conversation's contact. */
  contactId: string
  /** The contact is blocked: nothing can be sent. */
  blocked: boolean
  /** Called with each message sent. */
  onSent: (message: MessageView) => void
  /** The message the next one replies to, if any. */
  replyTo?: MessageView | undefined
  /** The user dropped the reply (or it was sent). */
  onCancelReply?: () => void
  /** Files the user attached or pasted, to send. */
  onFiles?: (files: File[]) => void
  /** Why nothing can be sent, shown in the empty field while `blocked` (default: unblock to send). */
  blockedHint?: string
}

/** How often "still typing" is sent while the user types, in ms. */
const TYPING_EVERY_MS = 5000

/** The message composer. */
export function Composer ({ contactId, blocked, onSent, replyTo, onCancelReply, onFiles, blockedHint }: ComposerProps): ReactNode {
  const client = useClient()
  const composerId = useId()
  const [text, setText] = useState('')
  const [sendError, setSendError] = useState<string>()
  const typingSince = useRef(0)
  const picker = useRef<HTMLInputElement>(null)
  // Typing indicators go only when the settings allow, to a directly connected contact: the engine decides.
  const typed = (next: string): void => {
    setText(next)
    const now = Date.now()
    if (next !== '' && now - typingSince.current > TYPING_EVERY_MS) {
      typingSince.current = now
      void client.typing({ contactId, started: true }).catch(() => {})
    } else if (next === '' && typingSince.current !== 0) {
      typingSince.current = 0
      void client.typing({ contactId, started: false }).catch(() => {})
    }
  }

  const send = (): void => {
    const body = text
    if (body.trim() === '' || blocked) return
    setText('')
    setSendError(undefined)
    typingSince.current = 0
    const quoted = replyTo
    onCancelReply?.()
    const sent = quoted != null ? client.reply({ contactId, replyTo: quoted.id, text: body }) : client.send({ contactId, text: body })
    sent
      .then(onSent)
      .catch(err => {
        setSendError(errorMessage(err))
        // Give the text back unless something new was typed meanwhile.
        setText(current => current === '' ? body : current)
      })
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    send()
  }
  // A pasted image (a screenshot) or file is sent as a file; pasted text stays text.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>): void => {
    const files = [...event.clipboardData.files]
    if (files.length === 0 || onFiles == null || blocked) return
    event.preventDefault()
    onFiles(files)
  }
  const picked = (event: ChangeEvent<HTMLInputElement>): void => {
    const files = [...event.target.files ?? []]
    event.target.value = ''
    if (files.length > 0) onFiles?.(files)
  }
  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    }
  }

  return (
    <>
      {replyTo != null && (
        <div className='composer-reply' role='status'>
          <span>Replying to: {replyTo.deleted === true ? <em>Deleted message</em> : <PeerText text={replyTo.text.slice(0, 140)} />}</span>
          <button type='button' onClick={onCancelReply}>Cancel reply</button>
        </div>
      )}
      <form className='composer' onSubmit={submit} aria-label='Write a message'>
        <label htmlFor={composerId} className='visually-hidden'>Message</label>
        <textarea
          id={composerId}
          value={text}
          onChange={e => { typed(e.target.value) }}
          onKeyDown={onKey}
          onPaste={onPaste}
          placeholder={blocked ? blockedHint ?? 'Unblock to send messages' : 'Message'}
          disabled={blocked}
          maxLength={8000}
          rows={2}
        />
        {onFiles != null && (
          <>
            <input ref={picker} type='file' multiple hidden onChange={picked} aria-label='File to send' tabIndex={-1} />
            <button type='button' onClick={() => { picker.current?.click() }} disabled={blocked} title='Send a photo or a file'>Attach</button>
          </>
        )}
        <button type='submit' className='primary' disabled={blocked || text.trim() === ''}>Send</button>
      </form>
      {sendError != null && <p role='alert' className='error'>{sendError}</p>}
    </>
  )
}
