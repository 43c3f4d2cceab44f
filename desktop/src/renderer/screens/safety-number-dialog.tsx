// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The safety number of a conversation, to compare in person or on a call, and "mark verified".
 */
import { Dialog } from '../components/dialog.js'
import { safetyGroups } from '../components/format.js'
import { PeerName } from '../components/peer-text.js'
import type { ReactNode } from 'react'
import type { ContactView } from '../../shared/contract.js'

/** Props of {@link SafetyNumberDialog}. */
export interface SafetyNumberDialogProps {
  /** The contact. */
  contact: ContactView
  /** Marks verified or not. */
  onSetVerified: (verified: boolean) => void
  /** Closes. */
  onClose: () => void
  /** Busy marking. */
  busy?: boolean
}

/** The dialog. */
export function SafetyNumberDialog ({ contact, onSetVerified, onClose, busy }: SafetyNumberDialogProps): ReactNode {
  return (
    <Dialog title='Safety number' onClose={onClose}>
      <p>
        Compare these numbers with <PeerName name={contact.alias} />, in person or on a call you trust.
        If they match, no one is in the middle of your conversation.
      </p>
      <div className='safety-number' aria-label='Safety number' role='group'>
        {safetyGroups(contact.safetyNumber).map((group, i) => <span key={i}>{group}</span>)}
      </div>
      <p className='verified-state'>{contact.verified ? 'Verified' : 'Not verified'}</p>
      <div className='dialog-actions'>
        <button type='button' onClick={onClose}>Close</button>
        <button type='button' className={contact.verified ? undefined : 'primary'} aria-disabled={busy} onClick={() => { if (busy !== true) onSetVerified(!contact.verified) }}>
          {contact.verified ? 'Clear verification' : 'Mark as verified'}
        </button>
      </div>
    </Dialog>
  )
}
