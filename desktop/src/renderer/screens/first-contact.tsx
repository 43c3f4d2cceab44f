// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What an app with no contacts shows first: the user's own invite (short link and QR code) beside
 * the ways to add someone (their link, or a QR code), so a first contact takes no searching.
 */
import { AddContact } from './add-contact.js'
import { Invite } from './invite.js'
import type { ReactNode } from 'react'

/** The first-contact pane. */
export function FirstContact ({ onAdded }: { onAdded: (contactId: string) => void }): ReactNode {
  return (
    <div className='first-contact'>
      <p className='lead'>No contacts yet. Show someone your QR code or send them your link, or add them from theirs.</p>
      <Invite />
      <AddContact onAdded={onAdded} />
    </div>
  )
}
