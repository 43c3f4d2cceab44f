// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The head of a conversation: the contact's name, presence and badges, and its controls (safety
 * number, disappearing timer, block, delete). The timer follows the control at once, and only the
 * last choice of a quick run (arrow keys step through the options, one change each) is still sent
 * once the one in flight is done.
 */
import { useId, useRef, useState } from 'react'
import { useClient } from '../components/context.js'
import { DISAPPEARING_LABELS, presenceLabel } from '../components/format.js'
import { PeerName } from '../components/peer-text.js'
import { errorMessage } from '../client.js'
import type { ReactNode } from 'react'
import type { ContactView } from '../../shared/contract.js'

/** A dialog the chat screen can open. */
export type ChatDialog = 'safety' | 'block' | 'delete'

/** What {@link useTimerChoice} returns. */
interface TimerChoice {
  /** The choice being applied, shown in place of the contact's timer meanwhile. */
  choice: number | undefined
  /** Why the last choice failed. */
  error: string | undefined
  /** Chooses a timer. */
  choose: (seconds: number) => void
}

/** Applies disappearing-timer choices one at a time, skipping those overtaken by a newer one. */
export function useTimerChoice (contactId: string, onContact: (contact: ContactView) => void): TimerChoice {
  const client = useClient()
  const [choice, setChoice] = useState<number>()
  const [error, setError] = useState<string>()
  const wanted = useRef<number | undefined>(undefined)
  const applying = useRef(false)
  const choose = (seconds: number): void => {
    wanted.current = seconds
    setChoice(seconds)
    if (applying.current) return
    applying.current = true
    setError(undefined)
    void (async () => {
      try {
        for (let next = wanted.current; next != null; next = wanted.current) {
          wanted.current = undefined
          onContact(await client.setDisappearing({ contactId, seconds: next }))
        }
      } catch (err) {
        wanted.current = undefined
        setError(errorMessage(err))
      } finally {
        applying.current = false
        setChoice(undefined)
      }
    })()
  }
  return { choice, error, choose }
}

/** Props of {@link ChatHeader}. */
export interface ChatHeaderProps {
  /** The contact. */
  contact: ContactView
  /** The id of the heading naming the conversation. */
  titleId: string
  /** The disappearing timer's control. */
  timer: TimerChoice
  /** Opens a dialog. */
  onDialog: (dialog: ChatDialog) => void
  /** Unblocks the contact. */
  onUnblock: () => void
}

/** The conversation's header. */
export function ChatHeader ({ contact, titleId, timer, onDialog, onUnblock }: ChatHeaderProps): ReactNode {
  const timerId = useId()
  return (
    <header className='chat-header'>
      <div>
        <h2 id={titleId}><PeerName name={contact.alias} /></h2>
        <p className='chat-subtitle'>
          <span className={`presence presence-${contact.presence}`} aria-hidden='true' /> {presenceLabel(contact.presence)}
          {contact.verified && <span className='badge verified'>Verified</span>}
          {contact.blocked && <span className='badge'>Blocked</span>}
        </p>
        {contact.fromGuest != null && <p className='note'>Invited from a guest conversation: your earlier messages with them stay in Guests.</p>}
      </div>
      <div className='chat-actions'>
        <button type='button' onClick={() => { onDialog('safety') }}>Safety number</button>
        <label htmlFor={timerId} className='visually-hidden'>Disappearing messages</label>
        <select
          id={timerId}
          value={timer.choice ?? contact.disappearingSeconds}
          title='Disappearing messages'
          onChange={e => { timer.choose(Number(e.target.value)) }}
        >
          {DISAPPEARING_LABELS.map(([seconds, label]) => (
            <option key={seconds} value={seconds}>{seconds === 0 ? 'Disappearing: off' : `Disappear after ${label}`}</option>
          ))}
        </select>
        {contact.blocked
          ? <button type='button' onClick={onUnblock}>Unblock</button>
          : <button type='button' onClick={() => { onDialog('block') }}>Block</button>}
        <button type='button' className='danger' onClick={() => { onDialog('delete') }}>Delete</button>
      </div>
    </header>
  )
}
