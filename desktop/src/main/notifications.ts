// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a native notification for a new message may say. By default it says only that something
 * arrived: the sender's name and the text are shown only when the user allowed them.
 */
import type { ContactView, MessageView, NotificationPreview } from '../shared/contract.js'
import type { Messenger } from '@sotto/core'
import { BIDI_CONTROLS } from '../shared/contract.js'

/** A notification's content. */
export interface NotificationContent {
  /** Title line. */
  title: string
  /** Body line. */
  body: string
}

/** Who a notification names: a contact, or a group's member ("Bob in Book club"). */
export type Sender = Pick<ContactView, 'alias' | 'blocked' | 'status'>

/** The sender of a group message, named with the group. */
export async function groupSender (messenger: Pick<Messenger, 'group'>, message: MessageView): Promise<Sender> {
  const group = await messenger.group(message.contactId)
  const name = group.members.find(m => m.id === message.senderId)?.name ?? 'Someone'
  return { alias: `${name} in ${group.name}`, blocked: false, status: 'contact' }
}

/** The longest text a notification shows. */
const MAX_BODY = 120

/**
 * The notification for `message`, or undefined when none should be shown (notifications off,
 * outgoing message, blocked sender).
 */
export function notificationFor (
  message: MessageView,
  contact: Sender | undefined,
  prefs: { notifications: boolean, notificationPreview: NotificationPreview }
): NotificationContent | undefined {
  if (!prefs.notifications || message.direction !== 'in') return undefined
  if (contact?.blocked === true) return undefined
  const name = contact == null ? (message.contactId.startsWith('guest-') ? 'A guest' : 'Someone') : contact.alias.replace(BIDI_CONTROLS, '')
  switch (prefs.notificationPreview) {
    case 'name':
      return { title: name, body: contact?.status === 'request' ? 'New contact request' : 'New message' }
    case 'name-and-text': {
      const text = message.text.replace(BIDI_CONTROLS, '')
      return { title: name, body: text.length > MAX_BODY ? text.slice(0, MAX_BODY - 1) + '…' : text }
    }
    default:
      return { title: 'Sotto', body: 'New message' }
  }
}
