// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about contacts and requests: the list, adding by invite, renaming, verifying, blocking,
 * accepting, deleting and the disappearing timer.
 */
import { contactView } from '../views.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { ContactView } from '../../shared/contract.js'
import type { Contact } from '@sotto/core'

/** What the contact handlers use. */
export interface ContactHandlersComponents extends MessengerComponents {
  /** Counts unread messages again, after a change that may alter the count. */
  refreshUnread: () => Promise<void>
}

type ContactCalls = 'contacts' | 'contact' | 'addContact' | 'renameContact' | 'block' |
'unblock' | 'deleteContact' | 'setVerified' | 'acceptKeyChange' | 'setDisappearing' | 'requests' | 'accept' | 'droppedRequests' | 'keepKey'

const viewOf = async (promise: Promise<Contact>): Promise<ContactView> => contactView(await promise)

/** The handlers of the contact calls. */
export function contactHandlers ({ messenger, refreshUnread }: ContactHandlersComponents): HandlerGroup<ContactCalls> {
  /** Runs a change, then counts unread messages again (blocking or accepting changes the count). */
  const recount = async <T>(promise: Promise<T>): Promise<T> => {
    const result = await promise
    void refreshUnread()
    return result
  }
  return {
    contacts: async () => (await messenger().contacts()).map(contactView),
    contact: async ({ contactId }) => viewOf(messenger().contact(contactId)),
    addContact: async ({ invite, alias }) => viewOf(messenger().addContact(invite, alias != null ? { alias } : undefined)),
    renameContact: async ({ contactId, alias }) => viewOf(messenger().setAlias(contactId, alias)),
    block: async ({ contactId }) => recount(viewOf(messenger().block(contactId))),
    unblock: async ({ contactId }) => viewOf(messenger().unblock(contactId)),
    deleteContact: async ({ contactId }) => {
      await recount(messenger().deleteContact(contactId))
      return null
    },
    setVerified: async ({ contactId, verified }) => viewOf(messenger().setVerified(contactId, verified)),
    acceptKeyChange: async ({ contactId }) => viewOf(messenger().acceptIdentityChange(contactId)),
    keepKey: async ({ contactId }) => viewOf(messenger().keepIdentity(contactId)),
    setDisappearing: async ({ contactId, seconds }) => viewOf(messenger().setDisappearing(contactId, seconds)),
    requests: async () => (await messenger().requests()).map(contactView),
    droppedRequests: async () => ({ dropped: await messenger().droppedRequests() }),
    accept: async ({ contactId }) => recount(viewOf(messenger().accept(contactId)))
  }
}
