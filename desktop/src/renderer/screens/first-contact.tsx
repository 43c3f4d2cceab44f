// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What an app with no contacts shows first: the user's own invite (short link and QR code) beside
 * the ways to add someone (their link, or a QR code), so a first contact takes no searching. The
 * requests of people who used the invite wait here too, each with Accept and Block: whoever
 * answered the invite is met where the user is looking, and accepting stays the user's own act.
 */
import { AddContact } from './add-contact.js'
import { Invite } from './invite.js'
import { Requests } from './requests.js'
import type { ReactNode } from 'react'
import type { ContactView } from '../../shared/contract.js'

/** Props of {@link FirstContact}. */
export interface FirstContactProps {
  /** Opens the conversation with a contact just added. */
  onAdded: (contactId: string) => void
  /** Requests waiting for the user. */
  requests: readonly ContactView[]
  /** Opens the conversation with a request just accepted. */
  onAccepted: (contactId: string) => void
  /** Called after a request was accepted or blocked, to reload lists. */
  onChanged: () => void
}

/** The first-contact pane. */
export function FirstContact ({ onAdded, requests, onAccepted, onChanged }: FirstContactProps): ReactNode {
  const waiting = requests.some(r => !r.blocked)
  return (
    <div className='first-contact'>
      {waiting && <Requests requests={requests} onAccepted={onAccepted} onChanged={onChanged} />}
      <p className='lead'>No contacts yet. Show someone your QR code or send them your link, or add them from theirs.</p>
      <Invite />
      <AddContact onAdded={onAdded} />
    </div>
  )
}
