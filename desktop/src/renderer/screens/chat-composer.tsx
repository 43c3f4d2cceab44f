// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The composer of a conversation: Enter sends, Shift+Enter starts a new line. The text is emptied
 * at once, so the next message can be typed while one is sent, and given back if sending failed.
 */
import { useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { errorMessage } from '../client.js'
import type { FormEvent, KeyboardEvent, ReactNode } from 'react'
import type { MessageView } from '../../shared/contract.js'

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** The conversation's contact. */
  contactId: string
  /** The contact is blocked: nothing can be sent. */
  blocked: boolean
  /** Called with each message sent. */
  onSent: (message: MessageView) => void
}

/** The message composer. */
export function Composer ({ contactId, blocked, onSent }: ComposerProps): ReactNode {
  const client = useClient()
  const composerId = useId()
  const [text, setText] = useState('')
  const [sendError, setSendError] = useState<string>()

  const send = (): void => {
    const body = text
    if (body.trim() === '' || blocked) return
    setText('')
    setSendError(undefined)
    client.send({ contactId, text: body })
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
  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    }
  }

  return (
    <>
      <form className='composer' onSubmit={submit} aria-label='Write a message'>
        <label htmlFor={composerId} className='visually-hidden'>Message</label>
        <textarea
          id={composerId}
          value={text}
          onChange={e => { setText(e.target.value) }}
          onKeyDown={onKey}
          placeholder={blocked ? 'Unblock to send messages' : 'Message'}
          disabled={blocked}
          maxLength={8000}
          rows={2}
        />
        <button type='submit' className='primary' disabled={blocked || text.trim() === ''}>Send</button>
      </form>
      {sendError != null && <p role='alert' className='error'>{sendError}</p>}
    </>
  )
}
