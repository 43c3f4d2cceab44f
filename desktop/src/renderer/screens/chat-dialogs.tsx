// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The dialogs of a conversation: its safety number, and the confirmations to block the contact
 * or delete the conversation.
 */
import { ConfirmDialog } from '../components/dialog.js'
import { PeerName } from '../components/peer-text.js'
import { SafetyNumberDialog } from './safety-number-dialog.js'
import type { ReactNode } from 'react'
import type { ContactView } from '../../shared/contract.js'
import type { ChatDialog } from './chat-header.js'

/** Props of {@link ChatDialogs}. */
export interface ChatDialogsProps {
  /** The open dialog, if any. */
  dialog: ChatDialog | undefined
  /** The contact. */
  contact: ContactView
  /** A change to the contact is under way. */
  busy: boolean
  /** Closes the dialog. */
  onClose: () => void
  /** Marks the safety number verified or not. */
  onSetVerified: (verified: boolean) => void
  /** Blocks the contact (after confirmation). */
  onBlock: () => void
  /** Deletes the conversation (after confirmation). */
  onDelete: () => void
}

/** The dialog open on the chat screen. */
export function ChatDialogs ({ dialog, contact, busy, onClose, onSetVerified, onBlock, onDelete }: ChatDialogsProps): ReactNode {
  const confirmed = (action: () => void) => () => {
    onClose()
    action()
  }
  switch (dialog) {
    case 'safety':
      return <SafetyNumberDialog contact={contact} busy={busy} onClose={onClose} onSetVerified={onSetVerified} />
    case 'block':
      return (
        <ConfirmDialog title='Block this contact?' confirmLabel='Block' onCancel={onClose} onConfirm={confirmed(onBlock)}>
          <p><PeerName name={contact.alias} /> will no longer be able to send you messages, and nothing will be sent to them.</p>
        </ConfirmDialog>
      )
    case 'delete':
      return (
        <ConfirmDialog title='Delete this conversation?' confirmLabel='Delete' onCancel={onClose} onConfirm={confirmed(onDelete)}>
          <p>The contact and every message with <PeerName name={contact.alias} /> are deleted from this device.</p>
        </ConfirmDialog>
      )
    default:
      return null
  }
}
